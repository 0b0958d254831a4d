/**
 * npm run image:push -- [options]
 *
 * Builds the simulator and detector images (`docker build -f <pkg>/Dockerfile .`, the repository
 * root as context) and pushes them to the environment's ECR repositories under the tag the stacks
 * use: the content hash of the package, core/ and the lock file (stacks/image-tag.ts). Run it after
 * the data stack exists (it creates the repositories) and before deploying the other stacks.
 */
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { ENVIRONMENT_NAMES, EnvironmentName, resolveConfig } from "../stacks/config";
import { IMAGE_PACKAGES, ImagePackage, imageTag } from "../stacks/image-tag";
import { REPO_ROOT } from "../stacks/paths";

export const USAGE = `Usage: npm run image:push -- [--env dev|prod] [--package simulator|detector] [--registry HOST] [--dry-run]

Builds each image with docker (context: the repository root) and pushes it to ECR as
<registry>/<prefix>-<package>:<content hash>, the tag the synthesized task definitions use.
An image whose tag already exists is skipped (ECR tags are immutable). A package whose
imageTag is set in config is built elsewhere and skipped.

Options:
  --env ENV          environment whose config (prefix, region) to use: ${ENVIRONMENT_NAMES.join(", ")} (default: dev)
  --package PKG      only this package: ${IMAGE_PACKAGES.join(", ")} (default: both)
  --registry HOST    ECR registry host (default: <account>.dkr.ecr.<region>.amazonaws.com,
                     the account read with \`aws sts get-caller-identity\`)
  --dry-run          print the commands instead of running them
  -h, --help         show this help

Needs the aws CLI (credentials for the account) and a docker engine.`;

export interface Command {
  /** What the step is for, printed before it. */
  readonly title: string;
  readonly argv: readonly string[];
  /** Run only when this image tag is not in the repository yet. */
  readonly onlyIfMissing?: { readonly repository: string; readonly tag: string };
  /** Feed the stdout of this command to this one (docker login's password). */
  readonly stdinFrom?: readonly string[];
}

export interface PushOptions {
  readonly environment: EnvironmentName;
  readonly packages: readonly ImagePackage[];
  readonly registry: string;
}

/** The commands that build and push the images; pure, so a dry run prints exactly what a run does. */
export function planImagePush(options: PushOptions): { commands: Command[]; skipped: string[] } {
  const config = resolveConfig(options.environment);
  const { region } = config;
  const commands: Command[] = [];
  const skipped: string[] = [];
  const targets = options.packages.filter((pkg) => {
    const override = config[pkg].imageTag;
    if (override !== undefined) skipped.push(`${pkg}: imageTag ${override} is set in config (built elsewhere)`);
    return override === undefined;
  });
  if (targets.length === 0) return { commands, skipped };

  commands.push({
    title: `log docker in to ${options.registry}`,
    argv: ["docker", "login", "--username", "AWS", "--password-stdin", options.registry],
    stdinFrom: ["aws", "ecr", "get-login-password", "--region", region],
  });
  for (const pkg of targets) {
    const repository = `${config.prefix}-${pkg}`;
    const tag = imageTag(REPO_ROOT, pkg);
    const image = `${options.registry}/${repository}:${tag}`;
    const onlyIfMissing = { repository, tag };
    commands.push({
      title: `build ${pkg} as ${image}`,
      // Fargate tasks run on X86_64 (stacks/constructs/fargate-service.ts), whatever builds the image.
      argv: ["docker", "build", "--platform", "linux/amd64", "-f", `${pkg}/Dockerfile`, "-t", image, "."],
      onlyIfMissing,
    });
    commands.push({ title: `push ${image}`, argv: ["docker", "push", image], onlyIfMissing });
  }
  return { commands, skipped };
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./<>-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

export function formatCommand(command: Command): string {
  const line = command.argv.map(shellQuote).join(" ");
  return command.stdinFrom ? `${command.stdinFrom.map(shellQuote).join(" ")} | ${line}` : line;
}

/** Runs a command; its output goes to the terminal unless `capture` (then it is returned). */
function run(argv: readonly string[], options: { input?: string; capture?: boolean } = {}): string {
  const result = spawnSync(argv[0], argv.slice(1), {
    cwd: REPO_ROOT,
    input: options.input,
    stdio: [options.input === undefined ? "inherit" : "pipe", options.capture ? "pipe" : "inherit", "inherit"],
    encoding: "utf8",
  });
  if (result.error) throw new Error(`${argv[0]}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${argv.join(" ")} failed with exit code ${result.status}`);
  return result.stdout ?? "";
}

function tagExists(region: string, repository: string, tag: string): boolean {
  const result = spawnSync(
    "aws",
    ["ecr", "describe-images", "--region", region, "--repository-name", repository, "--image-ids", `imageTag=${tag}`],
    { cwd: REPO_ROOT, stdio: "ignore" },
  );
  return result.status === 0;
}

function defaultRegistry(region: string): string {
  const account = run(["aws", "sts", "get-caller-identity", "--query", "Account", "--output", "text"], { capture: true }).trim();
  return `${account}.dkr.ecr.${region}.amazonaws.com`;
}

export function parseOptions(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      env: { type: "string", default: "dev" },
      package: { type: "string" },
      registry: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(values.env!)) {
    throw new Error(`--env must be one of ${ENVIRONMENT_NAMES.join(", ")}, got ${JSON.stringify(values.env)}`);
  }
  if (values.package !== undefined && !(IMAGE_PACKAGES as readonly string[]).includes(values.package)) {
    throw new Error(`--package must be one of ${IMAGE_PACKAGES.join(", ")}, got ${JSON.stringify(values.package)}`);
  }
  return {
    help: values.help!,
    dryRun: values["dry-run"]!,
    environment: values.env as EnvironmentName,
    packages: values.package ? [values.package as ImagePackage] : [...IMAGE_PACKAGES],
    registry: values.registry,
  };
}

function main(argv: readonly string[]): void {
  const options = parseOptions(argv);
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const { region } = resolveConfig(options.environment);
  const registry = options.registry ?? (options.dryRun ? `<account>.dkr.ecr.${region}.amazonaws.com` : defaultRegistry(region));
  const { commands, skipped } = planImagePush({ ...options, registry });
  for (const line of skipped) console.log(`skip ${line}`);
  for (const command of commands) {
    if (options.dryRun) {
      const condition = command.onlyIfMissing ? `  # unless ${command.onlyIfMissing.repository}:${command.onlyIfMissing.tag} exists` : "";
      console.log(`# ${command.title}\n${formatCommand(command)}${condition}`);
      continue;
    }
    if (command.onlyIfMissing && tagExists(region, command.onlyIfMissing.repository, command.onlyIfMissing.tag)) {
      console.log(`skip ${command.title}: the tag exists`);
      continue;
    }
    console.log(`> ${command.title}`);
    const input = command.stdinFrom ? run(command.stdinFrom, { capture: true }) : undefined;
    run(command.argv, { input });
  }
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(`image:push: ${(err as Error).message}`);
    process.exit(1);
  }
}
