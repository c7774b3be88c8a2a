// Online root-key rotation, black-box: `coffer operator rotate-root-key` re-wraps all key material
// while 8 clients read continuously (every read must succeed), progress is visible, the rotation
// survives kill -9 midway, and a restart serves with the new key (file-key mode) or unseals with
// the new shares only (Shamir mode).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { CreateKeyCommand, DecryptCommand, EncryptCommand, RotateKeyOnDemandCommand } from "@aws-sdk/client-kms";
import { CreateSecretCommand, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { createScratchDatabase } from "../src/store/postgres/scratch-database.js";
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY, startServer, storeKinds, type TestServer } from "./harness.js";
import { kmsClient, runCli, sharesIn, sleep, type CliResult } from "./kms-support.js";

interface RotationStatus {
  Sealed: boolean;
  RootKeyId: string;
  Rotation?: { RotationId: string; Phase: string; OldRootKeyId: string; NewRootKeyId: string; Total: number; Rewrapped: number };
}

const operator = (server: TestServer, args: string[]) =>
  runCli(["operator", ...args, "--endpoint", server.endpoint, "--data-dir", server.dataDir], {
    env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "coffer", AWS_SHARED_CREDENTIALS_FILE: join(server.dataDir, "credentials") },
  });

async function status(server: TestServer): Promise<RotationStatus> {
  const r = await operator(server, ["status", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as RotationStatus;
}

async function waitForDone(server: TestServer, rotationId: string): Promise<RotationStatus> {
  for (let i = 0; i < 120; i++) {
    const s = await status(server);
    if (s.Rotation?.RotationId === rotationId && s.Rotation.Phase === "done") return s;
    await sleep(250);
  }
  assert.fail("the rotation did not finish within 30 s");
}

const fileKeyId = (dataDir: string) => readFileSync(join(dataDir, "root.key"), "utf8").trim();

/** Secrets and KMS keys (several with rotated material) for the rotation to re-wrap. */
async function populate(server: TestServer): Promise<{ secrets: Array<[string, string]>; blobs: Array<[Uint8Array, string]> }> {
  const sm = server.client();
  const kms = kmsClient(server);
  const secrets: Array<[string, string]> = [];
  const blobs: Array<[Uint8Array, string]> = [];
  try {
    for (let i = 0; i < 12; i++) {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: `rotation ${i}` }));
      const keyId = KeyMetadata?.KeyId as string;
      if (i % 3 === 0) await kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
      const name = `rot/${i}-${randomUUID().slice(0, 6)}`;
      const value = `value-${i}-${randomUUID()}`;
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: value, KmsKeyId: i % 2 === 0 ? keyId : undefined }));
      secrets.push([name, value]);
      const plain = `blob-${i}`;
      blobs.push([(await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(plain) }))).CiphertextBlob as Uint8Array, plain]);
    }
  } finally {
    sm.destroy();
    kms.destroy();
  }
  return { secrets, blobs };
}

async function readAll(server: TestServer, data: Awaited<ReturnType<typeof populate>>): Promise<void> {
  const sm = server.client();
  const kms = kmsClient(server);
  try {
    for (const [name, value] of data.secrets) assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, value);
    for (const [blob, plain] of data.blobs) assert.equal(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext as Uint8Array).toString(), plain);
  } finally {
    sm.destroy();
    kms.destroy();
  }
}

