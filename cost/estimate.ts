/**
 * Monthly cost of one environment, line by line, from typed inputs and the unit prices.
 * Pure: no config, no files, no network, so a test can check it against arithmetic done by hand.
 */
import { BILLING_UNITS, type UnitPrices } from "./prices";

export type StreamCapacity =
  | { readonly mode: "provisioned"; readonly shards: number; readonly retentionHours: number }
  | { readonly mode: "on-demand"; readonly retentionHours: number };

export interface RecordFlow {
  readonly name: string;
  readonly recordsPerSecond: number;
  /** Mean size of one record as sent, bytes. */
  readonly recordBytes: number;
  /** When set, the producer packs these records as lines into fewer, larger records (Firehose only). */
  readonly packing?: LinePacking;
}

/**
 * How a producer packs lines into one record each: lines joined by "\n", a record closed when the next
 * line would take it over `targetBytes`, and the partly filled record closed every `flushIntervalSeconds`
 * (the detector's FirehoseSink: at each checkpoint).
 */
export interface LinePacking {
  readonly targetBytes: number;
  readonly flushIntervalSeconds: number;
}

export interface FargateTasks {
  readonly name: string;
  readonly count: number;
  readonly vcpu: number;
  readonly memoryGB: number;
}

export interface StoredObjects {
  readonly name: string;
  /** Uncompressed bytes delivered per second. */
  readonly bytesPerSecond: number;
  /** Compressed size / uncompressed size (GZIP in Firehose). */
  readonly compressionRatio: number;
  /** Lifecycle expiry: the bucket holds this many days of objects once it is in steady state. */
  readonly keptDays: number;
}

/** Hotspot lifecycle events on the EventBridge bus, its archive and the events queue. */
export interface HotspotEventFlow {
  readonly eventsPerSecond: number;
  /** Bytes of one event as EventBridge counts a PutEvents entry (source, detail-type, detail). */
  readonly eventBytes: number;
  readonly archiveRetentionDays: number;
  /** SQS requests each event costs: EventBridge's SendMessage, the consumer's ReceiveMessage and DeleteMessage. */
  readonly queueRequestsPerEvent: number;
  /** Receives that find nothing: one consumer long-polling (20 s waits) all month. */
  readonly emptyReceivesPerMonth: number;
}

export interface CostInputs {
  readonly stream: StreamCapacity;
  /** What producers write into the stream. */
  readonly streamWrites: RecordFlow;
  /** Applications reading the whole stream (the engine, the archive delivery stream). */
  readonly streamConsumers: number;
  /** What each Firehose delivery stream ingests. */
  readonly deliveryStreams: readonly RecordFlow[];
  readonly fargate: readonly FargateTasks[];
  readonly storage: readonly StoredObjects[];
  /** Kinesis Data Analytics SQL; `included` false = shown for comparison, not in the total. */
  readonly kdaSql: { readonly kpus: number; readonly included: boolean };
  /** The hotspot event bus (engine "container"); absent = none. */
  readonly hotspotEvents?: HotspotEventFlow;
  /** The operations layer and the keys: metrics evaluated by alarms, dashboards, KMS keys. */
  readonly monitoring: { readonly alarmMetrics: number; readonly dashboards: number; readonly kmsKeys: number };
}

export interface CostLine {
  readonly service: string;
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPrice: number;
  readonly monthlyUSD: number;
  /** False for a comparison line that the total leaves out. */
  readonly included: boolean;
}

export interface CostEstimate {
  readonly lines: readonly CostLine[];
  readonly totalUSD: number;
  readonly notes: readonly string[];
  readonly prices: UnitPrices;
}

const SECONDS_PER_MONTH = BILLING_UNITS.hoursPerMonth * 3600;

export class CostInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "CostInputError";
  }
}

/** Records a flow sends in a month. */
export function recordsPerMonth(flow: RecordFlow): number {
  return flow.recordsPerSecond * SECONDS_PER_MONTH;
}

