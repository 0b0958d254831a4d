import type { HotspotsParameters } from "@hotspots/core";
import type { HotspotEvent, HotspotEventType, HotspotSummary } from "./hotspot-event";
import { summarizeHotspot, type SummaryOptions } from "./hotspot-summary";
import type { TrackerState, TrackState } from "./tracker-state";
import { DEFAULT_TRACKING_PARAMETERS, validateTrackingParameters, type TrackingParameters } from "./tracking-parameters";
import type { ComponentObserver, WindowComponents } from "./window-components";

/** TrackState.parent of a candidate made without looking at its records: set at the next reconciliation. */
export const PARENT_UNKNOWN = -2;

const NO_EVENTS: readonly HotspotEvent[] = Object.freeze([]) as readonly HotspotEvent[];

/** Where the triggering record came from (stream mode). */
export interface RecordOrigin {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

/** One hotspot of the window during a reconciliation, with the labels its records carry. */
interface Component {
  readonly root: number;
  readonly labels: number[];
  readonly counts: number[];
  /** The label owning it: before the reconciliation (from the root map), then after. */
  owner: number;
  /** Its records, labelled or not. */
  size: number;
  relabel: boolean;
}

/**
 * Gives the window's hotspots stable ids and turns their changes into lifecycle events (no I/O).
 *
 * Each record of the window carries a label: the track (a hotspot, or a candidate not yet emerged)
 * it was last seen in. Each hotspot root maps to the track owning it. Growth and drift need no work:
 * a new record takes its hotspot's label, old ones leave with the window. When the engine reports
 * that the structure changed in a way the root map cannot follow (two tracked hotspots joined, a
 * rebuild, a new or vanished hotspot), the tracker reconciles by member overlap: a label continues in
 * the hotspot holding most of its records; a hotspot's owner is the oldest label continuing in it;
 * other labels continuing there are merging into it; a hotspot where no label continues is a new
 * candidate (a split-off part of the label it holds most of, if any). Emergence, merges, splits and
 * dissolution count only once they have lasted (TrackingParameters), so a flicker mints nothing.
 *
 * Attach it to the engine as its ComponentObserver, then call afterPush after every push.
 */
export class HotspotTracker implements ComponentObserver {
  readonly tracking: TrackingParameters;
  private readonly window: WindowComponents;
  private readonly capacity: number;
  private readonly dims: number;
  private readonly summaryOptions: SummaryOptions;
  private readonly changedDistance: number;
  /** The centroid and member-count test of `changed` runs every this many records (changedEvery / 2). */
  private readonly checkEvery: number;

  private readonly slotLabel: Int32Array;
  private readonly slotMember: (string | undefined)[];
  private readonly rootTrack: Int32Array;
  private readonly tracks = new Map<number, TrackState>();
  /** Root of each track's hotspot now, -1 when it has none (kept apart: roots are not saved). */
  private readonly trackRoot = new Map<number, number>();
  /** Labels absorbed since the last reconciliation: label -> the label that absorbed it. */
  private readonly aliases = new Map<number, number>();
  private nextLabel = 1;
  private nextNumber = 1;
  private position = -1;
  private structureChanged = false;
  /** The engine rebuilt its components: follow former roots, or reconcile if they do not map one to one. */
  private rebuilt = false;
  private mustReconcile = false;
  /** The root map was patched without looking at the records: reconcile before a decision that shows. */
  private unverified = false;
  private nextDeadline = 0;

  private readonly compStamp: Int32Array;
  private readonly compIndex: Int32Array;
  private stamp = 0;
  private readonly sums: Float64Array;
  /** The window's slots, oldest first, and each one's hotspot root: filled by scanWindow. */
  private readonly order: Int32Array;
  private readonly orderRoot: Int32Array;
  private readonly summaryRoots: Int32Array;

  private events: HotspotEvent[] = [];
  private eventTime: string | null = null;
  private origin: RecordOrigin | undefined;

