/**
 * A problem with what the simulator was asked to do: a bad flag, a missing file, bucket, object
 * or stream, a CSV header without the event columns. Reported as one line; the CLI exits with 2.
 */
export class SimulatorInputError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "SimulatorInputError";
  }
}
