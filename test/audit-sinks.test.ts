// The audit trail's outputs: the JSON Lines file sink (rotated, verifiable, catching up after it
// was broken, its lag visible), the stdout sink, retention — and that no secret value, generated
// password or secret access key reaches any of them, nor the log.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  UpdateSecretCommand,
} from "@aws-sdk/client-secrets-manager";
import { openStore } from "../src/store/open-store.js";
import { coffer, eventually, sleep, storedRecords } from "./audit-support.js";
import { SECRET_ACCESS_KEY, startServer, storeKinds, type TestServer } from "./harness.js";

interface Health {
  audit: { status: string; lastSeq: number; sinks: Array<{ name: string; state: string; deliveredSeq: number; lagRecords: number; error?: string }> };
}

const health = async (server: TestServer) => (await (await fetch(`${server.endpoint}/health`)).json()) as Health;

async function chainHead(server: TestServer): Promise<number> {
  const store = await openStore(server.storeUrl);
  try {
    return (await store.audit.chainHead()).seq;
  } finally {
    await store.close();
  }
}

function seqsOf(paths: string[]): number[] {
  return paths.flatMap((p) =>
    readFileSync(p, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { seq: number }).seq),
  );
}

for (const store of storeKinds()) {
  describe(`audit sinks and retention on ${store}`, () => {
    let server: TestServer | undefined;
    after(async () => server?.dispose());

    test("no secret value, generated password or secret key reaches a record, a sink, an export or the log", async () => {
      const planted = `PLANTED-${randomUUID()}`;
      const dataDir = mkdtempSync(join(tmpdir(), "coffer-test-"));
      const auditFile = join(dataDir, "audit.jsonl");
      server = await startServer({ store, dataDir, args: ["--audit-file", auditFile, "--audit-stdout"], env: { COFFER_LOG_LEVEL: "trace" } });
      const sm = server.client();
      const name = `secret/${randomUUID().slice(0, 8)}`;
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: `${planted}-create` }));
      await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: `${planted}-put` }));
      await sm.send(new UpdateSecretCommand({ SecretId: name, SecretString: `${planted}-update` }));
      await sm.send(new PutSecretValueCommand({ SecretId: name, SecretBinary: Buffer.from(`${planted}-binary`) }));
      await sm.send(new UpdateSecretCommand({ SecretId: name, SecretString: `${planted}-current` }));
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, `${planted}-current`);
      await sm.send(new BatchGetSecretValueCommand({ SecretIdList: [name] }));
      // Failed requests that carried a value.
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: `${planted}-exists` })).catch(() => undefined);
      await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: `${planted}-toolong`.padEnd(70_000, "x") })).catch(() => undefined);
      const { RandomPassword } = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 64 }));
      assert.ok(RandomPassword);
      await sm.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
      sm.destroy();

      const head = await chainHead(server);
      await eventually(async () => ((await health(server!)).audit.sinks.every((s) => s.deliveredSeq === head) ? true : undefined), "the sinks to catch up");
      const exportFile = join(server.dataDir, "export.jsonl");
      const exported = await coffer(["audit", "export", "--store", server.storeUrl, "--output", exportFile]);
      assert.equal(exported.code, 0, exported.stderr);
      await server.stop();

      const places: Array<[string, string]> = [
        ["stored records", (await storedRecords(server)).map((r) => r.record).join("\n")],
        ["the file sink", readFileSync(auditFile, "utf8")],
        ["the export", readFileSync(exportFile, "utf8")],
        ["the server's output (stdout sink and trace log)", server.output()],
      ];
      if (store === "sqlite") {
        const db = ["coffer.db", "coffer.db-wal"].map((f) => join(server!.dataDir, f)).filter((f) => existsSync(f));
        places.push(["the database file", db.map((f) => readFileSync(f).toString("latin1")).join("")]);
      }
      for (const [place, text] of places) {
        assert.ok(text.length > 0, `${place} is not empty`);
        for (const secret of [planted, RandomPassword, SECRET_ACCESS_KEY, Buffer.from(planted).toString("base64").slice(0, 24)]) {
          assert.ok(!text.includes(secret), `${place} contains a secret (${secret.slice(0, 12)}…)`);
        }
      }
      // The outputs did receive the records: every one, once.
      assert.deepEqual(seqsOf([auditFile]), Array.from({ length: head }, (_, i) => i + 1));
      assert.ok(server.output().includes(`{"seq":${head},"prevHash":`), "the stdout sink printed the records");
      await server.dispose();
      server = undefined;
    });

    test("the file sink rotates by size, and the rotated files verify together", async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "coffer-test-"));
      const sinkDir = join(dataDir, "sink");
      server = await startServer({ store, dataDir, args: ["--audit-file", join(sinkDir, "audit.jsonl"), "--audit-file-max-bytes", "4096"] });
      try {
        const sm = server.client();
        const name = `rotate/${randomUUID().slice(0, 8)}`;
        await sm.send(new CreateSecretCommand({ Name: name, SecretString: "v" }));
        for (let i = 0; i < 25; i++) {
          await sm.send(new GetSecretValueCommand({ SecretId: name }));
          if (i % 5 === 4) await sleep(300); // several batches, so several rotations
        }
        sm.destroy();
        const head = await chainHead(server);
        await eventually(async () => ((await health(server!)).audit.sinks[0]?.deliveredSeq === head ? true : undefined), "the file sink to catch up");
        const files = readdirSync(sinkDir).map((f) => join(sinkDir, f));
        assert.ok(files.length >= 3, `rotated into ${files.length} files`);
        assert.ok(files.some((f) => /audit\.jsonl\.\d{8}T\d{6}Z/.test(f)));
        assert.deepEqual(seqsOf(files).sort((a, b) => a - b), Array.from({ length: head }, (_, i) => i + 1));
        const verified = await coffer(["audit", "verify", ...files]);
        assert.equal(verified.code, 0, verified.stdout + verified.stderr);
        assert.match(verified.stdout, new RegExp(`intact: ${head} records`));
      } finally {
        await server.dispose();
        server = undefined;
      }
    });

    test("a broken sink blocks no request and loses no record: its lag shows, and it catches up", async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "coffer-test-"));
      const base = join(dataDir, "blocked");
      writeFileSync(base, "a file where the sink's directory should be");
      server = await startServer({ store, dataDir, args: ["--audit-file", join(base, "audit.jsonl")] });
      try {
        const sm = server.client();
        const name = `broken/${randomUUID().slice(0, 8)}`;
        await sm.send(new CreateSecretCommand({ Name: name, SecretString: "v" }));
        for (let i = 0; i < 10; i++) await sm.send(new GetSecretValueCommand({ SecretId: name }));
        const failing = await eventually(async () => {
          const sink = (await health(server!)).audit.sinks[0];
          return sink?.state === "failing" && sink.lagRecords >= 11 ? sink : undefined;
        }, "the sink to report its failure");
        assert.equal(failing.deliveredSeq, 0);
        assert.match(failing.error ?? "", /ENOTDIR|EEXIST|not a directory/i);
        assert.match(server.output(), /audit sink failing/);
        assert.equal((await health(server)).audit.status, "ok", "requests are still served");

        rmSync(base);
        mkdirSync(base);
        for (let i = 0; i < 5; i++) await sm.send(new GetSecretValueCommand({ SecretId: name }));
        sm.destroy();
        const head = await chainHead(server);
        await eventually(
          async () => ((await health(server!)).audit.sinks[0]?.deliveredSeq === head ? true : undefined),
          "the sink to catch up",
          40_000,
        );
        const sink = (await health(server)).audit.sinks[0];
        assert.equal(sink?.lagRecords, 0);
        assert.equal(sink?.error, undefined);
        assert.deepEqual(seqsOf([join(base, "audit.jsonl")]), Array.from({ length: head }, (_, i) => i + 1));
        assert.match(server.output(), /audit sink recovered/);
      } finally {
        await server.dispose();
        server = undefined;
      }
    });

    test("retention deletes old records only through a kept digest, and what remains verifies", async () => {
      // 0.00005 days = 4.32 s.
      server = await startServer({ store, args: ["--audit-digest-interval", "1", "--audit-retention-days", "0.00005"] });
      const sm = server.client();
      const name = `retained/${randomUUID().slice(0, 8)}`;
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: "v" }));
      for (let i = 0; i < 5; i++) await sm.send(new GetSecretValueCommand({ SecretId: name }));
      const early = await chainHead(server);
      await sleep(6000);
      for (let i = 0; i < 5; i++) await sm.send(new GetSecretValueCommand({ SecretId: name }));
      sm.destroy();
      const first = await eventually(async () => {
        const records = await storedRecords(server!);
        const lowest = records[0]?.seq ?? 0;
        return lowest > early ? lowest : undefined;
      }, "retention to delete the early records");
      const direct = await openStore(server.storeUrl);
      try {
        const digests = await direct.audit.listDigests(0, 10_000);
        assert.ok(digests.some((d) => d.lastSeq === first - 1), `record ${first} follows a digest's last record`);
      } finally {
        await direct.close();
      }
      const verified = await coffer(["audit", "verify", "--store", server.storeUrl]);
      assert.equal(verified.code, 0, verified.stdout + verified.stderr);
      assert.doesNotMatch(verified.stdout, /note:/, "the first remaining record is anchored by a digest");
    });
  });
}