  constructor(window: WindowComponents, hotspots: HotspotsParameters, tracking: Partial<TrackingParameters> = {}) {
    this.tracking = validateTrackingParameters({ ...DEFAULT_TRACKING_PARAMETERS, ...tracking });
    this.window = window;
    this.capacity = window.windowCapacity;
    this.dims = hotspots.columns.length;
    this.changedDistance = this.tracking.changedDistance ?? hotspots.scanRadius;
    this.checkEvery = Math.max(1, Math.floor(this.tracking.changedEvery / 2));
    this.summaryOptions = {
      columns: hotspots.columns,
      scanRadius: hotspots.scanRadius,
      memberColumn: this.tracking.memberColumn,
      memberValuesCap: this.tracking.memberValuesCap,
      h3Resolution: this.tracking.h3Resolution,
    };
    const w = this.capacity;
    this.slotLabel = new Int32Array(w).fill(-1);
    this.slotMember = new Array<string | undefined>(w).fill(undefined);
    this.rootTrack = new Int32Array(w).fill(-1);
    this.compStamp = new Int32Array(w);
    this.compIndex = new Int32Array(w);
    this.sums = new Float64Array(w * (this.dims + 1));
    this.order = new Int32Array(w);
    this.orderRoot = new Int32Array(w);
    this.summaryRoots = new Int32Array(w);
  }

  // ComponentObserver: keeps the root map in step with the engine, flags what it cannot follow.

  componentCreated(root: number): void {
    this.structureChanged = true;
    this.rootTrack[root] = -1;
  }

  componentLost(): void {
    this.structureChanged = true;
  }

  componentsUnited(survivor: number, absorbed: number): void {
    this.structureChanged = true;
    const kept = this.rootTrack[survivor];
    const joined = this.rootTrack[absorbed];
    this.rootTrack[absorbed] = -1;
    if (joined === -1) return;
    if (kept === -1) {
      this.rootTrack[survivor] = joined;
      this.trackRoot.set(joined, survivor);
      return;
    }
    if (kept === joined) return;
    // Two tracked hotspots joined: the older owns the union, the other is merging into it (a
    // candidate joins silently). Checked by overlap before any merge counts (see runTimers).
    const a = this.tracks.get(kept) as TrackState;
    const b = this.tracks.get(joined) as TrackState;
    const [owner, other] = HotspotTracker.older(a, b) ? [a, b] : [b, a];
    this.rootTrack[survivor] = owner.label;
    this.trackRoot.set(owner.label, survivor);
    this.trackRoot.set(other.label, -1);
    this.unverified = true;
    if (other.hotspotId === null) {
      this.forget(other.label);
      this.aliases.set(other.label, owner.label);
    } else {
      other.mergeInto = owner.label;
      other.mergeSince = this.position + 1;
    }
  }

  componentRerooted(from: number, to: number): void {
    this.structureChanged = true;
    const label = this.rootTrack[from];
    this.rootTrack[from] = -1;
    this.rootTrack[to] = label;
    if (label !== -1) this.trackRoot.set(label, to);
  }

  componentsRebuilt(): void {
    this.structureChanged = true;
    this.rebuilt = true;
  }

  /**
   * Call after each engine push with the record's event time and member value; returns the events
   * this record triggered (a shared empty array when none; the array is valid until the next call).
   */
  afterPush(eventTime: string | null, member: string | undefined, origin?: RecordOrigin): readonly HotspotEvent[] {
    const position = ++this.position;
    const w = this.window;
    let newest = w.oldestSlot + w.windowLength - 1;
    if (newest >= this.capacity) newest -= this.capacity;
    this.slotMember[newest] = member;
    this.slotLabel[newest] = -1;
    if (this.structureChanged) {
      this.structureChanged = false;
      if (this.rebuilt && !this.mustReconcile) this.followFormerRoots();
      // After a rebuild a hotspot without a track may be a split-off part: only the overlap tells.
      if (!this.mustReconcile && !this.rootMapHolds()) {
        if (this.rebuilt) this.mustReconcile = true;
        else this.patchRootMap(position);
      }
      this.rebuilt = false;
    }
    this.eventTime = eventTime;
    this.origin = origin;
    if (this.events.length > 0) this.events = [];
    if (this.mustReconcile) {
      this.mustReconcile = false;
      this.reconcile(position);
      this.nextDeadline = position;
    } else {
      const root = w.rootOfSlot(newest);
      if (root !== -1) this.slotLabel[newest] = this.rootTrack[root];
    }
    if (position >= this.nextDeadline) this.runTimers(position);
    if (position % this.checkEvery === 0 && this.nextNumber > 1) this.checkChanged(position);
    return this.events.length === 0 ? NO_EVENTS : this.events;
  }

  /** The id of the hotspot with this root, or null while it has not emerged. */
  hotspotIdOfRoot(root: number): string | null {
    const label = this.rootTrack[root];
    return label === -1 ? null : (this.tracks.get(label)?.hotspotId ?? null);
  }

