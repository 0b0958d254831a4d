import type { ReportBox } from "../report-data-types";

/** Pale yellow (sparse) to deep purple (dense). */
const STOPS: readonly (readonly [number, number, number])[] = [
  [252, 236, 120],
  [249, 142, 9],
  [200, 55, 84],
  [87, 16, 110],
];

export interface DensityScale {
  /** CSS colour of a density, on a log scale over the run's range. */
  colour(density: number, alpha: number): string;
  /** CSS gradient for the legend. */
  gradient(): string;
}

export function densityScale([low, high]: readonly [number, number]): DensityScale {
  const dMin = Math.log(Math.max(1, low));
  const dMax = Math.log(Math.max(2, high));
  const colour = (density: number, alpha: number): string => {
    let f = dMax > dMin ? (Math.log(Math.max(1, density)) - dMin) / (dMax - dMin) : 1;
    f = Math.min(1, Math.max(0, f)) * (STOPS.length - 1);
    const k = Math.min(STOPS.length - 2, Math.floor(f));
    const t = f - k;
    const [a, b] = [STOPS[k], STOPS[k + 1]];
    const mix = (c: number): number => Math.round(a[c] + (b[c] - a[c]) * t);
    return `rgba(${mix(0)},${mix(1)},${mix(2)},${alpha})`;
  };
  return {
    colour,
    gradient: () => {
      const stops = [0, 0.33, 0.66, 1].map((f) => colour(Math.exp(dMin + (dMax - dMin) * f), 1));
      return `linear-gradient(to right,${stops.join(",")})`;
    },
  };
}

/** A box matching the truth is outlined in its own colour; one matching none in dashed black. */
export function outlineBox(
  c: CanvasRenderingContext2D,
  scale: DensityScale,
  [x0, y0, w, h]: readonly [number, number, number, number],
  box: ReportBox,
): void {
  c.lineWidth = 2;
  if (box[5] >= 0) {
    c.strokeStyle = scale.colour(box[4], 1);
    c.strokeRect(x0, y0, w, h);
    return;
  }
  c.setLineDash([3, 2]);
  c.strokeStyle = "#111";
  c.strokeRect(x0 - 1, y0 - 1, w + 2, h + 2);
  c.setLineDash([]);
}
