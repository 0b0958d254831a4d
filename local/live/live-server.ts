import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { LiveEnd, LiveHello, LiveHotspotEvent, LiveWindow } from "./live-messages";
import { LIVE_PAGE_CSP, renderLivePage } from "./live-page";
import { formatSseMessage, parseLastEventId } from "./sse-message";

/** Window snapshots go out at most this often (4 a second): enough to see hotspots move. */
export const WINDOW_INTERVAL_MS = 250;
/** Lifecycle events kept for browsers that reconnect (or connect late); older ones are dropped. */
export const KEPT_EVENTS = 5000;
/** Loopback only: the map shows the run's data to this machine. */
const HOST = "127.0.0.1";

export interface LiveMapServerOptions {
  /** 0 (the default): any free port. */
  readonly port?: number;
  readonly hello: LiveHello;
  /** Snapshot throttle; default WINDOW_INTERVAL_MS. */
  readonly windowIntervalMs?: number;
}

interface Message {
  readonly id: number;
  readonly text: string;
}

/**
 * The live map: an HTTP server on the loopback address. `GET /` is the page (self-contained, no
 * network), `GET /events` a text/event-stream of hotspot lifecycle events and window snapshots, each
 * with an `id:`; a browser that reconnects with Last-Event-ID gets the messages it missed (the kept
 * lifecycle events after it, then the latest snapshot). Requests naming another host are refused
 * (a web page elsewhere cannot read the map through DNS rebinding).
 */
export class LiveMapServer {
  private readonly clients = new Set<ServerResponse>();
  private readonly kept: Message[] = [];
  private nextId = 1;
  private latestWindow: Message | undefined;
  private pendingWindow: LiveWindow | undefined;
  private windowTimer: NodeJS.Timeout | undefined;
  private lastWindowAt = 0;
  private ended: Message | undefined;
  private readonly hello: string;
  private readonly windowIntervalMs: number;

  private constructor(
    private readonly server: Server,
    options: LiveMapServerOptions,
  ) {
    this.hello = JSON.stringify(options.hello);
    this.windowIntervalMs = options.windowIntervalMs ?? WINDOW_INTERVAL_MS;
  }

  /** Listens on 127.0.0.1 at `port` (0: any free one); rejects with a one-line error when the port is taken. */
  static async start(options: LiveMapServerOptions): Promise<LiveMapServer> {
    const server = createServer();
    const live = new LiveMapServer(server, options);
    server.on("request", (req, res) => live.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        reject(new Error(`live map: cannot listen on ${HOST}:${options.port ?? 0}: ${error.code ?? error.message}`)),
      );
      server.listen(options.port ?? 0, HOST, () => resolve());
    });
    return live;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://${HOST}:${port}/`;
  }

  /** Sends lifecycle events now, in order. */
  publishEvents(events: readonly LiveHotspotEvent[]): void {
    for (const event of events) {
      const message = this.message("hotspot", JSON.stringify(event));
      this.kept.push(message);
      this.broadcast(message);
    }
    if (this.kept.length > KEPT_EVENTS) this.kept.splice(0, this.kept.length - KEPT_EVENTS);
  }

  /** Sends the window's hotspots, at most once per interval: the latest one wins. */
  publishWindow(window: LiveWindow): void {
    this.pendingWindow = window;
    if (this.windowTimer !== undefined) return;
    const wait = this.lastWindowAt + this.windowIntervalMs - Date.now();
    if (wait <= 0) this.flushWindow();
    else this.windowTimer = setTimeout(() => this.flushWindow(), wait);
  }

  /** Sends the last snapshot and `end`; the page keeps what it drew. */
  end(end: LiveEnd): void {
    if (this.windowTimer !== undefined) this.flushWindow();
    this.ended = this.message("end", JSON.stringify(end));
    this.broadcast(this.ended);
  }

  /** Closes every event stream and the server. */
  async close(): Promise<void> {
    clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
    for (const res of this.clients) res.end();
    this.clients.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
  }

  private flushWindow(): void {
    clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
    if (this.pendingWindow === undefined) return;
    this.latestWindow = this.message("window", JSON.stringify(this.pendingWindow));
    this.pendingWindow = undefined;
    this.lastWindowAt = Date.now();
    this.broadcast(this.latestWindow);
  }

  private message(event: string, data: string): Message {
    const id = this.nextId++;
    return { id, text: formatSseMessage(id, event, data) };
  }

  private broadcast(message: Message): void {
    for (const res of this.clients) res.write(message.text);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const { port } = this.server.address() as AddressInfo;
    const host = req.headers.host ?? "";
    if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) {
      res
        .writeHead(421, { "Content-Type": "text/plain; charset=utf-8" })
        .end(`this server answers only to ${HOST}:${port}\n`);
      return;
    }
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" }).end("only GET\n");
    } else if (path === "/") {
      res.writeHead(200, {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": LIVE_PAGE_CSP,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      });
      res.end(req.method === "HEAD" ? undefined : renderLivePage());
    } else if (path === "/events") {
      this.stream(req, res);
    } else {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found: try / or /events\n");
    }
  }

  private stream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    const after = parseLastEventId(req.headers["last-event-id"]) ?? 0;
    // `hello` has no id: it does not move the browser's Last-Event-ID.
    let text = `retry: 1000\nevent: hello\ndata: ${this.hello}\n\n`;
    for (const m of this.kept) if (m.id > after) text += m.text;
    if (this.latestWindow && this.latestWindow.id > after) text += this.latestWindow.text;
    if (this.ended) text += this.ended.text;
    res.write(text);
    this.clients.add(res);
    req.on("close", () => this.clients.delete(res));
  }
}
