import type { CliIo } from "../cli";
import { UsageError, type ParsedArgs } from "./options";

/** Stream mode: see the stream folder. */
export async function runStreamCommand(_args: ParsedArgs, _io: CliIo): Promise<number> {
  throw new UsageError("stream mode is not available yet");
}
