import type { HotspotSummary } from "./hotspot-event";

/** One tracked hotspot, emerged or still a candidate. Plain data: it is saved as JSON. */
export interface TrackState {
  /** Internal label carried by the window's records; not the public id. */
  readonly label: number;
  /** "h-<base36>" once emerged; null while a candidate. */
  hotspotId: string | null;
  /** Order of emergence (1, 2, ...): the older hotspot survives a merge. 0 while a candidate. */
  number: number;
  /** Position of the record at which it was first seen. */
  born: number;
  /** A candidate split off an emerged hotspot: that hotspot's label; -1 none; -2 not known yet. */
  parent: number;
  /** Position at which its hotspot vanished from the window, or -1 while it has one. */
  absentSince: number;
  /** While its records are inside another hotspot (a merge not yet lasted): that hotspot's label; else -1. */
  mergeInto: number;
  mergeSince: number;
  /** Events emitted for it (the n of its last eventId). */
  events: number;
  lastEventPosition: number;
  /** Where it was at its last event (what merged and dissolved report, and what changed compares to). */
  last: HotspotSummary | null;
}

/**
 * The tracker's whole state, for a checkpoint: restore it on an engine whose window holds the same
 * records (re-read from the oldest one), and tracking resumes as if never stopped. Per-record arrays
 * run over the window, oldest record first.
 */
export interface TrackerState {
  readonly format: 1;
  /** Position of the last record pushed (-1 before the first). */
  readonly position: number;
  readonly nextLabel: number;
  readonly nextNumber: number;
  /** The root map was patched since the last reconciliation by overlap (one runs before the next decision). */
  readonly unverified: boolean;
  readonly tracks: TrackState[];
  /** Each record's label (the track it was last seen in), -1 for none. */
  readonly labels: number[];
  /** Each record's member value, null when it had none. */
  readonly members: (string | null)[];
  /** The label owning each record's hotspot now, -1 when the record is in none. */
  readonly componentLabels: number[];
}
