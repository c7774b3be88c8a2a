// `npm run bench`: GetSecretValue on a 200-byte secret (signed by the root, signed by an IAM user,
// and under a customer managed key) against two floors measured in the same run, plus durable
// PutSecretValue throughput and ListSecrets latency at 10,000 and 100,000 stored secrets. Every
// server runs pinned to core 0 and the load generator to core 1.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { closedLoop, hammer, interleaved, signedHeaders, type Measured } from "./load.js";
import { setUpBenchUser } from "./identity-setup.js";
import { seedSecrets } from "./seed.js";

/** The build this benchmark runs from (dist/): it starts the server built beside it. */
const BUILD_ROOT = resolve(import.meta.dirname, "..");
const ACCESS_KEY_ID = "AKIABENCHMARKKEY0001";
const SECRET_ACCESS_KEY = "bench-secret-access-key-000000000000000000";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PUT_SECONDS = 10;
const CONNECTIONS = 32;

// Re-run this file pinned to core 1, so servers get core 0 to themselves.
if (process.env.BENCH_PINNED !== "1") {
  execFileSync("taskset", ["-c", "1", process.execPath, ...process.argv.slice(1)], { stdio: "inherit", env: { ...process.env, BENCH_PINNED: "1" } });
  process.exit(0);
}

