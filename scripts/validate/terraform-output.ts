/** Reading what `terraform init` and `terraform validate -json` print: pure, tested on recorded output. */

/**
 * The one-line reason when `terraform init` failed to get a provider: the heading Terraform prints
 * ("Failed to query available provider packages" when the registry cannot be asked, "Failed to
 * install provider" when the download fails) and the first line of its explanation. Undefined
 * when init failed for another reason.
 */
export function providerDownloadFailure(initOutput: string): string | undefined {
  const lines = initOutput.split("\n").map((l) => l.replace(/^[│╷╵\s]+/, "").trim());
  const heading = lines.findIndex((l) =>
    /^Error: Failed to (query available provider packages|install provider)/.test(l),
  );
  if (heading < 0) return undefined;
  const explanation: string[] = [];
  for (const line of lines.slice(heading + 1)) {
    if (line === "" && explanation.length > 0) break;
    if (line !== "") explanation.push(line);
  }
  return `${lines[heading].replace(/^Error: /, "")}: ${explanation.join(" ")}`;
}

/**
 * The error Terraform printed, for a failure that is not about the provider: its last "Error:"
 * heading (init prints a general one first, then the real one) and the "on <file> line N" after it.
 */
export function errorSummary(output: string): string {
  const lines = output.split("\n").map((l) => l.replace(/^[│╷╵\s]+/, "").trim());
  const heading = lines
    .map((l, i) => (l.startsWith("Error: ") ? i : -1))
    .filter((i) => i >= 0)
    .pop();
  if (heading === undefined) return lines.filter((l) => l !== "").pop() ?? "no output";
  const where = lines.slice(heading + 1, heading + 4).find((l) => /^on .+ line \d+/.test(l));
  return `${lines[heading].replace(/^Error: /, "")}${where ? ` (${where.replace(/:$/, "")})` : ""}`;
}

interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail?: string;
  readonly range?: { readonly filename: string; readonly start: { readonly line: number; readonly column: number } };
  readonly snippet?: { readonly context?: string | null };
}

export interface ValidateResult {
  readonly valid: boolean;
  readonly errors: number;
  readonly warnings: number;
  /** One line per diagnostic: severity, where (the resource or block), summary and detail. */
  readonly lines: readonly string[];
}

/** `terraform validate -json` (format_version 1.x) as counts and one line per diagnostic. */
export function readValidateJson(text: string): ValidateResult {
  const doc = JSON.parse(text) as {
    valid: boolean;
    error_count: number;
    warning_count: number;
    diagnostics?: Diagnostic[];
  };
  const lines = (doc.diagnostics ?? []).map((d) => {
    const where =
      d.snippet?.context ??
      (d.range ? `${d.range.filename}:${d.range.start.line}:${d.range.start.column}` : "configuration");
    return `${d.severity}: ${where}: ${d.summary}${d.detail ? `: ${d.detail.replace(/\s+/g, " ")}` : ""}`;
  });
  return { valid: doc.valid, errors: doc.error_count, warnings: doc.warning_count, lines };
}
