import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { seededRandom } from "@hotspots/core";

/**
 * A loopback proxy in front of the Kinesis emulator that misbehaves like a busy Kinesis does, on
 * PutRecords only: it drops connections, answers whole requests with 500 or with throttling, and
 * fails single entries with ProvisionedThroughputExceededException. A failed entry is taken out of
 * the request before it is forwarded, so, as on AWS, it is not written. Seeded, so a run repeats.
 */
export interface FaultRates {
  readonly dropConnection: number;
  readonly serverError: number;
  readonly throttleRequest: number;
  /** Per entry of a forwarded request. */
  readonly failEntry: number;
}

export interface FaultProxy {
  readonly endpoint: string;
  /** What was injected so far. */
  readonly injected: {
    droppedConnections: number;
    serverErrors: number;
    throttledRequests: number;
    failedEntries: number;
    putRequests: number;
  };
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, rates: FaultRates, seed = 42): Promise<FaultProxy> {
  const random = seededRandom(seed);
  const targetUrl = new URL(target);
  const injected = { droppedConnections: 0, serverErrors: 0, throttledRequests: 0, failedEntries: 0, putRequests: 0 };

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.headers["x-amz-target"] !== "Kinesis_20131202.PutRecords") return forward(req, res, body);
    injected.putRequests++;
    const roll = random();
    if (roll < rates.dropConnection) {
      injected.droppedConnections++;
      req.socket.destroy();
      return;
    }
    if (roll < rates.dropConnection + rates.serverError) {
      injected.serverErrors++;
      return answer(res, 500, { __type: "InternalFailure", message: "injected server error" });
    }
    if (roll < rates.dropConnection + rates.serverError + rates.throttleRequest) {
      injected.throttledRequests++;
      return answer(res, 400, {
        __type: "ProvisionedThroughputExceededException",
        message: "Rate exceeded for stream (injected)",
      });
    }
    const request = JSON.parse(body.toString("utf8")) as { StreamName: string; Records: unknown[] };
    const failed = request.Records.map(() => random() < rates.failEntry);
    const kept = request.Records.filter((_, i) => !failed[i]);
    injected.failedEntries += request.Records.length - kept.length;
    let written: Array<Record<string, unknown>> = [];
    if (kept.length > 0) {
      const upstream = await send(targetUrl, req, Buffer.from(JSON.stringify({ ...request, Records: kept })));
      if (upstream.status !== 200) return answer(res, upstream.status, JSON.parse(upstream.body.toString("utf8")));
      written = JSON.parse(upstream.body.toString("utf8")).Records;
    }
    let next = 0;
    const records = failed.map((f) =>
      f
        ? { ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: "Rate exceeded for shard (injected)" }
        : written[next++],
    );
    answer(res, 200, { FailedRecordCount: failed.filter(Boolean).length, Records: records });
  });

  async function forward(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const upstream = await send(targetUrl, req, body);
    res.writeHead(upstream.status, { "content-type": "application/x-amz-json-1.1" });
    res.end(upstream.body);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    injected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(target: URL, req: IncomingMessage, body: Buffer): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host, "content-length": String(body.length) };
    const upstream = request(
      { hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers },
      (res) => {
        readBody(res).then((b) => resolve({ status: res.statusCode ?? 500, body: b }), reject);
      },
    );
    upstream.on("error", reject);
    upstream.end(body);
  });
}
