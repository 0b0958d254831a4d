import { EXIT_BAD_INPUT } from "./exit-codes";

/**
 * A mistake in what the user gave (a flag, a file, a setting): reported as one line without a
 * stack trace, exit code 2. The CLIs' own input errors extend it.
 */
export class UserError extends Error {
  readonly exitCode = EXIT_BAD_INPUT;
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}

/** At most this many characters of a user's input are quoted in a message. */
export const MAX_QUOTED_CHARS = 200;

/** What JSON.stringify leaves unescaped but a terminal does not print: DEL, the C1 controls, the line separators. */
const NON_PRINTABLE = /[\u007f-\u009f\u2028\u2029]/g;

/**
 * A piece of input for a one-line message: in double quotes, non-printable characters escaped
 * (a binary file prints as escapes, never raw bytes), cut to `max` characters with the full length said.
 */
export function quoteInput(text: string, max = MAX_QUOTED_CHARS): string {
  const cut = text.length > max;
  const shown = JSON.stringify(cut ? text.slice(0, max) : text).replace(
    NON_PRINTABLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return cut ? `${shown.slice(0, -1)}..." (${text.length} characters)` : shown;
}

/** The first line of an error's message, cut to a length a terminal shows on one or two lines. */
export function firstLine(message: string, max = 2 * MAX_QUOTED_CHARS + 200): string {
  const line = message.split(/\r?\n/, 1)[0] ?? "";
  return line.length > max ? `${line.slice(0, max)}...` : line;
}
