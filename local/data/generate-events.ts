import type { PlayerEvent } from "@hotspots/core";
import type { GroundTruth, TruthHotspot } from "./ground-truth";
import { createRandom, type Random } from "./random";
import { DEFAULT_SCENARIO, type Gathering, type Scenario } from "./scenario";

export interface GenerateOptions {
  readonly players: number;
  readonly events: number;
  readonly seed: number;
  readonly scenario?: Scenario;
}

export const DEFAULT_GENERATE_OPTIONS: GenerateOptions = { players: 500, events: 40_000, seed: 7 };

export interface GeneratedData {
  readonly events: PlayerEvent[];
  readonly truth: GroundTruth;
}

const METRES_PER_DEGREE_LATITUDE = 111_320;

const WANDER_TYPES = weighted([
  ["move", 80],
  ["loot", 8],
  ["chat", 8],
  ["attack", 4],
]);
const GATHER_TYPES = weighted([
  ["attack", 35],
  ["move", 25],
  ["loot", 20],
  ["chat", 20],
]);

interface Player {
  readonly id: string;
  lon: number;
  lat: number;
  targetLon: number;
  targetLat: number;
  speed: number;
  lastTime: number;
  score: number;
  health: number;
  /** Index into the gatherings while the player takes part in one. */
  gathering: number;
  offsetLon: number;
  offsetLat: number;
}

export const MIN_PLAYERS = 10;
export const MIN_EVENTS = 100;
/** The events are held in memory (about 300 MB per million): more would exhaust a laptop's. */
export const MAX_EVENTS = 5_000_000;

/**
 * Player events in time order, and the ground truth of the gatherings the scenario scripts.
 * Pure and deterministic: the same options give the same events.
 *
 * Players wander between random points of the map; when a gathering starts, a share of the
 * wandering players joins it (they travel there at once, as game players do) and stays within
 * its radius, emitting events `gatheringRateFactor` times as often; when it ends they wander off.
 */
export function generateEvents(options: GenerateOptions): GeneratedData {
  const scenario = options.scenario ?? DEFAULT_SCENARIO;
  const { players: playerCount, events: eventCount, seed } = options;
  if (!Number.isInteger(playerCount) || playerCount < MIN_PLAYERS)
    throw new Error(`players must be an integer >= ${MIN_PLAYERS}, got ${playerCount}`);
  if (!Number.isInteger(eventCount) || eventCount < MIN_EVENTS)
    throw new Error(`events must be an integer >= ${MIN_EVENTS}, got ${eventCount}`);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`seed must be a non-negative integer, got ${seed}`);

  const random = createRandom(seed);
  const { area } = scenario;
  const start = scenario.startTime.getTime();
  const duration = (eventCount / scenario.eventsPerSecond) * 1000;
  const gatherings = scenario.gatherings.map((g, index) => ({
    g,
    index,
    from: start + g.from * duration,
    to: start + g.to * duration,
    members: [] as Player[],
    firstRow: -1,
    lastRow: -1,
    events: 0,
  }));

  const players: Player[] = [];
  for (let i = 0; i < playerCount; i++) {
    const lon = random.uniform(area.minLongitude, area.maxLongitude);
    const lat = random.uniform(area.minLatitude, area.maxLatitude);
    players.push({
      id: `player-${String(i + 1).padStart(4, "0")}`,
      lon,
      lat,
      targetLon: lon,
      targetLat: lat,
      speed: 0,
      lastTime: start,
      score: random.int(500),
      health: 100,
      gathering: -1,
      offsetLon: 0,
      offsetLat: 0,
    });
    newTarget(players[i], random, scenario);
  }

  const events: PlayerEvent[] = [];
  let time = start;
  for (let row = 0; row < eventCount; row++) {
    time += random.exponential(1000 / scenario.eventsPerSecond);

    for (const s of gatherings) {
      if (s.members.length === 0 && s.firstRow < 0 && time >= s.from && time < s.to) {
        const wanderers = players.filter((p) => p.gathering < 0);
        const count = Math.max(2, Math.round(s.g.playerShare * playerCount));
        for (let k = 0; k < count && wanderers.length > 0; k++) {
          const p = wanderers.splice(random.int(wanderers.length), 1)[0];
          p.gathering = s.index;
          // A fixed place in the crowd within 85% of the radius; each event jitters within the rest.
          const [dx, dy] = inDisk(random, s.g.radius * 0.85);
          p.offsetLon = dx;
          p.offsetLat = dy;
          s.members.push(p);
        }
        s.firstRow = row;
      } else if (s.members.length > 0 && time >= s.to) {
        for (const p of s.members) {
          p.gathering = -1;
          p.lastTime = time;
          newTarget(p, random, scenario);
          // The crowd leaves by car or bus, so the gathering is gone within a window, not minutes later.
          p.speed = random.uniform(scenario.minLeavingSpeed, scenario.maxLeavingSpeed);
        }
        s.members = [];
      }
      if (s.members.length > 0) s.lastRow = row;
    }

    // Participants emit more often: accept a wandering player with probability 1/factor.
    let player: Player;
    do {
      player = players[random.int(playerCount)];
    } while (player.gathering < 0 && random.next() * scenario.gatheringRateFactor > 1);

    const gathering = player.gathering >= 0 ? gatherings[player.gathering] : undefined;
    let speed: number;
    if (gathering) {
      const [cLon, cLat] = centreAt(gathering.g, (time - gathering.from) / (gathering.to - gathering.from));
      const [jx, jy] = inDisk(random, gathering.g.radius * 0.15);
      player.lon = cLon + player.offsetLon + jx;
      player.lat = cLat + player.offsetLat + jy;
      player.lastTime = time;
      speed = random.uniform(0, 1.5);
      gathering.events++;
    } else {
      advance(player, time, random, scenario);
      speed = Math.max(0, player.speed + random.normal() * 0.3);
    }

    const eventType = (gathering ? GATHER_TYPES : WANDER_TYPES)(random);
    if (eventType === "attack") {
      player.score += 10 + random.int(40);
      player.health -= random.int(gathering ? 25 : 10);
      if (player.health <= 0) player.health = 100; // respawn
    } else if (eventType === "loot") {
      player.score += 5 + random.int(20);
      player.health = Math.min(100, player.health + random.int(10));
    }

    events.push({
      event_id: `ev-${seed}-${String(row).padStart(7, "0")}`,
      event_time: new Date(Math.round(time)).toISOString(),
      player_id: player.id,
      event_type: eventType,
      latitude: round(player.lat, 6),
      longitude: round(player.lon, 6),
      score: player.score,
      health: player.health,
      speed: round(speed, 2),
    });
  }

  const hotspots: TruthHotspot[] = gatherings
    .filter((s) => s.firstRow >= 0)
    .map((s, i) => {
      const end = centreAt(s.g, 1);
      return {
        id: `H${i + 1}`,
        name: s.g.name,
        longitude: s.g.longitude,
        latitude: s.g.latitude,
        endLongitude: end[0],
        endLatitude: end[1],
        radius: s.g.radius,
        players: Math.max(2, Math.round(s.g.playerShare * playerCount)),
        startTime: new Date(Math.round(s.from)).toISOString(),
        endTime: new Date(Math.round(s.to)).toISOString(),
        startRow: s.firstRow,
        endRow: s.lastRow,
        events: s.events,
      };
    });

  return {
    events,
    truth: {
      description:
        "Hotspots injected into the synthetic player events: players gather within `radius` degrees of the centre " +
        "(moving linearly from longitude/latitude to endLongitude/endLatitude) from startTime to endTime; " +
        "rows are 0-based data rows of the CSV (header not counted).",
      seed,
      players: playerCount,
      rows: eventCount,
      area: {
        minLongitude: area.minLongitude,
        maxLongitude: area.maxLongitude,
        minLatitude: area.minLatitude,
        maxLatitude: area.maxLatitude,
      },
      startTime: events[0].event_time,
      endTime: events[events.length - 1].event_time,
      hotspots,
    },
  };
}

