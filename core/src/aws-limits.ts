/**
 * Service limits of AWS that shape batching and pacing. Each is quoted from the AWS docs.
 */

const MiB = 1024 * 1024;

/** Kinesis PutRecords: "Each PutRecords request can support up to 500 records." (Kinesis API Reference, PutRecords) */
export const KINESIS_MAX_RECORDS_PER_PUT = 500;
/** Kinesis PutRecords: "... up to a limit of 5 MiB for the entire request, including partition keys." (PutRecords) */
export const KINESIS_MAX_BYTES_PER_PUT = 5 * MiB;
/**
 * Kinesis: a record (data blob plus partition key) may be as large as the stream's maximum record size,
 * 1 MiB by default for new and existing streams; streams can opt in to up to 10 MiB with
 * UpdateMaxRecordSize (Kinesis developer guide, "Handle large records"). Our stream keeps the default.
 */
export const KINESIS_MAX_BYTES_PER_RECORD = 1 * MiB;
/** Kinesis partition keys are Unicode strings of 1 to 256 characters. (PutRecordsRequestEntry) */
export const KINESIS_MAX_PARTITION_KEY_LENGTH = 256;
/** Kinesis: each shard supports writes up to 1,000 records per second. (Kinesis Data Streams quotas and limits) */
export const KINESIS_SHARD_RECORDS_PER_SECOND = 1000;
/** Kinesis: each shard supports writes up to 1 MiB per second. (Kinesis Data Streams quotas and limits) */
export const KINESIS_SHARD_BYTES_PER_SECOND = 1 * MiB;
/** Kinesis GetRecords: up to 10,000 records per call. (Kinesis API Reference, GetRecords) */
export const KINESIS_MAX_RECORDS_PER_GET = 10000;
/** Kinesis: GetRecords up to 5 transactions per second per shard. (Kinesis Data Streams quotas and limits) */
export const KINESIS_GET_RECORDS_PER_SECOND_PER_SHARD = 5;

/** Firehose PutRecordBatch: "Each PutRecordBatch request supports up to 500 records." (Firehose API Reference) */
export const FIREHOSE_MAX_RECORDS_PER_BATCH = 500;
/** Firehose PutRecordBatch: "... up to a limit of 4 MiB for the entire request." (Firehose API Reference) */
export const FIREHOSE_MAX_BYTES_PER_BATCH = 4 * MiB;
/** Firehose: "The maximum size of a record sent to Firehose, before base64-encoding, is 1,000 KiB." (Firehose quotas) */
export const FIREHOSE_MAX_BYTES_PER_RECORD = 1000 * 1024;

/** ECS sends SIGTERM and waits stopTimeout (default 30 s) before SIGKILL. (ECS task definition parameters) */
export const ECS_DEFAULT_STOP_TIMEOUT_SECONDS = 30;

/**
 * EventBridge PutEvents: the Entries array holds 1 to 10 entries (EventBridge API Reference, PutEvents,
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html).
 */
export const EVENTBRIDGE_MAX_ENTRIES_PER_PUT = 10;
/**
 * EventBridge PutEvents: "The total entry size must be less than 256KB", the size of each entry counted
 * as AWS documents it (eventBridgeEntryBytes in the detector: Time 14 bytes if set, then the UTF-8 bytes
 * of Source, DetailType, Detail and each Resources entry). ("Calculating PutEvents event entry size",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html.) A request and each
 * entry must stay strictly below this many bytes.
 */
export const EVENTBRIDGE_MAX_BYTES_PER_PUT = 256 * 1024;
/**
 * PutEventsResultEntry ErrorCode: "Retryable errors include: InternalFailure, ThrottlingException"; the
 * others (AccessDeniedException, InvalidArgument, MalformedDetail, NotAuthorizedForSourceException, ...)
 * are documented as non-retryable (EventBridge API Reference, PutEventsResultEntry).
 */
export const EVENTBRIDGE_RETRYABLE_ENTRY_CODES: readonly string[] = ["InternalFailure", "ThrottlingException"];

/**
 * Target retry policy maxima: MaximumEventAgeInSeconds 60 to 86,400, MaximumRetryAttempts 0 to 185
 * (EventBridge API Reference, RetryPolicy).
 */
export const EVENTBRIDGE_MAX_EVENT_AGE_SECONDS = 86_400;
export const EVENTBRIDGE_MAX_RETRY_ATTEMPTS = 185;
/**
 * Archive RetentionDays is an integer >= 0, 0 keeping events indefinitely (EventBridge API Reference,
 * CreateArchive). We never keep them forever and cap the setting at ten years ourselves.
 */
export const EVENTBRIDGE_ARCHIVE_RETENTION_DAYS_MAX = 3_650;
/**
 * SQS MessageRetentionPeriod: 60 to 1,209,600 seconds (14 days), default 345,600 (4 days)
 * (SQS API Reference, SetQueueAttributes).
 */
export const SQS_MAX_MESSAGE_RETENTION_SECONDS = 1_209_600;
export const SQS_DEFAULT_MESSAGE_RETENTION_SECONDS = 345_600;
