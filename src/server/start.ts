// Starts one server process: key hierarchy, store, bootstrap, listener, background workers,
// and a graceful stop on SIGTERM/SIGINT (drain in-flight requests, then exit 0).
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { destination, pino, type Logger } from "pino";
import { Keyring } from "../crypto/keyring.js";
import { loadOrCreateRootKeyFile } from "../crypto/root-key.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import type { ServiceDeps } from "../services/context.js";
import { AccessKeyDirectory } from "./access-keys.js";
import { bootstrap, type BootstrapResult } from "./bootstrap.js";
import { checkTransportSafety, type ServerConfig } from "./config.js";
import { DeletionWorker } from "./deletion-worker.js";
import { createListener } from "./http-listener.js";
import { Pipeline } from "./pipeline.js";

export interface RunningServer {
  endpoint: string;
  boot: BootstrapResult;
  stop(): Promise<void>;
}

export function makeLogger(level: string): Logger {
  // Logs go to stderr so stdout stays free for what the operator pastes.
  return pino({ level, base: undefined, redact: ["*.SecretString", "*.SecretBinary", "*.RandomPassword", "*.secretAccessKey"] }, destination(2));
}

async function checkRootKeyMatchesStore(store: Store, rootKeyId: string): Promise<void> {
  const recorded = await store.getSetting("root-key-id");
  if (recorded === undefined) {
    await store.transaction((tx) => tx.putSetting("root-key-id", rootKeyId));
    return;
  }
  if (recorded !== rootKeyId) {
    throw new Error(
      `the root key in the data directory (id ${rootKeyId}) is not the one this store was sealed with (id ${recorded}); every process of one store needs the same root.key`,
    );
  }
}

export async function startServer(config: ServerConfig, env: NodeJS.ProcessEnv, log: Logger = makeLogger(config.logLevel)): Promise<RunningServer> {
  checkTransportSafety(config);
  const { key: rootKey } = loadOrCreateRootKeyFile(join(config.dataDir, "root.key"));
  const store = await openStore(config.store);
  try {
    await checkRootKeyMatchesStore(store, rootKey.id);
  } catch (err) {
    await store.close();
    throw err;
  }
  const keyring = new Keyring(store, rootKey);
  const boot = await bootstrap(store, keyring, {
    dataDir: config.dataDir,
    region: config.region,
    accountId: config.accountId,
    accessKeyId: env.COFFER_BOOTSTRAP_ACCESS_KEY_ID,
    secretAccessKey: env.COFFER_BOOTSTRAP_SECRET_ACCESS_KEY,
  });
  const deps: ServiceDeps = { store, keyring, log, partition: "aws" };
  const pipeline = new Pipeline({
    deps,
    accessKeys: new AccessKeyDirectory(store, keyring),
    log,
    skewMs: config.clockSkewSeconds * 1000,
  });
  let stopping = false;
  const server = createListener(pipeline, {
    tlsCert: config.tlsCert,
    tlsKey: config.tlsKey,
    requestTimeoutMs: config.requestTimeoutSeconds * 1000,
    health: () => (stopping ? { status: 503, body: { status: "stopping" } } : { status: 200, body: { status: "ok" } }),
  });
  await new Promise<void>((resolvePromise, rejectPromise) => {
    server.once("error", rejectPromise);
    server.listen({ host: config.host, port: config.port, exclusive: false }, () => resolvePromise());
  });
  const worker = new DeletionWorker(deps, pipeline, config.purgeIntervalSeconds * 1000, log);
  worker.start();
  const address = server.address() as AddressInfo;
  const scheme = config.tlsCert ? "https" : "http";
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    endpoint: `${scheme}://${host}:${address.port}`,
    boot,
    stop: async () => {
      if (stopping) return;
      stopping = true;
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      // In-flight requests finish; connections kept alive past that are cut after a grace period.
      const grace = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(grace);
      await worker.stop();
      await store.close();
    },
  };
}
