import { UserError } from "@hotspots/core";

/**
 * A problem with what the simulator was asked to do: a bad flag, a missing file, bucket, object
 * or stream, an empty input or a CSV header without the event columns. Reported as one line; the
 * CLI exits with 2.
 */
export class SimulatorInputError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "SimulatorInputError";
  }
}