  /**
   * After a rebuild, most hotspots are the same records under new roots: each track follows its former
   * root cell. When two tracks land in one hotspot, or a root cell left, the overlap decides instead.
   */
  private followFormerRoots(): void {
    const w = this.window;
    const stamp = ++this.stamp;
    const moves: number[] = [];
    for (const [label, root] of this.trackRoot) {
      if (root === -1) continue;
      const now = w.rootNow(root);
      if (now === -1 || this.compStamp[now] === stamp) {
        this.mustReconcile = true;
        return;
      }
      this.compStamp[now] = stamp;
      moves.push(label, root, now);
    }
    for (let m = 0; m < moves.length; m += 3) this.rootTrack[moves[m + 1]] = -1;
    for (let m = 0; m < moves.length; m += 3) {
      this.rootTrack[moves[m + 2]] = moves[m];
      this.trackRoot.set(moves[m], moves[m + 2]);
    }
  }

  /**
   * Without a rebuild, a hotspot without a track is new (a fresh candidate) and a track whose root is
   * gone has vanished. A hotspot returning after a flicker also looks new here: the reconciliation
   * that runs before any emergence, merge or dissolution counts gives it its old track back.
   */
  private patchRootMap(position: number): void {
    const w = this.window;
    const stamp = ++this.stamp;
    for (let h = 0; h < w.hotspotCount; h++) this.compStamp[w.hotspotRoot(h)] = stamp;
    for (const [label, root] of this.trackRoot) {
      if (root === -1 || (this.compStamp[root] === stamp && this.rootTrack[root] === label)) continue;
      if (this.rootTrack[root] === label) this.rootTrack[root] = -1;
      this.trackRoot.set(label, -1);
      (this.tracks.get(label) as TrackState).absentSince = position;
    }
    for (let h = 0; h < w.hotspotCount; h++) {
      const root = w.hotspotRoot(h);
      const label = this.rootTrack[root];
      if (label !== -1 && this.trackRoot.get(label) === root) continue;
      const track = this.newCandidate(position, PARENT_UNKNOWN);
      this.rootTrack[root] = track.label;
      this.trackRoot.set(track.label, root);
    }
    this.unverified = true;
    this.nextDeadline = Math.min(this.nextDeadline, position + this.tracking.emergeAfter);
  }

  /** True when every hotspot of the engine has its own track and every track's root is one of them. */
  private rootMapHolds(): boolean {
    const w = this.window;
    let owned = 0;
    for (const root of this.trackRoot.values()) if (root !== -1) owned++;
    if (owned !== w.hotspotCount) return false;
    for (let h = 0; h < w.hotspotCount; h++) {
      const root = w.hotspotRoot(h);
      const label = this.rootTrack[root];
      if (label === -1 || this.trackRoot.get(label) !== root) return false;
    }
    return true;
  }

  private resolve(label: number): number {
    let l = label;
    for (let next = this.aliases.get(l); next !== undefined; next = this.aliases.get(l)) l = next;
    return this.tracks.has(l) ? l : -1;
  }

  /** The older of two tracks: emerged before candidates, then by order of emergence or birth. */
  private static older(a: TrackState, b: TrackState): boolean {
    if ((a.hotspotId === null) !== (b.hotspotId === null)) return a.hotspotId !== null;
    if (a.hotspotId !== null) return a.number < b.number;
    return a.born !== b.born ? a.born < b.born : a.label < b.label;
  }

