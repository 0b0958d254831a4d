import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { createStream, startEmbeddedKinesis, type EmbeddedKinesis } from "@hotspots/core";
import { createSimulatorKinesisClient, runSimulator, SimulatorInputError } from "../src";
import { eventCsv, eventRecord, eventRow, HEADER, tempDir, writeTemp } from "./support/events";
import { readAllRecords } from "./support/stream-reader";

const fastRetry = { baseDelayMs: 1, maxDelayMs: 5 };

describe("runSimulator against the embedded Kinesis", () => {
  let kinesis: EmbeddedKinesis;
  let client: KinesisClient;
  let dir: string;
  let streams = 0;
  /** A fresh stream per test, so reading back sees only that test's records. */
  const newStream = async (shards = 2) => {
    const name = `sim-${++streams}`;
    await createStream(client, name, shards);
    return name;
  };

  beforeAll(async () => {
    kinesis = await startEmbeddedKinesis();
    client = createSimulatorKinesisClient({ kinesisEndpoint: kinesis.endpoint });
    dir = tempDir();
  });
  afterAll(async () => {
    client.destroy();
    await kinesis.close();
  });

  it("puts every row as one typed JSON record, keyed by player, each player's events in order on one shard", async () => {
    const streamName = await newStream(2);
    const input = writeTemp(dir, "rows.csv", eventCsv(1234));
    const summary = await runSimulator({ input, streamName, kinesis: client, batchSize: 50 });

    expect(summary).toMatchObject({
      rowsRead: 1234,
      recordsSent: 1234,
      rowsSkipped: 0,
      unsent: 0,
      exitCode: 0,
      stoppedBy: "end",
    });
    const records = await readAllRecords(client, streamName);
    const byId = new Map(records.map((r) => [r.json.event_id as string, r]));
    expect(records).toHaveLength(1234);
    for (let i = 0; i < 1234; i++) {
      const r = byId.get(`ev-${i}`)!;
      expect(r.json).toEqual(eventRecord(i));
      expect(r.partitionKey).toBe(`player-${i % 7}`);
    }
    // Both shards carry load, and each player's events stay in file order on one shard.
    expect(new Set(records.map((r) => r.shardId)).size).toBe(2);
    for (let p = 0; p < 7; p++) {
      const mine = records.filter((r) => r.partitionKey === `player-${p}`);
      expect(new Set(mine.map((r) => r.shardId)).size).toBe(1);
      expect(mine.map((r) => r.json.score)).toEqual([...mine.map((r) => r.json.score as number)].sort((a, b) => a - b));
    }
  });

  it("skips bad rows with line numbers and reasons, sends the rest, and handles a BOM, CRLF and quoted commas", async () => {
    const streamName = await newStream(1);
    const lines = [
      `\ufeff${HEADER}`, // 1
      eventRow(0), // 2
      eventRow(1).split(",").slice(0, 8).join(","), // 3: 8 fields
      eventRow(2).replace("47.500020", "north"), // 4: latitude not a number
      eventRow(3).replace("47.500030", "91"), // 5: latitude out of range
      eventRow(4).replace("-122.300040", "-181"), // 6: longitude out of range
      eventRow(5).replace("move", '"mo"ve'), // 7: text after a closing quote
      eventRow(6).replace("move", '"move'), // 8: quote not closed
      eventRow(7).replace("move", '"loot, then move"'), // 9: quoted comma, valid
      eventRow(8).replace("move", 'mo"ve'), // 10: quote in an unquoted field
      "", // 11: empty line, not a row
      eventRow(9).replace("move", '"say ""hi"""'), // 12: escaped quotes, valid
    ];
    const input = writeTemp(dir, "bad.csv", `${lines.join("\r\n")}\r\n`);
    const summary = await runSimulator({ input, streamName, kinesis: client });

    expect(summary).toMatchObject({ rowsRead: 10, recordsSent: 3, rowsSkipped: 7, unsent: 0, exitCode: 0 });
    expect(summary.skipped.map((s) => [s.line, s.reason])).toEqual(
      [
        [3, "expected 9 fields, got 8"],
        [4, 'field "latitude" must be a number, got "north"'],
        [5, 'field "latitude" must be within [-90, 90], got 91'],
        [6, 'field "longitude" must be within [-180, 180], got -181'],
        [7, "broken quoting: text after the closing quote of a field"],
        [8, "broken quoting: a quoted field is not closed on its line"],
        [10, "broken quoting: a quote inside an unquoted field"],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    const records = await readAllRecords(client, streamName);
    expect(records.map((r) => r.json)).toEqual([
      eventRecord(0),
      { ...eventRecord(7), event_type: "loot, then move" },
      { ...eventRecord(9), event_type: 'say "hi"' },
    ]);
  });

  it("rejects and counts a row over 1 MiB, whether the line or the record it makes is too long", async () => {
    const streamName = await newStream(1);
    const MiB = 1024 * 1024;
    const longLine = eventRow(1).replace("move", "m".repeat(MiB)); // the CSV line itself is over 1 MiB
    const longRecord = eventRow(2).replace("move", "m".repeat(MiB - 150)); // the line fits, its JSON record does not
    expect(Buffer.byteLength(longRecord)).toBeLessThan(MiB);
    const input = writeTemp(
      dir,
      "long.csv",
      `${[HEADER, eventRow(0), longLine, longRecord, eventRow(3)].join("\n")}\n`,
    );
    const summary = await runSimulator({ input, streamName, kinesis: client });
    expect(summary).toMatchObject({ rowsRead: 4, recordsSent: 2, rowsSkipped: 2, exitCode: 0 });
    expect(summary.skipped.map((s) => [s.line, s.reason.replace(/record of \d+ bytes/, "record of N bytes")])).toEqual([
      [3, "line longer than 1048576 bytes"],
      [4, "record of N bytes is over the Kinesis PutRecords limit of 1048576 bytes per record"],
    ]);
    expect((await readAllRecords(client, streamName)).map((r) => r.json.event_id).sort()).toEqual(["ev-0", "ev-3"]);
  });

  it("sends nothing from a header-only file and succeeds; refuses an empty file (no header)", async () => {
    const streamName = await newStream(1);
    for (const content of [`${HEADER}\n`, `\ufeff${HEADER}`, `\n\r\n${HEADER}\r\n`]) {
      const input = writeTemp(dir, "header-only.csv", content);
      const summary = await runSimulator({ input, streamName, kinesis: client });
      expect(summary).toMatchObject({ rowsRead: 0, recordsSent: 0, rowsSkipped: 0, exitCode: 0 });
    }
    for (const content of ["", "\n\r\n"]) {
      const input = writeTemp(dir, "empty.csv", content);
      const summary = await runSimulator({ input, streamName, kinesis: client });
      expect(summary).toMatchObject({ rowsRead: 0, recordsSent: 0, exitCode: 2 });
      expect(summary.error).toBe(`input ${input} is empty; expected a header line naming the columns ${HEADER}`);
    }
    expect(await readAllRecords(client, streamName)).toEqual([]);
  });

  it("refuses a header without the event columns, a missing partition key column, a missing file or stream", async () => {
    const streamName = await newStream(1);
    const noLatitude = writeTemp(dir, "nolat.csv", "event_id,longitude\nx,1\n");
    const summary = await runSimulator({ input: noLatitude, streamName, kinesis: client });
    expect(summary.exitCode).toBe(2);
    expect(summary.error).toMatch(
      /^input .*nolat\.csv: the header lacks columns event_time, player_id, event_type, latitude, score, health, speed; its columns: "event_id,longitude"$/,
    );

    const good = writeTemp(dir, "good.csv", eventCsv(3));
    const keyed = await runSimulator({ input: good, streamName, kinesis: client, partitionKey: "team" });
    expect(keyed.error).toMatch(/partition key column "team" is not in the header/);

    await expect(runSimulator({ input: `${dir}/absent.csv`, streamName, kinesis: client })).rejects.toThrow(
      new SimulatorInputError(
        `input ${dir}/absent.csv: no such file; accepted: a CSV file path, s3://bucket/key or s3://bucket/prefix/`,
      ),
    );
    await expect(runSimulator({ input: good, streamName: "absent", kinesis: client })).rejects.toThrow(
      "stream absent: not found; create it or give another --stream",
    );
    await expect(runSimulator({ input: good, streamName, kinesis: client, batchSize: 501 })).rejects.toThrow(
      /batch size \(--batch-size\) must be an integer from 1 to 500, got 501/,
    );
    await expect(runSimulator({ input: good, streamName, kinesis: client, rate: 10, replay: true })).rejects.toThrow(
      /exclude each other/,
    );
  });

  it("loops over the input until stopped, then sends what was read and leaves nothing behind", async () => {
    const streamName = await newStream(2);
    const input = writeTemp(dir, "loop.csv", eventCsv(100));
    const stop = new AbortController();
    const progress: number[] = [];
    const summary = await runSimulator({
      input,
      streamName,
      kinesis: client,
      loop: true,
      backoff: fastRetry,
      signal: stop.signal,
      progressIntervalMs: 20,
      onProgress: (p) => {
        progress.push(p.recordsSent);
        // Stop once the third pass has read rows: a report can also land while it is still opening the file.
        if (p.pass >= 3 && p.rowsRead > 200) stop.abort();
      },
    });
    expect(summary.passes).toBeGreaterThanOrEqual(3);
    expect(summary).toMatchObject({ stoppedBy: "signal", unsent: 0, exitCode: 0, rowsSkipped: 0 });
    expect(summary.recordsSent).toBe(summary.rowsRead);
    expect(summary.recordsSent).toBeGreaterThan(200);
    expect(await readAllRecords(client, streamName)).toHaveLength(summary.recordsSent);
    expect(progress.length).toBeGreaterThan(0);
  });

  it("sends nothing when stopped before it starts", async () => {
    const streamName = await newStream(1);
    const input = writeTemp(dir, "stopped.csv", eventCsv(50));
    const stopped = new AbortController();
    stopped.abort();
    const summary = await runSimulator({ input, streamName, kinesis: client, signal: stopped.signal });
    expect(summary).toMatchObject({ recordsSent: 0, unsent: 0, stoppedBy: "signal" });
    expect(await readAllRecords(client, streamName)).toHaveLength(0);
  });

  it("refuses to loop over an input without a valid row", async () => {
    const streamName = await newStream(1);
    const input = writeTemp(dir, "header-only.csv", `${HEADER}\n`);
    const summary = await runSimulator({ input, streamName, kinesis: client, loop: true });
    expect(summary).toMatchObject({ exitCode: 2, passes: 1 });
    expect(summary.error).toMatch(/no valid rows to send again and again \(--loop\)/);
  });

  it("replays rows as far apart as their event times, sped up", async () => {
    const streamName = await newStream(1);
    // 21 rows 10 ms apart in event time = 200 ms; at speed 2, about 100 ms.
    const input = writeTemp(dir, "replay.csv", eventCsv(21));
    const started = Date.now();
    const summary = await runSimulator({ input, streamName, kinesis: client, replay: true, speed: 2 });
    expect(summary.recordsSent).toBe(21);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });
});
