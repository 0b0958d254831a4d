/**
 * Where output records go: one JSON object per line. `write` may buffer; `flush` returns once
 * everything written before it is delivered (the detector checkpoints only after a flush).
 */
export interface OutputSink {
  write(lines: readonly string[]): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}