function startPinned(args: string[], readyPattern: RegExp, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn("taskset", ["-c", "0", process.execPath, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolvePromise, rejectPromise) => {
    const check = (d: Buffer) => {
      output += d.toString();
      if (readyPattern.test(output)) resolvePromise({ child, output });
    };
    child.stdout?.on("data", check);
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.once("exit", (code) => rejectPromise(new Error(`exited ${code}: ${output}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

const fmt = (m: Measured) =>
  `${m.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${m.p50.toFixed(2).padStart(6)} ms   p99 ${m.p99.toFixed(2).padStart(6)} ms${m.errors + m.non2xx ? `   (errors ${m.errors}, non-2xx ${m.non2xx})` : ""}`;

/** Starts Coffer on a free port and returns its endpoint. */
async function startCoffer(dataDir: string) {
  const started = await startPinned(
    [join(BUILD_ROOT, "src", "cli", "bin.js"), "server", "--port", "0", "--data-dir", dataDir, "--log-level", "warn"],
    /serving the AWS Secrets Manager API at \S+\n/,
    { COFFER_BOOTSTRAP_ACCESS_KEY_ID: ACCESS_KEY_ID, COFFER_BOOTSTRAP_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY },
  );
  const endpoint = /serving the AWS Secrets Manager API at (\S+)/.exec(started.output)?.[1] as string;
  return { ...started, endpoint };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "coffer-bench-"));
  try {
    // Coffer first, to learn the size of its answer.
    let coffer = await startCoffer(dataDir);
    let endpoint = coffer.endpoint;
    const name = "bench/db";
    const value = JSON.stringify({ username: "bench", password: "x".repeat(200 - 37) });
    const createBody = JSON.stringify({ Name: name, SecretString: value, ClientRequestToken: randomUUID() });
    await fetch(endpoint, { method: "POST", headers: await signedHeaders(endpoint, "secretsmanager.CreateSecret", createBody, ACCESS_KEY_ID, SECRET_ACCESS_KEY), body: createBody });
    const getBody = JSON.stringify({ SecretId: name });
    const getHeaders = await signedHeaders(endpoint, "secretsmanager.GetSecretValue", getBody, ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    const sample = await fetch(endpoint, { method: "POST", headers: getHeaders, body: getBody });
    const sampleText = await sample.text();
    if (sample.status !== 200) throw new Error(`GetSecretValue failed: ${sampleText}`);
    const responseBytes = Buffer.byteLength(sampleText);
    console.log(
      `GetSecretValue by name, ${Buffer.byteLength(value)}-byte secret, ${responseBytes}-byte answer, ${CONNECTIONS} keep-alive connections, ` +
        `${ROUNDS} interleaved rounds of ${SECONDS} s per target`,
    );

    // The same read signed by an IAM user whose access is decided by policies (see identity-setup.ts).
    const user = await setUpBenchUser(endpoint, name, { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY });
    const userHeaders = await signedHeaders(endpoint, "secretsmanager.GetSecretValue", getBody, user.accessKeyId, user.secretAccessKey);
    const userSample = await fetch(endpoint, { method: "POST", headers: userHeaders, body: getBody });
    if (userSample.status !== 200) throw new Error(`GetSecretValue as the IAM user failed: ${await userSample.text()}`);

    // The same read of a secret encrypted under a customer managed key (data keys unwrapped by it).
    const call = async (target: string, payload: unknown) => {
      const body = JSON.stringify(payload);
      const res = await fetch(endpoint, { method: "POST", headers: await signedHeaders(endpoint, target, body, ACCESS_KEY_ID, SECRET_ACCESS_KEY), body });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${target} failed: ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    };
    const key = (await call("TrentService.CreateKey", { Description: "bench" })).KeyMetadata as { Arn: string };
    await call("secretsmanager.CreateSecret", { Name: "bench/cmk", SecretString: value, KmsKeyId: key.Arn, ClientRequestToken: randomUUID() });
    const cmkBody = JSON.stringify({ SecretId: "bench/cmk" });
    const cmkHeaders = await signedHeaders(endpoint, "secretsmanager.GetSecretValue", cmkBody, ACCESS_KEY_ID, SECRET_ACCESS_KEY);

    // Both floors run beside Coffer for the whole measurement (idle while another is measured).
    const floors: ChildProcess[] = [];
    const floorTarget = async (mode: "bare" | "work") => {
      const floor = await startPinned([join(BUILD_ROOT, "bench", "floor-servers.js"), mode, "0", String(responseBytes), ACCESS_KEY_ID, SECRET_ACCESS_KEY], /ready on \d+\n/);
      floors.push(floor.child);
      const floorEndpoint = `http://127.0.0.1:${/ready on (\d+)/.exec(floor.output)?.[1]}`;
      const headers = await signedHeaders(floorEndpoint, "secretsmanager.GetSecretValue", getBody, ACCESS_KEY_ID, SECRET_ACCESS_KEY);
      return { endpoint: floorEndpoint, headers };
    };
    const bareFloor = await floorTarget("bare");
    const workFloor = await floorTarget("work");
    const targets = {
      bare: () => hammer(bareFloor.endpoint, bareFloor.headers, getBody, SECONDS, CONNECTIONS),
      work: () => hammer(workFloor.endpoint, workFloor.headers, getBody, SECONDS, CONNECTIONS),
      coffer: () => hammer(endpoint, getHeaders, getBody, SECONDS, CONNECTIONS),
      user: () => hammer(endpoint, userHeaders, getBody, SECONDS, CONNECTIONS),
      cmk: () => hammer(endpoint, cmkHeaders, cmkBody, SECONDS, CONNECTIONS),
    };
    for (const warmUp of Object.values(targets)) await warmUp(); // JIT, caches
    const results = await interleaved(targets, ROUNDS);
    for (const child of floors) await stop(child);

    type Rounds = Measured & { roundRates: number[] };
    const bare = results.bare as Rounds;
    const work = results.work as Rounds;
    const mine = results.coffer as Rounds;
    const asUser = results.user as Rounds;
    const onCmk = results.cmk as Rounds;
    const perRound = (of: Rounds, to: Rounds) =>
      of.roundRates.map((rate, i) => (rate / (to.roundRates[i] as number)).toFixed(3)).join(" ");
    console.log(`  bare node:http floor        ${fmt(bare)}`);
    console.log(`  parse+SigV4+AES-GCM floor   ${fmt(work)}`);
    console.log(`  Coffer (SQLite)             ${fmt(mine)}`);
    console.log(`  ratio to bare floor ${(mine.requestsPerSecond / bare.requestsPerSecond).toFixed(3)}   ratio to work floor ${(mine.requestsPerSecond / work.requestsPerSecond).toFixed(3)}`);
    console.log(`  ratio to bare floor in each round: ${perRound(mine, bare)}`);
    console.log(`GetSecretValue signed by an IAM user: 2 attached managed policies, a group policy, a resource policy on the secret`);
    console.log(`  Coffer (SQLite), IAM user   ${fmt(asUser)}`);
    console.log(`  ratio to bare floor ${(asUser.requestsPerSecond / bare.requestsPerSecond).toFixed(3)}   ratio to work floor ${(asUser.requestsPerSecond / work.requestsPerSecond).toFixed(3)}   ratio to root-signed ${(asUser.requestsPerSecond / mine.requestsPerSecond).toFixed(3)}`);
    console.log(`  ratio to bare floor in each round: ${perRound(asUser, bare)}`);
    console.log(`GetSecretValue of a secret under a customer managed KMS key`);
    console.log(`  Coffer (SQLite), CMK        ${fmt(onCmk)}`);
    console.log(`  ratio to bare floor ${(onCmk.requestsPerSecond / bare.requestsPerSecond).toFixed(3)}   ratio to work floor ${(onCmk.requestsPerSecond / work.requestsPerSecond).toFixed(3)}`);
    console.log(`  ratio to bare floor in each round: ${perRound(onCmk, bare)}`);

    if (process.env.BENCH_ONLY === "get") {
      await stop(coffer.child);
      return;
    }
    // Durable writes: every PutSecretValue is its own committed transaction. They are spread over
    // enough secrets that none reaches its 100 versions (all younger than a day) in the run.
    const WRITE_SECRETS = 1_000;
    for (let i = 0; i < WRITE_SECRETS; i++) {
      const body = JSON.stringify({ Name: `bench/w${i}`, SecretString: value, ClientRequestToken: randomUUID() });
      await fetch(endpoint, { method: "POST", headers: await signedHeaders(endpoint, "secretsmanager.CreateSecret", body, ACCESS_KEY_ID, SECRET_ACCESS_KEY), body });
    }
    const puts = await closedLoop(endpoint, CONNECTIONS, PUT_SECONDS, async () => {
      const body = JSON.stringify({ SecretId: `bench/w${Math.floor(Math.random() * WRITE_SECRETS)}`, SecretString: value, ClientRequestToken: randomUUID() });
      return { headers: await signedHeaders(endpoint, "secretsmanager.PutSecretValue", body, ACCESS_KEY_ID, SECRET_ACCESS_KEY), body };
    });
    console.log(`PutSecretValue (durable, synchronous=FULL), ${CONNECTIONS} clients over ${WRITE_SECRETS.toLocaleString("en")} secrets`);
    console.log(`  Coffer (SQLite)             ${fmt(puts)}`);

    // ListSecrets latency must not grow with the number of secrets stored.
    await stop(coffer.child);
    for (const total of [10_000, 100_000]) {
      await seedSecrets(join(dataDir, "coffer.db"), total);
      coffer = await startCoffer(dataDir);
      endpoint = coffer.endpoint;
      const listBody = JSON.stringify({ MaxResults: 100 });
      const listHeaders = await signedHeaders(endpoint, "secretsmanager.ListSecrets", listBody, ACCESS_KEY_ID, SECRET_ACCESS_KEY);
      const first = await closedLoop(endpoint, 1, 3, async () => ({ headers: listHeaders, body: listBody }));
      // A page deep into the list, reached by its token.
      let token: string | undefined;
      for (let page = 0; page < 20; page++) {
        const body = JSON.stringify({ MaxResults: 100, NextToken: token });
        const res = await fetch(endpoint, { method: "POST", headers: await signedHeaders(endpoint, "secretsmanager.ListSecrets", body, ACCESS_KEY_ID, SECRET_ACCESS_KEY), body });
        token = ((await res.json()) as { NextToken?: string }).NextToken;
      }
      const deepBody = JSON.stringify({ MaxResults: 100, NextToken: token });
      const deep = await closedLoop(endpoint, 1, 3, async () => ({
        headers: await signedHeaders(endpoint, "secretsmanager.ListSecrets", deepBody, ACCESS_KEY_ID, SECRET_ACCESS_KEY),
        body: deepBody,
      }));
      console.log(`ListSecrets, 100 per page, ${total.toLocaleString("en")} secrets stored`);
      console.log(`  first page                  ${fmt(first)}`);
      console.log(`  page 21                     ${fmt(deep)}`);
      await stop(coffer.child);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
