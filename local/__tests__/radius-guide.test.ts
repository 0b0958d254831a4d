import { DEFAULT_HOTSPOTS_PARAMETERS } from "@hotspots/core";
import { readGroundTruth, truthPathFor } from "../data/ground-truth";
import { readInputIndex } from "../pipeline/input-index";
import { mapEventsOf, radiusGuide } from "../tuning/radius-guide";

/** The default parameters must fit the committed sample: the README's "Choosing the radius". */
describe("the default scan radius on data/data-simu.csv", () => {
  it("makes gathered players' events core points and no event far from a gathering one", async () => {
    const path = "data/data-simu.csv";
    const input = await readInputIndex(path);
    const events = mapEventsOf(input);
    const { windowSize, minimumPoints, scanRadius } = DEFAULT_HOTSPOTS_PARAMETERS;
    const guide = radiusGuide(events, readGroundTruth(truthPathFor(path)), windowSize, minimumPoints, 8000);
    const atDefault = guide.rows.find((r) => r.radius === scanRadius)!;
    expect(atDefault.gatheredCoreShare).toBeGreaterThanOrEqual(0.99);
    expect(atDefault.awayCorePoints).toBe(0);
    // The seed's radius would turn the background into hotspots.
    expect(guide.rows.find((r) => r.radius === 0.013)!.awayCorePoints).toBeGreaterThan(guide.awayEvents / 10);
  });
});
