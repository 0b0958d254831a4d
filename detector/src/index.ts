/**
 * @hotspots/detector: the HOTSPOTS function as an incremental engine, and the runtimes around it.
 */
export * from "./engine";
