import { existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { quoteInput, refuseInputs, removeAtExit, UserError } from "@hotspots/core";
import { LOCK_NAME, lockOutputFolder } from "./out-lock";

/** The file that marks a folder as npm start's own: only such a folder (or an empty one) is written into. */
export const OUT_MARKER = ".hotspots-npm-start";
/** The run's hotspot lifecycle events, one JSON object per line (RunEvents writes it). */
export const EVENTS_FILE = "events.ndjson";
/** What a run leaves in the folder; each is replaced only when a run succeeds. */
export const RUN_RESULTS = ["hotspots", "checkpoints", EVENTS_FILE, "report.html"] as const;
const STAGING_PREFIX = ".run-";
const MARKER_TEXT =
  "This folder is the output of `npm start`: each successful run replaces hotspots/, checkpoints/, events.ndjson and report.html here.\n";

export interface OutFolder {
  /** Where the run writes its results (hotspots/, checkpoints/, events.ndjson, report.html), inside the folder. */
  readonly staging: string;
  /** Puts the run's results in place of the previous run's. */
  keep(): void;
  /** Removes what the run wrote and releases the folder; the previous results stay as they were. */
  close(): void;
}

/**
 * Takes `--out DIR` for one run, before anything is written: DIR must be new, empty or marked as
 * npm start's (OUT_MARKER), must not hold an input, and is locked against a second run. The run
 * writes into a staging folder inside DIR; `keep()` moves its results into place, so a failed or
 * stopped run leaves the previous run's results byte for byte as they were.
 */
export function takeOutFolder(out: string, inputs: readonly string[]): OutFolder {
  const name = `--out ${quoteInput(out)}`;
  if (out.trim() === "") throw new UserError("--out is empty; give a folder");
  let exists = false;
  try {
    const stat = statSync(out);
    if (!stat.isDirectory())
      throw new UserError(`${name} is a file; give a folder (new, empty, or one npm start made)`);
    exists = true;
  } catch (error) {
    if (error instanceof UserError) throw error;
  }
  if (exists) {
    refuseInputs(name, realpathSync(out), statSync(out), inputs, true);
    const entries = readdirSync(out);
    if (entries.length > 0 && !entries.includes(OUT_MARKER)) {
      throw new UserError(
        `${name} holds files npm start did not make (it has no ${OUT_MARKER}); give a new or empty folder`,
      );
    }
  } else {
    try {
      makeFolders(resolve(out));
    } catch (error) {
      throw new UserError(
        `${name}: cannot create it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
  }
  if (!existsSync(join(out, OUT_MARKER))) writeFileSync(join(out, OUT_MARKER), MARKER_TEXT);
  const release = lockOutputFolder(out);
  // The lock is held: a staging folder left by a run that was killed is nobody's.
  for (const entry of readdirSync(out))
    if (entry.startsWith(STAGING_PREFIX)) rmSync(join(out, entry), { recursive: true, force: true });
  const staging = join(out, `${STAGING_PREFIX}${process.pid}`);
  mkdirSync(staging);
  // A second Ctrl-C exits at once: the staging folder and the lock go with the process.
  const forgetStaging = removeAtExit(staging);
  const forgetLock = removeAtExit(join(out, LOCK_NAME));
  let closed = false;
  return {
    staging,
    keep() {
      const previous = join(staging, ".previous");
      mkdirSync(previous);
      // Each result moves by rename within the folder. The old report goes first and the new one
      // last, so a report in the folder always describes the output beside it.
      const swap = (result: string, bringNew: boolean) => {
        if (!bringNew && existsSync(join(out, result))) renameSync(join(out, result), join(previous, result));
        if (bringNew && existsSync(join(staging, result))) renameSync(join(staging, result), join(out, result));
      };
      swap("report.html", false);
      for (const result of RUN_RESULTS.filter((r) => r !== "report.html")) {
        swap(result, false);
        swap(result, true);
      }
      swap("report.html", true);
    },
    close() {
      if (closed) return;
      closed = true;
      rmSync(staging, { recursive: true, force: true });
      forgetStaging();
      release();
      forgetLock();
    },
  };
}

/** mkdir -p one level at a time: Node's recursive mkdir spins forever where a plain one fails at once (under /proc, for one). */
function makeFolders(path: string): void {
  const missing: string[] = [];
  for (let p = path; !existsSync(p); p = dirname(p)) missing.unshift(p);
  for (const folder of missing) mkdirSync(folder);
}
