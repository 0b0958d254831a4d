import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { parseCheckpoints, type CheckpointStore, type Checkpoints } from "./checkpoint-store";

/** Checkpoints in a local JSON file, replaced atomically (write a temporary file, then rename). */
export class FileCheckpointStore implements CheckpointStore {
  constructor(
    readonly path: string,
    private readonly streamName: string,
  ) {}

  get location(): string {
    return this.path;
  }

  async load(): Promise<Checkpoints | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    return parseCheckpoints(text, this.path, this.streamName);
  }

  async save(checkpoints: Checkpoints): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(checkpoints, null, 2)}\n`);
    await rename(temporary, this.path);
  }
}
