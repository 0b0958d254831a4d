import { Construct } from "constructs";
import { AthenaNamedQuery } from "@cdktf/provider-aws/lib/athena-named-query";
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database";
import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table";
import { EVENT_FIELDS, type FieldKind, HOTSPOTS_RESULT_COLUMN } from "@hotspots/core";
import { ATHENA_RESULTS_PREFIX } from "./athena-results";

/** The partition key the table projects from the date path Firehose writes. */
export const RESULTS_PARTITION_KEY = "dt";
export const RESULTS_TABLE_NAME = "hotspots";
export const DENSEST_HOTSPOTS_QUERY_NAME = "densest-hotspots-last-hour";

/** Athena (Hive DDL) type of each event field kind. */
const ATHENA_TYPE: Record<FieldKind, string> = { string: "string", number: "double", integer: "int" };

export interface TableColumn {
  readonly name: string;
  readonly type: string;
  readonly comment: string;
}

/**
 * The detector's output record as table columns: every event field, then HOTSPOTS_RESULT.
 * Athena column names are lower case; the JSON SerDe matches keys case-insensitively, so
 * the record's "HOTSPOTS_RESULT" key fills `hotspots_result`.
 */
export function resultsTableColumns(): TableColumn[] {
  return [
    ...EVENT_FIELDS.map((f) => ({ name: f.name, type: ATHENA_TYPE[f.kind], comment: f.description })),
    {
      name: HOTSPOTS_RESULT_COLUMN.toLowerCase(),
      type: "string",
      comment:
        'JSON {"hotspots":[{"density":N,"minValues":[..],"maxValues":[..]}]}, arrays in the order of the analysed columns',
    },
  ];
}

export interface DatePartitionedPrefix {
  /** The fixed part before the date, e.g. "hotspots/". */
  readonly basePrefix: string;
  /** The Java date pattern Firehose formats the arrival time with, e.g. "yyyy/MM/dd/HH". */
  readonly dateFormat: string;
  /** The finest unit of the pattern, as Athena's projection interval unit. */
  readonly intervalUnit: "HOURS" | "DAYS" | "MONTHS" | "YEARS";
}

const TIMESTAMP_PREFIX = /^([A-Za-z0-9_.\-/]+\/)!\{timestamp:([yMdH/\-_]+)\}\/?$/;

/**
 * Reads a Firehose S3 prefix of the form `<base>/!{timestamp:<pattern>}/` into what partition
 * projection needs. Any other shape (several expressions, a partitionKeyFromQuery, no base) is
 * refused with an error that shows the accepted form, so the table never silently misses data.
 */
export function parseDatePartitionedPrefix(firehosePrefix: string): DatePartitionedPrefix {
  const match = TIMESTAMP_PREFIX.exec(firehosePrefix);
  if (!match) {
    throw new Error(
      `Firehose prefix ${JSON.stringify(firehosePrefix)} is not of the form "<base>/!{timestamp:yyyy/MM/dd/HH}/" that the results table projects`,
    );
  }
  const [, basePrefix, dateFormat] = match;
  const intervalUnit = dateFormat.includes("HH")
    ? "HOURS"
    : dateFormat.includes("dd")
      ? "DAYS"
      : dateFormat.includes("MM")
        ? "MONTHS"
        : "YEARS";
  return { basePrefix, dateFormat, intervalUnit };
}

/**
 * Glue table parameters for partition projection over the date path (no crawler, no MSCK REPAIR).
 * `$${...}` is Terraform's escape for a literal `${...}`: Athena, not Terraform, fills in the key.
 */
export function projectionParameters(
  bucketName: string,
  firehosePrefix: string,
  retentionDays: number,
): Record<string, string> {
  const { basePrefix, dateFormat, intervalUnit } = parseDatePartitionedPrefix(firehosePrefix);
  const key = RESULTS_PARTITION_KEY;
  return {
    "projection.enabled": "true",
    [`projection.${key}.type`]: "date",
    [`projection.${key}.format`]: dateFormat,
    // Nothing older than the bucket's lifecycle keeps can exist, and Athena never projects past NOW.
    [`projection.${key}.range`]: `NOW-${retentionDays}DAYS,NOW`,
    [`projection.${key}.interval`]: "1",
    [`projection.${key}.interval.unit`]: intervalUnit,
    "storage.location.template": `s3://${bucketName}/${basePrefix}$\${${key}}/`,
  };
}

/**
 * The densest hotspots of the last hour: one row per distinct hotspot box, with its highest
 * density and how many records reported it. "Last hour" is by arrival: the `dt` bound keeps the
 * partitions of the current and the previous UTC hour, so it reads between 60 and 120 minutes of
 * results and nothing else (event_time is the simulated event's own time, not the arrival).
 */
