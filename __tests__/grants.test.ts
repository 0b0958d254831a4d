/**
 * The grant helpers as the synthesized stacks use them: every statement but the KMS ones
 * of every role is one of the intent lists (no role writes its own), each list is used, and the
 * key statement is the union of what each use needs.
 */
import { ENVIRONMENT_NAMES, ENGINES, resolveConfig } from "../stacks/config";
import { ACTIONS, KEY_ACTIONS, useKey } from "../stacks/grants";
import { asList, resourcesOf, statementsOf, type SynthesizedApp, synthApp } from "./helpers/synth-app";

const apps: SynthesizedApp[] = [];
beforeAll(() => {
  for (const engine of ENGINES)
    apps.push(synthApp(ENVIRONMENT_NAMES.map((env) => resolveConfig(env, { HOTSPOTS_ENGINE: engine }))));
});
afterAll(() => {
  for (const a of apps) a.cleanup();
});

const allRoleStatements = () =>
  apps
    .flatMap((app) => Object.values(app.stacks))
    .flatMap((stack) =>
      Object.values(resourcesOf(stack, "aws_iam_role_policy")).flatMap((p) => statementsOf(p.policy)),
    );

const INTENT_LISTS = Object.values(ACTIONS).map((list) => JSON.stringify(list));

it("every statement of every role but the key's (useKey) is one intent's action list", () => {
  const byIntentOrNot = allRoleStatements()
    .filter((s) => !asList(s.Action).some((a) => a.startsWith("kms:")))
    .map((s) => ({ sid: s.Sid, intent: INTENT_LISTS.includes(JSON.stringify(asList(s.Action))) }));
  expect(byIntentOrNot.length).toBeGreaterThan(0);
  expect(byIntentOrNot.filter((s) => !s.intent)).toEqual([]);
});

it("every KMS statement of every role grants only actions of KEY_ACTIONS", () => {
  const allowed = new Set<string>(Object.values(KEY_ACTIONS).flat());
  const kms = allRoleStatements()
    .flatMap((s) => asList(s.Action))
    .filter((a) => a.startsWith("kms:"));
  expect(kms.length).toBeGreaterThan(0);
  expect(kms.filter((a) => !allowed.has(a))).toEqual([]);
});

it("every intent list is used by some role (no stale list)", () => {
  const used = new Set(allRoleStatements().map((s) => JSON.stringify(asList(s.Action))));
  const unused = Object.entries(ACTIONS)
    .filter(([, list]) => !used.has(JSON.stringify(list)))
    .map(([intent]) => intent);
  expect(unused).toEqual([]);
});

it("the stream is read by the detector with its three calls, by Firehose and the SQL application with the four they document", () => {
  expect(ACTIONS.readStream).toEqual(["kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords"]);
  expect([...ACTIONS.readStreamAsSource].sort()).toEqual([
    "kinesis:DescribeStream",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:ListShards",
  ]);
});

it("useKey grants the union of the uses' KMS actions once, in a fixed order", () => {
  const key = { arn: "arn:aws:kms:eu-west-1:111122223333:key/k" };
  expect(useKey(key, ["readStream", "writeObjects"])).toEqual({
    Sid: "UseTheProjectKey",
    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
    Resource: key.arn,
  });
  expect(useKey(key, ["writeStream", "readObjects"]).Action).toEqual(
    useKey(key, ["readObjects", "writeStream"]).Action,
  );
  expect(useKey(key, ["readStream"]).Action).toEqual([...KEY_ACTIONS.readStream]);
});
