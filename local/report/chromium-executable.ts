import { existsSync } from "node:fs";
import { unpackNpmChromium } from "./npm-chromium";

/** A Chromium to launch, and where it came from. */
export interface ChromiumExecutable {
  readonly path: string;
  readonly source: "CHROMIUM_PATH" | "system" | "npm";
  /** Environment the browser needs beyond the caller's (the npm build's fonts). */
  readonly env: Readonly<Record<string, string>>;
}

/** Where a system Chromium is installed: Debian's package on Linux, the app bundle on macOS. */
export const SYSTEM_CHROMIUM_PATHS: readonly string[] =
  process.platform === "darwin" ? ["/Applications/Chromium.app/Contents/MacOS/Chromium"] : ["/usr/bin/chromium"];

export interface ChromiumSearch {
  /** Environment to read CHROMIUM_PATH from; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default SYSTEM_CHROMIUM_PATHS. */
  readonly systemPaths?: readonly string[];
  /** Default: unpack the browser shipped in the @sparticuz/chromium package (see npm-chromium.ts). */
  readonly fromNpm?: () => Promise<ChromiumExecutable>;
}

/**
 * The browser for the report's checks, first found of: CHROMIUM_PATH when set, a system Chromium,
 * the npm package's build. So `npm ci` alone brings one, and a machine with its own uses it.
 */
export async function resolveChromium(search: ChromiumSearch = {}): Promise<ChromiumExecutable> {
  const configured = (search.env ?? process.env).CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) {
      throw new Error(
        `CHROMIUM_PATH=${configured}: no such file (unset it to use a system or the npm package's Chromium)`,
      );
    }
    return { path: configured, source: "CHROMIUM_PATH", env: {} };
  }
  const system = (search.systemPaths ?? SYSTEM_CHROMIUM_PATHS).find((p) => existsSync(p));
  if (system) return { path: system, source: "system", env: {} };
  return (search.fromNpm ?? (() => unpackNpmChromium()))();
}
