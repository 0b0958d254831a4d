import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveChromium, type ChromiumExecutable } from "../chromium-executable";

/**
 * The order of resolveChromium over real files; the npm step is a marker here
 * (report-in-browser.test.ts runs it for real).
 */
describe("resolveChromium", () => {
  const dir = mkdtempSync(join(tmpdir(), "chromium-resolve-"));
  const configured = join(dir, "configured-chrome");
  const system = join(dir, "system-chromium");
  const missing = join(dir, "not-installed");
  writeFileSync(configured, "");
  writeFileSync(system, "");
  const npm: ChromiumExecutable = { path: join(dir, "npm-chromium"), source: "npm", env: { FONTCONFIG_FILE: "x" } };
  let npmCalls = 0;
  const fromNpm = async (): Promise<ChromiumExecutable> => {
    npmCalls++;
    return npm;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    npmCalls = 0;
  });

  it("takes CHROMIUM_PATH first, even with a system Chromium installed", async () => {
    const found = await resolveChromium({ env: { CHROMIUM_PATH: configured }, systemPaths: [system], fromNpm });
    expect(found).toEqual({ path: configured, source: "CHROMIUM_PATH", env: {} });
    expect(npmCalls).toBe(0);
  });

  it("refuses a CHROMIUM_PATH that does not exist instead of falling back", async () => {
    await expect(resolveChromium({ env: { CHROMIUM_PATH: missing }, systemPaths: [system], fromNpm })).rejects.toThrow(
      `CHROMIUM_PATH=${missing}: no such file`,
    );
  });

  it("takes the first installed system Chromium when CHROMIUM_PATH is unset or empty", async () => {
    for (const env of [{}, { CHROMIUM_PATH: "" }]) {
      const found = await resolveChromium({ env, systemPaths: [missing, system], fromNpm });
      expect(found).toEqual({ path: system, source: "system", env: {} });
    }
    expect(npmCalls).toBe(0);
  });

  it("falls back to the npm package's Chromium when neither is there", async () => {
    expect(await resolveChromium({ env: {}, systemPaths: [missing], fromNpm })).toBe(npm);
    expect(npmCalls).toBe(1);
  });
});
