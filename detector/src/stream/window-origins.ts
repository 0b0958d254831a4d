/**
 * Where each record of the window came from, in the window's order: the stream detector's mirror
 * of the engine's window (the last windowSize records pushed), so that a checkpoint can name, per
 * shard, the oldest record still in the window. Pure; a ring of windowSize entries.
 */
export class WindowOrigins {
  private readonly shardIds: string[];
  private readonly sequenceNumbers: string[];
  private next = 0;
  private length = 0;

  constructor(readonly capacity: number) {
    this.shardIds = new Array<string>(capacity);
    this.sequenceNumbers = new Array<string>(capacity);
  }

  /** Records in the window. */
  get size(): number {
    return this.length;
  }

  /** The record just pushed into the engine; the oldest one leaves once the window is full. */
  add(shardId: string, sequenceNumber: string): void {
    this.shardIds[this.next] = shardId;
    this.sequenceNumbers[this.next] = sequenceNumber;
    this.next = (this.next + 1) % this.capacity;
    if (this.length < this.capacity) this.length++;
  }

  /** Per shard with records in the window, the sequence number of its oldest one. */
  oldestByShard(): Map<string, string> {
    const oldest = new Map<string, string>();
    const first = (this.next - this.length + this.capacity) % this.capacity;
    for (let k = 0; k < this.length; k++) {
      const i = (first + k) % this.capacity;
      if (!oldest.has(this.shardIds[i])) oldest.set(this.shardIds[i], this.sequenceNumbers[i]);
    }
    return oldest;
  }
}
