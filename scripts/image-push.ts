/**
 * npm run image:push -- [options]
 *
 * Builds the simulator and detector images (`docker build -f <pkg>/Dockerfile .`, the repository
 * root as context) and pushes them to the environment's ECR repositories under the tag the stacks
 * use: the content hash of the package, core/ and the lock file (stacks/image-tag.ts). Run it after
 * the data stack exists (it creates the repositories) and before deploying the other stacks.
 */
import { spawnSync } from "node:child_process";
import { EXIT_CODES_HELP, EXIT_STOPPED, parseCliArgs, quoteInput, runCli, UserError } from "@hotspots/core";
import { ENVIRONMENT_NAMES, type EnvironmentName, resolveConfig } from "../stacks/config";
import { IMAGE_PACKAGES, type ImagePackage, imageTag } from "../stacks/image-tag";
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
  --verbose          with an error, print its stack trace too (as DEBUG=1 does)
  -h, --help         show this help

Needs the aws CLI (credentials for the account) and a docker engine.
${EXIT_CODES_HELP}`;

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

class Stopped extends Error {}

/** Runs a command; its output goes to the terminal unless `capture` (then it is returned). */
function run(argv: readonly string[], options: { input?: string; capture?: boolean } = {}): string {
  const result = spawnSync(argv[0], argv.slice(1), {
    cwd: REPO_ROOT,
    input: options.input,
    stdio: [options.input === undefined ? "inherit" : "pipe", options.capture ? "pipe" : "inherit", "inherit"],
    encoding: "utf8",
  });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
    throw new Error(`${argv[0]} not found: image:push needs the aws CLI and docker on PATH`);
  }
  if (result.error) throw new Error(`${argv[0]}: ${result.error.message}`);
  // Ctrl-C reaches the child in the foreground; Node sees the signal only once spawnSync returns.
  if (result.signal === "SIGINT" || result.status === EXIT_STOPPED) throw new Stopped();
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
  const account = run(["aws", "sts", "get-caller-identity", "--query", "Account", "--output", "text"], {
    capture: true,
  }).trim();
  return `${account}.dkr.ecr.${region}.amazonaws.com`;
}

export function parseOptions(argv: readonly string[]) {
  const { values } = parseCliArgs(argv, {
    env: { type: "string" },
    package: { type: "string" },
    registry: { type: "string" },
    "dry-run": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  const env = values.env ?? "dev";
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(env)) {
    throw new UserError(`--env must be one of ${ENVIRONMENT_NAMES.join(", ")}, got ${quoteInput(env)}`);
  }
  if (values.package !== undefined && !(IMAGE_PACKAGES as readonly string[]).includes(values.package)) {
    throw new UserError(`--package must be one of ${IMAGE_PACKAGES.join(", ")}, got ${quoteInput(values.package)}`);
  }
  if (values.registry !== undefined && !/^[a-z0-9.-]+(:\d+)?$/i.test(values.registry)) {
    throw new UserError(
      `--registry must be a registry host such as 123456789012.dkr.ecr.us-east-1.amazonaws.com, got ${quoteInput(values.registry)}`,
    );
  }
  return {
    help: values.help === true,
    dryRun: values["dry-run"] === true,
    environment: env as EnvironmentName,
    packages: values.package ? [values.package as ImagePackage] : [...IMAGE_PACKAGES],
    registry: values.registry,
  };
}

function main(argv: readonly string[], signal: AbortSignal): number {
  const options = parseOptions(argv);
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const { region } = resolveConfig(options.environment);
  const registry =
    options.registry ?? (options.dryRun ? `<account>.dkr.ecr.${region}.amazonaws.com` : defaultRegistry(region));
  const { commands, skipped } = planImagePush({ ...options, registry });
  for (const line of skipped) console.log(`skip ${line}`);
  for (const command of commands) {
    // A child in the foreground gets Ctrl-C too; once it ends, nothing more is started.
    if (signal.aborted) return EXIT_STOPPED;
    if (options.dryRun) {
      const condition = command.onlyIfMissing
        ? `  # unless ${command.onlyIfMissing.repository}:${command.onlyIfMissing.tag} exists`
        : "";
      console.log(`# ${command.title}\n${formatCommand(command)}${condition}`);
      continue;
    }
    if (command.onlyIfMissing && tagExists(region, command.onlyIfMissing.repository, command.onlyIfMissing.tag)) {
      console.log(`skip ${command.title}: the tag exists`);
      continue;
    }
    console.log(`> ${command.title}`);
    try {
      const input = command.stdinFrom ? run(command.stdinFrom, { capture: true }) : undefined;
      run(command.argv, { input });
    } catch (error) {
      if (error instanceof Stopped) return EXIT_STOPPED;
      throw error;
    }
  }
  return 0;
}

if (require.main === module) {
  runCli("image:push", async (run) => main(process.argv.slice(2), run.signal));
}
