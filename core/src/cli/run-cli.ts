import { EXIT_BAD_INPUT, EXIT_DONE, EXIT_FAILED, EXIT_STOPPED } from "./exit-codes";
import { firstLine, UserError } from "./user-error";

export interface CliRun {
  /** Aborted at the first SIGINT or SIGTERM, with the signal's name as its reason. */
  readonly signal: AbortSignal;
  /** The signal that stopped the run, once one has. */
  stoppedBy(): NodeJS.Signals | undefined;
}

export interface CliOptions {
  /** Says what the command does at the first signal; default `<name>: SIGINT: stopping (again to exit now)`. */
  readonly onStop?: (signal: NodeJS.Signals) => void;
}

/** An unref'd backstop: a socket left open by a client must not keep a finished command alive. */
const EXIT_GRACE_MS = 2000;

/**
 * Runs a command line the same way in every CLI of the project: `main` resolves to the exit code
 * (exit-codes.ts); a thrown UserError (or any error with `exitCode` 2) is one line and exit 2,
 * any other error one line and exit 1; the stack trace only with DEBUG=1 or --verbose. The first
 * SIGINT or SIGTERM aborts `run.signal` (main cleans up and returns, 130 for a stop), the second
 * exits at once with 130 (temporary outputs are removed on exit, see atomic-output.ts).
 */
export function runCli(name: string, main: (run: CliRun) => Promise<number>, options: CliOptions = {}): void {
  // The AWS SDK warns at every client's creation, on Node 20, that its releases after January 2027
  // need Node 22. The pinned release supports 20 (package.json engines) and the images run 22, so
  // the CLIs turn off that one warning; every other warning still shows.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const controller = new AbortController();
  let stopped: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopped) {
      process.stderr.write(`\n${name}: ${signal} again: exiting now\n`);
      process.exit(EXIT_STOPPED);
    }
    stopped = signal;
    if (options.onStop) options.onStop(signal);
    else process.stderr.write(`\n${name}: ${signal}: stopping (again to exit now)\n`);
    controller.abort(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // `detect ... | head`: the reader has what it wanted and went away; that is not a failure to report.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(EXIT_DONE);
  });
  const verbose = process.env.DEBUG === "1" || process.argv.includes("--verbose");
  main({ signal: controller.signal, stoppedBy: () => stopped })
    .catch((error: unknown) => reportError(name, error, verbose))
    .then((code) => {
      process.exitCode = code;
      setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
    });
}

/** Writes the one line for an error and returns its exit code: 2 for the user's mistake, else 1. */
export function reportError(
  name: string,
  error: unknown,
  verbose: boolean,
  write = (text: string) => void process.stderr.write(text),
): number {
  const code = isUserError(error) ? EXIT_BAD_INPUT : EXIT_FAILED;
  const message = error instanceof Error ? error.message : String(error);
  const hint = code === EXIT_FAILED && !verbose ? " (DEBUG=1 or --verbose for the stack trace)" : "";
  write(`${name}: ${firstLine(message)}${hint}\n`);
  if (verbose && error instanceof Error && error.stack) write(`${error.stack}\n`);
  return code;
}

export function isUserError(error: unknown): boolean {
  return error instanceof UserError || (error as { exitCode?: unknown } | null)?.exitCode === EXIT_BAD_INPUT;
}