/** Billed GB of a flow whose every record is rounded up to `roundingBytes`. */
export function billedGB(flow: RecordFlow, roundingBytes: number): number {
  const billedBytesPerRecord = Math.ceil(flow.recordBytes / roundingBytes) * roundingBytes;
  return (recordsPerMonth(flow) * billedBytesPerRecord) / BILLING_UNITS.bytesPerGB;
}

/**
 * Billed GB and records per second of a flow of lines packed into records, each record rounded up to
 * `roundingBytes`, with lines of the mean size arriving at a steady rate. Per flush interval: n lines
 * make floor(n / k) full records of k lines (k = lines that fit in the target, separators counted) and
 * one partly filled record of the rest.
 */
export function packedBilling(
  flow: RecordFlow,
  packing: LinePacking,
  roundingBytes: number,
): { billedGB: number; recordsPerSecond: number } {
  const lineBytes = flow.recordBytes;
  const roundUp = (bytes: number) => Math.ceil(bytes / roundingBytes) * roundingBytes;
  const linesPerRecord = Math.max(1, Math.floor((packing.targetBytes + 1) / (lineBytes + 1)));
  const linesPerFlush = flow.recordsPerSecond * packing.flushIntervalSeconds;
  const fullRecords = Math.floor(linesPerFlush / linesPerRecord);
  const rest = linesPerFlush - fullRecords * linesPerRecord;
  const billedPerFlush =
    fullRecords * roundUp(linesPerRecord * (lineBytes + 1) - 1) + (rest > 0 ? roundUp(rest * (lineBytes + 1) - 1) : 0);
  const flushesPerMonth = SECONDS_PER_MONTH / packing.flushIntervalSeconds;
  return {
    billedGB: (billedPerFlush * flushesPerMonth) / BILLING_UNITS.bytesPerGB,
    recordsPerSecond: (fullRecords + (rest > 0 ? 1 : 0)) / packing.flushIntervalSeconds,
  };
}

