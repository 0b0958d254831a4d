import { KinesisClient } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";

export interface AwsClientSettings {
  /** AWS region; falls back to the SDK's own resolution (AWS_REGION, profile). */
  region?: string;
  /** Endpoint override for a local emulator, e.g. http://127.0.0.1:4567. */
  endpoint?: string;
}

/**
 * Options shared by every AWS SDK client of the project. Against a plain-http local endpoint the
 * SDK's default HTTP/2-capable handler fails with "Protocol error", so an endpoint override gets
 * the HTTP/1.1 NodeHttpHandler, and local emulators get dummy credentials.
 */
export function awsClientConfig(settings: AwsClientSettings) {
  if (!settings.endpoint) return { region: settings.region };
  return {
    region: settings.region ?? "us-east-1",
    endpoint: settings.endpoint,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  };
}

export function createKinesisClient(settings: AwsClientSettings = {}): KinesisClient {
  return new KinesisClient(awsClientConfig(settings));
}
