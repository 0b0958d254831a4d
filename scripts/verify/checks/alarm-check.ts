import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  SetAlarmStateCommand,
  type AlarmHistoryItem,
  type MetricAlarm,
} from "@aws-sdk/client-cloudwatch";
import { fail, pass, pollUntil, type Check, type CheckOutcome, type VerifyContext } from "../check";

/** CloudWatch runs an alarm's SNS action within seconds of the state change. */
export const ALARM_ACTION_TIMEOUT_SECONDS = 90;
const POLL_MS = 5_000;
/** Slack for the difference between this machine's clock and CloudWatch's history timestamps. */
const CLOCK_SLACK_MS = 5_000;

/**
 * What an Action history item says. The API reference (AlarmHistoryItem) documents only that
 * HistorySummary is text and HistoryData JSON; CloudWatch writes "Successfully executed action
 * <arn>" or "Failed to execute action <arn>. Reason: ..." and HistoryData.actionState
 * "Succeeded" / "Failed", as alarm histories published by users show. Both are read.
 */
export function actionResult(item: AlarmHistoryItem, topicArn: string): "succeeded" | "failed" | undefined {
  const summary = item.HistorySummary ?? "";
  let state: string | undefined;
  try {
    state = JSON.parse(item.HistoryData ?? "{}").actionState;
  } catch {
    state = undefined;
  }
  const aboutTopic = summary.includes(topicArn) || (item.HistoryData ?? "").includes(topicArn);
  if (!aboutTopic) return undefined;
  if (state === "Succeeded" || summary.startsWith("Successfully executed action")) return "succeeded";
  if (state === "Failed" || summary.startsWith("Failed to execute action")) return "failed";
  return undefined;
}

/** An alarm of this environment (it notifies the environment's topic), not in ALARM, by name. */
export function pickAlarm(alarms: readonly MetricAlarm[], topicArn: string): MetricAlarm | undefined {
  const ours = alarms.filter((a) => (a.AlarmActions ?? []).includes(topicArn) && a.StateValue !== "ALARM");
  const byName = (a: MetricAlarm, b: MetricAlarm) => (a.AlarmName ?? "").localeCompare(b.AlarmName ?? "");
  return [
    ...ours.filter((a) => a.StateValue === "OK").sort(byName),
    ...ours.filter((a) => a.StateValue !== "OK").sort(byName),
  ][0];
}

async function environmentAlarms(context: VerifyContext): Promise<MetricAlarm[]> {
  const alarms: MetricAlarm[] = [];
  let token: string | undefined;
  do {
    const page = await context.clients.cloudwatch.send(
      new DescribeAlarmsCommand({
        AlarmNamePrefix: `${context.config.prefix}-`,
        AlarmTypes: ["MetricAlarm"],
        NextToken: token,
      }),
    );
    alarms.push(...(page.MetricAlarms ?? []));
    token = page.NextToken;
  } while (token);
  return alarms;
}

/** One alarm set to ALARM shows a successful SNS action in its history; it is set back to OK after. */
export const alarmCheck: Check = {
  name: "alarm",
  plan: [
    "CloudWatch DescribeAlarms <prefix>-*: one alarm whose actions notify <alarm_topic_arn>, in OK (or INSUFFICIENT_DATA)",
    'CloudWatch SetAlarmState ALARM, reason "npm run verify <run id>: ..."',
    `CloudWatch DescribeAlarmHistory Action items until one for the topic succeeded (up to ${ALARM_ACTION_TIMEOUT_SECONDS} s)`,
    "CloudWatch SetAlarmState OK (always, also when the history shows nothing)",
  ],
  async run(context): Promise<CheckOutcome> {
    const { clients, names, runId } = context;
    const topic = names.alarmTopicArn;
    if (topic === undefined) return pass("no alarms (operations.enabled is false)");
    const alarms = await environmentAlarms(context);
    const alarm = pickAlarm(alarms, topic);
    if (!alarm?.AlarmName) {
      const inAlarm = alarms.filter((a) => a.StateValue === "ALARM").map((a) => a.AlarmName);
      return fail(
        inAlarm.length > 0
          ? `every alarm notifying ${topic} is in ALARM (${inAlarm.join(", ")}): look at those first`
          : `no alarm named ${context.config.prefix}-* notifies ${topic}`,
      );
    }
    const alarmName = alarm.AlarmName;
    const setAt = context.now();
    await clients.cloudwatch.send(
      new SetAlarmStateCommand({
        AlarmName: alarmName,
        StateValue: "ALARM",
        StateReason: `npm run verify ${runId}: testing that this alarm's notification reaches its topic`,
      }),
    );
    try {
      const result = await pollUntil(context, ALARM_ACTION_TIMEOUT_SECONDS * 1000, POLL_MS, async () => {
        const { AlarmHistoryItems } = await clients.cloudwatch.send(
          new DescribeAlarmHistoryCommand({
            AlarmName: alarmName,
            HistoryItemType: "Action",
            StartDate: new Date(setAt - CLOCK_SLACK_MS),
            ScanBy: "TimestampDescending",
          }),
        );
        for (const item of AlarmHistoryItems ?? []) {
          const outcome = actionResult(item, topic);
          if (outcome) return { outcome, summary: item.HistorySummary ?? "" };
        }
        return undefined;
      });
      if (!result)
        return fail(
          `${alarmName}: no action in its history ${ALARM_ACTION_TIMEOUT_SECONDS} s after SetAlarmState ALARM`,
        );
      return result.outcome === "succeeded"
        ? pass(`${alarmName}: ALARM notified the topic ("${result.summary}"); set back to OK`)
        : fail(`${alarmName}: "${result.summary}": check the topic's key policy and subscriptions`);
    } finally {
      await clients.cloudwatch.send(
        new SetAlarmStateCommand({
          AlarmName: alarmName,
          StateValue: "OK",
          StateReason: `npm run verify ${runId}: test over`,
        }),
      );
    }
  },
};
