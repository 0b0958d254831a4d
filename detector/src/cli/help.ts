import { DEFAULT_HOTSPOTS_PARAMETERS as D } from "@hotspots/core";
import { DEFAULT_TRACKING_PARAMETERS as T } from "../tracking";

export const HELP = `detect: the HOTSPOTS function (density-based hotspots over a sliding window of records)

Offline, over a file:
  npm run detect -- --input <file.csv|file.ndjson> [--output out.ndjson] [--events events.ndjson]
                    [--result-ids] [--columns x,y] [--window-size N] [--scan-radius R] [--min-points M]
                    [hotspot tracking settings, below]
  Writes one JSON line per input row (all its fields plus HOTSPOTS_RESULT) to --output, or to stdout.
  --events writes each hotspot's lifecycle events (emerged, changed, merged, split, dissolved), one
  JSON object per line (schema: detector/schema/hotspot-event.schema.json), atomically as --output.
  --result-ids (or HOTSPOTS_RESULT_IDS=true) adds each hotspot's "hotspotId" to HOTSPOTS_RESULT
  (null before it emerged); without it HOTSPOTS_RESULT keeps exactly the shape KDA gives.
  --output is written under a temporary name beside it and renamed into place when the run succeeds:
  a failed or stopped run leaves an earlier file as it was; an output that is the input is refused.
  Malformed rows (broken quoting, a wrong field count, a line over 1 MiB) and rows that lack an
  analysed column or hold a non-number there are skipped and counted, named by line (summary on stderr).
  An empty or binary file, or a CSV header without the analysed columns, stops the run (status 2).

On a Kinesis stream (the ECS service; also runs with no arguments when STREAM_NAME is set):
  npm run detect -- stream --stream NAME (--delivery-stream NAME | --output-dir DIR)
                    [--checkpoint-file FILE | --checkpoint-bucket BUCKET [--checkpoint-prefix PREFIX]]
                    [--region R] [--kinesis-endpoint URL] [--firehose-endpoint URL] [--s3-endpoint URL]
                    [--metrics-interval SECONDS] [HOTSPOTS parameters as above]
                    [--event-bus-name BUS [--eventbridge-endpoint URL]] [--result-ids]
                    [hotspot tracking settings, below]
  Reads every shard (parents before children), writes output records to the Firehose delivery stream
  or to NDJSON files laid out as Firehose lays them out in S3, and checkpoints each shard after its
  output was delivered: a restart resumes after the checkpoint (records since then may repeat).
  --event-bus-name (HOTSPOTS_EVENT_BUS_NAME) turns hotspot tracking on and puts each lifecycle event
  on that EventBridge bus (source hotspots.detector, detail-type "Hotspot <type>"), accepted before
  the checkpoint after it is saved: at least once, a repeat with the same eventId. --result-ids
  (HOTSPOTS_RESULT_IDS=true) turns tracking on too. Without either, no tracking runs. --events is
  for offline runs only.

HOTSPOTS parameters (flag, else environment variable, else default):
  --columns        HOTSPOTS_COLUMNS      analysed numeric columns, comma-separated   (${D.columns.join(",")})
  --window-size    HOTSPOTS_WINDOW_SIZE  records in the sliding window, 100..1000    (${D.windowSize})
  --scan-radius    HOTSPOTS_SCAN_RADIUS  neighbourhood radius, > 0                   (${D.scanRadius})
  --min-points     HOTSPOTS_MIN_POINTS   records that make a hotspot, 2..window size (${D.minimumPoints})

Hotspot tracking (on with --events, --event-bus-name or --result-ids; flag, else variable, else default):
  --emerge-after      HOTSPOTS_TRACK_EMERGE_AFTER       a new hotspot, split or merge counts once it lasted N records (${T.emergeAfter})
  --min-distinct-members HOTSPOTS_TRACK_MIN_DISTINCT_MEMBERS
                                                        a new hotspot or split-off part also needs N distinct member values (${T.minDistinctMembers}; 0 or 1: off)
  --dissolve-after    HOTSPOTS_TRACK_DISSOLVE_AFTER     a hotspot is dissolved once gone N records              (${T.dissolveAfter})
  --changed-distance  HOTSPOTS_TRACK_CHANGED_DISTANCE   changed when the centroid moved more than this        (scan radius)
  --changed-share     HOTSPOTS_TRACK_CHANGED_SHARE      changed when members changed by more than this share  (${T.changedShare})
  --changed-every     HOTSPOTS_TRACK_CHANGED_EVERY      at most one changed per hotspot per N records         (${T.changedEvery})
  --member-column     HOTSPOTS_TRACK_MEMBER_COLUMN      field whose distinct values an event lists            (${T.memberColumn})
  --member-values-cap HOTSPOTS_TRACK_MEMBER_VALUES_CAP  at most this many values listed (the count is exact) (${T.memberValuesCap})
  --h3-resolution     HOTSPOTS_TRACK_H3_RESOLUTION      H3 resolution of the centroid's cell, 0..15           (${T.h3Resolution})
  The H3 cell is given when the analysed columns are longitude and latitude.

Stream settings from the environment: STREAM_NAME, DELIVERY_STREAM_NAME, CHECKPOINT_BUCKET,
CHECKPOINT_PREFIX, AWS_REGION, KINESIS_ENDPOINT, FIREHOSE_ENDPOINT, S3_ENDPOINT,
HOTSPOTS_EVENT_BUS_NAME, EVENTBRIDGE_ENDPOINT, HOTSPOTS_RESULT_IDS.

--verbose (or DEBUG=1) prints an error's stack trace too.

Exit status: 0 done (stream mode: stopped by SIGTERM), 1 failed, 2 bad flag, parameter or input
(nothing written), 130 stopped by Ctrl-C (SIGINT).
`;