  /** Re-derives every hotspot's owner from the labels its records carry (see the class comment). */
  private reconcile(position: number): void {
    this.unverified = false;
    for (const label of this.trackRoot.keys()) this.trackRoot.set(label, -1);
    const stamp = ++this.stamp;
    const comps: Component[] = [];
    const n = this.scanWindow();
    const order = this.order;
    const roots = this.orderRoot;
    const slotLabel = this.slotLabel;
    // Neighbouring records mostly carry the same label: resolve each run once.
    let seen = -2;
    let resolved = -1;
    for (let t = 0; t < n; t++) {
      const s = order[t];
      let label = slotLabel[s];
      if (label !== -1) {
        if (label !== seen) {
          seen = label;
          resolved = this.resolve(label);
        }
        slotLabel[s] = label = resolved;
      }
      const root = roots[t];
      if (root === -1) continue;
      if (this.compStamp[root] !== stamp) {
        this.compStamp[root] = stamp;
        this.compIndex[root] = comps.length;
        comps.push({ root, labels: [], counts: [], owner: this.rootTrack[root], size: 0, relabel: false });
      }
      const comp = comps[this.compIndex[root]];
      comp.size++;
      if (label === -1) continue;
      const at = comp.labels.indexOf(label);
      if (at === -1) {
        comp.labels.push(label);
        comp.counts.push(1);
      } else comp.counts[at]++;
    }
    this.aliases.clear();
    this.rootTrack.fill(-1);

    // Each label continues in the hotspot holding most of its records (the first met, on a tie).
    const mainOf = new Map<number, number>();
    const mainCount = new Map<number, number>();
    comps.forEach((comp, c) =>
      comp.labels.forEach((label, i) => {
        if (comp.counts[i] > (mainCount.get(label) ?? 0)) {
          mainCount.set(label, comp.counts[i]);
          mainOf.set(label, c);
        }
      }),
    );
    comps.forEach((comp, c) => {
      let owner: TrackState | undefined;
      const others: TrackState[] = [];
      for (const label of comp.labels) {
        if (mainOf.get(label) !== c) continue;
        const track = this.tracks.get(label) as TrackState;
        if (owner === undefined) owner = track;
        else if (HotspotTracker.older(track, owner)) {
          others.push(owner);
          owner = track;
        } else others.push(track);
      }
      if (owner === undefined) {
        // A candidate made for this root since the last reconciliation keeps its age.
        const before = this.tracks.get(comp.owner);
        owner = before !== undefined && before.hotspotId === null && !mainOf.has(before.label) && this.trackRoot.get(before.label) === -1
          ? before
          : this.newCandidate(position, this.splitParent(comp));
        comp.relabel = true;
      }
      // A candidate made without looking at the records learns now whether it split off a hotspot.
      if (owner.parent === PARENT_UNKNOWN) owner.parent = this.splitParent(comp, owner.label);
      comp.owner = owner.label;
      this.rootTrack[comp.root] = owner.label;
      this.trackRoot.set(owner.label, comp.root);
      owner.absentSince = -1;
      owner.mergeInto = -1;
      for (const other of others) {
        other.absentSince = -1;
        if (other.hotspotId === null) {
          // A candidate is not public: it joins the older one silently.
          this.forget(other.label);
          this.aliases.set(other.label, owner.label);
        } else if (other.mergeInto !== owner.label) {
          other.mergeInto = owner.label;
          other.mergeSince = position;
        }
      }
    });
    for (const track of this.tracks.values()) {
      if (this.trackRoot.get(track.label) !== -1 || mainOf.has(track.label)) continue;
      track.mergeInto = -1;
      if (track.absentSince === -1) track.absentSince = position;
    }
    for (let t = 0; t < n; t++) {
      const root = roots[t];
      if (root === -1) continue;
      const s = order[t];
      const comp = comps[this.compIndex[root]];
      if (comp.relabel || slotLabel[s] === -1) slotLabel[s] = comp.owner;
    }
  }

  /** Fills order and orderRoot over the window; returns its length. */
  private scanWindow(): number {
    const n = this.window.windowRoots(this.orderRoot);
    const capacity = this.capacity;
    let s = this.window.oldestSlot;
    for (let t = 0; t < n; t++) {
      this.order[t] = s;
      if (++s === capacity) s = 0;
    }
    return n;
  }

  /**
   * The emerged hotspot a new candidate split from: the one whose records make at least half of the
   * hotspot's (records labelled `own`, which arrived since the candidate was made, left out).
   */
  private splitParent(comp: Component, own = -1): number {
    let best = -1;
    let count = 0;
    let ownCount = 0;
    comp.labels.forEach((label, i) => {
      if (label === own) ownCount = comp.counts[i];
      else if (comp.counts[i] > count) {
        best = label;
        count = comp.counts[i];
      }
    });
    if (best === -1 || 2 * count < comp.size - ownCount) return -1;
    // The label may have been absorbed earlier in this reconciliation.
    const track = this.tracks.get(this.resolve(best));
    if (track === undefined) return -1;
    return track.hotspotId !== null ? track.label : track.parent;
  }

  private newCandidate(position: number, parent: number): TrackState {
    const track: TrackState = {
      label: this.nextLabel++,
      hotspotId: null,
      number: 0,
      born: position,
      parent,
      absentSince: -1,
      mergeInto: -1,
      mergeSince: -1,
      events: 0,
      lastEventPosition: -1,
      last: null,
    };
    this.tracks.set(track.label, track);
    this.trackRoot.set(track.label, -1);
    return track;
  }

  private forget(label: number): void {
    this.tracks.delete(label);
    this.trackRoot.delete(label);
  }

