export * from "./event-record";
export * from "./aws-limits";
export * from "./hotspots-parameters";
