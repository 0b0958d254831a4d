/**
 * EventBridgeSink with the real SDK client against a loopback HTTP server that answers PutEvents
 * as EventBridge does (JSON 1.1: per-entry EventId or ErrorCode/ErrorMessage, FailedEntryCount;
 * whole-request errors as {"__type", "message"} with their HTTP status).
 */
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import {
  BatchPutError,
  EVENTBRIDGE_MAX_BYTES_PER_PUT,
  EVENTBRIDGE_MAX_ENTRIES_PER_PUT,
  HOTSPOT_DETAIL_TYPES,
  HOTSPOT_EVENT_SOURCE,
} from "@hotspots/core";
import { eventBridgeEntryBytes, nextBatch } from "../src/stream/eventbridge-batches";
import { EventBridgeSink } from "../src/stream/eventbridge-sink";
import { PutEventsServer, type WireEntry } from "./support/put-events-server";
import { seededRandom } from "./support/synthetic-points";

interface TestEvent {
  eventId: string;
  type: string;
  hotspotId: string;
  members: number;
  note?: string;
}

const BUS = "ubiquitous-octo-spoon-hotspots";
let server: PutEventsServer;
let client: EventBridgeClient;
const NO_WAIT = { sleep: async () => undefined };

beforeEach(async () => {
  server = new PutEventsServer();
  const endpoint = await server.start();
  client = new EventBridgeClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDLOOPBACK", secretAccessKey: "loopback" },
    maxAttempts: 1,
  });
});
afterEach(async () => {
  client.destroy();
  await server.stop();
});

function event(hotspot: number, n: number, type = "changed", note?: string): TestEvent {
  const hotspotId = `h-${hotspot.toString(36)}`;
  return { eventId: `${hotspotId}:${n}`, type, hotspotId, members: 100 + n, ...(note === undefined ? {} : { note }) };
}
const sinkFor = (retry = {}) =>
  new EventBridgeSink<TestEvent>({ client, busName: BUS, retry: { ...NO_WAIT, ...retry } });
const detailOf = (e: WireEntry) => JSON.parse(e.Detail) as TestEvent;

describe("entry size and batches", () => {
  it("counts an entry as AWS documents: UTF-8 bytes of Source, DetailType, Detail, Resources, and 14 for Time", () => {
    const base = { source: "hotspots.detector", detailType: "Hotspot emerged", detail: '{"name":"東京"}' };
    // The detail is 11 ASCII characters and 東京, 3 bytes each in UTF-8.
    expect(eventBridgeEntryBytes(base)).toBe(17 + 15 + 17);
    expect(eventBridgeEntryBytes({ ...base, time: new Date(0), resources: ["arn:x", "é"] })).toBe(
      17 + 15 + 17 + 14 + 5 + 2,
    );
  });

  it("takes the first queued event of each hotspot, up to 10 and below the byte limit", () => {
    const q = (ids: string[], bytes = 10) => ids.map((hotspotId) => ({ hotspotId, bytes }));
    expect(nextBatch(q(["a", "a", "b", "a", "c"]))).toEqual({ indices: [0, 2, 4], full: false });
    const many = q(Array.from({ length: 12 }, (_, i) => `h${i}`));
    expect(nextBatch(many)).toEqual({ indices: [...Array(10).keys()], full: true });
    // A big entry that does not fit holds its hotspot back; a smaller one of another hotspot still goes.
    const big = [
      { hotspotId: "a", bytes: 200_000 },
      { hotspotId: "b", bytes: 100_000 },
      { hotspotId: "b", bytes: 1 },
      { hotspotId: "c", bytes: 5 },
    ];
    expect(nextBatch(big)).toEqual({ indices: [0, 3], full: true });
  });
});

