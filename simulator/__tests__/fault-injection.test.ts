import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { createStream, startEmbeddedKinesis, type EmbeddedKinesis } from "@hotspots/core";
import { createSimulatorKinesisClient, runSimulator } from "../src";
import { eventCsv, eventRecord, tempDir, writeTemp } from "./support/events";
import { startFaultProxy, type FaultProxy } from "./support/fault-proxy";
import { readAllRecords } from "./support/stream-reader";

describe("runSimulator through a proxy that throttles, fails and drops like a busy Kinesis", () => {
  let kinesis: EmbeddedKinesis;
  let direct: KinesisClient;
  let proxy: FaultProxy;
  let throughProxy: KinesisClient;

  beforeAll(async () => {
    kinesis = await startEmbeddedKinesis();
    direct = createSimulatorKinesisClient({ kinesisEndpoint: kinesis.endpoint });
    proxy = await startFaultProxy(kinesis.endpoint, {
      dropConnection: 0.08,
      serverError: 0.08,
      throttleRequest: 0.08,
      failEntry: 0.1,
    });
    throughProxy = createSimulatorKinesisClient({ kinesisEndpoint: proxy.endpoint });
  });
  afterAll(async () => {
    direct.destroy();
    throughProxy.destroy();
    await proxy.close();
    await kinesis.close();
  });

  it("still delivers every row exactly once, and counts the retries that were injected", async () => {
    await createStream(direct, "faulty", 2);
    const rows = 1500;
    const input = writeTemp(tempDir(), "rows.csv", eventCsv(rows));
    const summary = await runSimulator({
      input,
      streamName: "faulty",
      kinesis: throughProxy,
      batchSize: 50,
      maxAttempts: 30,
      backoff: { baseDelayMs: 1, maxDelayMs: 4 },
    });

    const injected = proxy.injected;
    // The run met every kind of fault, more than once.
    expect(injected.droppedConnections).toBeGreaterThan(1);
    expect(injected.serverErrors).toBeGreaterThan(1);
    expect(injected.throttledRequests).toBeGreaterThan(1);
    expect(injected.failedEntries).toBeGreaterThan(100);

    expect(summary).toMatchObject({ rowsRead: rows, recordsSent: rows, unsent: 0, exitCode: 0 });
    expect(summary.retriedEntries).toBe(injected.failedEntries);
    expect(summary.requestRetries).toBe(
      injected.droppedConnections + injected.serverErrors + injected.throttledRequests,
    );
    expect(summary.throttledAttempts).toBeGreaterThanOrEqual(injected.throttledRequests);

    const records = await readAllRecords(direct, "faulty");
    const ids = records.map((r) => r.json.event_id as string);
    expect(new Set(ids).size).toBe(ids.length); // nothing written twice
    const byId = new Map(records.map((r) => [r.json.event_id, r.json]));
    expect(records).toHaveLength(rows);
    for (let i = 0; i < rows; i++) expect(byId.get(`ev-${i}`)).toEqual(eventRecord(i));
  });

  it("while the stream throttles, narrows the batches in flight to one; when stopped, gives up at the deadline and reports the unsent", async () => {
    await createStream(direct, "throttled", 1);
    const alwaysThrottled = await startFaultProxy(kinesis.endpoint, {
      dropConnection: 0,
      serverError: 0,
      throttleRequest: 1,
      failEntry: 0,
    });
    const client = createSimulatorKinesisClient({ kinesisEndpoint: alwaysThrottled.endpoint });
    const stop = new AbortController();
    const windows: number[] = [];
    const summary = await runSimulator({
      input: writeTemp(tempDir(), "rows.csv", eventCsv(300)),
      streamName: "throttled",
      kinesis: client,
      batchSize: 10,
      maxInFlight: 8,
      maxAttempts: 100,
      backoff: { baseDelayMs: 5, maxDelayMs: 20 },
      drainTimeoutMs: 300,
      signal: stop.signal,
      progressIntervalMs: 50,
      onProgress: (p) => {
        windows.push(p.window);
        if (p.elapsedMs > 200) stop.abort();
      },
    }).finally(async () => {
      client.destroy();
      await alwaysThrottled.close();
    });

    expect(windows).toContain(1);
    // The deadline ended it, not exhausted attempts (that would be stoppedBy "error" with a message).
    expect(summary.error).toBeUndefined();
    expect(summary).toMatchObject({ stoppedBy: "signal", recordsSent: 0, exitCode: 1 });
    expect(summary.unsent).toBe(summary.rowsRead);
    expect(summary.unsentByError.ProvisionedThroughputExceededException).toBeGreaterThan(0);
    expect(summary.throttledAttempts).toBeGreaterThan(10);
  });

  it("stops with exit code 1 and counts the records it could not send when the faults outlast its attempts", async () => {
    await createStream(direct, "faulty-2", 1);
    const input = writeTemp(tempDir(), "rows.csv", eventCsv(400));
    const summary = await runSimulator({
      input,
      streamName: "faulty-2",
      kinesis: throughProxy,
      batchSize: 100,
      maxAttempts: 1,
      backoff: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    expect(summary.exitCode).toBe(1);
    expect(summary.stoppedBy).toBe("error");
    expect(summary.unsent).toBeGreaterThan(0);
    expect(summary.error).toMatch(
      /records not sent, (still failing after 1 attempts|failed with an error that retrying cannot fix)/,
    );
    // Everything read is accounted for: sent, or listed as unsent.
    expect(summary.recordsSent + summary.unsent).toBe(summary.rowsRead);
    expect(await readAllRecords(direct, "faulty-2")).toHaveLength(summary.recordsSent);
  });
});