function centreAt(g: Gathering, fraction: number): [number, number] {
  if (!g.end) return [g.longitude, g.latitude];
  const f = Math.min(1, Math.max(0, fraction));
  return [g.longitude + (g.end.longitude - g.longitude) * f, g.latitude + (g.end.latitude - g.latitude) * f];
}

/** Walks the player towards its target for the time since its last event, picking a new target on arrival. */
function advance(p: Player, time: number, random: Random, scenario: Scenario): void {
  let metres = (p.speed * (time - p.lastTime)) / 1000;
  p.lastTime = time;
  while (metres > 0) {
    const mPerLon = METRES_PER_DEGREE_LATITUDE * Math.cos((p.lat * Math.PI) / 180);
    const dx = (p.targetLon - p.lon) * mPerLon;
    const dy = (p.targetLat - p.lat) * METRES_PER_DEGREE_LATITUDE;
    const distance = Math.hypot(dx, dy);
    if (distance <= metres) {
      p.lon = p.targetLon;
      p.lat = p.targetLat;
      metres -= distance;
      newTarget(p, random, scenario);
    } else {
      p.lon += (dx / distance) * (metres / mPerLon);
      p.lat += (dy / distance) * (metres / METRES_PER_DEGREE_LATITUDE);
      metres = 0;
    }
  }
}

function newTarget(p: Player, random: Random, scenario: Scenario): void {
  const { area } = scenario;
  p.targetLon = random.uniform(area.minLongitude, area.maxLongitude);
  p.targetLat = random.uniform(area.minLatitude, area.maxLatitude);
  p.speed = random.uniform(scenario.minSpeed, scenario.maxSpeed);
}

/** A point uniform in a disk of the given radius, as [dx, dy]. */
function inDisk(random: Random, radius: number): [number, number] {
  const r = radius * Math.sqrt(random.next());
  const a = 2 * Math.PI * random.next();
  return [r * Math.cos(a), r * Math.sin(a)];
}

function weighted(entries: [string, number][]): (random: Random) => string {
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  return (random) => {
    let x = random.next() * total;
    for (const [value, w] of entries) {
      x -= w;
      if (x < 0) return value;
    }
    return entries[entries.length - 1][0];
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