export function estimateMonthlyCost(inputs: CostInputs, prices: UnitPrices): CostEstimate {
  validateInputs(inputs);
  const hours = BILLING_UNITS.hoursPerMonth;
  const lines: CostLine[] = [];
  const notes: string[] = [];
  const line = (service: string, item: string, quantity: number, unit: string, unitPrice: number, included = true) =>
    lines.push({ service, item, quantity, unit, unitPrice, monthlyUSD: quantity * unitPrice, included });

  const { stream, streamWrites } = inputs;
  const k = prices.kinesis;
  if (stream.mode === "provisioned") {
    line("Kinesis", `${stream.shards} shards, provisioned`, stream.shards * hours, "shard-hours", k.shardHour);
    const unitsPerRecord = Math.ceil(streamWrites.recordBytes / BILLING_UNITS.putPayloadUnitBytes);
    line(
      "Kinesis",
      "PUT payload units (25 KB)",
      (recordsPerMonth(streamWrites) * unitsPerRecord) / 1e6,
      "million units",
      k.putPayloadUnitsPerMillion,
    );
    if (stream.retentionHours > 24) {
      line(
        "Kinesis",
        `extended retention (${stream.retentionHours} h)`,
        stream.shards * hours,
        "shard-hours",
        k.extendedRetentionShardHour,
      );
    }
  } else {
    line("Kinesis", "on-demand stream", hours, "stream-hours", k.onDemandStreamHour);
    const inGB = billedGB(streamWrites, BILLING_UNITS.onDemandRecordRoundingBytes);
    line("Kinesis", "on-demand data in (1 KB rounding)", inGB, "GB", k.onDemandDataInPerGB);
    line(
      "Kinesis",
      `on-demand data out (${inputs.streamConsumers} readers)`,
      inGB * inputs.streamConsumers,
      "GB",
      k.onDemandDataOutPerGB,
    );
    if (stream.retentionHours > 24)
      notes.push("On-demand retention beyond 24 h is billed per GB-month and is not estimated here.");
  }
  if (stream.retentionHours > BILLING_UNITS.extendedRetentionMaxHours) {
    notes.push(
      `Retention beyond ${BILLING_UNITS.extendedRetentionMaxHours} h is long-term retention, billed per GB-month, not estimated here.`,
    );
  }

  for (const delivery of inputs.deliveryStreams) {
    const rounding = BILLING_UNITS.firehoseRecordRoundingBytes;
    const packed = delivery.packing && packedBilling(delivery, delivery.packing, rounding);
    const gb = packed ? packed.billedGB : billedGB(delivery, rounding);
    const how = delivery.packing ? "packed lines, 5 KB rounding" : "5 KB rounding";
    line("Firehose", `${delivery.name} ingested (${how})`, gb, "GB", prices.firehose.ingestedPerGB);
    if (gb > BILLING_UNITS.firehoseFirstTierGB)
      notes.push(`${delivery.name} passes Firehose's first 500 TB tier; later tiers are cheaper.`);
    if (packed && delivery.packing && delivery.recordsPerSecond > 0) {
      const realGB = (recordsPerMonth(delivery) * (delivery.recordBytes + 1)) / BILLING_UNITS.bytesPerGB;
      notes.push(
        `${delivery.name}: ${delivery.recordsPerSecond} lines/s of ${Math.round(delivery.recordBytes)} B go out as ${round2(packed.recordsPerSecond)} records/s ` +
          `of up to ${formatKiB(delivery.packing.targetBytes)} (sent when full or every ${delivery.packing.flushIntervalSeconds} s), billed ${round2((gb / realGB - 1) * 100)} % above the bytes delivered.`,
      );
    } else if (delivery.recordBytes < rounding / 2 && delivery.recordsPerSecond > 0) {
      notes.push(
        `${delivery.name}: records of ${Math.round(delivery.recordBytes)} B are billed as 5 KB each; fewer, larger records (several lines in one) would cut this line.`,
      );
    }
  }

  for (const task of inputs.fargate) {
    if (task.count === 0) continue;
    line(
      "Fargate",
      `${task.name}: ${task.count} x ${task.vcpu} vCPU`,
      task.count * task.vcpu * hours,
      "vCPU-hours",
      prices.fargate.vcpuHour,
    );
    line(
      "Fargate",
      `${task.name}: ${task.count} x ${task.memoryGB} GB`,
      task.count * task.memoryGB * hours,
      "GB-hours",
      prices.fargate.gbHour,
    );
  }

  for (const stored of inputs.storage) {
    const gb = (stored.bytesPerSecond * stored.compressionRatio * 86_400 * stored.keptDays) / BILLING_UNITS.bytesPerGB;
    line(
      "S3",
      `${stored.name}, ${stored.keptDays} days kept (steady state)`,
      gb,
      "GB-months",
      prices.s3.standardGBMonth,
    );
  }

  line(
    "KDA SQL",
    inputs.kdaSql.included ? `${inputs.kdaSql.kpus} KPU` : `${inputs.kdaSql.kpus} KPU (comparison, not in total)`,
    inputs.kdaSql.kpus * hours,
    "KPU-hours",
    prices.kdaSql.kpuHour,
    inputs.kdaSql.included,
  );

  const events = inputs.hotspotEvents;
  if (events) {
    const perMonth = events.eventsPerSecond * SECONDS_PER_MONTH;
    const chunks = (bytes: number, chunk: number) => Math.max(1, Math.ceil(bytes / chunk));
    const eb = prices.eventbridge;
    line(
      "EventBridge",
      "hotspot events put (64 KB chunks)",
      (perMonth * chunks(events.eventBytes, BILLING_UNITS.eventBridgeChunkBytes)) / 1e6,
      "million events",
      eb.customEventsPerMillion,
    );
    const archivedGB = (perMonth * events.eventBytes) / BILLING_UNITS.bytesPerGB;
    line("EventBridge", "archive: events written", archivedGB, "GB", eb.archiveProcessedPerGB);
    const keptGB =
      (events.eventsPerSecond * 86_400 * events.archiveRetentionDays * events.eventBytes) / BILLING_UNITS.bytesPerGB;
    line(
      "EventBridge",
      `archive: ${events.archiveRetentionDays} days kept (steady state)`,
      keptGB,
      "GB-months",
      eb.archiveStorageGBMonth,
    );
    const requests =
      perMonth * events.queueRequestsPerEvent * chunks(events.eventBytes, BILLING_UNITS.sqsChunkBytes) +
      events.emptyReceivesPerMonth;
    line(
      "SQS",
      "events queue: send, receive, delete, empty receives",
      requests / 1e6,
      "million requests",
      prices.sqs.standardRequestsPerMillion,
    );
  }

  const m = inputs.monitoring;
  if (m.alarmMetrics > 0)
    line(
      "CloudWatch",
      "alarms (standard resolution)",
      m.alarmMetrics,
      "alarm metrics",
      prices.cloudwatch.alarmMetricMonth,
    );
  if (m.dashboards > 0)
    line(
      "CloudWatch",
      "dashboard (beyond the free three)",
      m.dashboards,
      "dashboards",
      prices.cloudwatch.dashboardMonth,
    );
  if (m.kmsKeys > 0) line("KMS", "customer managed keys", m.kmsKeys, "keys", prices.kms.keyMonth);

  const totalUSD = lines.filter((l) => l.included).reduce((sum, l) => sum + l.monthlyUSD, 0);
  return { lines, totalUSD, notes, prices };
}

