import {
  BatchGetNamedQueryCommand,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  ListNamedQueriesCommand,
  StartQueryExecutionCommand,
  type NamedQuery,
} from "@aws-sdk/client-athena";
import { DENSEST_HOTSPOTS_QUERY_NAME } from "../../../stacks/operations/results-query";
import { fail, pass, pollUntil, type Check, type VerifyContext } from "../check";

/** A query over the last hour of results scans little; minutes mean something is wrong. */
export const ATHENA_QUERY_TIMEOUT_SECONDS = 180;
const POLL_MS = 2_000;
/** BatchGetNamedQuery takes at most 50 ids (Athena API Reference, BatchGetNamedQuery, NamedQueryIds). */
const NAMED_QUERY_BATCH = 50;

async function findNamedQuery(
  context: VerifyContext,
  workgroup: string,
  name: string,
): Promise<NamedQuery | undefined> {
  const { athena } = context.clients;
  let token: string | undefined;
  do {
    const page = await athena.send(
      new ListNamedQueriesCommand({ WorkGroup: workgroup, NextToken: token, MaxResults: NAMED_QUERY_BATCH }),
    );
    const ids = page.NamedQueryIds ?? [];
    if (ids.length > 0) {
      const { NamedQueries } = await athena.send(new BatchGetNamedQueryCommand({ NamedQueryIds: ids }));
      const found = NamedQueries?.find((q) => q.Name === name);
      if (found) return found;
    }
    token = page.NextToken;
  } while (token);
  return undefined;
}

/** The saved query of the operations stack runs in its workgroup and succeeds. */
export const athenaCheck: Check = {
  name: "athena",
  plan: [
    `Athena ListNamedQueries + BatchGetNamedQuery in <athena_workgroup>: the saved query "${DENSEST_HOTSPOTS_QUERY_NAME}"`,
    `Athena StartQueryExecution of it, GetQueryExecution until SUCCEEDED (up to ${ATHENA_QUERY_TIMEOUT_SECONDS} s), GetQueryResults (row count)`,
  ],
  async run(context) {
    const { clients, names } = context;
    if (names.athenaWorkgroup === undefined) return pass("no Athena workgroup (operations.enabled is false)");
    const query = await findNamedQuery(context, names.athenaWorkgroup, DENSEST_HOTSPOTS_QUERY_NAME);
    if (!query?.QueryString)
      return fail(`no saved query "${DENSEST_HOTSPOTS_QUERY_NAME}" in workgroup ${names.athenaWorkgroup}`);
    const { QueryExecutionId: id } = await clients.athena.send(
      new StartQueryExecutionCommand({
        QueryString: query.QueryString,
        QueryExecutionContext: { Database: query.Database },
        WorkGroup: names.athenaWorkgroup,
      }),
    );
    if (!id) return fail("StartQueryExecution returned no QueryExecutionId");
    const execution = await pollUntil(context, ATHENA_QUERY_TIMEOUT_SECONDS * 1000, POLL_MS, async () => {
      const { QueryExecution } = await clients.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const state = QueryExecution?.Status?.State;
      return state === "SUCCEEDED" || state === "FAILED" || state === "CANCELLED" ? QueryExecution : undefined;
    });
    if (!execution) return fail(`query ${id} still running after ${ATHENA_QUERY_TIMEOUT_SECONDS} s`);
    const state = execution.Status?.State;
    if (state !== "SUCCEEDED")
      return fail(`query ${id} ${state}: ${execution.Status?.StateChangeReason ?? "no reason given"}`);
    const results = await clients.athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 21 }));
    // The first row of a SELECT's results is the header.
    const rows = Math.max(0, (results.ResultSet?.Rows?.length ?? 0) - 1);
    const scanned = execution.Statistics?.DataScannedInBytes ?? 0;
    const ms = execution.Statistics?.TotalExecutionTimeInMillis ?? 0;
    return pass(
      `"${DENSEST_HOTSPOTS_QUERY_NAME}" SUCCEEDED in ${(ms / 1000).toFixed(1)} s, ${scanned} bytes scanned, ${rows}${results.NextToken ? "+" : ""} rows (query ${id})`,
    );
  },
};