/** Runs `during` while 8 clients read secrets and KMS ciphertexts back to back; counts every read. */
async function readContinuously(
  server: TestServer,
  data: Awaited<ReturnType<typeof populate>>,
  during: () => Promise<void>,
): Promise<{ ok: number; failed: number; failures: string[] }> {
  let stop = false;
  const counts = { ok: 0, failed: 0, failures: [] as string[] };
  const readers = Array.from({ length: 8 }, async (_, i) => {
    const sm = server.client();
    const kms = kmsClient(server);
    try {
      for (let n = 0; !stop; n++) {
        try {
          if (n % 4 === 3) {
            const [blob, plain] = data.blobs[(i + n) % data.blobs.length] as [Uint8Array, string];
            const out = await kms.send(new DecryptCommand({ CiphertextBlob: blob }));
            assert.equal(Buffer.from(out.Plaintext as Uint8Array).toString(), plain);
          } else {
            const [name, value] = data.secrets[(i + n) % data.secrets.length] as [string, string];
            assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, value);
          }
          counts.ok++;
        } catch (err) {
          counts.failed++;
          counts.failures.push(String(err));
        }
      }
    } finally {
      sm.destroy();
      kms.destroy();
    }
  });
  try {
    await sleep(300);
    await during();
    await sleep(300);
  } finally {
    stop = true;
    await Promise.all(readers);
  }
  return counts;
}

