export * from "./exit-codes";
export * from "./user-error";
export * from "./run-cli";
export * from "./cli-args";
export * from "./atomic-output";
export * from "./line-guard";
export * from "./csv-lines";
export * from "./csv-input";
