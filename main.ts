/**
 * The CDK for Terraform app: every environment's stacks, from the typed config in stacks/config.ts.
 * `HOTSPOTS_ENGINE=kda-sql|container` overrides the engine of every environment at synth.
 */
import { App } from "cdktf";
import { ConfigError, ENVIRONMENT_NAMES, resolveConfig, validateEnvironments } from "./stacks/config";
import { createEnvironmentStacks } from "./stacks/environment";

function main(): void {
  const app = new App();
  const configs = ENVIRONMENT_NAMES.map((name) => resolveConfig(name, process.env));
  validateEnvironments(configs);
  for (const config of configs) createEnvironmentStacks(app, config);
  app.synth();
}

try {
  main();
} catch (err) {
  // A bad setting is a one-line message naming the field, not a stack trace.
  if (err instanceof ConfigError) {
    console.error(`Invalid configuration: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
