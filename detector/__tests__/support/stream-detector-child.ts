/**
 * The stream detector in a process of its own, for the kill-and-restart test: argv[2] is a
 * DetectorToFile as JSON. After every batch written it prints `progress <recordsIn> <checkpointsSaved>`.
 */
import { runDetectorToFile, type DetectorToFile } from "./detector-to-file";

const config = JSON.parse(process.argv[2]) as DetectorToFile;
runDetectorToFile(config, {
  onProgress: (stats) => process.stdout.write(`progress ${stats.recordsIn} ${stats.checkpointsSaved}\n`),
}).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  },
);
