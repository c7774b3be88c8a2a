// Black-box test harness: starts the built server as its own process on an ephemeral port, with
// a fresh data directory and (for PostgreSQL) a fresh database, and hands out SDK clients.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createScratchDatabase } from "../src/store/postgres/scratch-database.js";

/** The build this test runs from (dist/): the server it starts is the one built beside it. */
export const BUILD_ROOT = resolve(import.meta.dirname, "..");
export const CLI = join(BUILD_ROOT, "src", "cli", "bin.js");
export const ACCESS_KEY_ID = "AKIACOFFERTESTKEY001";
export const SECRET_ACCESS_KEY = "coffer-test-secret-access-key-0123456789";
export const REGION = "us-east-1";

export type StoreKind = "sqlite" | "postgres";

/** Stores to run against: COFFER_TEST_STORES=sqlite,postgres (default both). */
export function storeKinds(): StoreKind[] {
  return (process.env.COFFER_TEST_STORES ?? "sqlite,postgres").split(",").filter(Boolean) as StoreKind[];
}

export interface TestServer {
  endpoint: string;
  dataDir: string;
  storeUrl: string;
  accountId: string;
  process: ChildProcess;
  client(options?: { accessKeyId?: string; secretAccessKey?: string; region?: string }): SecretsManagerClient;
  /** Stops with SIGTERM and waits; returns the exit code. */
  stop(): Promise<number | null>;
  /** kill -9. */
  kill(): Promise<void>;
  /** Starts the same data dir and store again. */
  restart(extraArgs?: string[]): Promise<TestServer>;
  /** Stops, then removes the data dir and drops the database. */
  dispose(): Promise<void>;
  output(): string;
}

export interface StartOptions {
  store?: StoreKind;
  args?: string[];
  env?: Record<string, string>;
  dataDir?: string;
  storeUrl?: string;
  dropDatabase?: () => Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "coffer-test-"));
  let storeUrl = options.storeUrl;
  let dropDatabase = options.dropDatabase;
  if (!storeUrl) {
    if ((options.store ?? "sqlite") === "postgres") {
      const db = await createScratchDatabase();
      storeUrl = db.url;
      dropDatabase = db.drop;
    } else {
      storeUrl = `sqlite:${join(dataDir, "coffer.db")}`;
    }
  }
  const args = [CLI, "server", "--port", "0", "--data-dir", dataDir, "--store", storeUrl, ...(options.args ?? [])];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      COFFER_BOOTSTRAP_ACCESS_KEY_ID: ACCESS_KEY_ID,
      COFFER_BOOTSTRAP_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      COFFER_LOG_LEVEL: "warn",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const endpoint = await new Promise<string>((resolvePromise, rejectPromise) => {
    const timer = setTimeout(() => rejectPromise(new Error(`server did not start:\n${out}`)), 20_000);
    const onData = () => {
      const match = /serving the AWS Secrets Manager API at (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1] as string);
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      rejectPromise(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  const accountId = /account: (\d{12})/.exec(out)?.[1] ?? "";
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const server: TestServer = {
    endpoint,
    dataDir,
    storeUrl,
    accountId,
    process: child,
    output: () => out,
    client: (o = {}) =>
      new SecretsManagerClient({
        endpoint,
        region: o.region ?? REGION,
        credentials: { accessKeyId: o.accessKeyId ?? ACCESS_KEY_ID, secretAccessKey: o.secretAccessKey ?? SECRET_ACCESS_KEY },
        maxAttempts: 1,
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    restart: async (extraArgs) => {
      await server.stop();
      return startServer({ ...options, args: extraArgs ?? options.args, dataDir, storeUrl, dropDatabase });
    },
    dispose: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
      if (dropDatabase) await dropDatabase();
    },
  };
  return server;
}
