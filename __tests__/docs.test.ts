/**
 * The docs stay true to the tree: every relative link resolves (file and, when given, heading) and
 * every `npm run X` they show is a script of the package.json it runs in.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const DOCS = ["README.md", "core/README.md", "simulator/README.md", "detector/README.md", ...markdownIn("docs")];

function markdownIn(folder: string): string[] {
  return readdirSync(join(ROOT, folder))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `${folder}/${name}`);
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

function anchorsIn(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.*)$/.exec(line);
    if (heading) anchors.add(anchorOf(heading[1]));
  }
  return anchors;
}

function scriptsOf(packageDir: string): Set<string> {
  const pkg = JSON.parse(readFileSync(join(ROOT, packageDir, "package.json"), "utf8")) as {
    scripts?: Record<string, string>;
  };
  return new Set(Object.keys(pkg.scripts ?? {}));
}

describe.each(DOCS)("%s", (doc) => {
  const text = readFileSync(join(ROOT, doc), "utf8");

  it("links only to files and headings that exist", () => {
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target)) continue; // http(s), mailto: not checked offline
      const [path, anchor] = target.split("#");
      const file = path === "" ? join(ROOT, doc) : resolve(dirname(join(ROOT, doc)), path);
      if (!existsSync(file)) {
        broken.push(`${target} (no ${relative(ROOT, file)})`);
      } else if (anchor && statSync(file).isFile() && !anchorsIn(readFileSync(file, "utf8")).has(anchor)) {
        broken.push(`${target} (no heading #${anchor})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("shows only npm scripts that exist", () => {
    const missing: string[] = [];
    for (const [command] of text.matchAll(/npm run [^\n`|]*/g)) {
      const [, script] = /^npm run ([\w:.-]+)/.exec(command) ?? [];
      if (!script) continue;
      const workspace = /(?:-w|--workspace)[ =]([\w-]+)/.exec(command)?.[1];
      if (!scriptsOf(workspace ?? ".").has(script)) missing.push(command.trim());
    }
    expect(missing).toEqual([]);
  });
});
