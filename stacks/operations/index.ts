export * from "./operations-settings";
export * from "./alarm-topic";
export * from "./pipeline-alarms";
export * from "./pipeline-dashboard";
export * from "./results-query";
