/**
 * `npm run synth` end to end (cdktf-cli running main.ts through tsx): it writes every stack's
 * cdk.tf.json, offline; and a bad HOTSPOTS_ENGINE stops synth with a one-line error.
 * One cdktf run (about 10 s): the stacks' content is tested in the other files.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../stacks/paths";

/** Any attempt to reach the network goes to a closed loopback port and fails. */
const OFFLINE_ENV = {
  ...process.env,
  CHECKPOINT_DISABLE: "1",
  HTTP_PROXY: "http://127.0.0.1:9",
  HTTPS_PROXY: "http://127.0.0.1:9",
  http_proxy: "http://127.0.0.1:9",
  https_proxy: "http://127.0.0.1:9",
  NO_PROXY: "",
};

describe("npm run synth", () => {
  let outdir: string;
  let result: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), "hotspots-cli-synth-"));
    // --output keeps this run out of the working tree's cdktf.out; the default is asserted below.
    result = spawnSync("npm", ["run", "synth", "--", "--output", outdir], {
      cwd: REPO_ROOT,
      env: OFFLINE_ENV,
      encoding: "utf8",
    });
  }, 120_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("succeeds offline", () => {
    expect(result.status).toBe(0);
    expect(String(result.stdout)).toContain("Generated Terraform code for the stacks");
  });

  it("writes stacks/*/cdk.tf.json for every stack of both environments", () => {
    const stacks = readdirSync(join(outdir, "stacks")).sort();
    expect(stacks).toEqual([
      "hotspots-dev-analytics",
      "hotspots-dev-data",
      "hotspots-dev-operations",
      "hotspots-dev-simulator",
      "hotspots-prod-analytics",
      "hotspots-prod-data",
      "hotspots-prod-operations",
      "hotspots-prod-simulator",
    ]);
    for (const stack of stacks) {
      const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      expect(json.terraform.required_providers.aws).toEqual({ source: "aws", version: "6.25.0" });
      expect(Object.keys(json.resource).length).toBeGreaterThan(0);
    }
    expect(existsSync(join(outdir, "stacks/hotspots-dev-data/assets"))).toBe(true);
  });

  it("writes to cdktf.out by default and runs the app with tsx", () => {
    const cdktf = JSON.parse(readFileSync(join(REPO_ROOT, "cdktf.json"), "utf8"));
    expect(cdktf.output).toBeUndefined();
    expect(cdktf.app).toBe("npx tsx main.ts");
  });
});

describe("the app with an invalid engine", () => {
  it("fails with one line naming HOTSPOTS_ENGINE and the accepted values", () => {
    const outdir = mkdtempSync(join(tmpdir(), "hotspots-bad-synth-"));
    try {
      const result = spawnSync("npx", ["tsx", "main.ts"], {
        cwd: REPO_ROOT,
        env: { ...OFFLINE_ENV, HOTSPOTS_ENGINE: "flink", CDKTF_OUTDIR: outdir },
        encoding: "utf8",
      });
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe(
        'Invalid configuration: HOTSPOTS_ENGINE: must be one of container, kda-sql, got "flink"',
      );
      const written = existsSync(join(outdir, "stacks")) ? readdirSync(join(outdir, "stacks")) : [];
      expect(written).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