  /** Emergence, confirmed merges and splits, dissolution: whatever has lasted long enough by now. */
  private runTimers(position: number): void {
    const { emergeAfter, dissolveAfter } = this.tracking;
    if (this.unverified && this.decisionDue(position)) this.reconcile(position);
    let next = Infinity;
    const absorbed = new Map<number, string[]>();
    for (const track of [...this.tracks.values()]) {
      if (!this.tracks.has(track.label)) continue;
      const present = this.trackRoot.get(track.label) !== -1;
      let due: number;
      if (track.hotspotId === null) {
        due = present ? track.born + emergeAfter : track.absentSince + dissolveAfter;
        if (position < due) next = Math.min(next, due);
        else if (present) this.publish(track, position);
        else this.forget(track.label);
      } else if (track.mergeInto !== -1) {
        due = track.mergeSince + emergeAfter;
        const survivor = this.tracks.get(this.resolve(track.mergeInto));
        if (position < due) next = Math.min(next, due);
        else if (survivor !== undefined && survivor.hotspotId !== null) {
          this.emit(track, "merged", [survivor.hotspotId], position, track.last);
          this.forget(track.label);
          this.aliases.set(track.label, survivor.label);
          const ids = absorbed.get(survivor.label) ?? [];
          absorbed.set(survivor.label, [...ids, track.hotspotId]);
        }
      } else if (!present) {
        due = track.absentSince + dissolveAfter;
        if (position < due) next = Math.min(next, due);
        else {
          this.emit(track, "dissolved", [], position, track.last);
          this.forget(track.label);
        }
      }
    }
    for (const [label, ids] of absorbed) {
      const survivor = this.tracks.get(label) as TrackState;
      if (this.trackRoot.get(label) !== -1 && survivor.mergeInto === -1) this.emit(survivor, "changed", ids, position);
    }
    this.nextDeadline = next;
  }

  /** True when an emergence, merge or dissolution is due: what the patched root map must not decide alone. */
  private decisionDue(position: number): boolean {
    const { emergeAfter, dissolveAfter } = this.tracking;
    for (const [label, track] of this.tracks) {
      const present = this.trackRoot.get(label) !== -1;
      if (track.hotspotId === null ? present && position >= track.born + emergeAfter : false) return true;
      if (track.hotspotId !== null && track.mergeInto !== -1 && position >= track.mergeSince + emergeAfter) return true;
      if (track.hotspotId !== null && track.mergeInto === -1 && !present && position >= track.absentSince + dissolveAfter) return true;
    }
    return false;
  }

  /** A candidate that lasted: it gets an id, `emerged`, or `split` when its parent still lives. */
  private publish(track: TrackState, position: number): void {
    const root = this.trackRoot.get(track.label) as number;
    track.number = this.nextNumber++;
    track.hotspotId = `h-${track.number.toString(36)}`;
    // Its records may still carry the parent's label: from now on they are its own.
    const n = this.scanWindow();
    for (let t = 0; t < n; t++) if (this.orderRoot[t] === root) this.slotLabel[this.order[t]] = track.label;
    const parent = track.parent < 0 ? undefined : this.tracks.get(track.parent);
    track.parent = -1;
    if (parent === undefined || parent.hotspotId === null) {
      this.emit(track, "emerged", [], position);
      return;
    }
    this.emit(track, "split", [parent.hotspotId], position);
    if (this.trackRoot.get(parent.label) !== -1 && parent.mergeInto === -1) this.emit(parent, "changed", [track.hotspotId], position);
  }

