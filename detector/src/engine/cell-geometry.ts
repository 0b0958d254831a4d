/**
 * Geometry of the uniform grid the engine indexes points with. A cell is a hypercube of side
 * scanRadius / sqrt(d), so its diagonal is just under scanRadius: any two points of one cell are
 * neighbours. That lets the engine cluster cells instead of points (grid DBSCAN).
 */

/** Shrinks the side by a hair so rounding can never make a cell's diagonal exceed the radius. */
const SIDE_SAFETY = 1 - 1e-9;

/** 2^25: cell coordinates below this in magnitude pack two to a safe integer. */
const PACK_LIMIT = 33554432;
const PACK_FACTOR = 2 * PACK_LIMIT;

export type CellKey = number | string;

export function cellSide(scanRadius: number, dimensions: number): number {
  return (scanRadius / Math.sqrt(dimensions)) * SIDE_SAFETY;
}

/** Cell coordinate of one value; throws when it is too large to index exactly. */
export function cellCoordinate(value: number, side: number): number {
  const c = Math.floor(value / side);
  if (!Number.isSafeInteger(c)) {
    throw new RangeError(`value ${value} is too large for a scanRadius this small (cell ${c} is not a safe integer)`);
  }
  return c;
}

/**
 * A Map key for cell coordinates: a number for one column, a packed number for two columns
 * within +-2^25 cells, a string otherwise. Numbers and strings never collide as Map keys.
 */
export function cellKey(coords: ArrayLike<number>): CellKey {
  if (coords.length === 1) return coords[0];
  if (coords.length === 2) {
    const x = coords[0];
    const y = coords[1];
    if (x > -PACK_LIMIT && x < PACK_LIMIT && y >= -PACK_LIMIT && y < PACK_LIMIT) return x * PACK_FACTOR + y;
  }
  let key = "";
  for (let k = 0; k < coords.length; k++) key += (k > 0 ? "," : "") + coords[k];
  return key;
}

/**
 * Offsets (in cells) of every cell that can hold a point within scanRadius of a point of the
 * origin cell: the gap between the two cells, sum over columns of (|offset| - 1)^2 cell sides
 * squared, is at most d sides squared (= scanRadius^2). Flat array, `dimensions` numbers per offset,
 * the origin included.
 */
export function neighbourOffsets(dimensions: number): Int32Array {
  const reach = Math.floor(Math.sqrt(dimensions)) + 1;
  const span = 2 * reach + 1;
  const total = span ** dimensions;
  const out: number[] = [];
  const offset = new Array<number>(dimensions);
  for (let n = 0; n < total; n++) {
    let rest = n;
    let gap = 0;
    for (let k = 0; k < dimensions; k++) {
      offset[k] = (rest % span) - reach;
      rest = Math.floor(rest / span);
      const g = Math.max(Math.abs(offset[k]) - 1, 0);
      gap += g * g;
    }
    if (gap <= dimensions) out.push(...offset);
  }
  return Int32Array.from(out);
}

/** Number of neighbour offsets the enumeration would visit, without building them. */
export function neighbourOffsetCount(dimensions: number): number {
  return (2 * (Math.floor(Math.sqrt(dimensions)) + 1) + 1) ** dimensions;
}

/** True when two cells are close enough for their points to be neighbours (same rule as neighbourOffsets). */
export function cellsMayTouch(
  a: ArrayLike<number>,
  aBase: number,
  b: ArrayLike<number>,
  bBase: number,
  dimensions: number,
): boolean {
  let gap = 0;
  for (let k = 0; k < dimensions; k++) {
    const g = Math.max(Math.abs(a[aBase + k] - b[bBase + k]) - 1, 0);
    gap += g * g;
    if (gap > dimensions) return false;
  }
  return true;
}
