import { resolve } from "node:path";

/** The repository root: config paths (the event file, image sources) are relative to it. */
export const REPO_ROOT = resolve(__dirname, "..");
