import { UserError } from "@hotspots/core";

/** Bad input to a local command (a missing or malformed file): exit code 2, like a bad flag. */
export class LocalInputError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "LocalInputError";
  }
}
