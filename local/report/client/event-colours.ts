/** One colour per hotspot event type, shared by the report's timeline and the live map. */
export const EVENT_COLOURS: Readonly<Record<"emerged" | "changed" | "merged" | "split" | "dissolved", string>> = {
  emerged: "#1a7f37",
  changed: "#777777",
  merged: "#8250df",
  split: "#bc4c00",
  dissolved: "#bb0000",
};

/** A colour per hotspot id ("h-<base36 counter>"), far apart for ids minted one after the other. */
export function idColour(hotspotId: string, alpha = 1): string {
  const n = parseInt(hotspotId.replace(/^h-/, ""), 36);
  const hue = Number.isFinite(n) ? (n * 137.508) % 360 : 0;
  return `hsla(${hue.toFixed(0)},70%,38%,${alpha})`;
}
