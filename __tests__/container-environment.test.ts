/**
 * The container environment variable names in core: every variable a task definition sets is a
 * name the program's list holds, and no name means two things.
 */
import { DETECTOR_ENV, SHARED_ENV, SIMULATOR_ENV } from "@hotspots/core";
import { resolveConfig } from "../stacks/config";
import { containersOf, environmentOf, synthApp } from "./helpers/synth-app";

const values = (names: Record<string, string>) => Object.values(names);

it("no name appears twice across the shared, simulator and detector lists", () => {
  const all = [...values(SHARED_ENV), ...values(SIMULATOR_ENV), ...values(DETECTOR_ENV)];
  expect(new Set(all).size).toBe(all.length);
});

it("each task definition sets only names its program reads, and all the ones the stacks promise", () => {
  const app = synthApp([resolveConfig("dev", {})]);
  try {
    const [simulator] = containersOf(app.stacks["hotspots-dev-simulator"], "ubiquitous-octo-spoon-simulator");
    const [detector] = containersOf(app.stacks["hotspots-dev-analytics"], "ubiquitous-octo-spoon-detector");
    const simulatorNames = Object.keys(environmentOf(simulator));
    const detectorNames = Object.keys(environmentOf(detector));
    expect(simulatorNames.filter((n) => ![...values(SHARED_ENV), ...values(SIMULATOR_ENV)].includes(n))).toEqual([]);
    expect(detectorNames.filter((n) => ![...values(SHARED_ENV), ...values(DETECTOR_ENV)].includes(n))).toEqual([]);
    expect(detectorNames).toEqual(
      expect.arrayContaining([
        SHARED_ENV.streamName,
        DETECTOR_ENV.deliveryStreamName,
        DETECTOR_ENV.checkpointBucket,
        DETECTOR_ENV.windowSize,
        DETECTOR_ENV.eventBusName,
      ]),
    );
    expect(simulatorNames).toEqual(
      expect.arrayContaining([SHARED_ENV.streamName, SIMULATOR_ENV.sourceBucket, SIMULATOR_ENV.sourcePrefix]),
    );
    // Endpoint overrides are for local emulators: never set in AWS.
    for (const n of [
      SHARED_ENV.kinesisEndpoint,
      SHARED_ENV.s3Endpoint,
      DETECTOR_ENV.firehoseEndpoint,
      DETECTOR_ENV.eventBridgeEndpoint,
    ]) {
      expect([...simulatorNames, ...detectorNames]).not.toContain(n);
    }
  } finally {
    app.cleanup();
  }
});
