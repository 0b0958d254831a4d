import { DescribeStreamSummaryCommand } from "@aws-sdk/client-kinesis";
import { fail, pass, type Check } from "../check";

/** The stream is ACTIVE, with the configured open shards (provisioned) or in on-demand mode. */
export const streamCheck: Check = {
  name: "stream",
  plan: [
    "Kinesis DescribeStreamSummary <stream_name>: StreamStatus ACTIVE, OpenShardCount = config stream.shards (provisioned) or StreamMode ON_DEMAND",
  ],
  async run({ clients, names, config }) {
    const { StreamDescriptionSummary: s } = await clients.kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: names.streamName }),
    );
    const status = s?.StreamStatus ?? "unknown";
    const shards = s?.OpenShardCount ?? 0;
    if (status !== "ACTIVE") return fail(`${names.streamName} is ${status}, not ACTIVE`);
    if (config.stream.mode === "on-demand") {
      const mode = s?.StreamModeDetails?.StreamMode;
      return mode === "ON_DEMAND"
        ? pass(`${names.streamName} is ACTIVE, on demand, ${shards} open shards`)
        : fail(`${names.streamName} is ${mode ?? "of unknown mode"}, configured on demand`);
    }
    return shards === config.stream.shards
      ? pass(`${names.streamName} is ACTIVE with ${shards} open shards (configured: ${config.stream.shards})`)
      : fail(
          `${names.streamName} has ${shards} open shards, configured ${config.stream.shards}: resharded by hand, or a deploy is pending`,
        );
  },
};
