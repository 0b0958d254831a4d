/**
 * Where Athena writes query results: a prefix of the results bucket, apart from the data, whose
 * objects the bucket's lifecycle expires (the data stack adds the rule).
 */
export const ATHENA_RESULTS_PREFIX = "athena-results/";
/** Query results are for reading right after the query; a week is ample to download them. */
export const ATHENA_RESULTS_EXPIRY_DAYS = 7;
