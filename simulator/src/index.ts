/**
 * @hotspots/simulator: streams player-event CSV rows into a Kinesis data stream.
 *
 * Library use (the local pipeline):
 *
 *   const kinesis = createSimulatorKinesisClient({ kinesisEndpoint: emulator.endpoint });
 *   const summary = await runSimulator({ input: "data/data-simu.csv", streamName, kinesis, loop: true, signal });
 *
 * runSimulator resolves with a SimulatorSummary once the input is done (or, with `loop`, once
 * `signal` aborts and what was read has been sent); it throws a SimulatorInputError before sending
 * anything when the stream, file, bucket or object is missing or an option is out of range.
 */
export { runSimulator, DEFAULT_BATCH_SIZE, DEFAULT_MAX_IN_FLIGHT, DEFAULT_DRAIN_TIMEOUT_MS } from "./simulator";
export type { SimulatorOptions, SimulatorProgress, SimulatorSummary, SkippedRow } from "./simulator";
export { createSimulatorKinesisClient, createSimulatorS3Client, type SimulatorClientSettings } from "./aws-clients";
export { SimulatorInputError } from "./errors";
export { parseInput, describeInput, type InputSpec } from "./input-source";
export { summaryText, progressBar } from "./progress-output";
