import type { Readable } from "node:stream";
import { finished, pipeline } from "node:stream";
import { parse, type CsvError } from "csv-parse";
import { EVENT_FIELD_NAMES, KINESIS_MAX_BYTES_PER_RECORD, LineGuard, sleep } from "@hotspots/core";
import { SimulatorInputError } from "./errors";
import { EventRows } from "./event-rows";
import type { CsvSource } from "./input-source";
import type { LaneSender } from "./lane-sender";
import type { Pacer } from "./pacing";
import type { RunState } from "./run-state";

/** A paced batch waits at most this long for more rows before it is sent. */
const PACED_LINGER_MS = 200;
/** Pacing waits shorter than this are not worth a timer: the rows go out together. */
const MIN_PACING_SLEEP_MS = 10;

export interface SourceReading {
  readonly sender: LaneSender;
  readonly state: RunState;
  readonly partitionKey: string;
  readonly pacer?: Pacer;
  /** Aborted: stop reading (what was read is still sent). */
  readonly stop: AbortSignal;
}

/**
 * Reads one CSV source to its end (or until stopped) and hands each valid row to the sender;
 * returns how many valid rows it had. A bad row is skipped and counted with its line; a missing,
 * broken or binary header, or an empty source, is a SimulatorInputError.
 */
export async function streamSource(run: SourceReading, source: CsvSource): Promise<number> {
  const { sender, state, stop } = run;
  state.source = source.name;
  state.sourceNumber++;
  const body: Readable = await source.open(stop);
  // Lines the guard blanked before the header was read: one of them may be the header itself.
  const beforeHeader = new Map<number, string>();
  let header = true;
  const guard = new LineGuard(
    (line, reason) => (header ? beforeHeader.set(line, reason) : state.skip(source.name, line, reason)),
    KINESIS_MAX_BYTES_PER_RECORD,
  );
  state.guard = guard;
  // The guard leaves one record per line, so a record's line number is its count: no per-record
  // info objects (they halve csv-parse's speed). An empty line comes out as [""] and is passed over.
  const parser = parse({
    bom: true,
    relax_column_count: true,
    record_delimiter: ["\r\n", "\n"],
    skip_records_with_error: true,
  });
  let line = 0;
  parser.on("skip", (error: CsvError) => state.skip(source.name, ++line, `unreadable CSV: ${error.message}`));
  pipeline(body, guard, parser, () => undefined); // errors surface in the loop below
  const stopBody = () => body.destroy();
  stop.addEventListener("abort", stopBody, { once: true });
  const rows = new EventRows(source.name, run.partitionKey);
  const pacer = run.pacer;
  let valid = 0;
  // Records are taken from the parser's buffer in a plain loop, a chunk's worth at a time: an
  // async iterator would cost a promise per record. `wake` ends the wait for the next chunk.
  let wake: (() => void) | undefined;
  const poke = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  let ended = false;
  let parseError: unknown;
  parser.on("readable", poke);
  finished(parser, { writable: false }, (error) => {
    ended = true;
    parseError = error;
    poke();
  });
  try {
    for (;;) {
      // Checked before each row, so a run stopped before it starts sends nothing.
      if (sender.failure || stop.aborted) break;
      const record = parser.read() as string[] | null;
      if (record === null) {
        if (ended) {
          if (parseError) throw parseError;
          break;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      line++;
      if (record.length === 1 && record[0] === "") {
        const broken = header ? beforeHeader.get(line) : undefined;
        if (broken) throw new SimulatorInputError(`input ${source.name}: line ${line}, the header: ${broken}`);
        continue;
      }
      if (header) {
        rows.setHeader(record, line);
        header = false;
        for (const [at, reason] of beforeHeader) state.skip(source.name, at, reason);
        continue;
      }
      const entry = rows.toEntry(record);
      if (!entry) {
        state.skip(source.name, line, rows.problem);
        continue;
      }
      state.rowsRead++;
      valid++;
      let now = 0;
      if (pacer) {
        now = Date.now();
        const due = pacer.dueAt(rows.eventTime(record), now);
        if (due - now > MIN_PACING_SLEEP_MS) {
          await sender.flush(due - PACED_LINGER_MS);
          await sleep(due - Date.now(), stop);
          now = Date.now();
        }
      }
      const wait = sender.add(entry, now);
      if (wait) await wait;
    }
    if (header && !stop.aborted && !sender.failure) {
      throw new SimulatorInputError(
        `input ${source.name} is empty; expected a header line naming the columns ${EVENT_FIELD_NAMES.join(",")}`,
      );
    }
  } catch (error) {
    if (!stop.aborted) throw error;
  } finally {
    stop.removeEventListener("abort", stopBody);
    body.destroy();
    state.bytesDone += guard.bytesRead;
    state.guard = undefined;
  }
  return valid;
}
