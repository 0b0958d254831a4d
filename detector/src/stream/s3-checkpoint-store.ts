import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { parseCheckpoints, type CheckpointStore, type Checkpoints } from "./checkpoint-store";

/**
 * Checkpoints as one JSON object in S3: `<prefix><stream name>.json` (CHECKPOINT_BUCKET,
 * CHECKPOINT_PREFIX). One detector task per stream writes it; a PutObject replaces it whole.
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
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key }));
      const text = (await response.Body?.transformToString("utf8")) ?? "";
      return parseCheckpoints(text, this.location, this.streamName);
    } catch (error) {
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
}
