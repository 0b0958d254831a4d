/**
 * The engine's hook for hotspot tracking (detector/src/tracking): what an observer reads of the
 * window's records (a ring of slots) and of its hotspots as components, each named by a root (an
 * integer below the window capacity, valid until the structure changes), and the calls it gets when
 * the structure changes. HotspotDetector implements WindowComponents; HotspotComponents makes the calls.
 */
export interface WindowComponents {
  /** Slots in the ring: the window size. */
  readonly windowCapacity: number;
  /** Slot of the oldest record of the window. */
  readonly oldestSlot: number;
  /** Records in the window now. */
  readonly windowLength: number;
  /** The root of the hotspot that holds the record in `slot`, or -1 when the record is in none. */
  rootOfSlot(slot: number): number;
  /** Writes rootOfSlot of every record of the window into `out`, oldest record first; returns how many (windowLength). */
  windowRoots(out: Int32Array): number;
  /** Records in the hotspot whose root is `root`. */
  hotspotMembers(root: number): number;
  /** The analysed values by slot (slot * columns + k), read-only. */
  readonly slotValues: Float64Array;
  /**
   * Where a root of before a structure change is now: the root of the hotspot holding that cell, or -1
   * when it holds no core record any more (its hotspot vanished or moved on without it).
   */
  rootNow(formerRoot: number): number;
  /** The hotspots of the window now, as roots. */
  readonly hotspotCount: number;
  hotspotRoot(index: number): number;
}

/**
 * Calls the engine makes while a push changes the component structure (not for growth or shrinkage
 * within a component). Between calls, every hotspot keeps its root.
 */
export interface ComponentObserver {
  /** A new component with root `root` (a cell that became core). */
  componentCreated(root: number): void;
  /** Root `root` stopped being a root's cell; its hotspot vanished unless componentRerooted follows. */
  componentLost(root: number): void;
  /** Two hotspots joined: `absorbed` is no longer a root, its records are in `survivor`'s hotspot. */
  componentsUnited(survivor: number, absorbed: number): void;
  /** A hotspot's root moved from `from` to `to` (its root cell stopped being core, the hotspot lives on). */
  componentRerooted(from: number, to: number): void;
  /** The components were derived again from scratch (after a possible split): every root may have changed. */
  componentsRebuilt(): void;
}
