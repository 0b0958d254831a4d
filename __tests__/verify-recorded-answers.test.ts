/**
 * verify's AWS-only checks (ECS, CloudWatch, Athena) with the real SDK clients against a
 * loopback endpoint answering recorded JSON: what they ask, and how they judge the answers.
 */
import { alarmCheck, actionResult, pickAlarm } from "../scripts/verify/checks/alarm-check";
import { athenaCheck } from "../scripts/verify/checks/athena-check";
import { lagMetricCheck } from "../scripts/verify/checks/lag-metric-check";
import { serviceCheck } from "../scripts/verify/checks/services-check";
import { recorded, startRecordedAws, type RecordedAws } from "./helpers/recorded-aws";
import { DEV, DEV_NAMES, testContext, TOPIC, type TestContext } from "./helpers/verify-context";

let aws: RecordedAws;
let context: TestContext;

beforeAll(async () => {
  aws = await startRecordedAws();
  context = testContext({ ecs: aws.endpoint, cloudwatch: aws.endpoint, athena: aws.endpoint });
});
afterAll(async () => {
  context.destroy();
  await aws.close();
});

const service = (name: string) => ({ cluster: DEV_NAMES.clusterName, service: name });

describe("services", () => {
  it("pass when the service runs its desired, configured count, asking ECS for it in the cluster", async () => {
    aws.answer({ DescribeServices: recorded("ecs-describe-services-steady", service(DEV_NAMES.detectorService!)) });
    const outcome = await serviceCheck("detector").run(context);
    expect(outcome).toEqual({
      ok: true,
      detail: "ubiquitous-octo-spoon-detector: 1 running, 1 desired, 0 pending (configured: 1)",
    });
    expect(aws.requests).toEqual([
      {
        operation: "DescribeServices",
        body: { cluster: DEV_NAMES.clusterName, services: [DEV_NAMES.detectorService] },
      },
    ]);
  });

  it("fail with the rollout state and the latest event when the tasks do not start", async () => {
    aws.answer({
      DescribeServices: recorded("ecs-describe-services-failed-rollout", service(DEV_NAMES.simulatorService)),
    });
    const outcome = await serviceCheck("simulator").run(context);
    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toBe(
      "ubiquitous-octo-spoon-simulator: 0 running, 1 desired, 0 pending (configured: 1), rollout FAILED; " +
        "latest event: (service ubiquitous-octo-spoon-simulator) deployment ecs-svc/1840712212581364710 deployment failed: tasks failed to start.",
    );
  });

  it("fail naming ECS's reason when the service is missing", async () => {
    aws.answer({ DescribeServices: recorded("ecs-describe-services-missing", service(DEV_NAMES.detectorService!)) });
    expect(await serviceCheck("detector").run(context)).toEqual({
      ok: false,
      detail: "ubiquitous-octo-spoon-detector not found in ubiquitous-octo-spoon-cluster: MISSING",
    });
  });

  it("fail when the desired count is not the configured one", async () => {
    const prod = { ...DEV, simulator: { ...DEV.simulator, desiredCount: 0 } };
    aws.answer({ DescribeServices: recorded("ecs-describe-services-steady", service(DEV_NAMES.simulatorService)) });
    const outcome = await serviceCheck("simulator").run({ ...context, config: prod });
    expect(outcome).toMatchObject({
      ok: false,
      detail: expect.stringContaining("(configured: 0): the desired count was changed outside Terraform"),
    });
  });
});

