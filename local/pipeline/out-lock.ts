import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { isAlive } from "@hotspots/core";

export const LOCK_NAME = ".npm-start.lock";

/**
 * Holds an output folder for one run: two runs writing into one folder would replace each
 * other's output. A lock left by a process that is gone is taken over.
 * Returns the release function; throws a one-line error naming the folder and the holder.
 */
export function lockOutputFolder(out: string): () => void {
  const path = join(out, LOCK_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(path, "utf8"));
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new Error(
          `${out}/ is in use by another run (process ${holder}); wait for it or pass another --out folder`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`${out}/: could not take ${LOCK_NAME}`);
}
