// Starts one server process: key hierarchy, store, bootstrap, listener, background workers,
// and a graceful stop on SIGTERM/SIGINT (drain in-flight requests, then exit 0).
import type { AddressInfo } from "node:net";
import { destination, pino, type Logger } from "pino";
import { AuditSystem } from "../audit/system.js";
import { openKeyCustody } from "../crypto/open-custody.js";
import { clusterCustodyPeers } from "./custody-peers.js";
import { openStore } from "../store/open-store.js";
import type { ServiceDeps } from "../services/context.js";
import { AccessKeyDirectory } from "./access-keys.js";
import { bootstrap, type BootstrapResult } from "./bootstrap.js";
import { checkTransportSafety, type ServerConfig } from "./config.js";
import { DeletionWorker } from "./deletion-worker.js";
import { createListener } from "./http-listener.js";
import { DEFAULT_KEY_WORKER_OPTIONS, KeyWorker } from "./key-worker.js";
import { Authorizer } from "./authorize.js";
import { Pipeline } from "./pipeline.js";
import { QueryRouter } from "./query-router.js";
import { sealGate } from "./seal-gate.js";

export interface RunningServer {
  endpoint: string;
  boot: BootstrapResult;
  stop(): Promise<void>;
}

export function makeLogger(level: string): Logger {
  // Logs go to stderr so stdout stays free for what the operator pastes.
  return pino({ level, base: undefined, redact: ["*.SecretString", "*.SecretBinary", "*.RandomPassword", "*.secretAccessKey"] }, destination(2));
}

export async function startServer(config: ServerConfig, env: NodeJS.ProcessEnv, log: Logger = makeLogger(config.logLevel)): Promise<RunningServer> {
  checkTransportSafety(config);
  const store = await openStore(config.store);
  // File-key mode reads (or makes) <data-dir>/root.key; a store set up with `coffer operator init` starts sealed.
  const { keyring, custody } = await openKeyCustody(store, config.dataDir).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  // Processes of one server (--workers) unseal and seal together.
  const peers = clusterCustodyPeers();
  if (peers) custody.joinPeers(peers);
  if (custody.sealed) log.warn("sealed: the root key is held as Shamir shares; run `coffer operator unseal` to serve requests");
  const boot = await bootstrap(store, keyring, {
    dataDir: config.dataDir,
    region: config.region,
    accountId: config.accountId,
    accessKeyId: env.COFFER_BOOTSTRAP_ACCESS_KEY_ID,
    secretAccessKey: env.COFFER_BOOTSTRAP_SECRET_ACCESS_KEY,
  });
  const authorizer = new Authorizer({ store, log, partition: "aws" });
  const deps: ServiceDeps = { store, keyring, log, partition: "aws", access: authorizer };
  const audit = new AuditSystem(store, keyring, log, {
    dataDir: config.dataDir,
    file: config.auditFile,
    fileMaxBytes: config.auditFileMaxBytes,
    fileMaxAgeSeconds: config.auditFileMaxAgeSeconds,
    stdout: config.auditStdout,
    retentionDays: config.auditRetentionDays,
    digestIntervalSeconds: config.auditDigestIntervalSeconds,
    readDurability: config.auditReadDurability,
  });
  await audit.start();
  const accessKeys = new AccessKeyDirectory(store, keyring, { partition: "aws" });
  const skewMs = config.clockSkewSeconds * 1000;
  const query = new QueryRouter({ deps, accessKeys, authorizer, audit: audit.trail, log, skewMs });
  const pipeline = new Pipeline({
    deps,
    accessKeys,
    log,
    audit: audit.trail,
    skewMs,
    sealGate: sealGate({ keyring, deps, accessKeys, skewMs, log }),
    authorize: (service, operation, input, ctx) => authorizer.authorizeJson(service, operation, input, ctx),
    query,
  });
  let stopping = false;
  const server = createListener(pipeline, {
    tlsCert: config.tlsCert,
    tlsKey: config.tlsKey,
    requestTimeoutMs: config.requestTimeoutSeconds * 1000,
    health: () =>
      stopping
        ? { status: 503, body: { status: "stopping" } }
        : keyring.sealed
          ? { status: 503, body: { status: "sealed", sealed: true } }
          : { status: 200, body: { status: "ok", audit: audit.health() } },
  });
  await new Promise<void>((resolvePromise, rejectPromise) => {
    server.server.once("error", rejectPromise);
    server.listen({ host: config.host, port: config.port, exclusive: false }, () => resolvePromise());
  });
  const worker = new DeletionWorker(deps, pipeline, config.purgeIntervalSeconds * 1000, log);
  worker.start();
  const keyWorker = new KeyWorker(deps, pipeline, custody, log, { ...DEFAULT_KEY_WORKER_OPTIONS, keyScanMs: config.purgeIntervalSeconds * 1000 });
  keyWorker.start();
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
      await keyWorker.stop();
      await audit.stop(); // the last records committed, sinks and digests stopped
      await store.close();
    },
  };
}
