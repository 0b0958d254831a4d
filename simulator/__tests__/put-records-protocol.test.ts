import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { KinesisClient, PutRecordsCommand, type PutRecordsCommandOutput } from "@aws-sdk/client-kinesis";
import { awsClientConfig } from "@hotspots/core";
import { FastPutRecordsProtocol } from "../src/put-records-protocol";

/**
 * The fast protocol against the SDK's own, on the same requests: a loopback server records what
 * each sends and answers both alike (partial failures, then a throttled request).
 */
describe("FastPutRecordsProtocol", () => {
  let server: Server;
  let endpoint: string;
  const seen: Array<{ headers: IncomingHttpHeaders; body: unknown }> = [];
  let answer: { status: number; body: unknown } = { status: 200, body: {} };
  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = "";
      req.on("data", (chunk) => (text += chunk));
      req.on("end", () => {
        seen.push({ headers: req.headers, body: JSON.parse(text) });
        res.statusCode = answer.status;
        res.setHeader("content-type", "application/x-amz-json-1.1");
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const records = [
    { Data: Buffer.from('{"event_id":"ev-1","player_id":"p \\"1\\""}'), PartitionKey: "player-1" },
    { Data: new Uint8Array(Buffer.from("xxé😀yy")).subarray(2, 8), PartitionKey: 'quote " and é' },
    { Data: Buffer.alloc(0), PartitionKey: "k", ExplicitHashKey: "123" },
  ];

  async function both(command: () => PutRecordsCommand): Promise<Array<{ request: (typeof seen)[number]; output?: PutRecordsCommandOutput; error?: unknown }>> {
    const out = [];
    for (const protocol of [undefined, FastPutRecordsProtocol]) {
      const client = new KinesisClient({ ...awsClientConfig({ endpoint }), maxAttempts: 1, ...(protocol ? { protocol } : {}) });
      const result = await client.send(command()).then(
        (output) => ({ output }),
        (error) => ({ error }),
      );
      client.destroy();
      out.push({ request: seen[seen.length - 1], ...result });
    }
    return out;
  }

  it("sends the body and headers the SDK sends and reads the results it reads", async () => {
    answer = {
      status: 200,
      body: {
        FailedRecordCount: 1,
        Records: [
          { SequenceNumber: "49590338271490256608559692538361571095921575989136588898", ShardId: "shardId-000000000001" },
          { ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: "Rate exceeded for shard shardId-000000000001" },
          { SequenceNumber: "2", ShardId: "shardId-000000000000" },
        ],
        EncryptionType: "NONE",
      },
    };
    const [sdk, fast] = await both(() => new PutRecordsCommand({ StreamName: "events", Records: records }));
    expect(fast.request.body).toEqual(sdk.request.body);
    expect((fast.request.body as { Records: unknown[] }).Records).toHaveLength(3);
    for (const h of ["x-amz-target", "content-type", "content-length"]) expect(fast.request.headers[h]).toBe(sdk.request.headers[h]);
    const { $metadata: _a, ...sdkOutput } = sdk.output!;
    const { $metadata: _b, ...fastOutput } = fast.output!;
    expect(fastOutput).toEqual(sdkOutput);
    expect(fast.output!.Records![1].ErrorCode).toBe("ProvisionedThroughputExceededException");
    expect(fast.output!.$metadata.httpStatusCode).toBe(200);
  });

  it("keeps the stream ARN form and leaves errors to the SDK", async () => {
    answer = { status: 400, body: { __type: "ProvisionedThroughputExceededException", message: "Rate exceeded" } };
    const arn = "arn:aws:kinesis:us-east-1:123456789012:stream/events";
    const [sdk, fast] = await both(() => new PutRecordsCommand({ StreamARN: arn, Records: records.slice(0, 1) }));
    expect(fast.request.body).toEqual(sdk.request.body);
    const e = fast.error as { name: string; $metadata: { httpStatusCode: number }; $retryable?: { throttling?: boolean } };
    expect(e.name).toBe((sdk.error as Error).name);
    expect(e.name).toBe("ProvisionedThroughputExceededException");
    expect(e.$metadata.httpStatusCode).toBe(400);
  });
});
