import { EVENT_FIELD_NAMES, parseEvent } from "@hotspots/core";
import { EventRows, canonicalNumberText } from "../src/event-rows";

/** What the record must be: parseEvent's event as JSON.stringify writes it. */
function expected(values: readonly string[]): { json?: string; reason?: string } {
  const row: Record<string, string> = {};
  EVENT_FIELD_NAMES.forEach((name, i) => {
    row[name] = values[i];
  });
  const parsed = parseEvent(row);
  return parsed.ok ? { json: JSON.stringify(parsed.event) } : { reason: parsed.reason };
}

function actual(rows: EventRows, values: readonly string[]): { json?: string; reason?: string } {
  const entry = rows.toEntry(values);
  return entry ? { json: Buffer.from(entry.data).toString("utf8") } : { reason: rows.problem };
}

const good = ["ev-1", "2026-06-01T18:00:00.000Z", "player-0001", "move", "47.512340", "-122.3", "5", "100", "1.5"];
const variant = (index: number, value: string) => good.map((v, i) => (i === index ? value : v));

describe("EventRows", () => {
  const rows = new EventRows("events.csv", "player_id");
  rows.setHeader(EVENT_FIELD_NAMES as string[]);

  it("writes the same record bytes as JSON.stringify of parseEvent's event, and the same reasons", () => {
    const cases: string[][] = [
      good,
      // strings that JSON has to escape
      variant(0, 'ev "quoted"'),
      variant(0, "back\\slash"),
      variant(3, "tab\there"),
      variant(3, "line\u2028sep"),
      variant(3, "lone \ud800 surrogate"),
      variant(2, "joueur-é-😀"),
      // numbers written in other ways than the canonical one
      variant(4, " 47.5 "),
      variant(4, "4.75e1"),
      variant(4, "-0"),
      variant(4, "0.0000001"),
      variant(4, "+12"),
      variant(4, "0x1f"),
      variant(5, "-122.399999999999999999"),
      variant(6, "1e21"),
      variant(6, "123456789012345678901234567890"),
      variant(8, "0"),
      // bad values
      variant(4, "abc"),
      variant(4, ""),
      variant(4, "   "),
      variant(4, "90.0001"),
      variant(5, "Infinity"),
      variant(6, "1.5"),
      variant(6, "-Infinity"),
      variant(7, "101"),
      variant(7, "-1"),
      variant(8, "-0.1"),
      variant(8, "NaN"),
      variant(8, "1e400"),
    ];
    for (const values of cases) expect({ values, ...actual(rows, values) }).toEqual({ values, ...expected(values) });
  });

  it("takes the partition key from its column and rejects a row of the wrong width", () => {
    expect(rows.toEntry(good)?.partitionKey).toBe("player-0001");
    expect(rows.toEntry(good.slice(1))).toBeUndefined();
    expect(rows.problem).toBe("expected 9 fields, got 8");
  });

  it("follows the header's column order", () => {
    const reordered = new EventRows("events.csv", "event_type");
    const order = [...EVENT_FIELD_NAMES].reverse();
    reordered.setHeader(order);
    const values = order.map((name) => good[EVENT_FIELD_NAMES.indexOf(name)]);
    const entry = reordered.toEntry(values)!;
    expect(Buffer.from(entry.data).toString("utf8")).toBe(expected(good).json);
    expect(entry.partitionKey).toBe("move");
    expect(reordered.eventTime(values)).toBe("2026-06-01T18:00:00.000Z");
  });

  it("works out how JavaScript writes a number from its text, or leaves it to String(Number(text))", () => {
    const texts = [
      "0",
      "-0",
      "-0.000",
      "7",
      "-12",
      "0.5",
      "-0.25",
      "47.51234",
      "47.512340",
      "5.0",
      "5.",
      "0.000001",
      "0.0000010",
      "0.0000001",
      "123456789012345",
      "1234567890123456",
      "1234567890.123456",
      "00",
      "01",
      ".5",
      "1e5",
      "-",
      "9007199254740993",
    ];
    // and a spread of random ones: every magnitude, 0 to 16 decimals
    let seed = 42;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let i = 0; i < 5_000; i++)
      texts.push(((random() - 0.5) * 10 ** (random() * 30 - 10)).toFixed(Math.floor(random() * 17)));
    let known = 0;
    for (const text of texts) {
      const written = canonicalNumberText(text);
      if (written === undefined) continue;
      known++;
      expect({ text, written }).toEqual({ text, written: String(Number(text)) });
    }
    expect(known).toBeGreaterThan(2000);
    expect(["0", "-12", "47.512340", "5.0", "0.000001", "123456789012345"].map(canonicalNumberText)).toEqual([
      "0",
      "-12",
      "47.51234",
      "5",
      "0.000001",
      "123456789012345",
    ]);
    expect(["-0", "-0.000", "0.0000001", "1234567890123456", "1e5", "01"].map(canonicalNumberText)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
