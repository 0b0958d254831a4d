import {
  DEFAULT_OPERATIONS_SETTINGS,
  type OperationsSettings,
  OperationsSettingsError,
  validateOperationsSettings,
} from "../stacks/operations";

function withThreshold(field: string, value: unknown): OperationsSettings {
  return { ...DEFAULT_OPERATIONS_SETTINGS, thresholds: { ...DEFAULT_OPERATIONS_SETTINGS.thresholds, [field]: value } };
}

function errorOf(settings: OperationsSettings): OperationsSettingsError {
  try {
    validateOperationsSettings(settings, "environments.dev.operations");
  } catch (err) {
    if (err instanceof OperationsSettingsError) return err;
    throw err;
  }
  throw new Error("settings were accepted");
}

describe("validateOperationsSettings", () => {
  it("accepts the defaults, with or without an alarm e-mail", () => {
    expect(validateOperationsSettings(DEFAULT_OPERATIONS_SETTINGS)).toBe(DEFAULT_OPERATIONS_SETTINGS);
    const withEmail = { ...DEFAULT_OPERATIONS_SETTINGS, alarmEmail: "oncall@example.org" };
    expect(validateOperationsSettings(withEmail)).toBe(withEmail);
  });

  it.each([
    ["throttledPeriods", 0, "an integer from 1 to 60"],
    ["throttledPeriods", 2.5, "an integer from 1 to 60"],
    ["iteratorAgeMilliseconds", 10, "an integer from 1000 to"],
    ["deliveryFreshnessSeconds", 30, "an integer from 60 to 86400"],
    ["detectorLagMilliseconds", -1, "an integer from 1000 to"],
    ["malformedRecordsPer5Minutes", -1, "an integer from 0 to"],
    ["missingTaskMinutes", 61, "an integer from 1 to 60"],
  ])("names thresholds.%s = %p and what is accepted", (field, value, accepted) => {
    const err = errorOf(withThreshold(field, value));
    expect(err.field).toBe(`environments.dev.operations.thresholds.${field}`);
    expect(err.message).toContain(`environments.dev.operations.thresholds.${field} must be ${accepted}`);
    expect(err.message).toContain(`got ${JSON.stringify(value)}`);
    expect(err.message).not.toContain("\n");
  });

  it("names a malformed alarm e-mail", () => {
    const err = errorOf({ ...DEFAULT_OPERATIONS_SETTINGS, alarmEmail: "ops at example" });
    expect(err.field).toBe("environments.dev.operations.alarmEmail");
    expect(err.message).toMatch(/must be an e-mail address/);
  });

  it("refuses an Athena scan cutoff under Athena's 10 MB minimum", () => {
    const err = errorOf({ ...DEFAULT_OPERATIONS_SETTINGS, athenaBytesScannedCutoffPerQuery: 1_000 });
    expect(err.field).toBe("environments.dev.operations.athenaBytesScannedCutoffPerQuery");
    expect(err.message).toContain(">= 10000000");
  });

  it("refuses a non-boolean enabled", () => {
    const err = errorOf({ ...DEFAULT_OPERATIONS_SETTINGS, enabled: "yes" as unknown as boolean });
    expect(err.field).toBe("environments.dev.operations.enabled");
  });
});
