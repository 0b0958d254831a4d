/** Order of records across shards: ApproximateArrivalTimestamp, then sequence number. Pure. */

export interface ArrivingRecord {
  readonly arrivalMs: number;
  readonly sequenceNumber: string;
}

/** Compares Kinesis sequence numbers (decimal strings of up to 128 bits) without BigInt. */
export function compareSequenceNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareArrival(a: ArrivingRecord, b: ArrivingRecord): number {
  if (a.arrivalMs !== b.arrivalMs) return a.arrivalMs - b.arrivalMs;
  return compareSequenceNumbers(a.sequenceNumber, b.sequenceNumber);
}
