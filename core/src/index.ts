export * from "./event-record";
export * from "./aws-limits";
export * from "./hotspots-parameters";
export * from "./kinesis-client";
export * from "./embedded-kinesis";
export * from "./detector-metrics";
export * from "./batched-put";
export * from "./seeded-random";