for (const store of storeKinds()) {
  describe(`root-key rotation on ${store}`, () => {
    const servers: TestServer[] = [];
    after(async () => {
      for (const s of servers) await s.dispose();
    });

    test("file-key mode: 8 clients read without a single failure while every blob is re-wrapped; a restart uses the new key", async (t) => {
      let server = await startServer({ store });
      servers.push(server);
      const data = await populate(server);
      const before = await status(server);
      const oldFileKey = fileKeyId(server.dataDir);

      let started: CliResult | undefined;
      let done: RotationStatus | undefined;
      const counts = await readContinuously(server, data, async () => {
        started = await operator(server, ["rotate-root-key", "--json"]);
        assert.equal(started.code, 0, started.stderr);
        const { RotationId } = JSON.parse(started.stdout) as { RotationId: string };
        // The new key is in root.key at once; the old one waits in root.key.old until the end.
        assert.notEqual(fileKeyId(server.dataDir), oldFileKey);
        done = await waitForDone(server, RotationId);
      });
      assert.deepEqual(counts.failures, []);
      assert.equal(counts.failed, 0);
      assert.ok(counts.ok > 100, `only ${counts.ok} reads during the rotation`);
      t.diagnostic(`${counts.ok} reads during the rotation, ${counts.failed} failed`);
      const { NewRootKeyId, Shares } = JSON.parse((started as CliResult).stdout) as { NewRootKeyId: string; Shares?: string[] };
      assert.equal(Shares, undefined);
      assert.notEqual(NewRootKeyId, before.RootKeyId);
      assert.ok(done);

      assert.equal(done.RootKeyId, NewRootKeyId);
      assert.equal(done.Rotation?.OldRootKeyId, before.RootKeyId);
      // 12 keys + 4 rotated materials + the AWS-managed key + the root access key, at least.
      assert.ok((done.Rotation?.Total ?? 0) >= 18, `re-wrapped ${done.Rotation?.Total}`);
      assert.equal(done.Rotation?.Rewrapped, done.Rotation?.Total);
      assert.equal(existsSync(join(server.dataDir, "root.key.old")), false);

      server = await server.restart();
      servers.push(server);
      assert.equal((await status(server)).RootKeyId, NewRootKeyId);
      await readAll(server, data);
      // Another rotation can follow.
      const again = await operator(server, ["rotate-root-key", "--wait"]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /done: /);
      await readAll(server, data);
    });

    test("a rotation interrupted by kill -9 resumes after the restart and completes", async () => {
      let server = await startServer({ store });
      servers.push(server);
      const data = await populate(server);
      const started = await operator(server, ["rotate-root-key", "--json"]);
      assert.equal(started.code, 0, started.stderr);
      const { RotationId, NewRootKeyId } = JSON.parse(started.stdout) as { RotationId: string; NewRootKeyId: string };
      await server.kill();
      server = await startServer({ store, dataDir: server.dataDir, storeUrl: server.storeUrl });
      servers.push(server);
      const interrupted = await status(server);
      assert.equal(interrupted.Rotation?.RotationId, RotationId);
      await readAll(server, data); // readable in the middle of it
      const done = await waitForDone(server, RotationId);
      assert.equal(done.RootKeyId, NewRootKeyId);
      assert.equal(existsSync(join(server.dataDir, "root.key.old")), false);
      server = await server.restart();
      servers.push(server);
      await readAll(server, data);
    });

    test("Shamir mode: 8 clients read without a failure during the rotation; it prints new shares; after a restart only they unseal", async (t) => {
      const dataDir = mkdtempSync(join(tmpdir(), "coffer-rot-"));
      let storeUrl = `sqlite:${join(dataDir, "coffer.db")}`;
      let dropDatabase: (() => Promise<void>) | undefined;
      if (store === "postgres") {
        const db = await createScratchDatabase();
        storeUrl = db.url;
        dropDatabase = db.drop;
      }
      const init = await runCli(["operator", "init", "--shares", "3", "--threshold", "2", "--data-dir", dataDir, "--store", storeUrl], {
        env: { COFFER_BOOTSTRAP_ACCESS_KEY_ID: ACCESS_KEY_ID, COFFER_BOOTSTRAP_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY },
      });
      assert.equal(init.code, 0, init.stderr);
      const oldShares = sharesIn(init.stdout);
      let server = await startServer({ store, dataDir, storeUrl, dropDatabase });
      servers.push(server);
      for (const share of oldShares.slice(0, 2)) assert.equal((await operator(server, ["unseal", share])).code, 0);
      const data = await populate(server);

      let started: CliResult | undefined;
      const counts = await readContinuously(server, data, async () => {
        started = await operator(server, ["rotate-root-key", "--wait"]);
      });
      assert.deepEqual(counts.failures, []);
      assert.ok(counts.ok > 100, `only ${counts.ok} reads during the rotation`);
      t.diagnostic(`${counts.ok} reads during the rotation, ${counts.failed} failed`);
      assert.ok(started);
      assert.equal(started.code, 0, started.stderr);
      const newShares = sharesIn(started.stdout);
      assert.equal(newShares.length, 3);
      assert.ok(newShares.every((s) => !oldShares.includes(s)));
      assert.match(started.stdout, /done: /);
      assert.equal(existsSync(join(dataDir, "root.key")), false);
      await readAll(server, data);

      server = await server.restart();
      servers.push(server);
      const refused = await operator(server, ["unseal", oldShares[0] as string]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /no longer in use/);
      for (const share of [newShares[2], newShares[0]] as string[]) assert.equal((await operator(server, ["unseal", share])).code, 0);
      assert.equal((await status(server)).Sealed, false);
      await readAll(server, data);
    });

    test("the audit signing key is re-wrapped too: digests after the rotation are signed by the same key, and the trail verifies", async () => {
      let server = await startServer({ store, args: ["--audit-digest-interval", "1"] });
      servers.push(server);
      const audit = (args: string[]) => runCli(["audit", ...args, "--store", server.storeUrl]);
      const publicKeys = async () => {
        const r = await audit(["public-key"]);
        assert.equal(r.code, 0, r.stderr);
        return r.stdout.match(/-----BEGIN PUBLIC KEY-----[^-]+-----END PUBLIC KEY-----/g) ?? [];
      };
      let before: string[] = [];
      for (let i = 0; i < 40 && before.length === 0; i++, await sleep(250)) before = await publicKeys();
      assert.equal(before.length, 1, "a digest was signed before the rotation");

      const rotated = await operator(server, ["rotate-root-key", "--wait"]);
      assert.equal(rotated.code, 0, rotated.stderr);
      server = await server.restart();
      servers.push(server);
      const sm = server.client();
      await sm.send(new CreateSecretCommand({ Name: `after-rotation/${randomUUID().slice(0, 8)}`, SecretString: "x" }));
      sm.destroy();
      await sleep(2_500); // digests signed after the restart, under the new root key
      assert.deepEqual(await publicKeys(), before, "no new signing key was made: the old one opens under the new root key");
      const verified = await audit(["verify"]);
      assert.equal(verified.code, 0, verified.stderr + verified.stdout);
    });
  });
}
