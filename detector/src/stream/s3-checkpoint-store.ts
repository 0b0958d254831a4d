import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { parseCheckpoints, type CheckpointStore, type Checkpoints } from "./checkpoint-store";

/**
 * Checkpoints as one JSON object in S3: `<prefix><stream name>.json` (CHECKPOINT_BUCKET,
 * CHECKPOINT_PREFIX). One detector task per stream writes it; a PutObject replaces it whole.
 *
 * `load` lists the key before reading it. S3 answers a GetObject of a missing key with 404 only
 * when the caller also has s3:ListBucket on the bucket, and with 403 Access Denied otherwise
 * (S3 API Reference, GetObject, "Permissions"). The task role's s3:ListBucket is granted only
 * under an `s3:prefix` condition (stacks/grants.ts, ListCheckpoints), and a GetObject
 * request carries no `s3:prefix`, so on the first start a GetObject alone gets 403 and the
 * task would exit. A ListObjectsV2 whose Prefix is the key itself does carry it (S3 User Guide,
 * "Bucket policy examples using condition keys", s3:prefix), so the least-privilege grant
 * answers "no such key" with an empty listing.
 */
export class S3CheckpointStore implements CheckpointStore {
  readonly key: string;

  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    prefix: string,
    private readonly streamName: string,
  ) {
    const normalized = prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`;
    this.key = `${normalized}${streamName}.json`;
  }

  get location(): string {
    return `s3://${this.bucket}/${this.key}`;
  }

  async load(): Promise<Checkpoints | undefined> {
    if (!(await this.exists())) return undefined;
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key }));
      const text = (await response.Body?.transformToString("utf8")) ?? "";
      return parseCheckpoints(text, this.location, this.streamName);
    } catch (error) {
      // Deleted between the listing and the read: start over, as before the first save. (Only a caller
      // that may list the whole bucket sees NoSuchKey here; the task role would get 403 and stop.)
      if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") return undefined;
      throw error;
    }
  }

  async save(checkpoints: Checkpoints): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key,
        Body: JSON.stringify(checkpoints),
        ContentType: "application/json",
      }),
    );
  }

  /**
   * Whether the checkpoint object exists. Keys are listed in ascending UTF-8 order and no key that
   * starts with this key sorts before the key itself, so the first listed key is it if it exists.
   */
  private async exists(): Promise<boolean> {
    try {
      const listing = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.key, MaxKeys: 1 }),
      );
      return (listing.Contents ?? []).some((object) => object.Key === this.key);
    } catch (error) {
      const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (name !== "AccessDenied" && $metadata?.httpStatusCode !== 403) throw error;
      throw new Error(
        `cannot list ${this.location} (${name}): the detector needs s3:ListBucket on ${this.bucket} for the prefix ${this.key}, ` +
          `and s3:GetObject/s3:PutObject on the key`,
        { cause: error },
      );
    }
  }
}
