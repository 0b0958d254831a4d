import { PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { KINESIS_MAX_RECORDS_PER_PUT, putWithRetry, type PutEntryResult, type SendBatch } from "@hotspots/core";
import { RESULTS_PREFIX } from "../../../stacks/data-stack";
import { fail, pass, pollUntil, type Check, type VerifyContext } from "../check";
import { DEFAULT_RESULTS_MARGIN_SECONDS } from "../options";
import { burstHotspot, defaultBurstSize, markedBurst, type MarkedBurst } from "../marked-events";
import { ResultsReader } from "../results-reader";

export interface RoundTripSettings {
  /** Marked events in the burst; default defaultBurstSize(config.hotspots). */
  readonly events?: number;
  /** Default: the delivery stream's buffering interval + DEFAULT_RESULTS_MARGIN_SECONDS. */
  readonly waitSeconds?: number;
  readonly pollIntervalMs?: number;
}

const DEFAULT_POLL_MS = 15_000;

type Entry = { readonly data: Buffer; readonly partitionKey: string };

/** PutRecords through the SDK client's send, one result per entry, for core's putWithRetry. */
function sendWith(context: VerifyContext): SendBatch<Entry> {
  return async (entries) => {
    const answer = await context.clients.kinesis.send(
      new PutRecordsCommand({
        StreamName: context.names.streamName,
        Records: entries.map((e) => ({ Data: e.data, PartitionKey: e.partitionKey })),
      }),
    );
    return (answer.Records ?? []).map(
      (r): PutEntryResult =>
        r.ErrorCode ? { ok: false, errorCode: r.ErrorCode, errorMessage: r.ErrorMessage } : { ok: true },
    );
  };
}

async function putBurst(context: VerifyContext, burst: MarkedBurst): Promise<void> {
  const entries = burst.events.map((e) => ({ data: Buffer.from(JSON.stringify(e)), partitionKey: e.player_id }));
  const send = sendWith(context);
  for (let i = 0; i < entries.length; i += KINESIS_MAX_RECORDS_PER_PUT) {
    await putWithRetry(entries.slice(i, i + KINESIS_MAX_RECORDS_PER_PUT), send);
  }
}

/**
 * Marked events in, their results out: a burst gathered in one spot is put to the stream; the
 * check reads the results bucket until one of the burst's output records carries a hotspot
 * covering the spot.
 */
export function roundTripCheck(settings: RoundTripSettings = {}): Check {
  return {
    name: "round-trip",
    plan: [
      `Kinesis PutRecords <stream_name>: ${settings.events ?? "2 x minimumPoints"} events, event_id "<run id>-<n>", player_id "<run id>", event_type "verify", gathered at 0.5 N 0.5 E`,
      `S3 ListObjectsV2 + GetObject <results_bucket>/${RESULTS_PREFIX}<yyyy/MM/dd/HH>/ every ${(settings.pollIntervalMs ?? DEFAULT_POLL_MS) / 1000} s, up to ` +
        `${settings.waitSeconds ?? `the buffering interval + ${DEFAULT_RESULTS_MARGIN_SECONDS}`} s: a marked record whose HOTSPOTS_RESULT holds the burst's hotspot`,
    ],
    async run(context) {
      const { config, names, runId } = context;
      const params = config.hotspots;
      const count = settings.events ?? defaultBurstSize(params);
      const waitSeconds =
        settings.waitSeconds ?? config.delivery.bufferingIntervalSeconds + DEFAULT_RESULTS_MARGIN_SECONDS;
      const started = new Date(context.now());
      const burst = markedBurst(runId, count, params, started);
      await putBurst(context, burst);
      const reader = new ResultsReader(context.clients.s3, names.resultsBucket, RESULTS_PREFIX, `"${runId}-`);
      const marked: Record<string, unknown>[] = [];
      const found = await pollUntil(
        context,
        waitSeconds * 1000,
        settings.pollIntervalMs ?? DEFAULT_POLL_MS,
        async (elapsed) => {
          marked.push(...(await reader.readNew(started, new Date(context.now()))));
          const hit = marked.find((r) => burstHotspot(r, burst.box) !== undefined);
          if (hit) return hit;
          context.progress(
            `  round-trip: ${Math.round(elapsed / 1000)} s of ${waitSeconds} s, ${reader.objectsRead} new objects read, ${marked.length} of ${count} marked records found`,
          );
          return undefined;
        },
      );
      if (found) {
        const hotspot = burstHotspot(found, burst.box)!;
        return pass(
          `${count} marked events in, ${marked.length} results out in s3://${names.resultsBucket}/${RESULTS_PREFIX}; ${found.event_id} has the hotspot (density ${hotspot.density})`,
        );
      }
      if (marked.length > 0) {
        return fail(
          `${marked.length} of ${count} marked records arrived, none with the burst's hotspot in HOTSPOTS_RESULT: check the detector's HOTSPOTS parameters`,
        );
      }
      return fail(
        `no marked record (event_id ${runId}-*) in s3://${names.resultsBucket}/${RESULTS_PREFIX} after ${waitSeconds} s ` +
          `(${reader.objectsRead} objects read): see the detector's logs and the delivery stream's error logs`,
      );
    },
  };
}
