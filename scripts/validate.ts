/**
 * npm run validate -- [--stacks-dir DIR] [--terraform PATH]
 *
 * `terraform init -backend=false` and `terraform validate` in every synthesized stack
 * (cdktf.out/stacks/*): the provider's own checks of every argument, which the tests, reading
 * cdk.tf.json, cannot make. Needs the AWS provider, so a machine that reaches
 * registry.terraform.io (or a provider mirror); where it cannot, it stops with one line.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../stacks/paths";
import { errorSummary, providerDownloadFailure, readValidateJson } from "./validate/terraform-output";

export const VALIDATE_EXIT = { valid: 0, invalid: 1, usage: 2, cannotRunHere: 3 } as const;

export const VALIDATE_USAGE = `Usage: npm run validate -- [--stacks-dir DIR] [--terraform PATH]

Runs \`terraform init -backend=false -input=false\` and \`terraform validate -json\` in every
synthesized stack (run \`npm run synth\` first), one line per stack. The provider is downloaded
from registry.terraform.io (or your provider mirror / TF_PLUGIN_CACHE_DIR); nothing is planned,
no state or credentials are used.

Options:
  --stacks-dir DIR   the synthesized stacks (default: cdktf.out/stacks)
  --terraform PATH   the terraform binary (default: $TERRAFORM_BINARY_NAME or terraform)
  -h, --help         show this help

Exit status: 0 every stack is valid; 1 a stack is invalid (or init failed for another reason);
2 bad command line or nothing synthesized; 3 cannot validate here: terraform is not installed,
or the provider could not be downloaded.`;

export interface ValidateIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

function run(terraform: string, args: string[], cwd: string, env: ValidateIo["env"]) {
  const result = spawnSync(terraform, args, { cwd, encoding: "utf8", env: { ...env, TF_IN_AUTOMATION: "1" } });
  return {
    error: result.error as NodeJS.ErrnoException | undefined,
    status: result.status,
    stdout: result.stdout ?? "",
    stderr: result.stderr ?? "",
  };
}

function parseValidateArgs(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      "stacks-dir": { type: "string" },
      terraform: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  }).values;
}

export function validateMain(argv: readonly string[], io: ValidateIo): number {
  let values: ReturnType<typeof parseValidateArgs>;
  try {
    values = parseValidateArgs(argv);
  } catch (error) {
    io.stderr(`validate: ${(error as Error).message}; see --help`);
    return VALIDATE_EXIT.usage;
  }
  if (values.help) {
    io.stdout(VALIDATE_USAGE);
    return VALIDATE_EXIT.valid;
  }
  const stacksDir = values["stacks-dir"] ?? join(REPO_ROOT, "cdktf.out", "stacks");
  const stacks = existsSync(stacksDir)
    ? readdirSync(stacksDir)
        .filter((s) => existsSync(join(stacksDir, s, "cdk.tf.json")))
        .sort()
    : [];
  if (stacks.length === 0) {
    io.stderr(`validate: no synthesized stack (cdk.tf.json) under ${stacksDir}; run \`npm run synth\` first`);
    return VALIDATE_EXIT.usage;
  }
  const terraform = values.terraform ?? io.env.TERRAFORM_BINARY_NAME ?? "terraform";
  const version = run(terraform, ["version", "-json"], stacksDir, io.env);
  if (version.error) {
    io.stderr(
      version.error.code === "ENOENT"
        ? `validate: terraform is not installed (${terraform} is not on PATH); install Terraform >= 1.10 or pass --terraform PATH`
        : `validate: cannot run ${terraform}: ${version.error.message}`,
    );
    return VALIDATE_EXIT.cannotRunHere;
  }
  let invalid = 0;
  for (const stack of stacks) {
    const dir = join(stacksDir, stack);
    const init = run(terraform, ["init", "-backend=false", "-input=false", "-no-color"], dir, io.env);
    if (init.status !== 0) {
      const download = providerDownloadFailure(init.stderr + init.stdout);
      if (download) {
        io.stderr(
          `validate: ${stack}: the provider could not be downloaded (${download}); validate needs registry.terraform.io or a provider mirror`,
        );
        return VALIDATE_EXIT.cannotRunHere;
      }
      io.stdout(`FAIL ${stack}: terraform init: ${errorSummary(init.stderr + init.stdout)}`);
      invalid++;
      continue;
    }
    const validate = run(terraform, ["validate", "-json", "-no-color"], dir, io.env);
    let result: ReturnType<typeof readValidateJson>;
    try {
      result = readValidateJson(validate.stdout);
    } catch {
      io.stdout(`FAIL ${stack}: terraform validate: ${errorSummary(validate.stderr + validate.stdout)}`);
      invalid++;
      continue;
    }
    const warnings = result.warnings > 0 ? `, ${result.warnings} warnings` : "";
    io.stdout(
      `${result.valid ? "PASS" : "FAIL"} ${stack}: ${result.valid ? "valid" : `${result.errors} errors`}${warnings}`,
    );
    for (const line of result.lines) io.stdout(`  ${line}`);
    if (!result.valid) invalid++;
  }
  io.stdout(
    invalid === 0
      ? `validate: all ${stacks.length} stacks are valid`
      : `validate: ${invalid} of ${stacks.length} stacks are not valid`,
  );
  return invalid === 0 ? VALIDATE_EXIT.valid : VALIDATE_EXIT.invalid;
}

if (require.main === module) {
  process.exit(
    validateMain(process.argv.slice(2), {
      stdout: (l) => console.log(l),
      stderr: (l) => console.error(l),
      env: process.env,
    }),
  );
}
