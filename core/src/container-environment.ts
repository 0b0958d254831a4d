/**
 * The names of the environment variables the simulator and detector containers read: the stacks set
 * them in the task definitions, the CLIs read them (each also has a command-line flag). One list,
 * so a renamed variable cannot leave a task setting a name its program no longer reads.
 */

/** Read by both programs. */
export const SHARED_ENV = {
  /** The Kinesis data stream the simulator writes and the detector reads. */
  streamName: "STREAM_NAME",
  /** The AWS Region of the clients (the SDK reads it too). */
  region: "AWS_REGION",
  /** Endpoint overrides for local emulators; never set in a task definition. */
  kinesisEndpoint: "KINESIS_ENDPOINT",
  s3Endpoint: "S3_ENDPOINT",
} as const;

/** Read by the simulator. */
export const SIMULATOR_ENV = {
  /** The bucket of the event files; with SIMULATOR_ENV.sourcePrefix, every object under the prefix. */
  sourceBucket: "SRC_DATA_BUCKET",
  sourcePrefix: "PREFIX",
  batchSize: "BATCH_SIZE",
  /** Records per second; empty means as fast as the stream accepts. */
  rate: "RATE",
  partitionKey: "PARTITION_KEY",
  maxInFlight: "MAX_IN_FLIGHT",
  maxAttempts: "MAX_ATTEMPTS",
  drainTimeoutSeconds: "DRAIN_TIMEOUT_SECONDS",
  progressIntervalSeconds: "PROGRESS_INTERVAL_SECONDS",
} as const;

/** Read by the detector. */
export const DETECTOR_ENV = {
  deliveryStreamName: "DELIVERY_STREAM_NAME",
  checkpointBucket: "CHECKPOINT_BUCKET",
  checkpointPrefix: "CHECKPOINT_PREFIX",
  windowSize: "HOTSPOTS_WINDOW_SIZE",
  scanRadius: "HOTSPOTS_SCAN_RADIUS",
  minimumPoints: "HOTSPOTS_MIN_POINTS",
  columns: "HOTSPOTS_COLUMNS",
  /** The EventBridge bus the lifecycle events go to (EventBridgeSink); unset = no bus. */
  eventBusName: "HOTSPOTS_EVENT_BUS_NAME",
  /** "true": HOTSPOTS_RESULT carries each hotspot's hotspotId (the opt-in shape). */
  resultIds: "HOTSPOTS_RESULT_IDS",
  /** Hotspot tracking settings (defaults in detector/src/tracking/tracking-parameters.ts). */
  trackEmergeAfter: "HOTSPOTS_TRACK_EMERGE_AFTER",
  trackDissolveAfter: "HOTSPOTS_TRACK_DISSOLVE_AFTER",
  trackChangedDistance: "HOTSPOTS_TRACK_CHANGED_DISTANCE",
  trackChangedShare: "HOTSPOTS_TRACK_CHANGED_SHARE",
  trackChangedEvery: "HOTSPOTS_TRACK_CHANGED_EVERY",
  trackMemberColumn: "HOTSPOTS_TRACK_MEMBER_COLUMN",
  trackMemberValuesCap: "HOTSPOTS_TRACK_MEMBER_VALUES_CAP",
  trackH3Resolution: "HOTSPOTS_TRACK_H3_RESOLUTION",
  trackMinDistinctMembers: "HOTSPOTS_TRACK_MIN_DISTINCT_MEMBERS",
  firehoseEndpoint: "FIREHOSE_ENDPOINT",
  eventBridgeEndpoint: "EVENTBRIDGE_ENDPOINT",
} as const;

export type SharedEnvName = (typeof SHARED_ENV)[keyof typeof SHARED_ENV];
export type SimulatorEnvName = SharedEnvName | (typeof SIMULATOR_ENV)[keyof typeof SIMULATOR_ENV];
export type DetectorEnvName = SharedEnvName | (typeof DETECTOR_ENV)[keyof typeof DETECTOR_ENV];
