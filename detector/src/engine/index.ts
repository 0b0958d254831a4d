export { HotspotDetector } from "./hotspot-detector";
export type { ComponentObserver, WindowComponents } from "./component-observer";
export {
  compareHotspots,
  formatHotspotsResult,
  hotspotSize,
  NO_HOTSPOTS_RESULT,
  sameHotspots,
  type Hotspot,
} from "./hotspot-result";
