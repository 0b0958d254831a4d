/** The exit codes of every command line of the project, and what each means. */
export const EXIT_DONE = 0;
/** A fault not caused by the input: a service down, a disk full, a bug. */
export const EXIT_FAILED = 1;
/** A bad flag or bad input: nothing was written. */
export const EXIT_BAD_INPUT = 2;
/** Stopped by Ctrl-C (SIGINT): 128 + 2, as a shell reports a process killed by it. */
export const EXIT_STOPPED = 130;

/** One line for each CLI's --help. */
export const EXIT_CODES_HELP =
  "Exit status: 0 done, 1 failed, 2 bad flag or input (nothing written), 130 stopped (Ctrl-C).";
