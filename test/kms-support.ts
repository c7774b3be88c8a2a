// Shared pieces of the KMS, sealing and root-key tests: SDK clients for a test server, AWS-error
// assertions, and running the coffer CLI as a separate process.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { KMSClient } from "@aws-sdk/client-kms";
import { ACCESS_KEY_ID, CLI, REGION, SECRET_ACCESS_KEY, type TestServer } from "./harness.js";

export function kmsClient(server: Pick<TestServer, "endpoint">, options: { region?: string } = {}): KMSClient {
  return new KMSClient({
    endpoint: server.endpoint,
    region: options.region ?? REGION,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
}

/** Runs `fn`, expecting an AWS error with this name and (when given) this exact message. */
export async function rejects(fn: () => Promise<unknown>, name: string, message?: string | RegExp): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    const e = err as Error;
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (typeof message === "string") assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `coffer` CLI in its own process. */
export function runCli(args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, ...options.env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as NodeJS.ErrnoException).code === "number" ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** The shares `coffer operator init` / `rotate-root-key` printed. */
export function sharesIn(text: string): string[] {
  return [...text.matchAll(/^Unseal share \d+: (\S+)$/gm)].map((m) => m[1] as string);
}

/** AWS CLI environment for a test server (the CLI is v1, at `aws`). */
export function awsEnv(server: Pick<TestServer, "endpoint">): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    AWS_DEFAULT_REGION: REGION,
    AWS_MAX_ATTEMPTS: "1",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_CONFIG_FILE: "/dev/null",
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
