/**
 * A loopback HTTP server that answers PutEvents as EventBridge does (JSON 1.1: per-entry EventId or
 * ErrorCode/ErrorMessage, FailedEntryCount; whole-request errors as {"__type", "message"} with their
 * HTTP status), for the real SDK client.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface WireEntry {
  EventBusName: string;
  Source: string;
  DetailType: string;
  Detail: string;
}

/** What the server answers to one entry, or to the whole request. */
export type EntryAnswer = { ok: true } | { ok: false; code: string };
export type RequestAnswer = { status: number; type: string } | undefined;

/** A loopback PutEvents endpoint; `answerEntry`/`answerRequest` decide each answer. */
export class PutEventsServer {
  readonly requests: { target: string; entries: WireEntry[] }[] = [];
  /** Entries accepted, in the order EventBridge accepted them. */
  readonly accepted: WireEntry[] = [];
  answerEntry: (request: number, index: number, entry: WireEntry) => EntryAnswer = () => ({ ok: true });
  answerRequest: (request: number) => RequestAnswer = () => undefined;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body }) => {
        res.writeHead(status, {
          "content-type": "application/x-amz-json-1.1",
          "x-amzn-requestid": `req-${this.requests.length}`,
        });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { Entries: WireEntry[] };
    const request = this.requests.push({ target: String(req.headers["x-amz-target"]), entries: body.Entries }) - 1;
    const whole = this.answerRequest(request);
    if (whole) return { status: whole.status, body: { __type: whole.type, message: `${whole.type} (loopback)` } };
    const answers = body.Entries.map((e, i) => this.answerEntry(request, i, e));
    body.Entries.forEach((e, i) => {
      if (answers[i].ok) this.accepted.push(e);
    });
    return {
      status: 200,
      body: {
        FailedEntryCount: answers.filter((a) => !a.ok).length,
        Entries: answers.map((a, i) =>
          a.ok
            ? { EventId: `11710aed-b79e-4468-a20b-${String(request).padStart(6, "0")}${String(i).padStart(6, "0")}` }
            : { ErrorCode: a.code, ErrorMessage: `${a.code} (loopback)` },
        ),
      },
    };
  }
}
