import type { TrackState } from "./tracker-state";

/** A track while the tracker runs: its saved state plus the root of its hotspot now (-1 when it has none). */
export interface LiveTrack extends TrackState {
  root: number;
}

/** TrackState.parent of a candidate made without looking at its records: set at the next reconciliation. */
export const PARENT_UNKNOWN = -2;

/**
 * The tracks and the map between them and the engine's hotspot roots, kept consistent both ways:
 * `rootTrack[root]` is the label owning that hotspot, `track.root` the hotspot a track owns.
 */
export class TrackBook {
  readonly tracks = new Map<number, LiveTrack>();
  readonly rootTrack: Int32Array;
  /** Labels absorbed since the last reconciliation: label -> the label that absorbed it. */
  readonly aliases = new Map<number, number>();
  nextLabel = 1;
  nextNumber = 1;
  /** How many tracks own a hotspot now. */
  present = 0;

  constructor(capacity: number) {
    this.rootTrack = new Int32Array(capacity).fill(-1);
  }

  get(label: number): LiveTrack | undefined {
    return this.tracks.get(label);
  }

  /** Makes `track` the owner of `root` (-1: of none). */
  setRoot(track: LiveTrack, root: number): void {
    const before = track.root;
    if (before === root) {
      if (root !== -1) this.rootTrack[root] = track.label;
      return;
    }
    if (before !== -1) {
      if (this.rootTrack[before] === track.label) this.rootTrack[before] = -1;
      this.present--;
    }
    track.root = root;
    if (root !== -1) {
      this.rootTrack[root] = track.label;
      this.present++;
    }
  }

  /** Every track loses its hotspot: the start of a reconciliation. */
  detachAll(): void {
    for (const track of this.tracks.values()) track.root = -1;
    this.rootTrack.fill(-1);
    this.present = 0;
  }

  /** The live label a record's label stands for now (through absorptions), or -1 when its track ended. */
  resolve(label: number): number {
    let l = label;
    for (let next = this.aliases.get(l); next !== undefined; next = this.aliases.get(l)) l = next;
    return this.tracks.has(l) ? l : -1;
  }

  /** The older of two tracks: emerged before candidates, then by order of emergence or birth. */
  static older(a: TrackState, b: TrackState): boolean {
    if ((a.hotspotId === null) !== (b.hotspotId === null)) return a.hotspotId !== null;
    if (a.hotspotId !== null) return a.number < b.number;
    return a.born !== b.born ? a.born < b.born : a.label < b.label;
  }

  candidate(position: number, parent: number): LiveTrack {
    const track: LiveTrack = {
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
      root: -1,
    };
    this.tracks.set(track.label, track);
    return track;
  }

  /** Gives a candidate its public id. */
  mintId(track: LiveTrack): string {
    track.number = this.nextNumber++;
    track.hotspotId = `h-${track.number.toString(36)}`;
    return track.hotspotId;
  }

  forget(track: LiveTrack): void {
    this.setRoot(track, -1);
    this.tracks.delete(track.label);
  }

  /** The track ends inside `into`: its records' labels now stand for `into`. */
  absorb(track: LiveTrack, into: LiveTrack): void {
    this.forget(track);
    this.aliases.set(track.label, into.label);
  }

  /** An emerged hotspot has ever been seen (before that, no `changed` test is needed). */
  get anyEmerged(): boolean {
    return this.nextNumber > 1;
  }
}
