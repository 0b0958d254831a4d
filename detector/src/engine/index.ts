export { HotspotDetector } from "./hotspot-detector";
export {
  compareHotspots,
  formatHotspotsResult,
  hotspotSize,
  NO_HOTSPOTS_RESULT,
  sameHotspots,
  type Hotspot,
} from "./hotspot-result";
