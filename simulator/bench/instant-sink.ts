import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback stand-in for Kinesis that accepts every PutRecords at once, so the benchmark measures
 * the simulator and not a stream. It counts entries without parsing the JSON, to stay cheap.
 */
export async function startInstantSink(): Promise<{
  endpoint: string;
  records: () => number;
  close: () => Promise<void>;
}> {
  const responses = new Map<number, string>();
  const marker = Buffer.from('"PartitionKey"');
  let records = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const target = req.headers["x-amz-target"];
      res.setHeader("content-type", "application/x-amz-json-1.1");
      if (target === "Kinesis_20131202.DescribeStreamSummary") {
        res.end(
          JSON.stringify({
            StreamDescriptionSummary: { StreamName: "bench", StreamStatus: "ACTIVE", OpenShardCount: 2 },
          }),
        );
        return;
      }
      const body = Buffer.concat(chunks);
      let n = 0;
      for (let i = body.indexOf(marker); i >= 0; i = body.indexOf(marker, i + marker.length)) n++;
      records += n;
      let response = responses.get(n);
      if (!response) {
        response = JSON.stringify({
          FailedRecordCount: 0,
          Records: Array.from({ length: n }, (_, i) => ({
            SequenceNumber: String(i),
            ShardId: "shardId-000000000000",
          })),
        });
        responses.set(n, response);
      }
      res.end(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    records: () => records,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
