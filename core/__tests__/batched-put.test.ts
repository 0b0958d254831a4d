import {
  BatchAccumulator,
  BatchPutError,
  chunkEntries,
  describeError,
  entryProblem,
  FIREHOSE_PUT_RECORD_BATCH_LIMITS,
  fullJitterDelay,
  isRetryablePutError,
  KINESIS_PUT_RECORDS_LIMITS,
  type PutEntryResult,
  putWithRetry,
  type SendBatch,
} from "../src/batched-put";
import { KINESIS_MAX_BYTES_PER_PUT, KINESIS_MAX_BYTES_PER_RECORD } from "../src/aws-limits";

const entry = (bytes: number, partitionKey = "p") => ({ data: new Uint8Array(bytes), partitionKey });
const ok: PutEntryResult = { ok: true };
const throttled: PutEntryResult = {
  ok: false,
  errorCode: "ProvisionedThroughputExceededException",
  errorMessage: "Rate exceeded",
};

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} happened`), {
    name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
  });
}

/** A `send` that answers each call from a script and records what it was given. */
function scripted<T>(script: Array<(batch: readonly T[]) => readonly PutEntryResult[]>) {
  const calls: T[][] = [];
  const send: SendBatch<T> = async (batch) => {
    calls.push([...batch]);
    const step = script[calls.length - 1] ?? ((b: readonly T[]) => b.map(() => ok));
    return step(batch);
  };
  return { send, calls };
}

const noWait = { sleep: async () => undefined, random: () => 0.5 };

describe("chunkEntries", () => {
  it("cuts by count", () => {
    const { batches, rejected } = chunkEntries(
      Array.from({ length: 1001 }, () => entry(10)),
      KINESIS_PUT_RECORDS_LIMITS,
      500,
    );
    expect(batches.map((b) => b.length)).toEqual([500, 500, 1]);
    expect(rejected).toEqual([]);
  });

  it("cuts by bytes, partition keys included, and never goes over 5 MiB per request", () => {
    const key = "k".repeat(100);
    const size = Math.floor(KINESIS_MAX_BYTES_PER_RECORD / 2); // 2 entries of ~0.5 MiB + key each
    const { batches } = chunkEntries(
      Array.from({ length: 30 }, () => entry(size, key)),
      KINESIS_PUT_RECORDS_LIMITS,
    );
    for (const batch of batches) {
      const bytes = batch.reduce((sum, e) => sum + e.data.byteLength + e.partitionKey.length, 0);
      expect(bytes).toBeLessThanOrEqual(KINESIS_MAX_BYTES_PER_PUT);
    }
    // 10 fit in 5 MiB by data alone, but the keys push the 10th over.
    expect(batches.map((b) => b.length)).toEqual([9, 9, 9, 3]);
  });

  it("rejects an entry over the per-record limit with a reason and keeps the others", () => {
    const big = entry(KINESIS_MAX_BYTES_PER_RECORD); // plus a 1-byte key: one over
    const { batches, rejected } = chunkEntries([entry(1), big, entry(2)], KINESIS_PUT_RECORDS_LIMITS);
    expect(batches).toEqual([[entry(1), entry(2)]]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].index).toBe(1);
    expect(rejected[0].reason).toMatch(
      /1048577 bytes is over the Kinesis PutRecords limit of 1048576 bytes per record/,
    );
  });

  it("checks partition keys for Kinesis and not for Firehose", () => {
    expect(entryProblem(entry(1, ""), KINESIS_PUT_RECORDS_LIMITS)).toMatch(/empty partition key/);
    expect(entryProblem(entry(1, "x".repeat(257)), KINESIS_PUT_RECORDS_LIMITS)).toMatch(/257 characters/);
    expect(entryProblem({ data: new Uint8Array(10) }, FIREHOSE_PUT_RECORD_BATCH_LIMITS)).toBeUndefined();
    expect(entryProblem({ data: new Uint8Array(1000 * 1024 + 1) }, FIREHOSE_PUT_RECORD_BATCH_LIMITS)).toMatch(
      /Firehose/,
    );
  });

  it("refuses a batch size outside 1..500", () => {
    expect(() => new BatchAccumulator(KINESIS_PUT_RECORDS_LIMITS, 501)).toThrow(
      "batch size must be an integer from 1 to 500 (Kinesis PutRecords), got 501",
    );
    expect(() => new BatchAccumulator(KINESIS_PUT_RECORDS_LIMITS, 0)).toThrow(/got 0/);
  });
});

describe("putWithRetry", () => {
  it("resends only the failed entries, matched by index", async () => {
    const entries = ["a", "b", "c", "d"];
    const { send, calls } = scripted<string>([
      () => [ok, throttled, ok, { ok: false, errorCode: "InternalFailure" }],
      () => [throttled, ok],
    ]);
    const outcome = await putWithRetry(entries, send, noWait);
    expect(calls).toEqual([["a", "b", "c", "d"], ["b", "d"], ["b"]]);
    expect(outcome).toEqual({ attempts: 3, retriedEntries: 3, requestRetries: 0, throttledAttempts: 2 });
  });

  it("retries whole requests on throttling, 5xx and dropped connections, not on a missing stream", async () => {
    const failures = [
      awsError("ThrottlingException", 400),
      awsError("InternalFailure", 500),
      Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
    ];
    let call = 0;
    const send: SendBatch<string> = async (batch) => {
      if (call < failures.length) throw failures[call++];
      call++;
      return batch.map(() => ok);
    };
    const outcome = await putWithRetry(["a", "b"], send, noWait);
    expect(outcome).toEqual({ attempts: 4, retriedEntries: 0, requestRetries: 3, throttledAttempts: 1 });

    const missing: SendBatch<string> = async () => {
      throw awsError("ResourceNotFoundException", 400);
    };
    const error = await putWithRetry(["a", "b"], missing, noWait).catch((e) => e);
    expect(error).toBeInstanceOf(BatchPutError);
    expect(error.failure).toBe("not-retryable");
    expect(error.outcome.attempts).toBe(1);
    expect(error.message).toBe(
      "2 of 2 records not sent, failed with an error that retrying cannot fix: ResourceNotFoundException x2 (first: ResourceNotFoundException happened)",
    );
  });

  it("waits with exponential backoff and full jitter", async () => {
    const delays: number[] = [];
    const { send } = scripted<string>(Array.from({ length: 5 }, () => () => [throttled]));
    await putWithRetry(["a"], send, {
      sleep: async (ms) => void delays.push(ms),
      random: () => 0.999,
      backoff: { baseDelayMs: 100, maxDelayMs: 1000 },
    });
    expect(delays).toEqual([99, 199, 399, 799, 999]);
    expect(fullJitterDelay(3, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 0)).toBe(0);
  });

  it("gives up after maxAttempts and lists what could not be sent", async () => {
    const { send, calls } = scripted<string>(
      Array.from({ length: 10 }, () => (b: readonly string[]) => b.map((x) => (x === "b" ? throttled : ok))),
    );
    const error = await putWithRetry(["a", "b", "c"], send, { ...noWait, maxAttempts: 3 }).catch((e) => e);
    expect(calls).toHaveLength(3);
    expect(error.failure).toBe("attempts-exhausted");
    expect(error.unsent).toEqual([
      { entry: "b", errorCode: "ProvisionedThroughputExceededException", errorMessage: "Rate exceeded" },
    ]);
    expect(error.message).toMatch(
      /^1 of 3 records not sent, still failing after 3 attempts: ProvisionedThroughputExceededException x1/,
    );
  });

  it("keeps retrying the transient failures when others are permanent, then reports the permanent ones", async () => {
    const { send, calls } = scripted<string>([
      () => [{ ok: false, errorCode: "KMSAccessDeniedException" }, throttled],
      () => [ok],
    ]);
    const error = await putWithRetry(["a", "b"], send, noWait).catch((e) => e);
    expect(calls).toEqual([["a", "b"], ["b"]]);
    expect(error.failure).toBe("not-retryable");
    expect(error.unsent.map((u: { entry: string }) => u.entry)).toEqual(["a"]);
  });

  it("stops retrying when aborted and reports the pending entries", async () => {
    const controller = new AbortController();
    const { send } = scripted<string>([
      () => {
        controller.abort();
        return [ok, throttled];
      },
    ]);
    const error = await putWithRetry(["a", "b"], send, { ...noWait, signal: controller.signal }).catch((e) => e);
    expect(error.failure).toBe("aborted");
    expect(error.unsent.map((u: { entry: string }) => u.entry)).toEqual(["b"]);
  });

  it("reports every attempt that beforeAttempt let through exactly once, whatever its outcome", async () => {
    let open = 0;
    const hooks = { beforeAttempt: () => void open++, onAttempt: () => void open-- };
    const { send } = scripted<string>([() => [ok, throttled], () => [throttled]]);
    await putWithRetry(["a", "b"], send, { ...noWait, ...hooks });
    await putWithRetry(["a"], async () => [ok, ok], { ...noWait, ...hooks }).catch(() => undefined); // wrong number of results
    await putWithRetry(["a"], async () => Promise.reject(awsError("ValidationException", 400)), {
      ...noWait,
      ...hooks,
    }).catch(() => undefined);
    const controller = new AbortController();
    await putWithRetry(["a"], send, {
      ...noWait,
      beforeAttempt: () => {
        open++;
        controller.abort();
      },
      onAttempt: hooks.onAttempt,
      signal: controller.signal,
    }).catch(() => undefined);
    expect(open).toBe(0);
  });

  it("refuses a response with the wrong number of results", async () => {
    const send: SendBatch<string> = async () => [ok];
    const error = await putWithRetry(["a", "b"], send, noWait).catch((e) => e);
    expect(error.unsent[0].errorCode).toBe("InvalidResponse");
  });
});

describe("error classification", () => {
  it.each([
    ["ProvisionedThroughputExceededException", true, awsError("ProvisionedThroughputExceededException", 400)],
    ["ServiceUnavailableException", true, awsError("ServiceUnavailableException", 503)],
    ["SomethingNew", true, awsError("SomethingNew", 502)],
    [
      "connect ECONNREFUSED 127.0.0.1:1",
      true,
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
    ],
    ["timeout", true, Object.assign(new Error("timeout"), { name: "TimeoutError" })],
    ["ResourceNotFoundException", false, awsError("ResourceNotFoundException", 400)],
    ["ValidationException", false, awsError("ValidationException", 400)],
    ["AccessDeniedException", false, awsError("AccessDeniedException", 400)],
    ["aborted", false, Object.assign(new Error("aborted"), { name: "AbortError" })],
  ])("%s -> retryable %s", (_label, expected, error) => {
    expect(isRetryablePutError(error)).toBe(expected);
  });

  it("names a socket error by its code", () => {
    expect(describeError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })).errorCode).toBe(
      "ECONNRESET",
    );
  });
});
