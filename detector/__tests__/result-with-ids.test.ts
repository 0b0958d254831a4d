import { formatHotspotsResult, type Hotspot } from "../src/engine";
import { formatHotspotsResultWithIds, ResultWithIds } from "../src/tracking";

const spots: Hotspot[] = [
  { density: 12.5, minValues: [-122.33, 47.59], maxValues: [-122.32, 47.6], members: 30 },
  { density: 3, minValues: [0, -0], maxValues: [1, 2], members: 6 },
];

describe("HOTSPOTS_RESULT with ids", () => {
  it("is KDA's result with a hotspotId after each hotspot's maxValues, null before emergence", () => {
    const text = formatHotspotsResultWithIds(spots, ["h-1", null]);
    expect(text).toBe(
      '{"hotspots":[{"density":12.5,"minValues":[-122.33,47.59],"maxValues":[-122.32,47.6],"hotspotId":"h-1"},' +
        '{"density":3,"minValues":[0,0],"maxValues":[1,2],"hotspotId":null}]}',
    );
    // Without the ids it is the default result, field for field.
    const parsed = JSON.parse(text) as { hotspots: Record<string, unknown>[] };
    const stripped = { hotspots: parsed.hotspots.map(({ hotspotId: _id, ...rest }) => rest) };
    expect(JSON.stringify(stripped)).toBe(formatHotspotsResult(spots));
    expect(formatHotspotsResultWithIds([], [])).toBe('{"hotspots":[]}');
  });

  it("follows the engine's result and the ids, as a JSON string literal", () => {
    const engine = {
      hotspotsResult: formatHotspotsResult(spots),
      hotspots: spots,
      hotspotRoot: (h: number) => [7, 3][h],
    };
    const ids = new Map<number, string | null>([
      [7, null],
      [3, "h-2"],
    ]);
    const result = new ResultWithIds(engine, (root) => ids.get(root) ?? null);
    expect(JSON.parse(JSON.parse(result.resultJson)).hotspots.map((h: { hotspotId: string }) => h.hotspotId)).toEqual([
      null,
      "h-2",
    ]);
    ids.set(7, "h-3");
    expect(JSON.parse(JSON.parse(result.resultJson)).hotspots[0].hotspotId).toBe("h-3");
  });
});
