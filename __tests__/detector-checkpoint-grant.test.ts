/**
 * The detector's first start under the grant the analytics stack actually synthesizes: the task
 * role's S3 statements and the container's CHECKPOINT_PREFIX are read from cdk.tf.json and
 * enforced by a local S3 that, like S3, answers 403 for a missing key without ListBucket.
 */
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import { S3CheckpointStore } from "../detector/src";
import { startS3AccessProxy, type S3Grant } from "../detector/__tests__/support/s3-access-proxy";
import { ENVIRONMENTS } from "../stacks/config";
import {
  asList,
  containersOf,
  environmentOf,
  roleStatements,
  synthApp,
  type Statement,
  type SynthesizedApp,
} from "./helpers/synth-app";

const config = ENVIRONMENTS.dev;
const family = `${config.prefix}-detector`;
const BUCKET = "results";

/** An object ARN `${aws_s3_bucket.x.arn}/<key pattern>` as the key pattern. */
function keyPattern(resource: string): string {
  const at = resource.indexOf("}/");
  if (at < 0) throw new Error(`not an object ARN of a referenced bucket: ${resource}`);
  return resource.slice(at + 2);
}

/** The S3 part of a role's statements, as the local S3 enforces it. */
function s3Grant(statements: Statement[]): S3Grant {
  const allows = (action: string) =>
    statements.filter((s) => s.Effect === "Allow" && asList(s.Action).includes(action));
  const list = allows("s3:ListBucket");
  const conditioned = list.flatMap((s) =>
    asList(s.Condition?.StringLike?.["s3:prefix"] as string | string[] | undefined),
  );
  return {
    getObject: allows("s3:GetObject").flatMap((s) => asList(s.Resource).map(keyPattern)),
    putObject: allows("s3:PutObject").flatMap((s) => asList(s.Resource).map(keyPattern)),
    listBucket: list.some((s) => s.Condition === undefined) ? true : conditioned,
  };
}

describe("the detector's checkpoints under the synthesized task role", () => {
  let app: SynthesizedApp;
  let dir: string;
  let server: S3rver;
  let endpoint: string;

  beforeAll(async () => {
    app = synthApp([config]);
    dir = mkdtempSync(join(tmpdir(), "checkpoint-grant-"));
    server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: join(dir, "s3") });
    endpoint = `http://127.0.0.1:${(await server.run()).port}`;
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    app.cleanup();
  });

  it("starts without a checkpoint, saves one and reads it back, with no request denied", async () => {
    const analytics = app.stacks[`hotspots-${config.environment}-analytics`];
    const grant = s3Grant(roleStatements(analytics, `${family}-task`));
    // The grant really is the least-privilege one: listing only under a prefix condition.
    expect(grant.listBucket).not.toBe(true);
    const prefix = environmentOf(containersOf(analytics, family)[0]).CHECKPOINT_PREFIX;
    const streamName = `${config.prefix}-stream`;

    const proxy = await startS3AccessProxy(endpoint, grant);
    const s3Client = (at: string) =>
      new S3Client({
        region: "us-east-1",
        endpoint: at,
        forcePathStyle: true,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      });
    const admin = s3Client(endpoint);
    const s3 = s3Client(proxy.endpoint);
    try {
      await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
      const store = new S3CheckpointStore(s3, BUCKET, prefix, streamName);
      expect(await store.load()).toBeUndefined();
      const doc = {
        streamName,
        updatedAt: "2026-01-01T00:00:00.000Z",
        shards: { "shardId-000000000000": { sequenceNumber: "7" } },
      };
      await store.save(doc);
      expect(await store.load()).toEqual(doc);
      expect(proxy.log.filter((line) => line.endsWith("-> 403"))).toEqual([]);
      expect(proxy.log[0]).toBe(`ListBucket prefix=${prefix}${streamName}.json -> 200`);
    } finally {
      admin.destroy();
      s3.destroy();
      await proxy.close();
    }
  });
});
