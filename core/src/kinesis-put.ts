import { PutRecordsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import { getEndpointFromInstructions } from "@smithy/core/endpoints";
import { HttpRequest } from "@smithy/core/protocols";
import { SignatureV4 } from "@smithy/signature-v4";
import type { PutEntry, PutEntryResult, SendBatch } from "./batched-put";

/** A Kinesis record: its bytes and the partition key that picks its shard. */
export interface KinesisPutEntry extends PutEntry {
  readonly partitionKey: string;
}

/** The JSON protocol's operation header for PutRecords (Kinesis_20131202 is the API version). */
const PUT_RECORDS_TARGET = "Kinesis_20131202.PutRecords";
const KINESIS_CONTENT_TYPE = "application/x-amz-json-1.1";

/** An error answer of Kinesis, shaped as the SDK shapes its errors (name, $fault, $metadata), which putWithRetry classifies. */
export class KinesisServiceError extends Error {
  readonly $fault: "client" | "server";
  readonly $metadata: { readonly httpStatusCode: number; readonly requestId?: string };
  /** Set when another attempt may succeed though the error alone would not say so (the clock was corrected). */
  $retryable?: { readonly throttling: boolean };

  constructor(name: string, message: string, httpStatusCode: number, requestId?: string) {
    super(message);
    this.name = name;
    this.$fault = httpStatusCode >= 500 ? "server" : "client";
    this.$metadata = { httpStatusCode, requestId };
  }
}

/**
 * PutRecords as a SendBatch for putWithRetry: Records[i].ErrorCode of the answer becomes the
 * result of entry i. Give the client `maxAttempts: 1` (retries are putWithRetry's, counted once).
 *
 * Sent with the client's own parts (credentials, region, endpoint, HTTP handler) and the
 * SDK's SigV4 signer, without the client's per-request middleware chain and schema serde: those
 * cost the simulator more per record than reading its CSV does. The body is written in one pass (Data in
 * base64, as the JSON protocol has it) and the answer is parsed only when an entry failed.
 *
 * Like the SDK, it corrects the signing clock when an error answer's Date shows it 5 minutes or
 * more off. Not carried over: the SDK's user agent header.
 */
export async function kinesisPutRecords<T extends KinesisPutEntry>(client: KinesisClient, streamName: string): Promise<SendBatch<T>> {
  const config = client.config;
  const region = await config.region();
  const endpoint = await kinesisEndpoint(client, streamName);
  const signer = new SignatureV4({ service: "kinesis", region, credentials: config.credentials, sha256: config.sha256, applyChecksum: false });
  const head = '{"StreamName":' + JSON.stringify(streamName) + ',"Records":[';
  const port = endpoint.port ? Number(endpoint.port) : undefined;
  // As the SDK's host header middleware: HTTP/2 (Kinesis's default handler on AWS) names the host in :authority.
  const hostHeader = (config.requestHandler.metadata?.handlerProtocol ?? "").includes("h2") ? ":authority" : "host";

  return async (entries, signal) => {
    const body = Buffer.from(head + recordsJson(entries) + "]}");
    const request = new HttpRequest({
      method: "POST",
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port,
      path: endpoint.pathname,
      headers: { [hostHeader]: endpoint.host, "content-type": KINESIS_CONTENT_TYPE, "x-amz-target": PUT_RECORDS_TARGET, "content-length": String(body.length) },
      body,
    });
    const signed = await signer.sign(request, { signingDate: new Date(Date.now() + (config.systemClockOffset ?? 0)) });
    const { response } = await config.requestHandler.handle(signed as HttpRequest, { abortSignal: signal });
    const bytes = await config.streamCollector(response.body);
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
    if (response.statusCode >= 300) {
      const error = serviceError(response.statusCode, response.headers, text);
      // As the SDK does: a clock 5 minutes or more off the server's Date is corrected, and the request is worth another try.
      const offset = correctedClockOffset(response.headers.date, config.systemClockOffset ?? 0);
      if (offset !== undefined) {
        config.systemClockOffset = offset;
        error.$retryable = { throttling: false };
      }
      throw error;
    }
    return entryResults(text, entries.length);
  };
}

/** The Records array's members, as the SDK writes them: base64 Data, then PartitionKey. */
export function recordsJson(entries: readonly KinesisPutEntry[]): string {
  let json = "";
  for (let i = 0; i < entries.length; i++) {
    const { data, partitionKey } = entries[i];
    json +=
      (i === 0 ? '{"Data":"' : ',{"Data":"') +
      Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64") +
      '","PartitionKey":' +
      JSON.stringify(partitionKey) +
      "}";
  }
  return json;
}

/**
 * One result per entry, from a PutRecords answer. A JSON string cannot hold an unescaped quote, so
 * `"FailedRecordCount":0` in the text is the answer's own member: every entry was written, and
 * the answer is only checked to hold one sequence number per entry, without parsing it.
 */
export function entryResults(text: string, count: number): readonly PutEntryResult[] {
  if (NONE_FAILED.test(text)) {
    let sequenceNumbers = 0;
    for (let i = text.indexOf(SEQUENCE_NUMBER); i >= 0; i = text.indexOf(SEQUENCE_NUMBER, i + SEQUENCE_NUMBER.length)) sequenceNumbers++;
    if (sequenceNumbers === count) return new Array<PutEntryResult>(count).fill(OK);
  }
  const answer = JSON.parse(text) as { Records?: Array<{ ErrorCode?: string; ErrorMessage?: string }> };
  return (answer.Records ?? []).map((r): PutEntryResult => (r.ErrorCode ? { ok: false, errorCode: r.ErrorCode, errorMessage: r.ErrorMessage } : OK));
}

const NONE_FAILED = /"FailedRecordCount"\s*:\s*0\s*[,}]/;
const SEQUENCE_NUMBER = '"SequenceNumber"';
const OK: PutEntryResult = Object.freeze({ ok: true });

