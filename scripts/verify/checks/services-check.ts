import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { fail, pass, type Check, type VerifyContext } from "../check";

type Service = "detector" | "simulator";

/**
 * The service runs its desired count of tasks and that count is the configured one. A service
 * configured with 0 tasks (prod's simulator) holds when it runs none.
 */
export function serviceCheck(service: Service): Check {
  return {
    name: `${service}-service`,
    plan: [
      `ECS DescribeServices <cluster_name> <${service}_service_name>: status ACTIVE, runningCount = desiredCount = config ${service}.desiredCount, no pending tasks`,
    ],
    async run(context: VerifyContext) {
      const { clients, names, config } = context;
      const name = service === "detector" ? names.detectorService : names.simulatorService;
      if (name === undefined) return pass(`no ${service} service (engine ${config.engine})`);
      const { services, failures } = await clients.ecs.send(
        new DescribeServicesCommand({ cluster: names.clusterName, services: [name] }),
      );
      const found = services?.[0];
      if (!found) return fail(`${name} not found in ${names.clusterName}: ${failures?.[0]?.reason ?? "no answer"}`);
      const configured = config[service].desiredCount;
      const running = found.runningCount ?? 0;
      const desired = found.desiredCount ?? 0;
      const pending = found.pendingCount ?? 0;
      const rollout = found.deployments?.find((d) => d.status === "PRIMARY")?.rolloutState;
      const summary = `${name}: ${running} running, ${desired} desired, ${pending} pending (configured: ${configured})`;
      if (found.status !== "ACTIVE") return fail(`${name} is ${found.status}`);
      if (desired !== configured) return fail(`${summary}: the desired count was changed outside Terraform`);
      if (running !== desired || pending > 0) {
        const event = found.events?.[0]?.message;
        return fail(`${summary}${rollout ? `, rollout ${rollout}` : ""}${event ? `; latest event: ${event}` : ""}`);
      }
      return pass(summary);
    },
  };
}