describe("lag metric", () => {
  it("asks for the detector's LagMilliseconds of the stream over the last 15 minutes and passes with datapoints", async () => {
    aws.answer({ GetMetricData: recorded("cloudwatch-get-metric-data") });
    const outcome = await lagMetricCheck.run(context);
    expect(outcome).toEqual({ ok: true, detail: "LagMilliseconds: 3 datapoints in the last 15 min, latest 850 ms" });
    const [request] = aws.requests;
    expect(request.operation).toBe("GetMetricData");
    expect(request.body.MetricDataQueries).toEqual([
      {
        Id: "lag",
        MetricStat: {
          Metric: {
            Namespace: "Hotspots/Detector",
            MetricName: "LagMilliseconds",
            Dimensions: [{ Name: "StreamName", Value: DEV_NAMES.streamName }],
          },
          Period: 60,
          Stat: "Maximum",
        },
      },
    ]);
    expect((request.body.EndTime as number) - (request.body.StartTime as number)).toBe(15 * 60);
  });

  it("fails when there is no datapoint", async () => {
    aws.answer({ GetMetricData: recorded("cloudwatch-get-metric-data-empty") });
    expect(await lagMetricCheck.run(context)).toMatchObject({
      ok: false,
      detail: expect.stringContaining("no Hotspots/Detector LagMilliseconds for ubiquitous-octo-spoon-stream"),
    });
  });
});

describe("athena", () => {
  const values = {
    workgroup: DEV_NAMES.athenaWorkgroup!,
    database: "ubiquitous_octo_spoon_results",
    query: "SELECT density FROM hotspot",
  };
  const common = {
    ListNamedQueries: recorded("athena-list-named-queries"),
    BatchGetNamedQuery: recorded("athena-batch-get-named-query", values),
    StartQueryExecution: recorded("athena-start-query-execution"),
    GetQueryResults: recorded("athena-get-query-results"),
  };

  it("runs the saved query in the workgroup, waits for it and passes when it succeeds", async () => {
    aws.answer({
      ...common,
      GetQueryExecution: [
        recorded("athena-get-query-execution-running", values),
        recorded("athena-get-query-execution-succeeded", values),
      ],
    });
    const outcome = await athenaCheck.run(context);
    expect(outcome).toEqual({
      ok: true,
      detail:
        '"densest-hotspots-last-hour" SUCCEEDED in 2.4 s, 1048576 bytes scanned, 1 rows (query c0ffee00-1234-4abc-8def-0123456789ab)',
    });
    expect(aws.requests.map((r) => r.operation)).toEqual([
      "ListNamedQueries",
      "BatchGetNamedQuery",
      "StartQueryExecution",
      "GetQueryExecution",
      "GetQueryExecution",
      "GetQueryResults",
    ]);
    expect(aws.requests[0].body).toMatchObject({ WorkGroup: values.workgroup });
    expect(aws.requests[2].body).toMatchObject({
      QueryString: values.query,
      WorkGroup: values.workgroup,
      QueryExecutionContext: { Database: values.database },
    });
  });

  it("fails with Athena's reason when the query fails", async () => {
    aws.answer({ ...common, GetQueryExecution: recorded("athena-get-query-execution-failed", values) });
    expect(await athenaCheck.run(context)).toEqual({
      ok: false,
      detail:
        "query c0ffee00-1234-4abc-8def-0123456789ab FAILED: TABLE_NOT_FOUND: line 4:8: Table 'awsdatacatalog.ubiquitous_octo_spoon_results.hotspots' does not exist",
    });
  });

  it("fails after its timeout when the query keeps running", async () => {
    aws.answer({ ...common, GetQueryExecution: recorded("athena-get-query-execution-running", values) });
    const before = context.slept();
    expect(await athenaCheck.run(context)).toMatchObject({
      ok: false,
      detail: "query c0ffee00-1234-4abc-8def-0123456789ab still running after 180 s",
    });
    expect(context.slept() - before).toBeLessThanOrEqual(180_000);
  });
});

