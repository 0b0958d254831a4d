/**
 * Image tags (content hash of what each image is built from) and `npm run image:push`:
 * its plan, its --help and its --dry-run output, which use the same tag as the synthesized stacks.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENVIRONMENTS } from "../stacks/config";
import { contentHash, imageInputs, imageTag } from "../stacks/image-tag";
import { REPO_ROOT } from "../stacks/paths";
import { formatCommand, parseOptions, planImagePush, USAGE } from "../scripts/image-push";

describe("contentHash", () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const tag = () => contentHash(root, imageInputs("simulator"));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "image-tag-"));
    write("simulator/src/cli.ts", "console.log(1)");
    write("core/src/index.ts", "export {}");
    write("package-lock.json", "{}");
    write("package.json", "{}");
    write("detector/src/cli.ts", "other package");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("is 12 hex digits and stable", () => {
    expect(tag()).toMatch(/^[0-9a-f]{12}$/);
    expect(tag()).toBe(tag());
  });

  it("changes with the package, core/, the lock file, and a renamed file", () => {
    const seen = new Set([tag()]);
    write("simulator/src/cli.ts", "console.log(2)");
    seen.add(tag());
    write("core/src/index.ts", "export const x = 1");
    seen.add(tag());
    write("package-lock.json", '{"v":2}');
    seen.add(tag());
    rmSync(join(root, "simulator/src/cli.ts"));
    write("simulator/src/main.ts", "console.log(2)");
    seen.add(tag());
    expect(seen.size).toBe(5);
  });

  it("ignores node_modules, dist and the other package", () => {
    const before = tag();
    write("simulator/node_modules/x/index.js", "x");
    write("simulator/dist/cli.js", "built");
    write("core/dist/index.js", "built");
    write("detector/src/cli.ts", "changed");
    expect(tag()).toBe(before);
  });

  it("changes with the Dockerfile and the shared compiler settings, which the image is built from", () => {
    const before = tag();
    write("simulator/Dockerfile", "FROM node:22");
    const withDockerfile = tag();
    write("tsconfig.base.json", "{}");
    expect(new Set([before, withDockerfile, tag()]).size).toBe(3);
  });

  it("ignores the package's tests, benchmarks and docs, which the image does not hold", () => {
    const before = tag();
    write("simulator/__tests__/cli.test.ts", "test");
    write("simulator/bench/bench.ts", "bench");
    write("README.md", "docs");
    expect(tag()).toBe(before);
  });

  it("hashes exactly the build context of the Dockerfile (its .dockerignore allow-list)", () => {
    const allowList = readFileSync(join(REPO_ROOT, "simulator", "Dockerfile.dockerignore"), "utf8")
      .split("\n")
      .filter((line) => line.startsWith("!"))
      .map((line) => line.slice(1).trim());
    expect(imageInputs("simulator")).toEqual(["simulator/Dockerfile", ...allowList]);
  });

  it("an imageTag override wins", () => {
    expect(imageTag(root, "simulator", "release-7")).toBe("release-7");
    expect(imageTag(root, "simulator")).toBe(tag());
  });
});

describe("planImagePush", () => {
  const registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

  it("logs in, then builds from the repository root and pushes each image under its content-hash tag", () => {
    const { commands, skipped } = planImagePush({ environment: "dev", packages: ["simulator", "detector"], registry });
    expect(skipped).toEqual([]);
    expect(formatCommand(commands[0])).toBe(
      `aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin ${registry}`,
    );
    const simulator = `${registry}/ubiquitous-octo-spoon-simulator:${contentHash(REPO_ROOT, imageInputs("simulator"))}`;
    const detector = `${registry}/ubiquitous-octo-spoon-detector:${contentHash(REPO_ROOT, imageInputs("detector"))}`;
    expect(commands.slice(1).map((c) => c.argv.join(" "))).toEqual([
      `docker build --platform linux/amd64 -f simulator/Dockerfile -t ${simulator} .`,
      `docker push ${simulator}`,
      `docker build --platform linux/amd64 -f detector/Dockerfile -t ${detector} .`,
      `docker push ${detector}`,
    ]);
    expect(commands[1].onlyIfMissing).toEqual({
      repository: "ubiquitous-octo-spoon-simulator",
      tag: simulator.split(":").pop(),
    });
  });

  it("uses the environment's prefix and region", () => {
    const { commands } = planImagePush({ environment: "prod", packages: ["detector"], registry: "r" });
    expect(commands[0].stdinFrom).toContain(ENVIRONMENTS.prod.region);
    expect(commands[1].argv).toContain(
      `r/ubiquitous-octo-spoon-prod-detector:${contentHash(REPO_ROOT, imageInputs("detector"))}`,
    );
  });

  it("rejects unknown environments and packages with the accepted values", () => {
    expect(() => parseOptions(["--env", "qa"])).toThrow('--env must be one of dev, prod, got "qa"');
    expect(() => parseOptions(["--package", "web"])).toThrow('--package must be one of simulator, detector, got "web"');
    expect(parseOptions(["--package", "detector", "--dry-run"])).toMatchObject({
      packages: ["detector"],
      dryRun: true,
      environment: "dev",
    });
  });
});

describe("npm run image:push", () => {
  // What `npm run image:push` runs: node with tsx as its loader.
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/image-push.ts", ...args], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    });

  it("--help prints the usage", () => {
    const result = cli("--help");
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(USAGE);
  });

  it("--dry-run prints the commands with the synth's tags and runs nothing", () => {
    const result = cli("--dry-run", "--registry", "reg.example");
    expect(result.status).toBe(0);
    const out = result.stdout;
    const tag = contentHash(REPO_ROOT, imageInputs("simulator"));
    expect(out).toContain(
      `docker build --platform linux/amd64 -f simulator/Dockerfile -t reg.example/ubiquitous-octo-spoon-simulator:${tag} .`,
    );
    expect(out).toContain(
      `docker push reg.example/ubiquitous-octo-spoon-detector:${contentHash(REPO_ROOT, imageInputs("detector"))}`,
    );
  });

  it("a bad option is a one-line error and exit code 2, as in every CLI", () => {
    const result = cli("--package", "web", "--dry-run");
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('image:push: --package must be one of simulator, detector, got "web"');
  });
});
