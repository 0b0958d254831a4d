import { spawnSync } from "node:child_process";
import { Readable } from "node:stream";
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  linkSync,
  mkdirSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AtomicOutput,
  csvLines,
  describeRange,
  parseCliArgs,
  parseNumberFlag,
  quoteInput,
  splitCsvLine,
  UserError,
} from "../src";

describe("quoteInput", () => {
  it("escapes what a terminal would not print and cuts long input, saying how long it was", () => {
    expect(quoteInput('a"b')).toBe('"a\\"b"');
    expect(quoteInput("\u0000\u001b[31m\u007f\u0085x")).toBe('"\\u0000\\u001b[31m\\u007f\\u0085x"');
    const long = quoteInput("x".repeat(50_000_000));
    expect(long).toBe(`"${"x".repeat(200)}..." (50000000 characters)`);
  });
});

describe("parseCliArgs and parseNumberFlag", () => {
  const flags = {
    "window-size": { type: "string" },
    rate: { type: "string", short: "r" },
    help: { type: "boolean" },
  } as const;

  it("takes a negative number as a flag's value, in every spelling", () => {
    for (const argv of [["--window-size", "-5"], ["--window-size=-5"]]) {
      expect(parseCliArgs(argv, flags).values["window-size"]).toBe("-5");
    }
    expect(parseCliArgs(["-r", "-.5"], flags).values.rate).toBe("-.5");
  });

  it("answers a mistake with one line naming the flag", () => {
    expect(() => parseCliArgs(["--bogus"], flags)).toThrow(
      new UserError('unknown option "--bogus"; accepted: --window-size, --rate, --help, --verbose (see --help)'),
    );
    expect(() => parseCliArgs(["--rate"], flags)).toThrow("--rate needs a value (see --help)");
    expect(() => parseCliArgs(["--rate", "--help"], flags)).toThrow(
      '--rate needs a value, got "--help", which looks like a flag (write --rate=VALUE if it is the value)',
    );
    expect(() => parseCliArgs(["--help=yes"], flags)).toThrow("--help takes no value");
    expect(() => parseCliArgs(["stray"], flags)).toThrow(/^unexpected argument "stray"/);
  });

  it("checks a number against its range and names both", () => {
    expect(parseNumberFlag("--rate", "0", { min: 0 })).toBe(0);
    expect(parseNumberFlag("--rate", " 2.5e2 ", { min: 0 })).toBe(250);
    const range = { integer: true, min: 100, max: 1000 };
    for (const bad of ["-5", "5000", "1.5", "0x64", "", "Infinity", "1e999"]) {
      expect(() => parseNumberFlag("--window-size", bad, range)).toThrow(
        `--window-size must be an integer from 100 to 1000, got ${JSON.stringify(bad)}`,
      );
    }
    expect(describeRange({ min: 0, minExclusive: true })).toBe("a number > 0");
    expect(describeRange({ min: 0, note: "0: as fast as it can" })).toBe("a number >= 0 (0: as fast as it can)");
  });
});

describe("csvLines", () => {
  async function lines(text: string | Buffer[], max = 1000) {
    const chunks = typeof text === "string" ? [Buffer.from(text)] : text;
    const out = [];
    for await (const l of csvLines(Readable.from(chunks), max)) out.push(l);
    return out.map((l) => ("problem" in l ? [l.line, l.problem] : [l.line, l.fields]));
  }

  it("numbers lines as an editor does, LF or CRLF, and skips a broken line without losing the next", async () => {
    const text = 'h1,h2\na,b\n\nc,"d\ne,"f,""g"""\n';
    const expected = [
      [1, ["h1", "h2"]],
      [2, ["a", "b"]],
      [4, "broken quoting: a quoted field is not closed on its line"],
      [5, ["e", 'f,"g"']],
    ];
    expect(await lines(text)).toEqual(expected);
    expect(await lines(text.replace(/\n/g, "\r\n"))).toEqual(expected);
    // Split anywhere across chunks, with a BOM and no final line break.
    const bytes = Buffer.from(`\ufeff${text.trimEnd()}`);
    expect(await lines([bytes.subarray(0, 7), bytes.subarray(7, 8), bytes.subarray(8)])).toEqual(expected);
  });

  it("drops a line over the limit without holding it, even across chunks", async () => {
    const long = "x".repeat(25);
    expect(await lines([Buffer.from(`a,b\n${long.slice(0, 10)}`), Buffer.from(`${long.slice(10)}\nc,d`)], 20)).toEqual([
      [1, ["a", "b"]],
      [2, "line longer than 20 bytes"],
      [3, ["c", "d"]],
    ]);
  });

  it("splits fields by RFC 4180", () => {
    expect(splitCsvLine('a,,"",",",x')).toEqual(["a", "", "", ",", "x"]);
    expect(splitCsvLine("a,b,")).toEqual(["a", "b", ""]);
  });
});

describe("AtomicOutput", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "atomic-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes beside the target and replaces it only on commit", () => {
    const target = join(dir, "out.txt");
    writeFileSync(target, "before");
    const discarded = AtomicOutput.prepare(target, { flag: "--output" });
    writeFileSync(discarded.path, "partial");
    discarded.discard();
    expect(readFileSync(target, "utf8")).toBe("before");
    expect(readdirSync(dir)).toEqual(["out.txt"]);
    const kept = AtomicOutput.prepare(target, { flag: "--output" });
    writeFileSync(kept.path, "after");
    kept.commit();
    expect(readFileSync(target, "utf8")).toBe("after");
    expect(readdirSync(dir)).toEqual(["out.txt"]);
  });

  it("refuses an input, through a symbolic or a hard link, a folder and a missing folder, before opening anything", () => {
    const input = join(dir, "in.csv");
    writeFileSync(input, "a,b\n");
    symlinkSync(input, join(dir, "soft.ndjson"));
    linkSync(input, join(dir, "hard.ndjson"));
    mkdirSync(join(dir, "sub"));
    const prepare = (output: string) => () => AtomicOutput.prepare(output, { flag: "--output", inputs: [input] });
    expect(prepare(input)).toThrow(/^--output ".*in\.csv" is the input ".*in\.csv"; refusing to write over an input/);
    expect(prepare(join(dir, "sub", "..", "in.csv"))).toThrow(/is the input/);
    expect(prepare(join(dir, "soft.ndjson"))).toThrow(/is the input/);
    expect(prepare(join(dir, "hard.ndjson"))).toThrow(/is the input/);
    expect(prepare(join(dir, "sub"))).toThrow(/is a folder; give a file path$/);
    expect(prepare(join(dir, "absent", "x.ndjson"))).toThrow(/the folder ".*absent" does not exist$/);
    expect(readdirSync(dir).sort()).toEqual(["hard.ndjson", "in.csv", "soft.ndjson", "sub"]);
    expect(readFileSync(input, "utf8")).toBe("a,b\n");
  });
});

describe("runCli", () => {
  it("silences only the AWS SDK's Node-version warning: other warnings still show", () => {
    const script = `
      const { runCli } = require("./core/src/cli/run-cli");
      runCli("probe", async () => {
        process.emitWarning("another warning");
        new (require("@aws-sdk/client-kinesis").KinesisClient)({ region: "us-east-1" }).destroy();
        return 0;
      });`;
    const env = { PATH: process.env.PATH };
    const result = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
      cwd: join(__dirname, "..", ".."),
      env,
      encoding: "utf8",
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("Warning: another warning");
    expect(result.stderr).not.toContain("NodeVersionSupportWarning");
  });
});