describe("alarm", () => {
  const alarm = "ubiquitous-octo-spoon-stream-iterator-age";
  const alarms = recorded("cloudwatch-describe-alarms", {
    prefix: DEV.prefix,
    topic: TOPIC,
    otherTopic: `${TOPIC}-prod`,
  });
  const history = (kind: string) =>
    recorded(`cloudwatch-describe-alarm-history-${kind}`, { alarm, topic: TOPIC, timestamp: Date.now() / 1000 });

  it("sets an OK alarm of this environment to ALARM, finds the successful action, and sets it back to OK", async () => {
    aws.answer({
      DescribeAlarms: alarms,
      SetAlarmState: recorded("cloudwatch-empty"),
      DescribeAlarmHistory: [history("empty"), history("succeeded")],
    });
    const outcome = await alarmCheck.run(context);
    expect(outcome).toEqual({
      ok: true,
      detail: `${alarm}: ALARM notified the topic ("Successfully executed action ${TOPIC}"); set back to OK`,
    });
    const sets = aws.requests
      .filter((r) => r.operation === "SetAlarmState")
      .map((r) => [r.body.AlarmName, r.body.StateValue]);
    expect(sets).toEqual([
      [alarm, "ALARM"],
      [alarm, "OK"],
    ]);
    expect(aws.requests.find((r) => r.operation === "SetAlarmState")!.body.StateReason).toContain(context.runId);
    expect(aws.requests.find((r) => r.operation === "DescribeAlarms")!.body).toMatchObject({
      AlarmNamePrefix: `${DEV.prefix}-`,
    });
    expect(aws.requests.find((r) => r.operation === "DescribeAlarmHistory")!.body).toMatchObject({
      AlarmName: alarm,
      HistoryItemType: "Action",
    });
  });

  it("fails with the action's error, and still sets the alarm back to OK", async () => {
    aws.answer({
      DescribeAlarms: alarms,
      SetAlarmState: recorded("cloudwatch-empty"),
      DescribeAlarmHistory: history("failed"),
    });
    const outcome = await alarmCheck.run(context);
    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toContain("does not have authorization to access the SNS topic encryption key");
    expect(aws.requests.filter((r) => r.operation === "SetAlarmState").map((r) => r.body.StateValue)).toEqual([
      "ALARM",
      "OK",
    ]);
  });

  it("fails when no action shows up in time, and still sets the alarm back to OK", async () => {
    aws.answer({
      DescribeAlarms: alarms,
      SetAlarmState: recorded("cloudwatch-empty"),
      DescribeAlarmHistory: history("empty"),
    });
    expect(await alarmCheck.run(context)).toEqual({
      ok: false,
      detail: `${alarm}: no action in its history 90 s after SetAlarmState ALARM`,
    });
    expect(aws.requests.filter((r) => r.operation === "SetAlarmState").map((r) => r.body.StateValue)).toEqual([
      "ALARM",
      "OK",
    ]);
  });

  it("picks only alarms that notify this environment's topic and are not in ALARM", () => {
    const all = [
      { AlarmName: "a-prod", AlarmActions: [`${TOPIC}-prod`], StateValue: "OK" as const },
      { AlarmName: "b-real", AlarmActions: [TOPIC], StateValue: "ALARM" as const },
      { AlarmName: "c-new", AlarmActions: [TOPIC], StateValue: "INSUFFICIENT_DATA" as const },
      { AlarmName: "d-ok", AlarmActions: [TOPIC], StateValue: "OK" as const },
    ];
    expect(pickAlarm(all, TOPIC)?.AlarmName).toBe("d-ok");
    expect(pickAlarm(all.slice(0, 3), TOPIC)?.AlarmName).toBe("c-new");
    expect(pickAlarm(all.slice(0, 2), TOPIC)).toBeUndefined();
  });

  it("reads an action item by its summary or its data, and only for the topic", () => {
    expect(actionResult({ HistorySummary: `Successfully executed action ${TOPIC}` }, TOPIC)).toBe("succeeded");
    expect(
      actionResult(
        {
          HistorySummary: "something",
          HistoryData: JSON.stringify({ actionState: "Failed", notificationResource: TOPIC }),
        },
        TOPIC,
      ),
    ).toBe("failed");
    expect(
      actionResult({ HistorySummary: "Successfully executed action arn:aws:sns:us-east-1:1:other" }, TOPIC),
    ).toBeUndefined();
  });
});
