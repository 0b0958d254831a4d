import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createHttp2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { isRetryablePutError, isThrottlingError, putWithRetry } from "../src/batched-put";
import { awsClientConfig } from "../src/kinesis-client";
import { correctedClockOffset, entryResults, kinesisEndpoint, kinesisPutRecords, serviceError, type KinesisPutEntry } from "../src/kinesis-put";

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * kinesisPutRecords against the SDK's own PutRecords: a loopback server records what each sends
 * and answers both alike. Signatures are checked by an independent SigV4 verifier written from
 * the AWS documentation (and checked itself on the SDK's requests).
 */
describe("kinesisPutRecords", () => {
  let server: Server;
  let endpoint: string;
  const seen: Seen[] = [];
  let answer: { status: number; body: string; headers?: Record<string, string> } = { status: 200, body: "{}" };
  let hang = false;
  const queued: Array<typeof answer> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
        if (hang) return; // never answers: for the abort test
        const next = queued.shift() ?? answer;
        res.writeHead(next.status, { "content-type": "application/x-amz-json-1.1", ...next.headers });
        res.end(next.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

  const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "token/with+chars=" };
  const client = (creds: typeof credentials | Omit<typeof credentials, "sessionToken"> = credentials) =>
    new KinesisClient({ ...awsClientConfig({ endpoint }), credentials: creds, maxAttempts: 1 });
  const entries: KinesisPutEntry[] = [
    { data: Buffer.from('{"event_id":"ev-1","player_id":"p \\"1\\""}'), partitionKey: "player-1" },
    { data: new Uint8Array(Buffer.from("xxé😀yy")).subarray(2, 8), partitionKey: 'quote " and é' },
    { data: Buffer.alloc(0), partitionKey: "k" },
  ];
  const okAnswer = (n: number) =>
    JSON.stringify({
      FailedRecordCount: 0,
      Records: Array.from({ length: n }, (_, i) => ({ SequenceNumber: `4959033827149025660855969253836157109592157598913658889${i}`, ShardId: "shardId-000000000001" })),
    });

  it("sends the body and operation headers the SDK sends, signed as SigV4 requires", async () => {
    answer = { status: 200, body: okAnswer(3) };
    const sdk = client();
    await sdk.send(new PutRecordsCommand({ StreamName: "events", Records: entries.map((e) => ({ Data: e.data, PartitionKey: e.partitionKey })) }));
    const fromSdk = seen[seen.length - 1];
    const send = await kinesisPutRecords(sdk, "events");
    const results = await send(entries);
    const ours = seen[seen.length - 1];
    sdk.destroy();

    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(JSON.parse(ours.body.toString("utf8"))).toEqual(JSON.parse(fromSdk.body.toString("utf8")));
    for (const h of ["x-amz-target", "content-type", "host", "x-amz-security-token"]) expect(ours.headers[h]).toBe(fromSdk.headers[h]);
    expect(Number(ours.headers["content-length"])).toBe(ours.body.length);
    expect([ours.method, ours.url]).toEqual(["POST", "/"]);
    // The verifier accepts the SDK's request (so it is right) and ours, and refuses a tampered body.
    expect(sigV4Problem(fromSdk, credentials, "us-east-1", "kinesis")).toBeUndefined();
    expect(sigV4Problem(ours, credentials, "us-east-1", "kinesis")).toBeUndefined();
    expect(sigV4Problem({ ...ours, body: Buffer.from(ours.body.toString().replace("events", "evenTs")) }, credentials, "us-east-1", "kinesis")).toMatch(/signature/);
    const signed = /SignedHeaders=([^,]+)/.exec(String(ours.headers.authorization))![1].split(";");
    expect(signed).toEqual(expect.arrayContaining(["host", "x-amz-date", "x-amz-target", "content-type", "x-amz-security-token"]));
  });

  it("names the host as the SDK does for an HTTP/2 handler (Kinesis's default on AWS): :authority, no host header", async () => {
    const handed: Array<Record<string, string>> = [];
    const h2 = {
      metadata: { handlerProtocol: "h2" },
      handle: async (request: { headers: Record<string, string> }) => {
        handed.push({ ...request.headers });
        return { response: { statusCode: 200, headers: {}, body: Readable.from([Buffer.from(okAnswer(1))]) } };
      },
    };
    const sdk = new KinesisClient({ region: "eu-west-1", credentials, maxAttempts: 1, requestHandler: h2 as never });
    await sdk.send(new PutRecordsCommand({ StreamName: "events", Records: [{ Data: entries[0].data, PartitionKey: "k" }] }));
    await (await kinesisPutRecords(sdk, "events"))(entries.slice(0, 1));
    const [fromSdk, ours] = handed;
    expect(fromSdk[":authority"]).toBe("kinesis.eu-west-1.amazonaws.com");
    expect(ours[":authority"]).toBe(fromSdk[":authority"]);
    expect(ours.host).toBeUndefined();
    expect(ours.authorization).toMatch(/SignedHeaders=:authority;content-length;content-type;x-amz-date;x-amz-security-token;x-amz-target,/);
  });

  it("goes through the client's default HTTP/2 handler, as on AWS, with a signature that verifies", async () => {
    const h2server = createHttp2Server();
    const received: Seen[] = [];
    h2server.on("stream", (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({ method: String(headers[":method"]), url: String(headers[":path"]), headers: headers as IncomingHttpHeaders, body: Buffer.concat(chunks) });
        stream.respond({ ":status": 200, "content-type": "application/x-amz-json-1.1" });
        stream.end(okAnswer(2));
      });
    });
    await new Promise<void>((resolve) => h2server.listen(0, "127.0.0.1", resolve));
    const h2endpoint = `http://127.0.0.1:${(h2server.address() as AddressInfo).port}`;
    const sdk = new KinesisClient({ region: "us-east-1", endpoint: h2endpoint, credentials, maxAttempts: 1 }); // the SDK's default handler
    try {
      expect(sdk.config.requestHandler.metadata?.handlerProtocol).toBe("h2");
      expect(await (await kinesisPutRecords(sdk, "events"))(entries.slice(0, 2))).toEqual([{ ok: true }, { ok: true }]);
      expect(received[0].headers[":authority"]).toBe(h2endpoint.slice("http://".length));
      expect(sigV4Problem(received[0], credentials, "us-east-1", "kinesis")).toBeUndefined();
    } finally {
      sdk.destroy();
      await new Promise<void>((resolve) => h2server.close(() => resolve()));
    }
  });

  it("signs without a session token when the credentials have none", async () => {
    answer = { status: 200, body: okAnswer(1) };
    const { sessionToken: _, ...longTerm } = credentials;
    const sdk = client(longTerm);
    await (await kinesisPutRecords(sdk, "events"))(entries.slice(0, 1));
    sdk.destroy();
    const ours = seen[seen.length - 1];
    expect(ours.headers["x-amz-security-token"]).toBeUndefined();
    expect(sigV4Problem(ours, longTerm, "us-east-1", "kinesis")).toBeUndefined();
  });

  it("reports the entries Kinesis failed, by index, with their codes", async () => {
    answer = {
      status: 200,
      body: JSON.stringify({
        FailedRecordCount: 1,
        Records: [
          { SequenceNumber: "1", ShardId: "shardId-000000000000" },
          { ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: "Rate exceeded for shard shardId-000000000001" },
          { SequenceNumber: "2", ShardId: "shardId-000000000000" },
        ],
      }),
    };
    const sdk = client();
    const results = await (await kinesisPutRecords(sdk, "events"))(entries);
    sdk.destroy();
    expect(results).toEqual([
      { ok: true },
      { ok: false, errorCode: "ProvisionedThroughputExceededException", errorMessage: "Rate exceeded for shard shardId-000000000001" },
      { ok: true },
    ]);
  });

  it("turns error answers into errors named as the SDK names them, which putWithRetry classifies", async () => {
    const sdk = client();
    const send = await kinesisPutRecords(sdk, "events");
    const cases: Array<[typeof answer, string, number, boolean, boolean]> = [
      [{ status: 400, body: JSON.stringify({ __type: "ProvisionedThroughputExceededException", message: "Rate exceeded" }) }, "ProvisionedThroughputExceededException", 400, true, true],
      [{ status: 400, body: JSON.stringify({ __type: "com.amazonaws.kinesis.v20131202#ResourceNotFoundException", message: "Stream events not found" }) }, "ResourceNotFoundException", 400, false, false],
      [{ status: 400, body: "{}", headers: { "x-amzn-errortype": "AccessDeniedException:http://internal.amazon.com/coral/" } }, "AccessDeniedException", 400, false, false],
      [{ status: 502, body: "<html>Bad Gateway</html>" }, "InternalFailure", 502, true, false],
    ];
    for (const [a, name, status, retryable, throttling] of cases) {
      answer = a;
      const error = await send(entries).then(
        () => undefined,
        (e: unknown) => e,
      );
      // The SDK's own client names the same answer alike.
      const sdkError = await sdk.send(new PutRecordsCommand({ StreamName: "events", Records: [{ Data: Buffer.from("{}"), PartitionKey: "k" }] })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ name, $metadata: { httpStatusCode: status } });
      if (status < 500) expect((error as Error).name).toBe((sdkError as Error).name);
      expect(isRetryablePutError(error)).toBe(retryable);
      expect(isThrottlingError(error)).toBe(throttling);
    }
    sdk.destroy();
  });

  it("corrects a clock an hour off from the error answer's Date, as the SDK does, and succeeds on the retry", async () => {
    const serverNow = Date.now() + 3_600_000;
    queued.push({
      status: 400,
      headers: { date: new Date(serverNow).toUTCString() },
      body: JSON.stringify({ __type: "InvalidSignatureException", message: "Signature expired: 20261125T220000Z is now earlier than 20261125T225500Z" }),
    });
    answer = { status: 200, body: okAnswer(1) };
    const sdk = client();
    const before = seen.length;
    const outcome = await putWithRetry(entries.slice(0, 1), await kinesisPutRecords(sdk, "events"), { backoff: { baseDelayMs: 1, maxDelayMs: 1 } });
    sdk.destroy();
    expect(outcome).toMatchObject({ attempts: 2, requestRetries: 1 });
    const [first, second] = seen.slice(before).map((r) => Date.parse(String(r.headers["x-amz-date"]).replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z")));
    expect(Math.abs(first - Date.now())).toBeLessThan(60_000);
    expect(Math.abs(second - serverNow)).toBeLessThan(60_000);
  });

  it("stops a request when its signal aborts", async () => {
    hang = true;
    const sdk = client();
    const abort = new AbortController();
    const pending = (await kinesisPutRecords(sdk, "events"))(entries, abort.signal);
    setTimeout(() => abort.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    hang = false;
    sdk.destroy();
  });
});

describe("entryResults", () => {
  it("reads an all-written answer without parsing it, and checks it has one sequence number per entry", () => {
    const text = '{"FailedRecordCount":0,"Records":[{"SequenceNumber":"1","ShardId":"s"},{"SequenceNumber":"2","ShardId":"s"}]}';
    expect(entryResults(text, 2)).toEqual([{ ok: true }, { ok: true }]);
    // One result short: the parsed list is returned, and putWithRetry refuses an answer of the wrong length.
    expect(entryResults(text, 3)).toHaveLength(2);
  });

  it("is not fooled by the member's text inside an error message, where its quotes are escaped", () => {
    const text = JSON.stringify({
      FailedRecordCount: 1,
      Records: [{ ErrorCode: "InternalFailure", ErrorMessage: 'saw "FailedRecordCount":0, "SequenceNumber"' }, { SequenceNumber: "2", ShardId: "s" }],
    });
    expect(entryResults(text, 2)).toEqual([{ ok: false, errorCode: "InternalFailure", errorMessage: 'saw "FailedRecordCount":0, "SequenceNumber"' }, { ok: true }]);
  });
});

describe("correctedClockOffset", () => {
  it("corrects only from 5 minutes off, and keeps an offset that is already right", () => {
    const now = Date.parse("2026-11-25T22:00:00Z");
    expect(correctedClockOffset("Wed, 25 Nov 2026 22:04:59 GMT", 0, now)).toBeUndefined();
    expect(correctedClockOffset("Wed, 25 Nov 2026 22:05:00 GMT", 0, now)).toBe(300_000);
    expect(correctedClockOffset("Wed, 25 Nov 2026 21:00:00 GMT", 0, now)).toBe(-3_600_000);
    expect(correctedClockOffset("Wed, 25 Nov 2026 23:00:00 GMT", 3_600_000, now)).toBeUndefined();
    expect(correctedClockOffset(undefined, 0, now)).toBeUndefined();
    expect(correctedClockOffset("not a date", 0, now)).toBeUndefined();
  });
});

describe("serviceError and kinesisEndpoint", () => {
  it("prefers the error type header, drops the namespace, and falls back on the status", () => {
    expect(serviceError(400, { "x-amzn-errortype": "ValidationException:http://x/" }, '{"__type":"Other"}').name).toBe("ValidationException");
    expect(serviceError(400, {}, '{"__type":"a.b#LimitExceededException","message":"m"}')).toMatchObject({ name: "LimitExceededException", message: "m" });
    expect(serviceError(503, {}, "")).toMatchObject({ name: "InternalFailure", $fault: "server" });
    expect(serviceError(404, {}, "not json").name).toBe("Http404Error");
  });

  it("resolves the endpoint as the SDK does: rules for the region, an override, or AWS_ENDPOINT_URL_KINESIS", async () => {
    const regional = new KinesisClient({ region: "eu-west-1", credentials: someCredentials });
    const china = new KinesisClient({ region: "cn-north-1", credentials: someCredentials });
    const fips = new KinesisClient({ region: "us-east-1", useFipsEndpoint: true, credentials: someCredentials });
    const local = new KinesisClient({ region: "us-east-1", endpoint: "http://127.0.0.1:4567", credentials: someCredentials });
    expect((await kinesisEndpoint(regional, "events")).href).toBe("https://kinesis.eu-west-1.amazonaws.com/");
    expect((await kinesisEndpoint(china, "events")).href).toBe("https://kinesis.cn-north-1.amazonaws.com.cn/");
    expect((await kinesisEndpoint(fips, "events")).href).toBe("https://kinesis-fips.us-east-1.amazonaws.com/");
    expect((await kinesisEndpoint(local, "events")).href).toBe("http://127.0.0.1:4567/");
    const saved = process.env.AWS_ENDPOINT_URL_KINESIS;
    process.env.AWS_ENDPOINT_URL_KINESIS = "http://127.0.0.1:4568";
    try {
      const configured = new KinesisClient({ region: "eu-west-1", credentials: someCredentials });
      expect((await kinesisEndpoint(configured, "events")).href).toBe("http://127.0.0.1:4568/");
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_KINESIS;
      else process.env.AWS_ENDPOINT_URL_KINESIS = saved;
    }
  });
});

const someCredentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

/**
 * Checks an HTTP request's AWS Signature Version 4 (Authorization header), following the steps of
 * the AWS documentation ("Create a signed AWS API request"); undefined when it is valid.
 */
function sigV4Problem(req: Seen, creds: { accessKeyId: string; secretAccessKey: string }, region: string, service: string): string | undefined {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization));
  if (!auth) return `no SigV4 Authorization header: ${req.headers.authorization}`;
  const [, keyId, date, scopeRegion, scopeService, signedHeaders, signature] = auth;
  if (keyId !== creds.accessKeyId || scopeRegion !== region || scopeService !== service) return `wrong scope: ${auth[0]}`;
  const amzDate = String(req.headers["x-amz-date"]);
  if (!amzDate.startsWith(date)) return "x-amz-date and the scope date differ";
  const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
  const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
  const names = signedHeaders.split(";");
  const canonicalHeaders = names.map((n) => `${n}:${String(req.headers[n] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
  const canonicalRequest = [req.method, req.url.split("?")[0], req.url.split("?")[1] ?? "", canonicalHeaders, signedHeaders, sha256(req.body)].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, date), region), service), "aws4_request");
  const expected = createHmac("sha256", key).update(stringToSign).digest("hex");
  return expected === signature ? undefined : "the signature does not match the request";
}
