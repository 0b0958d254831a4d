/**
 * The scripted world of the synthetic data: a city-sized map (central Seattle) and the
 * gatherings that turn into hotspots. Times are fractions of the run, so a short test file
 * and the committed sample follow the same script.
 */

export interface MapArea {
  readonly name: string;
  readonly minLongitude: number;
  readonly maxLongitude: number;
  readonly minLatitude: number;
  readonly maxLatitude: number;
}

/** About 15 km east-west by 27 km north-south. */
export const SEATTLE: MapArea = {
  name: "Seattle",
  minLongitude: -122.44,
  maxLongitude: -122.24,
  minLatitude: 47.5,
  maxLatitude: 47.74,
};

export interface Gathering {
  readonly name: string;
  /** Start and end as fractions of the run, 0..1. */
  readonly from: number;
  readonly to: number;
  /** Centre at the start; a gathering with an `end` centre moves there linearly. */
  readonly longitude: number;
  readonly latitude: number;
  readonly end?: { readonly longitude: number; readonly latitude: number };
  /** Radius in degrees: every participant's event lies within it. */
  readonly radius: number;
  /** Share of all players that join, 0..1. */
  readonly playerShare: number;
}

/** Points of interest where groups gather; one of them (the parade) moves. */
export const GATHERINGS: readonly Gathering[] = [
  {
    name: "Stadium match",
    from: 0.04,
    to: 0.3,
    longitude: -122.3316,
    latitude: 47.5952,
    radius: 0.003,
    playerShare: 0.1,
  },
  {
    name: "Seward Park picnic",
    from: 0.12,
    to: 0.22,
    longitude: -122.2573,
    latitude: 47.55,
    radius: 0.0025,
    playerShare: 0.06,
  },
  {
    name: "Pike Place market",
    from: 0.18,
    to: 0.38,
    longitude: -122.3422,
    latitude: 47.6097,
    radius: 0.0025,
    playerShare: 0.07,
  },
  {
    name: "Parade, Space Needle to Gas Works Park",
    from: 0.42,
    to: 0.66,
    longitude: -122.3493,
    latitude: 47.6205,
    end: { longitude: -122.3344, latitude: 47.6456 },
    radius: 0.003,
    playerShare: 0.09,
  },
  { name: "Alki Beach", from: 0.48, to: 0.6, longitude: -122.409, latitude: 47.581, radius: 0.003, playerShare: 0.06 },
  {
    name: "University campus",
    from: 0.7,
    to: 0.9,
    longitude: -122.3035,
    latitude: 47.6553,
    radius: 0.003,
    playerShare: 0.1,
  },
  {
    name: "Green Lake",
    from: 0.76,
    to: 0.94,
    longitude: -122.3287,
    latitude: 47.6807,
    radius: 0.0025,
    playerShare: 0.05,
  },
];

export interface Scenario {
  readonly area: MapArea;
  readonly gatherings: readonly Gathering[];
  /** Time of the first event. */
  readonly startTime: Date;
  /** Mean events per second over all players. */
  readonly eventsPerSecond: number;
  /** A participant of a gathering emits this many times more often than a wandering player. */
  readonly gatheringRateFactor: number;
  /** Wandering speed range, metres per second (walking to cycling). */
  readonly minSpeed: number;
  readonly maxSpeed: number;
  /** Speed range on the way out of a gathering that ended, metres per second (by car or bus). */
  readonly minLeavingSpeed: number;
  readonly maxLeavingSpeed: number;
}

export const DEFAULT_SCENARIO: Scenario = {
  area: SEATTLE,
  gatherings: GATHERINGS,
  startTime: new Date("2026-06-01T18:00:00.000Z"),
  eventsPerSecond: 12,
  gatheringRateFactor: 2,
  minSpeed: 1,
  maxSpeed: 6,
  minLeavingSpeed: 8,
  maxLeavingSpeed: 15,
};