describe("EventBridgeSink over PutEvents", () => {
  it("puts each event with the bus, source, detail-type of its type and the event JSON as detail, 10 to a request", async () => {
    const sink = sinkFor();
    const events = Array.from({ length: 25 }, (_, i) => event(i + 1, 1, i % 2 ? "emerged" : "dissolved"));
    await sink.put(events);
    // Two full requests went during put; the last five wait for flush.
    expect(server.requests.map((r) => r.entries.length)).toEqual([10, 10]);
    expect(sink.pending).toBe(5);
    await sink.flush();
    expect(server.requests.map((r) => r.entries.length)).toEqual([10, 10, 5]);
    expect(server.requests.every((r) => r.target === "AWSEvents.PutEvents")).toBe(true);
    const sent = server.requests.flatMap((r) => r.entries);
    expect(sent.map(detailOf)).toEqual(events);
    for (const [i, e] of sent.entries()) {
      expect(e).toMatchObject({
        EventBusName: BUS,
        Source: HOTSPOT_EVENT_SOURCE,
        DetailType: HOTSPOT_DETAIL_TYPES[events[i].type as "emerged"],
      });
    }
    expect(sink.stats).toEqual({ delivered: 25, requests: 3, retriedEntries: 0 });
    expect(sink.pending).toBe(0);
  });

  it("keeps each request below 256 KiB as EventBridge counts entries, and as full as the events allow", async () => {
    const sink = sinkFor();
    const note = "x".repeat(60_000);
    await sink.put(Array.from({ length: 9 }, (_, i) => event(i + 1, 1, "changed", note)));
    await sink.flush();
    const sizes = server.requests.map((r) =>
      r.entries.reduce(
        (sum, e) => sum + eventBridgeEntryBytes({ source: e.Source, detailType: e.DetailType, detail: e.Detail }),
        0,
      ),
    );
    expect(sizes.every((s) => s < EVENTBRIDGE_MAX_BYTES_PER_PUT)).toBe(true);
    // Entries of ~60 KB: four fit below 256 KiB, a fifth would not.
    expect(server.requests.map((r) => r.entries.length)).toEqual([4, 4, 1]);
    expect(server.accepted).toHaveLength(9);
  });

  it("retries only the entries EventBridge failed (FailedEntryCount with per-entry ErrorCode), by index", async () => {
    server.answerEntry = (request, index) =>
      request === 0 && (index === 2 || index === 7)
        ? { ok: false, code: index === 2 ? "ThrottlingException" : "InternalFailure" }
        : { ok: true };
    const sink = sinkFor();
    const events = Array.from({ length: 10 }, (_, i) => event(i + 1, 1));
    await sink.put(events);
    await sink.flush();
    expect(server.requests.map((r) => r.entries.map((e) => detailOf(e).hotspotId))).toEqual([
      events.map((e) => e.hotspotId),
      ["h-3", "h-8"],
    ]);
    expect(new Set(server.accepted.map((e) => detailOf(e).eventId)).size).toBe(10);
    expect(sink.stats).toEqual({ delivered: 10, requests: 2, retriedEntries: 2 });
  });

  it("delivers the events of each hotspot in order, exactly once, whatever entries fail on the way", async () => {
    const random = seededRandom(14);
    server.answerEntry = () =>
      random() < 0.3 ? { ok: false, code: random() < 0.5 ? "ThrottlingException" : "InternalFailure" } : { ok: true };
    const sink = sinkFor({ maxAttempts: 50 });
    // 6 hotspots, 8 events each, interleaved as a tracker would emit them.
    const events: TestEvent[] = [];
    for (let n = 1; n <= 8; n++) for (let h = 1; h <= 6; h++) if (random() < 0.9) events.push(event(h, n));
    for (let i = 0; i < events.length; i += 7) await sink.put(events.slice(i, i + 7));
    await sink.flush();
    // No request carried two events of one hotspot.
    for (const r of server.requests)
      expect(new Set(r.entries.map((e) => detailOf(e).hotspotId)).size).toBe(r.entries.length);
    const accepted = server.accepted.map(detailOf);
    expect(accepted.map((e) => e.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
    for (let h = 1; h <= 6; h++) {
      const id = `h-${h}`;
      expect(accepted.filter((e) => e.hotspotId === id).map((e) => e.eventId)).toEqual(
        events.filter((e) => e.hotspotId === id).map((e) => e.eventId),
      );
    }
    expect(sink.stats.retriedEntries).toBeGreaterThan(0);
  });

  it("retries a throttled or failed request whole, and gives up with BatchPutError after maxAttempts", async () => {
    server.answerRequest = (request) =>
      request === 0
        ? { status: 400, type: "ThrottlingException" }
        : request === 1
          ? { status: 500, type: "InternalException" }
          : undefined;
    const sink = sinkFor();
    await sink.put([event(1, 1), event(2, 1)]);
    await sink.flush();
    expect(server.requests).toHaveLength(3);
    expect(server.accepted).toHaveLength(2);

    server.answerRequest = () => ({ status: 500, type: "InternalException" });
    const failing = sinkFor({ maxAttempts: 3 });
    await failing.put([event(3, 1)]);
    const error = await failing.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchPutError);
    expect((error as BatchPutError).message).toMatch(
      /1 of 1 records not sent, still failing after 3 attempts: InternalException x1/,
    );
    expect(failing.pending).toBe(1);
  });

  it("does not retry an entry EventBridge rejects for good; the failed flush leaves it queued, ahead of its hotspot's later events", async () => {
    let broken = true;
    server.answerEntry = (_, __, entry) =>
      broken && detailOf(entry).eventId === "h-1:1" ? { ok: false, code: "AccessDeniedException" } : { ok: true };
    const sink = sinkFor();
    await sink.put([event(1, 1), event(2, 1), event(1, 2)]);
    const error = await sink.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchPutError);
    expect((error as BatchPutError).failure).toBe("not-retryable");
    // h-1:1 was sent once (no retry of a non-retryable code), and h-1:2 never went ahead of it.
    expect(server.requests.flatMap((r) => r.entries.map((e) => detailOf(e).eventId))).toEqual(["h-1:1", "h-2:1"]);
    expect(sink.pending).toBe(2);
    broken = false;
    await sink.flush();
    expect(server.accepted.map((e) => detailOf(e).eventId)).toEqual(["h-2:1", "h-1:1", "h-1:2"]);
  });

  it("refuses, naming it, an event too big for any request, and an event type the bus does not carry", async () => {
    const sink = sinkFor();
    await expect(sink.put([event(1, 1, "changed", "y".repeat(EVENTBRIDGE_MAX_BYTES_PER_PUT))])).rejects.toThrow(
      /^hotspot event "h-1" \(changed\) is \d+ bytes as a PutEvents entry; EventBridge accepts less than 262144$/,
    );
    await expect(sink.put([event(1, 1, "moved")])).rejects.toThrow(
      /hotspot event type must be one of emerged, changed, merged, split, dissolved, got "moved"/,
    );
    expect(server.requests).toHaveLength(0);
    expect(() => new EventBridgeSink({ client, busName: "" })).toThrow(/busName must be a bus name or ARN/);
  });

  it("sends at most 10 entries per request (EventBridge's limit)", async () => {
    expect(EVENTBRIDGE_MAX_ENTRIES_PER_PUT).toBe(10);
    const sink = sinkFor();
    await sink.put(Array.from({ length: 37 }, (_, i) => event(i, 1)));
    await sink.flush();
    expect(Math.max(...server.requests.map((r) => r.entries.length))).toBe(10);
    expect(server.requests).toHaveLength(4);
  });
});
