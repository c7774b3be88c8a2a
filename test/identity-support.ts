// Helpers of the identity tests: SDK clients for IAM, STS and Secrets Manager signed by any key,
// the AWS CLI with a given key, and an assertion on AWS errors.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { IAMClient } from "@aws-sdk/client-iam";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { STSClient } from "@aws-sdk/client-sts";
import { after, before } from "node:test";
import { ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, startServer, type StoreKind, type TestServer } from "./harness.js";

const run = promisify(execFile);

export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const ROOT: Keys = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY };

export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export function clients(server: TestServer, keys: Keys = ROOT) {
  const common = { endpoint: server.endpoint, region: REGION, credentials: keys, maxAttempts: 1 };
  return { iam: new IAMClient(common), sts: new STSClient(common), sm: new SecretsManagerClient(common) };
}

export type Clients = ReturnType<typeof clients>;

export function destroy(...sets: Clients[]): void {
  for (const set of sets) for (const client of Object.values(set)) client.destroy();
}

/** Runs `fn`, expecting an AWS error with this name, HTTP status (when given) and message (exact or pattern). */
export async function rejects(
  fn: () => Promise<unknown>,
  name: string,
  message?: string | RegExp,
  status?: number,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await fn();
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (typeof message === "string") assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    if (status !== undefined) assert.equal(e.$metadata?.httpStatusCode, status);
    return e;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

/** The AWS CLI against the server with the given key; resolves with stdout, rejects with stderr. */
export async function aws(server: TestServer, keys: Keys, args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_DEFAULT_REGION: REGION,
    // An empty key means: let the CLI find credentials itself (profiles in extraEnv).
    ...(keys.accessKeyId ? { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey } : {}),
    ...(keys.sessionToken ? { AWS_SESSION_TOKEN: keys.sessionToken } : {}),
    ...extraEnv,
  };
  const out = await run("aws", [...args, "--output", "json"], { env });
  return out.stdout;
}

/** The CLI's failure: exit code and stderr. */
export async function awsFails(server: TestServer, keys: Keys, args: string[]): Promise<string> {
  try {
    await aws(server, keys, args);
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    assert.ok([254, 255].includes(e.code ?? 0), `the CLI failed with ${e.code}: ${e.stderr}`);
    return e.stderr ?? "";
  }
  assert.fail(`expected aws ${args.join(" ")} to fail`);
}

export const policy = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

/** One server per suite and the clients its tests open, all closed after the suite. */
export interface IdentitySuite {
  server: TestServer;
  /** Clients signed by the account root. */
  root: Clients;
  account: string;
  /** Clients signed by `keys`, destroyed with the suite. */
  open(keys: Keys): Clients;
}

/** Starts a server on `store` before the enclosing describe's tests and disposes of it after them. */
export function identitySuite(store: StoreKind): IdentitySuite {
  const opened: Clients[] = [];
  const suite = {
    open(keys: Keys) {
      const c = clients(suite.server, keys);
      opened.push(c);
      return c;
    },
  } as IdentitySuite;
  before(async () => {
    suite.server = await startServer({ store });
    suite.root = clients(suite.server);
    suite.account = suite.server.accountId;
  });
  after(async () => {
    if (suite.root) destroy(suite.root, ...opened);
    await suite.server?.dispose();
  });
  return suite;
}
