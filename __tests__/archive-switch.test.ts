/**
 * `archive.enabled: false`: the raw-event archive is gone from the data stack, the operations
 * stack and the cost estimate, and nothing else changes; a non-boolean is refused at synth.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError, type EnvironmentConfig, resolveConfig } from "../stacks/config";
import { REPO_ROOT } from "../stacks/paths";
import { costInputsFromConfig, operationsMonitoring } from "../cost/config-inputs";
import { estimateMonthlyCost } from "../cost/estimate";
import { renderCostTable } from "../cost/format";
import { US_EAST_1_PRICES } from "../cost/prices";
import { measureRecords } from "../cost/record-size";
import {
  onlyResource,
  outputNames,
  resourcesOf,
  type SynthesizedApp,
  type SynthesizedStack,
  synthApp,
  type TfJson,
} from "./helpers/synth-app";

const withArchive = (enabled: boolean) => resolveConfig("dev", {}, { archive: { enabled } });
const off = withArchive(false);
const on = resolveConfig("dev", {});

let app: SynthesizedApp;
let data: SynthesizedStack;
let ops: SynthesizedStack;

beforeAll(() => {
  app = synthApp([off]);
  data = app.stacks["hotspots-dev-data"];
  ops = app.stacks["hotspots-dev-operations"];
});
afterAll(() => app?.cleanup());

describe("the archive.enabled setting", () => {
  it("is on by default in dev and prod", () => {
    expect(on.archive).toEqual({ enabled: true });
    expect(resolveConfig("prod", {}).archive).toEqual({ enabled: true });
  });

  it.each([["yes"], [undefined], [1]])("refuses %p with a one-line error naming archive.enabled", (value) => {
    const bad = { archive: { enabled: value } } as unknown as Partial<EnvironmentConfig>;
    expect(() => resolveConfig("dev", {}, bad)).toThrow(ConfigError);
    expect(() => resolveConfig("dev", {}, bad)).toThrow(/^archive\.enabled: must be true or false, got /);
  });
});

describe("the data stack without the archive", () => {
  it("has exactly one delivery stream, the results one", () => {
    expect(onlyResource(data, "aws_kinesis_firehose_delivery_stream").name).toBe(`${off.prefix}-delivery`);
  });

  it("has no archive role, log group or output, and leaves the raw/ lifecycle rules as they are", () => {
    const named = (type: string) => Object.values(resourcesOf(data, type)).map((r) => String(r.name));
    expect(named("aws_iam_role").filter((n) => n.includes("archive"))).toEqual([]);
    expect(named("aws_iam_role")).toContain(`${off.prefix}-delivery`);
    expect(named("aws_cloudwatch_log_group")).toEqual([`/aws/kinesisfirehose/${off.prefix}-delivery`]);
    expect(outputNames(data)).not.toContain("archive_stream_name");
    expect(data.text).toContain('"expire-raw-events"');

    const stack = app.environments[0].data;
    expect([stack.archive, stack.archiveRole, stack.archiveLogGroup]).toEqual([undefined, undefined, undefined]);
  });
});

describe("the operations stack without the archive", () => {
  const alarms = () => Object.values(resourcesOf(ops, "aws_cloudwatch_metric_alarm"));

  it("has no alarm naming the archive, and still the delivery stream's", () => {
    const texts = alarms().map((a) => JSON.stringify(a));
    expect(texts.filter((t) => /archive/i.test(t))).toEqual([]);
    const names = alarms().map((a) => a.alarm_name);
    expect(names).toEqual(
      expect.arrayContaining([`${off.prefix}-delivery-freshness`, `${off.prefix}-delivery-failing`]),
    );
  });

  it("has no dashboard widget naming the archive", () => {
    const body = String(onlyResource(ops, "aws_cloudwatch_dashboard").dashboard_body);
    expect(body).toContain(`${off.prefix}-delivery`);
    expect(body).not.toMatch(/archive/i);
  });

  it("evaluates as many alarm metrics as the cost estimate counts", () => {
    const metrics = alarms().reduce(
      (n, a) => n + (a.metric_name ? 1 : (a.metric_query as TfJson[]).filter((q) => q.metric).length),
      0,
    );
    expect(metrics).toBe(operationsMonitoring(true, false).alarmMetrics);
    expect(metrics).toBe(operationsMonitoring(true).alarmMetrics - 2);
  });
});

describe("the cost estimate without the archive", () => {
  const measured = measureRecords(readFileSync(resolve(REPO_ROOT, off.sourceDataFile), "utf8"), off.sourceDataFile);
  const report = (config: EnvironmentConfig) => {
    const { inputs, assumptions } = costInputsFromConfig(config, measured, { records: 40_000, events: 80 });
    const estimate = estimateMonthlyCost(inputs, US_EAST_1_PRICES);
    return { inputs, estimate, table: renderCostTable("dev", estimate, assumptions) };
  };

  it("has no archive line, one stream reader less and a lower total", () => {
    const without = report(off);
    const withIt = report(on);
    // The raw-event archive's lines and notes; the hotspot event bus has an archive of its own ("EventBridge | archive: ...").
    const rawArchive = /raw event archive|-archive ingested|-archive:|raw events/;
    expect(withIt.table).toMatch(rawArchive);
    expect(without.table).not.toMatch(rawArchive);
    expect(without.table.split("\n").filter((l) => /archive/.test(l) && !l.startsWith("| EventBridge"))).toEqual([]);
    expect(without.inputs.streamConsumers).toBe(withIt.inputs.streamConsumers - 1);
    expect(without.inputs.deliveryStreams.map((d) => d.name)).toEqual([`${off.prefix}-delivery`]);
    expect(without.estimate.totalUSD).toBeLessThan(withIt.estimate.totalUSD - 150);
  });
});
