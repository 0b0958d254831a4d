import { request } from "node:http";
import type { LiveHotspotEvent, LiveWindow } from "../live-messages";
import { LIVE_PAGE_CSP } from "../live-page";
import { KEPT_EVENTS, LiveMapServer } from "../live-server";
import { UserError } from "@hotspots/core";
import { inputArea, startLiveMap } from "../../pipeline/run-events";
import type { InputIndex } from "../../pipeline/input-index";
import { formatSseMessage, parseLastEventId } from "../sse-message";
import { SseClient } from "./sse-client";

const hello = {
  columns: ["longitude", "latitude"],
  windowSize: 1000,
  area: { minLon: -122.44, maxLon: -122.24, minLat: 47.5, maxLat: 47.74 },
};

function event(n: number, type: LiveHotspotEvent["type"] = "emerged"): LiveHotspotEvent {
  return {
    eventId: `h-${n}:1`,
    type,
    hotspotId: `h-${n}`,
    relatedIds: [],
    eventTime: "2026-06-01T18:00:00.000Z",
    position: n * 10,
    centroid: [-122.3, 47.6],
    minValues: [-122.301, 47.599],
    maxValues: [-122.299, 47.601],
    members: 40,
  };
}

const windowAt = (records: number): LiveWindow => ({
  records,
  eventTime: null,
  hotspots: [{ hotspotId: "h-1", density: 1e6, minValues: [-122.301, 47.599], maxValues: [-122.299, 47.601] }],
});

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on("error", reject)
      .end();
  });
}

