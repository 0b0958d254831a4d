/**
 * The tag of a container image: a content hash of what goes into it, computed at synth. A change
 * to anything the image is built from gives a new tag, so the task definition changes and ECS
 * rolls out the new image; an unchanged image keeps its tag (ECR tags are immutable), whatever
 * happens to the package's tests, benchmarks or docs.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { REPO_ROOT } from "./paths";

export const IMAGE_PACKAGES = ["simulator", "detector"] as const;
export type ImagePackage = (typeof IMAGE_PACKAGES)[number];

/** Hex digits of the sha256 kept in the tag: 48 bits, collisions are not a practical concern. */
export const IMAGE_TAG_LENGTH = 12;

/** Build outputs and installed modules: not sources of the image. */
const IGNORED_NAMES = new Set(["node_modules", "dist", ".DS_Store"]);

/**
 * Repository paths (relative to the root) that make up the image of a package: exactly the build
 * context its Dockerfile is sent, the allow-list (`!path` lines after `*`) of
 * `<pkg>/Dockerfile.dockerignore`, plus the Dockerfile itself. One list, so the tag cannot miss a
 * file the image is built from.
 */
export function imageInputs(pkg: ImagePackage): string[] {
  const file = join(REPO_ROOT, pkg, "Dockerfile.dockerignore");
  const lines = readFileSync(file, "utf8")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  if (lines[0] !== "*" || lines.slice(1).some((line) => !line.startsWith("!"))) {
    throw new Error(`${relative(REPO_ROOT, file)} must be an allow-list: "*" then "!path" lines only`);
  }
  return [`${pkg}/Dockerfile`, ...lines.slice(1).map((line) => line.slice(1))];
}

function listFiles(root: string, path: string, out: string[]): void {
  const full = join(root, path);
  if (!existsSync(full)) return;
  if (statSync(full).isDirectory()) {
    for (const name of readdirSync(full).sort()) {
      if (!IGNORED_NAMES.has(name)) listFiles(root, join(path, name), out);
    }
  } else {
    out.push(path);
  }
}

/** sha256 over each file's relative path and content, in a stable order; the first 12 hex digits. */
export function contentHash(root: string, paths: readonly string[]): string {
  const files: string[] = [];
  for (const p of paths) listFiles(root, p, files);
  const hash = createHash("sha256");
  for (const file of [...new Set(files)].sort()) {
    hash.update(relative(root, join(root, file)).split(sep).join("/"));
    hash.update("\0");
    hash.update(readFileSync(join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex").slice(0, IMAGE_TAG_LENGTH);
}

/** The image tag of a package: the override when given, else the content hash of its inputs. */
export function imageTag(root: string, pkg: ImagePackage, override?: string): string {
  return override ?? contentHash(root, imageInputs(pkg));
}
