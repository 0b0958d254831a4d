/**
 * The HOTSPOTS parameters: one source of truth for the KDA SQL application (rendered into
 * sql/hotspots.sql), the detector on ECS, the local pipeline and the tests.
 * Semantics and ranges follow the AWS documentation of the HOTSPOTS function.
 */

export interface HotspotsParameters {
  /** Records in the sliding window, 100..1000 inclusive (AWS HOTSPOTS windowSize). */
  readonly windowSize: number;
  /** Neighbourhood radius in the units of the analysed columns, > 0 (AWS HOTSPOTS scanRadius, DBSCAN's epsilon). */
  readonly scanRadius: number;
  /** Records it takes to form a hotspot, 2..windowSize (AWS HOTSPOTS minimumNumberOfPointsInAHotspot). */
  readonly minimumPoints: number;
  /** Analysed numeric columns, in the order of minValues/maxValues in HOTSPOTS_RESULT. */
  readonly columns: readonly string[];
}

export const WINDOW_SIZE_MIN = 100;
export const WINDOW_SIZE_MAX = 1000;
export const MINIMUM_POINTS_MIN = 2;

/** Name of the output column the HOTSPOTS function appends to each record. */
export const HOTSPOTS_RESULT_COLUMN = "HOTSPOTS_RESULT";

/**
 * Defaults for the player events of data/data-simu.csv: the seed's window of 1000 records and
 * 20 points. The radius is in degrees of longitude/latitude, chosen from the data's 20-nearest-
 * neighbour distances (`npx tsx local/radius-guide.ts`; README, "Choosing the radius"): 0.003
 * (about 330 m north-south) makes 99.7% of the gathered players' events hotspot cores while no event
 * far from a gathering becomes one; with the seed's 0.013 a quarter of those events would.
 */
export const DEFAULT_HOTSPOTS_PARAMETERS: HotspotsParameters = {
  windowSize: 1000,
  scanRadius: 0.003,
  minimumPoints: 20,
  columns: ["longitude", "latitude"],
};

export class HotspotsParameterError extends Error {
  constructor(
    readonly field: keyof HotspotsParameters,
    message: string,
  ) {
    super(message);
    this.name = "HotspotsParameterError";
  }
}

/**
 * Checks every field and returns the parameters unchanged, or throws a one-line
 * HotspotsParameterError naming the field and what is accepted.
 * `allowedColumns`, when given, is the set of numeric columns the input actually has.
 */
export function validateHotspotsParameters(
  params: HotspotsParameters,
  allowedColumns?: readonly string[],
): HotspotsParameters {
  const { windowSize, scanRadius, minimumPoints, columns } = params;
  if (!Number.isInteger(windowSize) || windowSize < WINDOW_SIZE_MIN || windowSize > WINDOW_SIZE_MAX) {
    throw new HotspotsParameterError(
      "windowSize",
      `windowSize must be an integer from ${WINDOW_SIZE_MIN} to ${WINDOW_SIZE_MAX}, got ${windowSize}`,
    );
  }
  if (typeof scanRadius !== "number" || !Number.isFinite(scanRadius) || scanRadius <= 0) {
    throw new HotspotsParameterError("scanRadius", `scanRadius must be a finite number > 0, got ${scanRadius}`);
  }
  if (!Number.isInteger(minimumPoints) || minimumPoints < MINIMUM_POINTS_MIN || minimumPoints > windowSize) {
    throw new HotspotsParameterError(
      "minimumPoints",
      `minimumPoints must be an integer from ${MINIMUM_POINTS_MIN} to windowSize (${windowSize}), got ${minimumPoints}`,
    );
  }
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new HotspotsParameterError("columns", "columns must name at least one numeric column");
  }
  if (new Set(columns).size !== columns.length) {
    throw new HotspotsParameterError("columns", `columns must not repeat a name, got ${columns.join(",")}`);
  }
  if (allowedColumns) {
    const unknown = columns.filter((c) => !allowedColumns.includes(c));
    if (unknown.length > 0) {
      throw new HotspotsParameterError(
        "columns",
        `columns: unknown column ${unknown.join(",")}; accepted: ${allowedColumns.join(", ")}`,
      );
    }
  }
  return params;
}
