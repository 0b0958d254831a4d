/**
 * How the batch retry loop (core/src/batched-put.ts) classifies what went wrong: which entry error
 * codes and whole-request errors mean "slow down" (throttling), which may succeed on another attempt
 * (throttling, 5xx, timeouts, dropped connections) and which will fail the same way again (access,
 * encryption key, validation), and the code and message an error is reported with. Pure functions
 * over AWS SDK error shapes and socket error codes.
 */

/** Error codes with which AWS APIs say "slow down" (as the AWS SDK classifies them). */
const THROTTLING_CODES = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "LimitExceededException",
  "SlowDown",
  "KMSThrottlingException",
  "BandwidthLimitExceeded",
]);

/** Service-side failures that a later attempt may not meet. */
const TRANSIENT_CODES = new Set([
  "InternalFailure",
  "InternalFailureException",
  "InternalServerError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);

/** Socket-level failures: the connection dropped, was refused or timed out. */
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** Entry error codes that will fail the same way again (access, encryption key, validation). */
const PERMANENT_ENTRY_CODES = new Set([
  "AccessDeniedException",
  "InvalidArgumentException",
  "ValidationException",
  "ResourceNotFoundException",
  "KMSAccessDeniedException",
  "KMSDisabledException",
  "KMSInvalidStateException",
  "KMSNotFoundException",
  "KMSOptInRequired",
]);

export function isThrottlingCode(code: string): boolean {
  return THROTTLING_CODES.has(code);
}

/** Kinesis entries fail with ProvisionedThroughputExceededException or InternalFailure, Firehose's with ServiceUnavailableException or InternalFailure: all worth another try. */
export function isRetryableEntryCode(code: string): boolean {
  return !PERMANENT_ENTRY_CODES.has(code);
}

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  /** clockSkewCorrected: the SDK's signer moved its clock to the server's Date on this error answer. */
  $metadata?: { httpStatusCode?: number; clockSkewCorrected?: boolean };
  $retryable?: unknown;
}

export function isThrottlingError(error: unknown): boolean {
  const e = error as ErrorLike | undefined;
  return (
    !!e &&
    (THROTTLING_CODES.has(e.name ?? "") ||
      e.$metadata?.httpStatusCode === 429 ||
      !!(e.$retryable as { throttling?: boolean } | undefined)?.throttling)
  );
}

/**
 * Whether a whole-request failure may succeed on another attempt: throttling, 5xx, timeouts,
 * dropped connections and a request refused for a clock the SDK has since corrected are (as the
 * SDK's own retry strategy has them); a missing stream, a validation error or denied access are not.
 */
export function isRetryablePutError(error: unknown, depth = 0): boolean {
  const e = error as ErrorLike | undefined;
  if (!e || typeof e !== "object") return false;
  if (e.name === "AbortError") return false;
  if (isThrottlingError(e)) return true;
  if (TRANSIENT_CODES.has(e.name ?? "") || NETWORK_CODES.has(e.code ?? "")) return true;
  if (e.$retryable !== undefined || e.$metadata?.clockSkewCorrected) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (typeof e.message === "string" && /socket hang up|ECONNRESET|EPIPE|timed? ?out/i.test(e.message)) return true;
  return e.cause !== undefined && depth < 5 && isRetryablePutError(e.cause, depth + 1);
}

/** The code and message an error is reported with: the AWS error name, or the socket error code. */
export function describeError(error: unknown): { errorCode: string; errorMessage?: string } {
  const e = error as ErrorLike | undefined;
  if (!e || typeof e !== "object") return { errorCode: "Error", errorMessage: String(error) };
  const errorCode =
    e.code && NETWORK_CODES.has(e.code) ? e.code : e.name && e.name !== "Error" ? e.name : (e.code ?? "Error");
  return { errorCode, errorMessage: e.message };
}
