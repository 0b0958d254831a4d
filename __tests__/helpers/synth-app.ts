/**
 * Synthesizes the real app (every stack of the given environments, with cross-stack references
 * resolved) into a temporary folder, and reads back each stack's cdk.tf.json and the annotations.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import type { EnvironmentConfig } from "../../stacks/config";
import { createEnvironmentStacks, type EnvironmentStacks } from "../../stacks/environment";
import { decodeJsonAttribute } from "./terraform-json-value";

export type TfJson = Record<string, any>;

export interface SynthesizedStack {
  readonly id: string;
  /** The cdk.tf.json text, for cdktf's `toHaveResourceWithProperties` matchers. */
  readonly text: string;
  readonly json: TfJson;
  readonly warnings: string[];
}

export interface SynthesizedApp {
  readonly outdir: string;
  readonly environments: EnvironmentStacks[];
  readonly stacks: Record<string, SynthesizedStack>;
  cleanup(): void;
}

export function synthApp(configs: readonly EnvironmentConfig[]): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), "hotspots-synth-"));
  const app = Testing.app({ outdir, stackTraces: false });
  const environments = configs.map((c) => createEnvironmentStacks(app, c));
  app.synth();
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  const stacks: Record<string, SynthesizedStack> = {};
  for (const [id, entry] of Object.entries<any>(manifest.stacks)) {
    const text = readFileSync(join(outdir, entry.synthesizedStackPath), "utf8");
    const warnings = (entry.annotations ?? [])
      .filter((a: any) => a.level === "@cdktf/warn")
      .map((a: any) => String(a.message));
    stacks[id] = { id, text, json: JSON.parse(text), warnings };
  }
  return { outdir, environments, stacks, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** The resources of one type in a synthesized stack, by Terraform name. */
export function resourcesOf(stack: SynthesizedStack, type: string): Record<string, TfJson> {
  return stack.json.resource?.[type] ?? {};
}

/** The one resource of a type; fails when there are none or several. */
export function onlyResource(stack: SynthesizedStack, type: string): TfJson {
  const all = Object.values(resourcesOf(stack, type));
  if (all.length !== 1) throw new Error(`${stack.id}: expected one ${type}, found ${all.length}`);
  return all[0];
}

export function outputNames(stack: SynthesizedStack): string[] {
  return Object.keys(stack.json.output ?? {});
}

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export function statementsOf(policy: string): Statement[] {
  const doc = decodeJsonAttribute(policy);
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

export function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The inline policy statements of the role whose `name` is given (the IAM role name). */
export function roleStatements(stack: SynthesizedStack, roleName: string): Statement[] {
  const roles = resourcesOf(stack, "aws_iam_role");
  const entry = Object.entries(roles).find(([, r]) => r.name === roleName);
  if (!entry)
    throw new Error(
      `${stack.id}: no role named ${roleName}; roles: ${Object.values(roles)
        .map((r) => r.name)
        .join(", ")}`,
    );
  const ref = `\${aws_iam_role.${entry[0]}.id}`;
  const policies = Object.values(resourcesOf(stack, "aws_iam_role_policy")).filter((p) => p.role === ref);
  return policies.flatMap((p) => statementsOf(p.policy));
}

/** The container definitions of the task definition of a family. */
export function containersOf(stack: SynthesizedStack, family: string): TfJson[] {
  const task = Object.values(resourcesOf(stack, "aws_ecs_task_definition")).find((t) => t.family === family);
  if (!task) throw new Error(`${stack.id}: no task definition ${family}`);
  return decodeJsonAttribute(task.container_definitions);
}

export function environmentOf(container: TfJson): Record<string, string> {
  return Object.fromEntries(container.environment.map((e: { name: string; value: string }) => [e.name, e.value]));
}
