import { execFile } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { ChromiumExecutable } from "./chromium-executable";

/**
 * @sparticuz/chromium ships a Linux x64 Chromium (headless shell) inside the npm package, brotli
 * compressed: no install script, no download. Its `executablePath()` unpacks it into os.tmpdir()
 * and reuses whatever file sits there by that name, so a run stopped half-way, or another version,
 * would be reused as it is. Here it unpacks into a fresh folder (TMPDIR pointed there, in a child
 * process: the package is an ES module with side effects on import) that is then renamed to a name
 * keyed by the package's version, so the folder is whole or absent.
 */
const PACKAGE = "@sparticuz/chromium";
/** A staging folder this old was left by a stopped run (an unpack takes about 2 s). */
const STALE_STAGING_MS = 10 * 60_000;

const run = promisify(execFile);

export async function unpackNpmChromium(cacheRoot: string = tmpdir()): Promise<ChromiumExecutable> {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `${PACKAGE} ships a Linux x64 Chromium only (this is ${process.platform}-${process.arch}): ` +
        "install Chromium or set CHROMIUM_PATH",
    );
  }
  const entry = require.resolve(PACKAGE);
  const manifest = join(dirname(entry), "..", "package.json");
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
  const name = `sparticuz-chromium-${version}`;
  const folder = join(cacheRoot, name);
  const found = executableIn(folder);
  if (found) return found;

  removeStaleStaging(cacheRoot, `${name}.partial-`);
  const staging = mkdtempSync(join(cacheRoot, `${name}.partial-`));
  try {
    const unpack =
      "const { default: chromium } = await import(process.argv[1]); console.log(await chromium.executablePath());";
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", unpack, pathToFileURL(entry).href], {
      env: { ...process.env, TMPDIR: staging },
    });
    const expected = join(staging, "chromium");
    if (stdout.trim() !== expected) throw new Error(`unpacked to ${stdout.trim()}, expected ${expected}`);
    writeFileSync(join(staging, "fonts.conf"), fontConfig(folder));
    try {
      renameSync(staging, folder);
    } catch (error) {
      // Another process unpacked the same version meanwhile: use its folder.
      if (!existsSync(join(folder, "chromium"))) throw error;
    }
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    throw new Error(`${PACKAGE}: could not unpack its Chromium into ${cacheRoot}: ${reason}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const unpacked = executableIn(folder);
  if (!unpacked) throw new Error(`${PACKAGE}: ${folder} has no chromium after unpacking`);
  return unpacked;
}

function executableIn(folder: string): ChromiumExecutable | undefined {
  const path = join(folder, "chromium");
  if (!existsSync(path)) return undefined;
  return { path, source: "npm", env: { FONTCONFIG_FILE: join(folder, "fonts.conf") } };
}

/**
 * The system's fonts when it has any, and always the Open Sans the package ships, so text renders
 * on a machine with no fonts installed. (The package's own fonts.conf names /tmp/fonts.)
 */
function fontConfig(folder: string): string {
  const xml = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${xml(join(folder, "fonts", "fonts"))}</dir>
  <cachedir>${xml(join(folder, "fonts-cache"))}</cachedir>
</fontconfig>
`;
}

function removeStaleStaging(cacheRoot: string, prefix: string): void {
  for (const entry of readdirSync(cacheRoot)) {
    if (!entry.startsWith(prefix)) continue;
    const path = join(cacheRoot, entry);
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_STAGING_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Gone already: another run swept it.
    }
  }
}