/** The SDK's skew limit: SigV4 refuses requests signed more than 5 minutes off the server's time. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** The clock offset to sign with from now on, when the server's Date shows ours is off by the limit or more; else undefined. */
export function correctedClockOffset(serverDate: string | undefined, currentOffset: number, now = Date.now()): number | undefined {
  const serverTime = serverDate ? Date.parse(serverDate) : NaN;
  if (Number.isNaN(serverTime) || Math.abs(now + currentOffset - serverTime) < MAX_CLOCK_SKEW_MS) return undefined;
  return serverTime - now;
}

/** The error of a non-2xx answer, named as the SDK names it: from x-amzn-ErrorType or __type, without the namespace. */
export function serviceError(status: number, headers: Readonly<Record<string, string>>, text: string): KinesisServiceError {
  let body: { __type?: string; message?: string; Message?: string } = {};
  try {
    body = JSON.parse(text) ?? {};
  } catch {
    // not JSON (a proxy's error page): the status code stands
  }
  const type = headers["x-amzn-errortype"]?.split(":")[0] || body.__type || (status >= 500 ? "InternalFailure" : `Http${status}Error`);
  const name = type.slice(type.lastIndexOf("#") + 1);
  return new KinesisServiceError(name, body.message ?? body.Message ?? `HTTP ${status} from Kinesis`, status, headers["x-amzn-requestid"]);
}

/**
 * Where the client would send this stream's PutRecords, resolved as the SDK resolves it: an
 * endpoint override (a local emulator), AWS_ENDPOINT_URL_KINESIS / AWS_ENDPOINT_URL, or the
 * endpoint rules for the region (FIPS, dual-stack, partition).
 */
export async function kinesisEndpoint(client: KinesisClient, streamName: string): Promise<URL> {
  const endpoint = await getEndpointFromInstructions({ StreamName: streamName }, PutRecordsCommand, client.config as never);
  return new URL(endpoint.url.href);
}
