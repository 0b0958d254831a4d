/**
 * A loopback endpoint that answers AWS JSON-protocol calls (ECS, CloudWatch, Athena) with
 * recorded answers, so the real SDK clients serialize, sign, send and parse as against AWS.
 * Each answer is picked by the request's X-Amz-Target (e.g. "AmazonAthena.GetQueryExecution");
 * a list of answers is used in turn, the last one repeating. Every request is kept for asserts.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

export interface RecordedRequest {
  /** The operation, e.g. "DescribeServices". */
  readonly operation: string;
  readonly body: Record<string, unknown>;
}

export interface RecordedAnswer {
  readonly status?: number;
  readonly body: unknown;
}

export type Answers = Record<string, RecordedAnswer | RecordedAnswer[]>;

export interface RecordedAws {
  readonly endpoint: string;
  readonly requests: RecordedRequest[];
  /** Replaces the answers (between tests). */
  answer(answers: Answers): void;
  close(): Promise<void>;
}

/** A recorded answer file under __tests__/fixtures/aws-answers/, with `${...}` placeholders filled in. */
export function recorded(name: string, values: Record<string, string | number> = {}): RecordedAnswer {
  let text = readFileSync(join(__dirname, "..", "fixtures", "aws-answers", `${name}.json`), "utf8");
  for (const [key, value] of Object.entries(values)) text = text.split(`\${${key}}`).join(String(value));
  return { body: JSON.parse(text) };
}

export async function startRecordedAws(initial: Answers = {}): Promise<RecordedAws> {
  let answers = initial;
  const used = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const operation = target.slice(target.lastIndexOf(".") + 1);
      const text = Buffer.concat(chunks).toString("utf8");
      requests.push({ operation, body: text === "" ? {} : JSON.parse(text) });
      const entry = answers[operation];
      const list = entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
      const n = used.get(operation) ?? 0;
      used.set(operation, n + 1);
      const answer = list[Math.min(n, list.length - 1)] ?? {
        status: 400,
        body: { __type: "UnknownOperationException", message: `no recorded answer for ${operation}` },
      };
      const json = String(req.headers["content-type"] ?? "application/x-amz-json-1.1");
      res.writeHead(answer.status ?? 200, { "content-type": json, "x-amzn-requestid": `recorded-${requests.length}` });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answer(next) {
      answers = next;
      used.clear();
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
