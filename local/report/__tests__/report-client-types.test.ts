import { join } from "node:path";
import * as ts from "typescript";

/**
 * The report's browser code lives in its own DOM-typed project (client/tsconfig.json), outside the
 * root type check (whose Node-only lib has no `document`); this runs the compiler over it.
 */
it("type-checks the report's browser code against the DOM", () => {
  const configPath = join(__dirname, "..", "client", "tsconfig.json");
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!config) throw new Error(`${configPath}: not read`);
  const names = config.fileNames.map((f) => f.split("/").pop());
  expect(names).toEqual(expect.arrayContaining(["report-client.ts", "report-data-types.ts"]));
  const program = ts.createProgram(config.fileNames, config.options);
  const problems = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : "";
    return where + ts.flattenDiagnosticMessageText(d.messageText, "\n");
  });
  expect(problems).toEqual([]);
});
