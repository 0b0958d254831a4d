import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback proxy in front of s3rver (which enforces no IAM) that answers as S3 does for a caller
 * holding only the given grant. Path-style requests only (the SDK with forcePathStyle):
 * - GET/HEAD /bucket/key is s3:GetObject, PUT /bucket/key is s3:PutObject, on `key`;
 * - GET /bucket?list-type=2&prefix=P is s3:ListBucket with the request's `s3:prefix` = P;
 * - anything else is denied.
 * A denied request gets 403 AccessDenied. An allowed GetObject of a missing key gets s3rver's
 * 404 NoSuchKey only when the grant allows s3:ListBucket in the GetObject's own request context
 * (which has no `s3:prefix`), and 403 AccessDenied otherwise: S3 API Reference, GetObject,
 * "Permissions".
 */
export interface S3Grant {
  /** StringLike patterns (`*`, `?`) of the object keys s3:GetObject is allowed on. */
  readonly getObject: readonly string[];
  readonly putObject: readonly string[];
  /**
   * s3:ListBucket: `true` unconditionally, or only when the request's `s3:prefix` matches one of
   * these StringLike patterns (a request without a prefix never does).
   */
  readonly listBucket: true | readonly string[];
}

export interface S3AccessProxy {
  readonly endpoint: string;
  /** Every request as "<action> <key or prefix> -> <status>", in order. */
  readonly log: string[];
  close(): Promise<void>;
}

/** IAM StringLike: `*` any run of characters, `?` one character, everything else literal. */
export function stringLike(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, "s").test(value);
}

const ACCESS_DENIED =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>0</RequestId><HostId>0</HostId></Error>';

export async function startS3AccessProxy(target: string, grant: S3Grant): Promise<S3AccessProxy> {
  const targetUrl = new URL(target);
  const log: string[] = [];
  const listAllowed = (prefix: string | undefined) =>
    grant.listBucket === true || (prefix !== undefined && grant.listBucket.some((p) => stringLike(p, prefix)));

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://proxy");
    const [, , ...keyParts] = url.pathname.split("/");
    const key = decodeURIComponent(keyParts.join("/"));
    const method = req.method ?? "GET";
    let action: string;
    let allowed: boolean;
    let subject: string;
    if (
      key !== "" &&
      (method === "GET" || method === "HEAD") &&
      [...url.searchParams.keys()].every((k) => k.startsWith("x-id"))
    ) {
      [action, subject, allowed] = ["GetObject", key, grant.getObject.some((p) => stringLike(p, key))];
    } else if (key !== "" && method === "PUT" && ![...url.searchParams.keys()].some((k) => !k.startsWith("x-id"))) {
      [action, subject, allowed] = ["PutObject", key, grant.putObject.some((p) => stringLike(p, key))];
    } else if (key === "" && method === "GET" && url.searchParams.get("list-type") === "2") {
      const prefix = url.searchParams.get("prefix") ?? undefined;
      [action, subject, allowed] = ["ListBucket", `prefix=${prefix ?? "(none)"}`, listAllowed(prefix)];
    } else {
      [action, subject, allowed] = [`${method} ${url.pathname}${url.search}`, "", false];
    }
    const body = await readBody(req);
    if (!allowed) return deny(`${action} ${subject}`);
    const upstream = await send(targetUrl, req, body);
    if (action === "GetObject" && upstream.status === 404 && !listAllowed(undefined))
      return deny(`${action} ${subject} (missing)`);
    log.push(`${action} ${subject} -> ${upstream.status}`);
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);

    function deny(entry: string): void {
      log.push(`${entry} -> 403`);
      res.writeHead(403, { "content-type": "application/xml" });
      res.end(method === "HEAD" ? undefined : ACCESS_DENIED);
    }
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Forwards the request unchanged (same Host header, so s3rver's signature check still holds). */
function send(
  target: URL,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: IncomingMessage["headers"]; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (response) => {
        readBody(response).then(
          (b) => resolve({ status: response.statusCode ?? 500, headers: response.headers, body: b }),
          reject,
        );
      },
    );
    upstream.on("error", reject);
    upstream.end(body);
  });
}
