import { request, type IncomingMessage } from "node:http";

export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/**
 * A text/event-stream read as the HTML standard's parser does (fields `id`, `event`, `data`, `retry`;
 * comments; a blank line dispatches), over a real HTTP connection: for tests of the live map's server.
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  private waiters: { test: () => boolean; resolve: () => void }[] = [];
  private buffer = "";
  private pending: { id?: string; event?: string; data: string[] } = { data: [] };
  private lastId: string | undefined;

  private constructor(readonly response: IncomingMessage) {
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => this.feed(chunk));
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { Accept: "text/event-stream", ...headers } }, (res) =>
        resolve(new SseClient(res)),
      );
      req.on("error", reject);
      req.end();
    });
  }

  /** The id the browser would send back as Last-Event-ID. */
  get lastEventId(): string | undefined {
    return this.lastId;
  }

  /** Resolves once a message satisfies `test` (or already has); rejects after `timeoutMs`. */
  waitFor(test: (messages: SseMessage[]) => boolean, timeoutMs = 5000): Promise<void> {
    if (test(this.messages)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no such message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.map((m) => m.event))}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        test: () => test(this.messages),
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  close(): void {
    this.response.destroy();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    for (let nl = this.buffer.search(/\r\n|\r|\n/); nl >= 0; nl = this.buffer.search(/\r\n|\r|\n/)) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + (this.buffer.startsWith("\r\n", nl) ? 2 : 1));
      this.line(line);
    }
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }

  private line(line: string): void {
    if (line === "") {
      if (this.pending.id !== undefined) this.lastId = this.pending.id;
      if (this.pending.data.length > 0) {
        this.messages.push({
          id: this.pending.id,
          event: this.pending.event ?? "message",
          data: this.pending.data.join("\n"),
        });
      }
      this.pending = { data: [] };
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.pending.data.push(value);
    else if (field === "event") this.pending.event = value;
    else if (field === "id") this.pending.id = value;
  }
}