  /** `changed` for emerged hotspots whose centroid or member count moved enough since their last event. */
  private checkChanged(position: number): void {
    const { changedEvery, changedShare } = this.tracking;
    const due: TrackState[] = [];
    for (const track of this.tracks.values()) {
      if (track.hotspotId === null || track.mergeInto !== -1 || track.last === null) continue;
      const root = this.trackRoot.get(track.label) as number;
      if (root === -1 || position - track.lastEventPosition < changedEvery) continue;
      const members = this.window.rootMembers(root);
      if (Math.abs(members - track.last.members) > changedShare * track.last.members) this.emit(track, "changed", [], position);
      else due.push(track);
    }
    if (due.length === 0) return;
    // One pass over the window measures every remaining hotspot's centroid.
    const d = this.dims;
    const stride = d + 1;
    const stamp = ++this.stamp;
    due.forEach((track, i) => {
      const root = this.trackRoot.get(track.label) as number;
      this.compStamp[root] = stamp;
      this.compIndex[root] = i;
      this.sums.fill(0, i * stride, i * stride + stride);
    });
    const values = this.window.slotValues;
    const n = this.scanWindow();
    for (let t = 0; t < n; t++) {
      const root = this.orderRoot[t];
      if (root === -1 || this.compStamp[root] !== stamp) continue;
      const at = this.order[t] * d;
      const base = this.compIndex[root] * stride;
      this.sums[base + d]++;
      for (let k = 0; k < d; k++) this.sums[base + k] += values[at + k];
    }
    due.forEach((track, i) => {
      const base = i * stride;
      const centroid = (track.last as HotspotSummary).centroid;
      let dist = 0;
      for (let k = 0; k < d; k++) {
        const delta = this.sums[base + k] / this.sums[base + d] - centroid[k];
        dist += delta * delta;
      }
      if (Math.sqrt(dist) > this.changedDistance) this.emit(track, "changed", [], position);
    });
  }

  private emit(track: TrackState, type: HotspotEventType, relatedIds: string[], position: number, summary?: HotspotSummary | null): void {
    const root = this.trackRoot.get(track.label) as number;
    const measured = summary ?? summarizeHotspot(this.window, root, this.slotMember, this.summaryOptions, this.summaryRoots);
    track.events++;
    track.lastEventPosition = position;
    track.last = measured;
    const hotspotId = track.hotspotId as string;
    const where = this.origin === undefined ? {} : { shardId: this.origin.shardId, sequenceNumber: this.origin.sequenceNumber };
    this.events.push({
      eventId: `${hotspotId}:${track.events}`,
      type,
      hotspotId,
      relatedIds,
      eventTime: this.eventTime,
      position,
      ...where,
      ...measured,
    });
  }

  /** The whole state as plain data (TrackerState), for a checkpoint. */
  toState(): TrackerState {
    const w = this.window;
    const labels: number[] = [];
    const members: (string | null)[] = [];
    const componentLabels: number[] = [];
    for (let t = 0; t < w.windowLength; t++) {
      let s = w.oldestSlot + t;
      if (s >= this.capacity) s -= this.capacity;
      const label = this.slotLabel[s];
      labels.push(label === -1 ? -1 : this.resolve(label));
      members.push(this.slotMember[s] ?? null);
      const root = w.rootOfSlot(s);
      componentLabels.push(root === -1 ? -1 : this.rootTrack[root]);
    }
    return {
      format: 1,
      position: this.position,
      nextLabel: this.nextLabel,
      nextNumber: this.nextNumber,
      unverified: this.unverified,
      tracks: [...this.tracks.values()].map((track) => JSON.parse(JSON.stringify(track)) as TrackState),
      labels,
      members,
      componentLabels,
    };
  }

  /**
   * A tracker resuming from `state` on `window`, which must hold the same records as when the state
   * was taken (same count, same order). Attach it to the engine before the next push.
   */
  static restore(window: WindowComponents, hotspots: HotspotsParameters, tracking: Partial<TrackingParameters>, state: TrackerState): HotspotTracker {
    if (state.format !== 1) throw new RangeError(`tracker state: unknown format ${String(state.format)}; accepted: 1`);
    if (state.labels.length !== window.windowLength) {
      throw new RangeError(`tracker state: it covers ${state.labels.length} records, the window holds ${window.windowLength}`);
    }
    const tracker = new HotspotTracker(window, hotspots, tracking);
    tracker.position = state.position;
    tracker.nextLabel = state.nextLabel;
    tracker.nextNumber = state.nextNumber;
    tracker.unverified = state.unverified;
    for (const track of state.tracks) {
      tracker.tracks.set(track.label, JSON.parse(JSON.stringify(track)) as TrackState);
      tracker.trackRoot.set(track.label, -1);
    }
    for (let t = 0; t < window.windowLength; t++) {
      let s = window.oldestSlot + t;
      if (s >= tracker.capacity) s -= tracker.capacity;
      tracker.slotLabel[s] = state.labels[t];
      tracker.slotMember[s] = state.members[t] ?? undefined;
      const root = window.rootOfSlot(s);
      const label = state.componentLabels[t];
      if (root === -1 || label === -1) continue;
      tracker.rootTrack[root] = label;
      tracker.trackRoot.set(label, root);
    }
    // A partition that differs from the saved one is re-derived by overlap at the next push.
    tracker.structureChanged = true;
    tracker.nextDeadline = 0;
    return tracker;
  }
}
