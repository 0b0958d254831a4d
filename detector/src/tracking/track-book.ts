import type { TrackState } from "./tracker-state";

/** A track while the tracker runs: its saved state plus the root of its hotspot now (-1 when it has none). */
export interface LiveTrack extends TrackState {
  root: number;
}

/** TrackState.parent of a candidate made without looking at its records: set at the next reconciliation. */
export const PARENT_UNKNOWN = -2;

/**
 * The tracks, the labels the window's records carry, and the map between tracks and the engine's
 * hotspot roots, kept consistent both ways: `rootTrack[root]` is the label owning that hotspot,
 * `track.root` the hotspot a track owns. A record's label is always a live track's, or -1: when a
 * track ends, its records are relabelled at once (rare, one pass over the slots).
 */
export class TrackBook {
  readonly tracks = new Map<number, LiveTrack>();
  readonly rootTrack: Int32Array;
  /** Per window slot, the label of the track the record was last seen in, or -1. */
  readonly slotLabel: Int32Array;
  nextLabel = 1;
  nextNumber = 1;
  /** How many tracks own a hotspot now. */
  present = 0;

  constructor(capacity: number) {
    this.rootTrack = new Int32Array(capacity).fill(-1);
    this.slotLabel = new Int32Array(capacity).fill(-1);
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

  /** The track ends: its records carry no label any more. */
  forget(track: LiveTrack): void {
    this.end(track, -1);
  }

  /** The track ends inside `into`: its records, and merges pending into it, are `into`'s now. */
  absorb(track: LiveTrack, into: LiveTrack): void {
    this.end(track, into.label);
  }

  private end(track: LiveTrack, heir: number): void {
    this.setRoot(track, -1);
    this.tracks.delete(track.label);
    const from = track.label;
    const labels = this.slotLabel;
    for (let s = 0; s < labels.length; s++) if (labels[s] === from) labels[s] = heir;
    for (const other of this.tracks.values()) {
      if (other.mergeInto === from) other.mergeInto = heir;
      if (other.parent === from) other.parent = -1;
    }
  }

  /** An emerged hotspot has ever been seen (before that, no `changed` test is needed). */
  get anyEmerged(): boolean {
    return this.nextNumber > 1;
  }
}