describe("LiveMapServer", () => {
  let server: LiveMapServer;
  const clients: SseClient[] = [];
  const open = async (headers: Record<string, string> = {}) => {
    const c = await SseClient.open(`${server.url}events`, headers);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    server = await LiveMapServer.start({ hello, windowIntervalMs: 200 });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server.close();
  });

  it("listens on the loopback address and serves one self-contained page under a content security policy", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get(server.url);
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["content-security-policy"]).toBe(LIVE_PAGE_CSP);
    expect(LIVE_PAGE_CSP).toContain("default-src 'none'");
    expect(page.body).toContain('<canvas id="map"');
    expect(page.body).toContain('new EventSource("events")');
    // Nothing from the network: no src or href attributes, no URL but its own stream.
    expect(page.body).not.toMatch(/\s(src|href)=/);
    expect(page.body).not.toMatch(/https?:\/\//);
    expect((await get(`${server.url}nothing`)).status).toBe(404);
  });

  it("refuses a request for another host name (DNS rebinding)", async () => {
    const port = new URL(server.url).port;
    expect((await get(server.url, { Host: `evil.example:${port}` })).status).toBe(421);
    expect((await get(server.url, { Host: `localhost:${port}` })).status).toBe(200);
  });

  it("streams hello, then lifecycle events and window snapshots, each with an increasing id", async () => {
    const client = await open();
    expect(client.response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    await client.waitFor((m) => m.length === 1);
    expect(client.messages[0]).toEqual({ id: undefined, event: "hello", data: JSON.stringify(hello) });
    server.publishEvents([event(1), event(2)]);
    server.publishWindow(windowAt(10));
    await client.waitFor((m) => m.some((x) => x.event === "window"));
    const [, first, second, snapshot] = client.messages;
    expect([first.event, second.event, snapshot.event]).toEqual(["hotspot", "hotspot", "window"]);
    expect(JSON.parse(first.data)).toEqual(event(1));
    expect(JSON.parse(snapshot.data)).toEqual(windowAt(10));
    expect([first.id, second.id, snapshot.id].map(Number)).toEqual([1, 2, 3]);
    server.end({ message: "run finished" });
    await client.waitFor((m) => m.some((x) => x.event === "end"));
    expect(JSON.parse(client.messages[client.messages.length - 1].data)).toEqual({ message: "run finished" });
  });

  it("sends at most one window snapshot per interval, the latest one", async () => {
    const client = await open();
    await client.waitFor((m) => m.length === 1);
    const started = Date.now();
    for (let r = 1; r <= 50; r++) server.publishWindow(windowAt(r));
    await client.waitFor((m) => m.filter((x) => x.event === "window").length === 2);
    const windows = client.messages
      .filter((x) => x.event === "window")
      .map((x) => (JSON.parse(x.data) as LiveWindow).records);
    expect(windows).toEqual([1, 50]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await new Promise((r) => setTimeout(r, 300));
    expect(client.messages.filter((x) => x.event === "window")).toHaveLength(2);
  });

  it("gives a browser that reconnects with Last-Event-ID what it missed, and a late one the kept events and the latest snapshot", async () => {
    const first = await open();
    server.publishEvents([event(1)]);
    await first.waitFor((m) => m.some((x) => x.event === "hotspot"));
    const missedFrom = first.lastEventId as string;
    first.close();
    server.publishEvents([event(2, "changed"), event(3)]);
    server.publishWindow(windowAt(30));

    const again = await open({ "Last-Event-ID": missedFrom });
    await again.waitFor((m) => m.some((x) => x.event === "window"));
    expect(again.messages.map((x) => [x.event, x.id])).toEqual([
      ["hello", undefined],
      ["hotspot", "2"],
      ["hotspot", "3"],
      ["window", "4"],
    ]);

    const late = await open();
    await late.waitFor((m) => m.some((x) => x.event === "window"));
    expect(late.messages.filter((x) => x.event === "hotspot").map((x) => JSON.parse(x.data).hotspotId)).toEqual([
      "h-1",
      "h-2",
      "h-3",
    ]);
  });

  it("keeps only the latest KEPT_EVENTS lifecycle events for late browsers", async () => {
    server.publishEvents(Array.from({ length: KEPT_EVENTS + 10 }, (_, i) => event(i + 1)));
    const late = await open();
    await late.waitFor((m) => m.filter((x) => x.event === "hotspot").length === KEPT_EVENTS);
    expect(JSON.parse(late.messages[1].data).hotspotId).toBe("h-11");
  });

  it("reports a port in use in one line, as a bad --live-port for npm start", async () => {
    const port = Number(new URL(server.url).port);
    await expect(LiveMapServer.start({ hello, port })).rejects.toThrow(
      `live map: cannot listen on 127.0.0.1:${port}: EADDRINUSE`,
    );
    const input = {
      rows: 0,
      rowOf: new Map(),
      longitude: new Float64Array(0),
      latitude: new Float64Array(0),
      time: new Float64Array(0),
    } as InputIndex;
    const taken = startLiveMap(port, input, {
      windowSize: 1000,
      scanRadius: 0.003,
      minimumPoints: 20,
      columns: ["longitude", "latitude"],
    });
    await expect(taken).rejects.toThrow(UserError);
    await expect(taken).rejects.toThrow(
      `--live-port ${port}: live map: cannot listen on 127.0.0.1:${port}: EADDRINUSE; try another port, or --live for any free one`,
    );
  });

  it("draws over the input's extent, with a margin", () => {
    const input = {
      longitude: Float64Array.from([-122.4, -122.3, NaN]),
      latitude: Float64Array.from([47.5, 47.7, 47.6]),
    } as InputIndex;
    const area = inputArea(input)!;
    expect(area.minLon).toBeCloseTo(-122.402, 6);
    expect(area.maxLon).toBeCloseTo(-122.298, 6);
    expect(area.minLat).toBeCloseTo(47.496, 6);
    expect(area.maxLat).toBeCloseTo(47.704, 6);
    expect(inputArea({ longitude: new Float64Array(0), latitude: new Float64Array(0) } as InputIndex)).toBeUndefined();
  });
});

describe("SSE messages", () => {
  it("puts each line of the data on its own data: line", () => {
    expect(formatSseMessage(7, "hotspot", "a\nb")).toBe("id: 7\nevent: hotspot\ndata: a\ndata: b\n\n");
    expect(() => formatSseMessage(1, "a\nb", "x")).toThrow("cannot hold a line break");
  });

  it("reads only our own ids from Last-Event-ID", () => {
    expect(parseLastEventId("12")).toBe(12);
    expect(parseLastEventId(undefined)).toBeUndefined();
    expect(parseLastEventId("abc")).toBeUndefined();
    expect(parseLastEventId("-1")).toBeUndefined();
  });
});
