import { formatHotspot, NO_HOTSPOTS_RESULT, type Hotspot } from "../engine/hotspot-result";

/**
 * HOTSPOTS_RESULT with each hotspot's `hotspotId` after its maxValues (null while the hotspot has not
 * emerged), so per-record rows can be joined to hotspot events. Opt-in: the default result keeps KDA's shape.
 */
export function formatHotspotsResultWithIds(hotspots: readonly Hotspot[], ids: readonly (string | null)[]): string {
  if (hotspots.length === 0) return NO_HOTSPOTS_RESULT;
  let out = '{"hotspots":[';
  for (let h = 0; h < hotspots.length; h++) {
    const spot = hotspots[h];
    const text = formatHotspot(spot.density, spot.minValues, 0, spot.maxValues, 0, spot.minValues.length);
    out += `${(h > 0 ? "," : "") + text.slice(0, -1)},"hotspotId":${JSON.stringify(ids[h] ?? null)}}`;
  }
  return `${out}]}`;
}

/** What the engine offers for that: its hotspots in result order, and each one's root. */
export interface ResultIdsSource {
  readonly hotspotsResult: string;
  readonly hotspots: readonly Hotspot[];
  hotspotRoot(index: number): number;
}

/**
 * The result-with-ids of the engine's current window, as a JSON string literal (what an output record
 * holds, see serializeOutputLine); rebuilt only when the result or an id changed.
 */
export class ResultWithIds {
  private lastResult = "";
  private lastIds = "";
  private json = JSON.stringify(NO_HOTSPOTS_RESULT);

  constructor(
    private readonly engine: ResultIdsSource,
    private readonly idOfRoot: (root: number) => string | null,
  ) {}

  get resultJson(): string {
    const hotspots = this.engine.hotspots;
    const ids = hotspots.map((_, h) => this.idOfRoot(this.engine.hotspotRoot(h)));
    const key = ids.join(",");
    if (this.engine.hotspotsResult !== this.lastResult || key !== this.lastIds) {
      this.lastResult = this.engine.hotspotsResult;
      this.lastIds = key;
      this.json = JSON.stringify(formatHotspotsResultWithIds(hotspots, ids));
    }
    return this.json;
  }
}
