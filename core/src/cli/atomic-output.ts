import {
  accessSync,
  chmodSync,
  constants,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  type Stats,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { quoteInput, UserError } from "./user-error";

/** Temporary outputs of this process, removed at exit when a run stops without committing them. */
const pending = new Set<string>();
let exitHookInstalled = false;

function track(path: string): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const p of pending) rmSync(p, { recursive: true, force: true });
    });
  }
  pending.add(path);
}

export interface OutputCheck {
  /** How the user named the output, for messages: "--output", "--out". */
  readonly flag: string;
  /** Files the run reads: the output may not be any of them (by realpath, links followed, or by inode). */
  readonly inputs?: readonly string[];
}

/**
 * An output file written under a temporary name beside its target and renamed into place only by
 * `commit()`: a run that fails or is stopped leaves the earlier file byte for byte as it was.
 * `prepare` checks, before anything is opened, that the target is a file path in an existing
 * folder and is not one of the inputs.
 */
export class AtomicOutput {
  private done = false;

  private constructor(
    /** The real path the output replaces (a link's destination, not the link). */
    readonly target: string,
    /** Where to write; renamed to `target` by commit(). */
    readonly path: string,
    private readonly mode: number | undefined,
  ) {
    track(path);
  }

  static prepare(output: string, check: OutputCheck): AtomicOutput {
    const name = `${check.flag} ${quoteInput(output)}`;
    if (output.trim() === "") throw new UserError(`${check.flag} is empty; give a file path`);
    const existing = statOrUndefined(output);
    if (existing?.isDirectory()) throw new UserError(`${name} is a folder; give a file path`);
    if (existing && !existing.isFile()) throw new UserError(`${name} is not a regular file; give a file path`);
    const folder = dirname(resolve(output));
    const folderStat = statOrUndefined(folder);
    if (!folderStat) throw new UserError(`${name}: the folder ${quoteInput(folder)} does not exist`);
    if (!folderStat.isDirectory()) throw new UserError(`${name}: ${quoteInput(folder)} is not a folder`);
    const target = existing ? realpathSync(output) : join(realpathSync(folder), basename(output));
    refuseInputs(name, target, existing, check.inputs ?? []);
    const targetFolder = dirname(target);
    try {
      accessSync(targetFolder, constants.W_OK);
    } catch {
      throw new UserError(`${name}: no permission to write in ${quoteInput(targetFolder)}`);
    }
    removeStaleTemporaries(targetFolder, basename(target));
    const temporary = join(
      targetFolder,
      `.${basename(target)}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`,
    );
    return new AtomicOutput(target, temporary, existing?.mode);
  }

  /** Puts the written file in place of the target (one rename: readers see the old file or the new one). */
  commit(): void {
    if (this.done) return;
    if (this.mode !== undefined) chmodSync(this.path, this.mode & 0o7777);
    renameSync(this.path, this.target);
    this.done = true;
    pending.delete(this.path);
  }

  /** Removes what was written; the target is untouched. */
  discard(): void {
    if (this.done) return;
    rmSync(this.path, { force: true });
    this.done = true;
    pending.delete(this.path);
  }
}

/**
 * Refuses an output that is an input, or that holds one (a folder output): `output` is compared by
 * realpath and, when it exists, by device and inode (a hard link), before anything is opened.
 */
export function refuseInputs(
  name: string,
  output: string,
  outputStat: Stats | undefined,
  inputs: readonly string[],
  folder = false,
): void {
  for (const input of inputs) {
    const stat = statOrUndefined(input);
    if (!stat) continue;
    const real = realpathSync(input);
    const same =
      real === output || (outputStat !== undefined && outputStat.dev === stat.dev && outputStat.ino === stat.ino);
    const inside = folder && real.startsWith(output.endsWith("/") ? output : `${output}/`);
    if (same || inside) {
      throw new UserError(
        `${name} ${inside ? "holds" : "is"} the input ${quoteInput(input)}; refusing to write over an input, give another path`,
      );
    }
  }
}

/** Marks a temporary folder (npm start's staging folder) for removal should the process exit before it is kept. */
export function removeAtExit(path: string): () => void {
  track(path);
  return () => pending.delete(path);
}

/** A temporary output left by a run that was killed (SIGKILL, a power cut) belongs to a process that is gone. */
function removeStaleTemporaries(folder: string, base: string): void {
  const prefix = `.${base}.`;
  for (const name of readdirSync(folder)) {
    const pid =
      name.startsWith(prefix) && name.endsWith(".tmp") ? Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]) : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) rmSync(join(folder, name), { force: true });
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