function formatKiB(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} B`;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function validateInputs(inputs: CostInputs): void {
  const nonNegative = (field: string, value: number) => {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new CostInputError(field, `${field} must be a finite number >= 0, got ${JSON.stringify(value)}`);
    }
  };
  if (inputs.stream.mode === "provisioned") nonNegative("stream.shards", inputs.stream.shards);
  nonNegative("stream.retentionHours", inputs.stream.retentionHours);
  for (const [field, flow] of [
    ["streamWrites", inputs.streamWrites],
    ...inputs.deliveryStreams.map((d, i) => [`deliveryStreams[${i}]`, d] as const),
  ] as const) {
    nonNegative(`${field}.recordsPerSecond`, flow.recordsPerSecond);
    nonNegative(`${field}.recordBytes`, flow.recordBytes);
    if (flow.packing && !(flow.packing.targetBytes >= 1 && flow.packing.flushIntervalSeconds > 0)) {
      throw new CostInputError(
        `${field}.packing`,
        `${field}.packing needs targetBytes >= 1 and flushIntervalSeconds > 0, got ${JSON.stringify(flow.packing)}`,
      );
    }
  }
  nonNegative("streamConsumers", inputs.streamConsumers);
  inputs.fargate.forEach((t, i) => {
    nonNegative(`fargate[${i}].count`, t.count);
    nonNegative(`fargate[${i}].vcpu`, t.vcpu);
    nonNegative(`fargate[${i}].memoryGB`, t.memoryGB);
  });
  inputs.storage.forEach((s, i) => {
    nonNegative(`storage[${i}].bytesPerSecond`, s.bytesPerSecond);
    nonNegative(`storage[${i}].keptDays`, s.keptDays);
    if (!(s.compressionRatio > 0 && s.compressionRatio <= 1)) {
      throw new CostInputError(
        `storage[${i}].compressionRatio`,
        `storage[${i}].compressionRatio must be in (0, 1], got ${JSON.stringify(s.compressionRatio)}`,
      );
    }
  });
  if (inputs.hotspotEvents) {
    for (const field of [
      "eventsPerSecond",
      "eventBytes",
      "archiveRetentionDays",
      "queueRequestsPerEvent",
      "emptyReceivesPerMonth",
    ] as const) {
      nonNegative(`hotspotEvents.${field}`, inputs.hotspotEvents[field]);
    }
  }
  nonNegative("kdaSql.kpus", inputs.kdaSql.kpus);
  nonNegative("monitoring.alarmMetrics", inputs.monitoring.alarmMetrics);
  nonNegative("monitoring.dashboards", inputs.monitoring.dashboards);
  nonNegative("monitoring.kmsKeys", inputs.monitoring.kmsKeys);
}