export function densestHotspotsQuery(databaseName: string, tableName: string, dateFormat: string, limit = 20): string {
  const col = HOTSPOTS_RESULT_COLUMN.toLowerCase();
  return [
    "-- Densest hotspots delivered in the last hour, one row per hotspot box.",
    "WITH recent AS (",
    `  SELECT r.event_time, r.${col}`,
    `  FROM "${databaseName}"."${tableName}" r`,
    `  WHERE r.${RESULTS_PARTITION_KEY} >= date_format(current_timestamp - INTERVAL '1' HOUR, '${sqlDateFormat(dateFormat)}')`,
    "),",
    "hotspot AS (",
    "  SELECT recent.event_time, h",
    "  FROM recent",
    `  CROSS JOIN UNNEST(CAST(json_extract(recent.${col}, '$.hotspots') AS ARRAY(JSON))) AS t (h)`,
    ")",
    "SELECT",
    "  max(CAST(json_extract_scalar(h, '$.density') AS DOUBLE)) AS density,",
    "  json_format(json_extract(h, '$.minValues')) AS min_values,",
    "  json_format(json_extract(h, '$.maxValues')) AS max_values,",
    "  count(*) AS records,",
    "  max(event_time) AS last_event_time",
    "FROM hotspot",
    "GROUP BY 2, 3",
    "ORDER BY density DESC",
    `LIMIT ${limit}`,
  ].join("\n");
}

/** Java pattern letters (Firehose, projection) to the MySQL-style specifiers of Athena's date_format. */
const SQL_DATE_SPECIFIER: Record<string, string> = { yyyy: "%Y", MM: "%m", dd: "%d", HH: "%H" };

/** The date_format() pattern that prints partition values exactly as the projection format does. */
export function sqlDateFormat(javaPattern: string): string {
  return javaPattern.replace(/yyyy|MM|dd|HH/g, (letters) => SQL_DATE_SPECIFIER[letters]);
}

export interface ResultsQueryProps {
  /** Glue database name: lower case letters, digits and underscores. */
  readonly databaseName: string;
  readonly workgroupName: string;
  readonly resultsBucketName: string;
  /** The results delivery stream's S3 prefix, e.g. "hotspots/!{timestamp:yyyy/MM/dd/HH}/". */
  readonly firehosePrefix: string;
  /** The KMS key that encrypts Athena's query results (the pipeline's data key). */
  readonly kmsKeyArn: string;
  /** How many days back partitions are projected; match the results bucket's lifecycle. */
  readonly retentionDays: number;
  readonly bytesScannedCutoffPerQuery: number;
}

const GLUE_NAME = /^[a-z0-9_]{1,255}$/;

/**
 * The results as an Athena table: a Glue database and table over the delivered JSON lines with
 * partition projection, a workgroup whose encrypted result location users cannot override, and
 * a saved query for the densest hotspots of the last hour.
 */
export class ResultsQuery extends Construct {
  public readonly database: GlueCatalogDatabase;
  public readonly table: GlueCatalogTable;
  public readonly workgroup: AthenaWorkgroup;
  public readonly densestHotspots: AthenaNamedQuery;

  constructor(scope: Construct, id: string, props: ResultsQueryProps) {
    super(scope, id);
    if (!GLUE_NAME.test(props.databaseName)) {
      throw new Error(
        `databaseName ${JSON.stringify(props.databaseName)} must be 1-255 lower-case letters, digits or underscores`,
      );
    }
    const { basePrefix, dateFormat } = parseDatePartitionedPrefix(props.firehosePrefix);

    this.database = new GlueCatalogDatabase(this, "database", {
      name: props.databaseName,
      description: "Hotspot detection results delivered by Firehose",
    });
    this.table = new GlueCatalogTable(this, "table", {
      databaseName: this.database.name,
      name: RESULTS_TABLE_NAME,
      description: "One row per detector output record: the event fields and HOTSPOTS_RESULT",
      tableType: "EXTERNAL_TABLE",
      parameters: {
        EXTERNAL: "TRUE",
        classification: "json",
        compressionType: "gzip",
        ...projectionParameters(props.resultsBucketName, props.firehosePrefix, props.retentionDays),
      },
      partitionKeys: [
        { name: RESULTS_PARTITION_KEY, type: "string", comment: "Arrival hour, UTC, as Firehose writes the path" },
      ],
      storageDescriptor: {
        location: `s3://${props.resultsBucketName}/${basePrefix}`,
        // Firehose writes GZIP'd text objects (.gz), one JSON record per line.
        inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
        outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        serDeInfo: {
          name: "json",
          serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
          parameters: { "case.insensitive": "TRUE" },
        },
        columns: resultsTableColumns(),
      },
    });
    this.workgroup = new AthenaWorkgroup(this, "workgroup", {
      name: props.workgroupName,
      description: "Queries over the hotspot results; results encrypted with the pipeline's key",
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: "Athena engine version 3" },
        resultConfiguration: {
          outputLocation: `s3://${props.resultsBucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: props.kmsKeyArn },
        },
      },
    });
    this.densestHotspots = new AthenaNamedQuery(this, "densest-hotspots", {
      name: DENSEST_HOTSPOTS_QUERY_NAME,
      description: "Densest hotspots delivered in the last hour (unnests HOTSPOTS_RESULT)",
      database: this.database.name,
      workgroup: this.workgroup.name,
      query: densestHotspotsQuery(props.databaseName, RESULTS_TABLE_NAME, dateFormat),
    });
  }
}
