// Sealing with Shamir shares, black-box: `coffer operator init` prepares the data dir and store,
// the server then starts sealed (every API 503, /health "sealed") until operators give enough
// valid shares from their own processes; wrong and too few shares are refused; `seal` makes the
// server forget the key; a restart is sealed again.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { get as httpGet } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ListKeysCommand } from "@aws-sdk/client-kms";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CreateSecretCommand, GetSecretValueCommand, ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import { createScratchDatabase } from "../src/store/postgres/scratch-database.js";
import { ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, startServer, storeKinds, type StoreKind, type TestServer } from "./harness.js";
import { kmsClient, rejects, runCli, sharesIn } from "./kms-support.js";

const SEALED = "Coffer is sealed: it serves no request until operators unseal it with `coffer operator unseal` (see `coffer operator status`).";
const BOOTSTRAP_ENV = { COFFER_BOOTSTRAP_ACCESS_KEY_ID: ACCESS_KEY_ID, COFFER_BOOTSTRAP_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY };

interface Prepared {
  dataDir: string;
  storeUrl: string;
  dropDatabase?: () => Promise<void>;
  shares: string[];
  initOutput: string;
}

async function prepare(store: StoreKind, shares = 5, threshold = 3): Promise<Prepared> {
  const dataDir = mkdtempSync(join(tmpdir(), "coffer-seal-"));
  let storeUrl = `sqlite:${join(dataDir, "coffer.db")}`;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (store === "postgres") {
    const db = await createScratchDatabase();
    storeUrl = db.url;
    dropDatabase = db.drop;
  }
  const init = await runCli(["operator", "init", "--shares", String(shares), "--threshold", String(threshold), "--data-dir", dataDir, "--store", storeUrl], {
    env: BOOTSTRAP_ENV,
  });
  assert.equal(init.code, 0, init.stderr);
  return { dataDir, storeUrl, dropDatabase, shares: sharesIn(init.stdout), initOutput: init.stdout };
}

/** `coffer operator …` against a server, as an operator on their own machine would run it. */
const operator = (server: TestServer, args: string[], input?: string) =>
  runCli(["operator", ...args, "--endpoint", server.endpoint, "--data-dir", server.dataDir], {
    env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "coffer", AWS_SHARED_CREDENTIALS_FILE: join(server.dataDir, "credentials") },
    input,
  });

async function status(server: TestServer): Promise<{ Sealed: boolean; Progress: number; Threshold: number; Mode: string; RootKeyId: string }> {
  const result = await operator(server, ["status", "--json"]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as { Sealed: boolean; Progress: number; Threshold: number; Mode: string; RootKeyId: string };
}

async function health(server: TestServer): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.endpoint}/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** /health asked `count` times, each over a connection of its own. */
function healthOnNewConnections(server: TestServer, count: number): Promise<Array<{ status: number; body: Record<string, unknown> }>> {
  const once = () =>
    new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const req = httpGet(`${server.endpoint}/health`, { agent: false }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
      });
      req.on("error", reject);
    });
  return Promise.all(Array.from({ length: count }, once));
}

/** Polls `check` until it holds (state reaches the other processes over IPC, within milliseconds). */
async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    if (await check()) return;
  }
  assert.fail(`timed out waiting for: ${what}`);
}

