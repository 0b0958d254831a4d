/**
 * Typed settings of the operations layer (alarms, dashboard, Athena), one object per environment.
 * Every threshold has a default that fits the default pipeline and is checked at synth.
 */

export interface OperationsThresholds {
  /** Consecutive 1-minute periods with throttled Kinesis requests before the throttle alarms fire. */
  readonly throttledPeriods: number;
  /** GetRecords.IteratorAgeMilliseconds (maximum) above which the stream's readers are falling behind. */
  readonly iteratorAgeMilliseconds: number;
  /** DeliveryToS3.DataFreshness (maximum, seconds) above which results are late in S3. */
  readonly deliveryFreshnessSeconds: number;
  /** The detector's LagMilliseconds (maximum) above which it is behind the tip of the stream. */
  readonly detectorLagMilliseconds: number;
  /** Malformed records the detector may skip in five minutes before alarming (0 = alarm on the first). */
  readonly malformedRecordsPer5Minutes: number;
  /** Minutes an ECS service may run fewer tasks than desired (deploys and restarts take a few). */
  readonly missingTaskMinutes: number;
}

export interface OperationsSettings {
  /** Build the alarms, the dashboard and the Athena table for this environment. */
  readonly enabled: boolean;
  /** Where alarm notifications go; without it the alarms still show on the dashboard, with no action. */
  readonly alarmEmail?: string;
  readonly thresholds: OperationsThresholds;
  /** Athena stops any query of the workgroup that would scan more than this (a cost guard). */
  readonly athenaBytesScannedCutoffPerQuery: number;
}

export const DEFAULT_OPERATIONS_THRESHOLDS: OperationsThresholds = {
  throttledPeriods: 5,
  // One minute: the detector polls each shard every second or so, so a minute behind is an incident.
  iteratorAgeMilliseconds: 60_000,
  // Firehose buffers up to 900 s (its maximum interval); results older than 15 min plus one buffer are late.
  deliveryFreshnessSeconds: 1_800,
  detectorLagMilliseconds: 60_000,
  malformedRecordsPer5Minutes: 0,
  missingTaskMinutes: 5,
};

/** Athena's minimum for BytesScannedCutoffPerQuery is 10 MB (Athena API Reference, WorkGroupConfiguration). */
export const ATHENA_MIN_BYTES_SCANNED_CUTOFF = 10_000_000;
const GIB = 1024 ** 3;

export const DEFAULT_OPERATIONS_SETTINGS: OperationsSettings = {
  enabled: true,
  thresholds: DEFAULT_OPERATIONS_THRESHOLDS,
  athenaBytesScannedCutoffPerQuery: 10 * GIB,
};

/** `field` is the dotted path of the setting, `detail` what is accepted and what was given. */
export class OperationsSettingsError extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field} ${detail}`);
    this.name = "OperationsSettingsError";
  }
}

// A deliberately loose check: one "@", no spaces, a dot in the domain. SNS confirms the address anyway.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Returns the settings unchanged or throws a one-line OperationsSettingsError naming the field
 * (prefixed with `path`, e.g. "environments.dev.operations") and what is accepted.
 */
export function validateOperationsSettings(settings: OperationsSettings, path = "operations"): OperationsSettings {
  const fail = (field: string, accepted: string, got: unknown): never => {
    throw new OperationsSettingsError(`${path}.${field}`, `must be ${accepted}, got ${JSON.stringify(got)}`);
  };
  if (typeof settings.enabled !== "boolean") fail("enabled", "true or false", settings.enabled);
  if (
    settings.alarmEmail !== undefined &&
    (typeof settings.alarmEmail !== "string" || !EMAIL.test(settings.alarmEmail))
  ) {
    fail("alarmEmail", "an e-mail address like ops@example.com, or left out", settings.alarmEmail);
  }
  const t = settings.thresholds;
  const integerIn = (field: keyof OperationsThresholds, min: number, max: number) => {
    const v = t[field];
    if (!Number.isInteger(v) || v < min || v > max) fail(`thresholds.${field}`, `an integer from ${min} to ${max}`, v);
  };
  // CloudWatch evaluates at most 24 hours of periods; 60 one-minute periods is a generous upper bound here.
  integerIn("throttledPeriods", 1, 60);
  integerIn("iteratorAgeMilliseconds", 1_000, 7 * 24 * 3_600_000);
  integerIn("deliveryFreshnessSeconds", 60, 24 * 3_600);
  integerIn("detectorLagMilliseconds", 1_000, 7 * 24 * 3_600_000);
  integerIn("malformedRecordsPer5Minutes", 0, Number.MAX_SAFE_INTEGER);
  integerIn("missingTaskMinutes", 1, 60);
  const cutoff = settings.athenaBytesScannedCutoffPerQuery;
  if (!Number.isInteger(cutoff) || cutoff < ATHENA_MIN_BYTES_SCANNED_CUTOFF) {
    fail(
      "athenaBytesScannedCutoffPerQuery",
      `an integer number of bytes >= ${ATHENA_MIN_BYTES_SCANNED_CUTOFF}`,
      cutoff,
    );
  }
  return settings;
}
