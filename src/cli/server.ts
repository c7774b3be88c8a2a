// `coffer server [--host H] [--port P] [--data-dir DIR] [--store URL] [--region R] [--workers N] …`
import cluster from "node:cluster";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, parseServerConfig, type ServerConfig } from "../server/config.js";
import { relayCustodyEvents } from "../server/custody-peers.js";
import { makeLogger, startServer, type RunningServer } from "../server/start.js";

function usageLines(config: ServerConfig, running: RunningServer): string[] {
  const credentials = join(config.dataDir, "credentials");
  const lines = [
    `Coffer is serving the AWS Secrets Manager API at ${running.endpoint}`,
    `  store: ${config.store.startsWith("postgres") ? "postgres" : config.store}   region: ${config.region}   account: ${running.boot.accountId}`,
  ];
  if (existsSync(credentials)) {
    lines.push(
      `  root access key ${running.boot.accessKeyId} is in ${credentials} (profile "coffer")`,
      "",
      "Use it from this shell with the AWS CLI, boto3 or any AWS SDK:",
      `  export AWS_ENDPOINT_URL=${running.endpoint} AWS_SHARED_CREDENTIALS_FILE=${credentials} AWS_PROFILE=coffer AWS_REGION=${config.region}`,
      `  aws secretsmanager create-secret --name demo/db --secret-string '{"username":"app","password":"s3cret"}'`,
    );
  } else {
    lines.push(`  root access key ${running.boot.accessKeyId} (its secret was written where this store was first started)`);
  }
  return lines;
}

async function runOne(config: ServerConfig, announce: boolean): Promise<void> {
  const log = makeLogger(config.logLevel);
  const running = await startServer(config, process.env, log);
  if (announce) process.stdout.write(usageLines(config, running).join("\n") + "\n");
  if (process.send) process.send({ ready: true, endpoint: running.endpoint });
  // A repeated signal while draining changes nothing: the drain already has a deadline.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    running
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

export async function serverCommand(argv: readonly string[]): Promise<void> {
  let config: ServerConfig;
  try {
    config = parseServerConfig(argv, process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`coffer server: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  if (config.workers === 1 || !cluster.isPrimary) {
    await runOne(config, cluster.isPrimary || cluster.worker?.id === 1);
    return;
  }
  // N identical processes share the port and the store (SQLite file or PostgreSQL); in Shamir mode
  // they also hear of one another's unseal shares and seals (custody-peers.ts).
  for (let i = 0; i < config.workers; i++) cluster.fork();
  relayCustodyEvents();
  let exiting = false;
  cluster.on("exit", (worker, code) => {
    if (!exiting && code !== 0) {
      process.stderr.write(`coffer server: worker ${worker.id} exited with ${code}; stopping\n`);
      exiting = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
      process.exitCode = 1;
    }
  });
  const stopAll = () => {
    exiting = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
  };
  process.once("SIGTERM", stopAll);
  process.once("SIGINT", stopAll);
}
