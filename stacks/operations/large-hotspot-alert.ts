/**
 * A rule on the hotspot event bus that sends large emerged hotspots to the alarm topic: an
 * `emerged` event whose `members` is at least the configured threshold. The rule is made first
 * (the alarm topic's policies name it), the target once the topic exists.
 */
import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { EVENTBRIDGE_MAX_EVENT_AGE_SECONDS, HOTSPOT_DETAIL_TYPES, HOTSPOT_EVENT_SOURCE } from "@hotspots/core";

/**
 * The event pattern: source and detail-type of an emerged hotspot, and a numeric match on the
 * member count ("Numeric matching", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html).
 */
export function largeEmergedHotspotPattern(minMembers: number): Record<string, unknown> {
  return {
    source: [HOTSPOT_EVENT_SOURCE],
    "detail-type": [HOTSPOT_DETAIL_TYPES.emerged],
    detail: { type: ["emerged"], members: [{ numeric: [">=", minMembers] }] },
  };
}

/**
 * What the topic's subscribers read: one line from the event's fields (an input transformer; a
 * template in quotes makes a string message, "Transforming target input",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
 */
export function largeHotspotMessage(busName: string): { inputPaths: Record<string, string>; inputTemplate: string } {
  return {
    inputPaths: { id: "$.detail.hotspotId", members: "$.detail.members", eventTime: "$.detail.eventTime" },
    inputTemplate: JSON.stringify(
      `Hotspot <id> emerged with <members> members (event time <eventTime>). Follow it on the EventBridge bus ${busName}.`,
    ),
  };
}

export interface LargeHotspotAlertProps {
  /** The rule name, e.g. `<prefix>-large-hotspots`. */
  readonly name: string;
  readonly busName: string;
  readonly minMembers: number;
}

export class LargeHotspotAlert extends Construct {
  public readonly rule: CloudwatchEventRule;
  public target?: CloudwatchEventTarget;
  private readonly busName: string;

  constructor(scope: Construct, id: string, props: LargeHotspotAlertProps) {
    super(scope, id);
    this.busName = props.busName;
    this.rule = new CloudwatchEventRule(this, "rule", {
      name: props.name,
      description: `Hotspots that emerge with at least ${props.minMembers} members, to the alarm topic`,
      eventBusName: props.busName,
      eventPattern: JSON.stringify(largeEmergedHotspotPattern(props.minMembers)),
    });
  }

  /** Sends the matched events to `topicArn`; the topic policy must allow this rule (AlarmTopic eventRuleArns). */
  notify(topicArn: string): CloudwatchEventTarget {
    // No role: SNS targets are authorized by the topic policy (EventBridge User Guide, "Using resource-based policies").
    this.target = new CloudwatchEventTarget(this, "target", {
      rule: this.rule.name,
      eventBusName: this.busName,
      targetId: "alarm-topic",
      arn: topicArn,
      inputTransformer: largeHotspotMessage(this.busName),
      // An alert a day late is no alert; failures show in the FailedInvocations alarm.
      retryPolicy: {
        maximumEventAgeInSeconds: Math.min(3_600, EVENTBRIDGE_MAX_EVENT_AGE_SECONDS),
        maximumRetryAttempts: 20,
      },
    });
    return this.target;
  }
}