async function assertSealed(server: TestServer): Promise<void> {
  const sm = server.client();
  const kms = kmsClient(server);
  try {
    const e = await rejects(() => sm.send(new ListSecretsCommand({})), "ServiceUnavailableException", SEALED);
    assert.equal((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 503);
    await rejects(() => sm.send(new GetSecretValueCommand({ SecretId: "anything" })), "ServiceUnavailableException", SEALED);
    await rejects(() => kms.send(new ListKeysCommand({})), "ServiceUnavailableException", SEALED);
    // Query-protocol APIs (STS, IAM) get their XML error document.
    const sts = new STSClient({ endpoint: server.endpoint, region: REGION, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY }, maxAttempts: 1 });
    const stsError = await rejects(() => sts.send(new GetCallerIdentityCommand({})), "ServiceUnavailable", SEALED);
    assert.equal((stsError as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 503);
    sts.destroy();
  } finally {
    sm.destroy();
    kms.destroy();
  }
  assert.deepEqual(await health(server), { status: 503, body: { status: "sealed", sealed: true } });
}

for (const store of storeKinds()) {
  describe(`sealing with Shamir shares on ${store}`, () => {
    const servers: TestServer[] = [];
    after(async () => {
      for (const s of servers) await s.dispose();
    });

    test("init prints the shares once; the server starts sealed and refuses every API with 503", async () => {
      const prepared = await prepare(store);
      assert.equal(prepared.shares.length, 5);
      assert.equal(new Set(prepared.shares).size, 5);
      assert.match(prepared.initOutput, /any 3 of them unseal/);
      const server = await startServer({ store, dataDir: prepared.dataDir, storeUrl: prepared.storeUrl, dropDatabase: prepared.dropDatabase });
      servers.push(server);
      await assertSealed(server);
      const s = await status(server);
      assert.equal(s.Sealed, true);
      assert.equal(s.Mode, "shamir");
      assert.equal(s.Threshold, 3);
      assert.equal(s.Progress, 0);
      // No share, no key material on disk: init refuses to run twice, and no root.key was written.
      const again = await runCli(["operator", "init", "--shares", "3", "--threshold", "2", "--data-dir", prepared.dataDir, "--store", prepared.storeUrl]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /already initialised/);
      const bad = await runCli(["operator", "init", "--shares", "2", "--threshold", "3", "--data-dir", prepared.dataDir]);
      assert.equal(bad.code, 2);
    });

    test("wrong and too few shares keep it sealed; three operators in three processes unseal it; seal and restart seal it again", async () => {
      const prepared = await prepare(store);
      const other = await prepare("sqlite");
      let server = await startServer({ store, dataDir: prepared.dataDir, storeUrl: prepared.storeUrl, dropDatabase: prepared.dropDatabase });
      servers.push(server);
      const [s1, s2, s3, s4] = prepared.shares as [string, string, string, string, string];

      // Malformed text and a share of another store's key are refused at once.
      let r = await operator(server, ["unseal", "not-a-share"]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /ValidationException: That is not an unseal share/);
      r = await operator(server, ["unseal", other.shares[0] as string]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /belongs to root key/);

      // Too few: still sealed, progress shown.
      r = await operator(server, ["unseal", s1]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /1 of 3 shares given; still sealed/);
      r = await operator(server, ["unseal", s1]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /already been given/);
      r = await operator(server, ["unseal"], `${s2}\n`); // from stdin
      assert.match(r.stdout, /2 of 3 shares given; still sealed/);
      assert.equal((await status(server)).Progress, 2);
      await assertSealed(server);

      // A wrong third share: refused without saying which, and progress starts over.
      const wrong = s4.replace(/-(.)/, (_, c: string) => `-${c === "A" ? "B" : "A"}`);
      r = await operator(server, ["unseal", wrong]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim(), "coffer operator: InvalidRequestException: The 3 shares given do not reconstruct the root key: at least one of them is wrong. Unseal progress was reset; start again.");
      assert.equal((await status(server)).Progress, 0);
      await assertSealed(server);

      // Three operators, three processes, at the same time.
      const results = await Promise.all([s1, s3, s4].map((share) => operator(server, ["unseal", share])));
      for (const result of results) assert.equal(result.code, 0, result.stderr);
      assert.equal(results.filter((x) => /Unsealed/.test(x.stdout)).length, 1);
      assert.equal((await status(server)).Sealed, false);
      assert.deepEqual((await health(server)).status, 200);
      assert.equal((await health(server)).body.status, "ok");

      const sm = server.client();
      await sm.send(new CreateSecretCommand({ Name: "sealed/secret", SecretString: "behind three shares" }));
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: "sealed/secret" }))).SecretString, "behind three shares");
      sm.destroy();
      r = await operator(server, ["unseal", s2]);
      assert.match(r.stdout, /Unsealed/);

      // Seal: only with the operator's signature, and then everything is refused again.
      const unsigned = await runCli(["operator", "seal", "--endpoint", server.endpoint, "--data-dir", other.dataDir + "-absent"], {
        env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" },
      });
      assert.equal(unsigned.code, 1);
      r = await operator(server, ["seal"]);
      assert.equal(r.code, 0, r.stderr);
      await assertSealed(server);
      for (const share of [s2, s3, s4]) await operator(server, ["unseal", share]);
      const sm2 = server.client();
      assert.equal((await sm2.send(new GetSecretValueCommand({ SecretId: "sealed/secret" }))).SecretString, "behind three shares");
      sm2.destroy();

      // A restart forgets the key: sealed until unsealed again.
      server = await server.restart();
      servers.push(server);
      await assertSealed(server);
      for (const share of [s4, s1, s3]) await operator(server, ["unseal", share]);
      const sm3 = server.client();
      assert.equal((await sm3.send(new GetSecretValueCommand({ SecretId: "sealed/secret" }))).SecretString, "behind three shares");
      sm3.destroy();
    });

    test("with --workers 2 the operators' shares unseal every process, and a seal seals them all", async () => {
      const prepared = await prepare(store);
      const server = await startServer({ store, dataDir: prepared.dataDir, storeUrl: prepared.storeUrl, dropDatabase: prepared.dropDatabase, args: ["--workers", "2"] });
      servers.push(server);
      const [s1, s2, s3, s4] = prepared.shares as [string, string, string, string, string];
      // Each health check and each operator call is a new connection: the processes take turns.
      const states = async () => new Set((await healthOnNewConnections(server, 8)).map((h) => `${h.status} ${h.body.status as string}`));
      assert.deepEqual(await states(), new Set(["503 sealed"]));

      // One share given to one process counts in both.
      assert.match((await operator(server, ["unseal", s1])).stdout, /1 of 3 shares given; still sealed/);
      for (let i = 0; i < 4; i++) assert.equal((await status(server)).Progress, 1);
      assert.match((await operator(server, ["unseal", s1])).stderr, /already been given/);

      assert.match((await operator(server, ["unseal", s2])).stdout, /2 of 3 shares given; still sealed/);
      assert.match((await operator(server, ["unseal", s3])).stdout, /Unsealed/);
      await waitFor(async () => (await states()).size === 1 && (await states()).has("200 ok"), "every process unsealed");

      const sm = server.client();
      await sm.send(new CreateSecretCommand({ Name: "workers/secret", SecretString: "read by either process" }));
      sm.destroy();
      for (let i = 0; i < 6; i++) {
        const fresh = server.client(); // a new connection
        assert.equal((await fresh.send(new GetSecretValueCommand({ SecretId: "workers/secret" }))).SecretString, "read by either process");
        fresh.destroy();
      }

      // A seal asked of one process seals both; unsealing again needs the shares again, wherever they are given.
      assert.equal((await operator(server, ["seal"])).code, 0);
      await waitFor(async () => (await states()).size === 1 && (await states()).has("503 sealed"), "every process sealed");
      for (const share of [s4, s2, s1]) assert.equal((await operator(server, ["unseal", share])).code, 0);
      await waitFor(async () => (await states()).size === 1 && (await states()).has("200 ok"), "every process unsealed again");
    });

    test("a server in file-key mode cannot be sealed", async () => {
      const server = await startServer({ store });
      servers.push(server);
      const r = await operator(server, ["seal"]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /InvalidRequestException: sealing needs a root key held as Shamir shares/);
      const s = await status(server);
      assert.equal(s.Mode, "file");
      assert.equal(s.Sealed, false);
      assert.deepEqual((await health(server)).status, 200);
    });
  });
}

describe("coffer operator without a server", () => {
  test("says which endpoint it could not reach, and why", async () => {
    // A port that was just free: nothing listens on it.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const r = await runCli(["operator", "status", "--endpoint", `http://127.0.0.1:${port}`], {
      env: { AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY },
    });
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `coffer: cannot reach the server at http://127.0.0.1:${port}: ECONNREFUSED`);
  });
});
