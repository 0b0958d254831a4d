// The constructs and settings; the stack itself is imported from ./operations-stack (it depends on the other stacks).
export * from "./operations-settings";
export * from "./alarm-topic";
export * from "./pipeline-alarms";
export * from "./pipeline-dashboard";
export * from "./results-query";
export * from "./athena-results";
