/** The SDK clients verify uses: the default credential chain, or a loopback endpoint per service in tests. */
import { AthenaClient } from "@aws-sdk/client-athena";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ECSClient } from "@aws-sdk/client-ecs";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { S3Client } from "@aws-sdk/client-s3";
import { awsClientConfig } from "@hotspots/core";
import type { VerifyClients } from "./check";

export type ServiceEndpoints = Partial<Record<keyof VerifyClients, string>>;

export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** `credentials` replace the local dummy ones on the overridden endpoints (s3rver knows only its own key). */
export function createVerifyClients(
  region: string,
  endpoints: ServiceEndpoints = {},
  credentials?: LocalCredentials,
): VerifyClients & { destroy(): void } {
  const config = (service: keyof VerifyClients) => {
    const base = awsClientConfig({ region, endpoint: endpoints[service] });
    return endpoints[service] && credentials ? { ...base, credentials } : base;
  };
  const clients = {
    kinesis: new KinesisClient(config("kinesis")),
    s3: new S3Client({ ...config("s3"), forcePathStyle: endpoints.s3 !== undefined }),
    ecs: new ECSClient(config("ecs")),
    cloudwatch: new CloudWatchClient(config("cloudwatch")),
    athena: new AthenaClient(config("athena")),
  };
  return {
    ...clients,
    destroy: () => {
      for (const c of Object.values(clients)) c.destroy();
    },
  };
}
