import { PARENT_UNKNOWN, TrackBook, type LiveTrack } from "./track-book";

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

/** The window as one scan saw it: slots oldest first and each one's hotspot root. */
export interface WindowScan {
  readonly order: Int32Array;
  readonly roots: Int32Array;
  readonly length: number;
}

/** Scratch arrays of the window's capacity: stamp and index by root, and a list of slots. */
export interface RootScratch {
  readonly stamp: Int32Array;
  readonly index: Int32Array;
  readonly slots: Int32Array;
  next: number;
}

/**
 * Re-derives every hotspot's owner from the labels its records carry: a label continues in the
 * hotspot holding most of its records (the first met, on a tie); a hotspot's owner is the oldest
 * label continuing in it; the other labels continuing there merge into it (a candidate at once,
 * an emerged hotspot once the merge has lasted); a hotspot where no label continues gets a new
 * candidate, split off the emerged hotspot whose records make at least half of it, if any.
 * Tracks continuing nowhere become absent. Unlabelled records take their hotspot's owner.
 */
export function reconcileByOverlap(book: TrackBook, scan: WindowScan, scratch: RootScratch, position: number): void {
  const slotLabel = book.slotLabel;
  const { order, roots, length: n } = scan;
  const stamp = ++scratch.next;
  const comps: Component[] = [];
  // Neighbouring records often carry the same label and root: count each run once.
  let lastRoot = -1;
  let lastLabel = -2;
  let lastAt = -1;
  let comp: Component | undefined;
  // Records in a hotspot without a label (joined since the last look): labelled at the end.
  let unlabelled = 0;
  for (let t = 0; t < n; t++) {
    const root = roots[t];
    if (root === -1) continue;
    const label = slotLabel[order[t]];
    if (root !== lastRoot) {
      if (scratch.stamp[root] !== stamp) {
        scratch.stamp[root] = stamp;
        scratch.index[root] = comps.length;
        comps.push({ root, labels: [], counts: [], owner: book.rootTrack[root], size: 0, relabel: false });
      }
      comp = comps[scratch.index[root]];
      lastRoot = root;
      lastLabel = -2;
    }
    const c = comp as Component;
    c.size++;
    if (label === -1) {
      scratch.slots[unlabelled++] = t;
      continue;
    }
    if (label !== lastLabel) {
      lastLabel = label;
      lastAt = c.labels.indexOf(label);
      if (lastAt === -1) {
        lastAt = c.labels.length;
        c.labels.push(label);
        c.counts.push(0);
      }
    }
    c.counts[lastAt]++;
  }
  book.detachAll();

  const mainOf = new Map<number, number>();
  const mainCount = new Map<number, number>();
  comps.forEach((c, index) => {
    c.labels.forEach((label, i) => {
      if (c.counts[i] > (mainCount.get(label) ?? 0)) {
        mainCount.set(label, c.counts[i]);
        mainOf.set(label, index);
      }
    });
  });
  comps.forEach((c, index) => {
    let owner: LiveTrack | undefined;
    const others: LiveTrack[] = [];
    for (const label of c.labels) {
      if (mainOf.get(label) !== index) continue;
      const track = book.get(label) as LiveTrack;
      if (owner === undefined) owner = track;
      else if (TrackBook.older(track, owner)) {
        others.push(owner);
        owner = track;
      } else others.push(track);
    }
    if (owner === undefined) {
      // A candidate made for this root since the last reconciliation keeps its age.
      const before = book.get(c.owner);
      const reuse =
        before !== undefined && before.hotspotId === null && !mainOf.has(before.label) && before.root === -1;
      owner = reuse ? (before as LiveTrack) : book.candidate(position, splitParent(book, c));
      c.relabel = true;
    }
    // A candidate made without looking at the records learns now whether it split off a hotspot.
    if (owner.parent === PARENT_UNKNOWN) owner.parent = splitParent(book, c, owner.label);
    c.owner = owner.label;
    book.setRoot(owner, c.root);
    owner.absentSince = -1;
    owner.mergeInto = -1;
    for (const other of others) {
      other.absentSince = -1;
      if (other.hotspotId === null) book.absorb(other, owner);
      else if (other.mergeInto !== owner.label) {
        other.mergeInto = owner.label;
        other.mergeSince = position;
      }
    }
  });
  for (const track of book.tracks.values()) {
    if (track.root !== -1 || mainOf.has(track.label)) continue;
    track.mergeInto = -1;
    if (track.absentSince === -1) track.absentSince = position;
  }
  for (let u = 0; u < unlabelled; u++) {
    const t = scratch.slots[u];
    slotLabel[order[t]] = comps[scratch.index[roots[t]]].owner;
  }
  if (!comps.some((c) => c.relabel)) return;
  for (let t = 0; t < n; t++) {
    const root = roots[t];
    if (root === -1) continue;
    const c = comps[scratch.index[root]];
    if (c.relabel) slotLabel[order[t]] = c.owner;
  }
}

/**
 * The emerged hotspot a new candidate split from: the one whose records make at least half of the
 * hotspot's (records labelled `own`, which arrived since the candidate was made, left out).
 */
function splitParent(book: TrackBook, comp: Component, own = -1): number {
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
  // The label may have ended earlier in this reconciliation.
  const track = book.get(best);
  if (track === undefined) return -1;
  return track.hotspotId !== null ? track.label : track.parent;
}
