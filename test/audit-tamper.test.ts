// Tamper evidence: records altered, deleted, reordered or rewritten with fresh hashes, in the
// store and in an exported file, are reported by `coffer audit verify` at the right record; an
// untouched range verifies.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { canonicalJson, linkedHash } from "../src/audit/chain.js";
import { openStore } from "../src/store/open-store.js";
import { coffer, eventually, sleep } from "./audit-support.js";
import { startServer, storeKinds, type TestServer } from "./harness.js";
import { sql } from "./store-sql.js";


for (const store of storeKinds()) {
  describe(`coffer audit verify on ${store}`, () => {
    let server: TestServer;
    let digestEnds: number[] = [];
    let head = 0;
    const dir = () => server.dataDir;
    const verifyStore = () => coffer(["audit", "verify", "--store", server.storeUrl]);

    before(async () => {
      server = await startServer({ store, args: ["--audit-digest-interval", "1"] });
      const sm = server.client();
      const name = `tamper/${randomUUID().slice(0, 8)}`;
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: "v1" }));
      for (let i = 0; i < 8; i++) await sm.send(new GetSecretValueCommand({ SecretId: name }));
      await sleep(1500); // a digest falls between the two halves
      for (let i = 0; i < 4; i++) await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: `v${i + 2}` }));
      for (let i = 0; i < 8; i++) await sm.send(new GetSecretValueCommand({ SecretId: name }));
      sm.destroy();
      // Wait until a digest covers everything, then stop the server: the store is now at rest.
      const direct = await openStore(server.storeUrl);
      try {
        head = (await direct.audit.chainHead()).seq;
        await eventually(async () => ((await direct.audit.latestDigest())?.lastSeq === head ? true : undefined), "a digest of the whole chain");
        digestEnds = (await direct.audit.listDigests(0, 1000)).map((d) => d.lastSeq).filter((seq, i, all) => all.indexOf(seq) === i && seq > 0);
      } finally {
        await direct.close();
      }
      await server.stop();
      assert.ok(head >= 21, `the chain has ${head} records`);
      assert.ok(digestEnds.some((seq) => seq < head), `a digest ends mid-chain (${digestEnds.join(", ")})`);
      await sql(server, store, [
        ["CREATE TABLE audit_backup AS SELECT * FROM audit_records"],
        ["CREATE TABLE audit_head_backup AS SELECT * FROM audit_chain_head"],
        ["CREATE TABLE audit_digest_backup AS SELECT * FROM audit_digests"],
      ]);
    });
    after(async () => server?.dispose());

    /** Puts the trail back as it was before each scenario. */
    async function restore(): Promise<void> {
      await sql(server, store, [
        ["DELETE FROM audit_records"],
        ["INSERT INTO audit_records SELECT * FROM audit_backup"],
        ["DELETE FROM audit_chain_head"],
        ["INSERT INTO audit_chain_head SELECT * FROM audit_head_backup"],
        ["DELETE FROM audit_digests"],
        ["INSERT INTO audit_digests SELECT * FROM audit_digest_backup"],
      ]);
      const again = await verifyStore();
      assert.equal(again.code, 0, `restored trail verifies: ${again.stdout}`);
    }

    test("an untouched store verifies, whole and by time range", async () => {
      const whole = await verifyStore();
      assert.equal(whole.code, 0, whole.stdout + whole.stderr);
      assert.match(whole.stdout, new RegExp(`audit trail intact: ${head} records \\(seq 1\\.\\.${head}\\)`));
      const ranged = await coffer(["audit", "verify", "--data-dir", dir(), "--store", server.storeUrl, "--since", new Date(Date.now() - 3_600_000).toISOString(), "--until", new Date().toISOString()]);
      assert.equal(ranged.code, 0, ranged.stdout + ranged.stderr);
    });

    test("an altered record is named", async () => {
      await sql(server, store, [["UPDATE audit_records SET record = replace(record, '\"readOnly\":true', '\"readOnly\":false') WHERE seq = 5"]]);
      const out = await verifyStore();
      assert.equal(out.code, 1);
      assert.match(out.stdout, /FAILED: record 5 was altered \(eventID [0-9a-f-]{36}, eventTime \S+Z\)/);
      await restore();
    });

    test("a deleted record is named, in the middle and at the end", async () => {
      await sql(server, store, [["DELETE FROM audit_records WHERE seq = 7"]]);
      let out = await verifyStore();
      assert.equal(out.code, 1);
      assert.match(out.stdout, /FAILED: record 7 was removed/);
      await restore();
      // Cutting off the newest records and moving the head back is caught by the signed digests.
      const tail = head - 2;
      const [row] = await sql(server, store, [["SELECT hash FROM audit_records WHERE seq = ?", [tail - 1]]]);
      await sql(server, store, [
        ["DELETE FROM audit_records WHERE seq >= ?", [tail]],
        ["UPDATE audit_chain_head SET seq = ?, hash = ?", [tail - 1, row?.hash]],
      ]);
      out = await verifyStore();
      assert.equal(out.code, 1);
      assert.match(out.stdout, new RegExp(`FAILED: record ${tail} was removed`));
      await restore();
    });

    test("reordered records are named", async () => {
      await sql(server, store, [
        ["UPDATE audit_records SET seq = -1 WHERE seq = 9"],
        ["UPDATE audit_records SET seq = 9 WHERE seq = 10"],
        ["UPDATE audit_records SET seq = 10 WHERE seq = -1"],
      ]);
      const out = await verifyStore();
      assert.equal(out.code, 1);
      assert.match(out.stdout, /FAILED: record 9 was reordered/);
      await restore();
    });

    test("a record rewritten with every later hash recomputed is caught by the signed digests", async () => {
      const rows = await sql(server, store, [["SELECT seq, prev_hash, hash, record FROM audit_records WHERE seq >= 3 ORDER BY seq"]]);
      const updates: Array<[string, unknown[]]> = [];
      let prevHash = String(rows[0]?.prev_hash);
      for (const row of rows) {
        const seq = Number(row.seq);
        const record = JSON.parse(String(row.record)) as Record<string, unknown>;
        if (seq === 3) record.sourceIPAddress = "198.51.100.7";
        const hash = linkedHash(seq, prevHash, canonicalJson(record));
        updates.push(["UPDATE audit_records SET prev_hash = ?, hash = ?, record = ? WHERE seq = ?", [prevHash, hash, JSON.stringify(record), seq]]);
        prevHash = hash;
      }
      updates.push(["UPDATE audit_chain_head SET hash = ?", [prevHash]]);
      await sql(server, store, updates);
      const out = await verifyStore();
      assert.equal(out.code, 1);
      const checkpoint = digestEnds.filter((seq) => seq >= 3).sort((a, b) => a - b)[0];
      assert.match(out.stdout, new RegExp(`FAILED: record ${checkpoint} was altered .*a signed digest recorded`));
      await restore();
    });

    test("an altered digest is reported", async () => {
      await sql(server, store, [["UPDATE audit_digests SET digest = replace(digest, '\"version\":1', '\"version\":2') WHERE id = 2"]]);
      const out = await verifyStore();
      assert.equal(out.code, 1);
      assert.match(out.stdout, /FAILED: digest 2 .*does not verify/);
      await restore();
    });

    test("exported files: untouched verify; altered, removed and moved lines are named", async () => {
      const file = join(dir(), "export.jsonl");
      const digests = join(dir(), "digests.jsonl");
      const key = join(dir(), "public.pem");
      const exported = await coffer(["audit", "export", "--store", server.storeUrl, "--output", file, "--digests", digests]);
      assert.equal(exported.code, 0, exported.stderr);
      assert.match(exported.stderr, new RegExp(`${head} records exported \\(seq 1\\.\\.${head}\\)`));
      const publicKey = await coffer(["audit", "public-key", "--store", server.storeUrl]);
      assert.equal(publicKey.code, 0);
      writeFileSync(key, publicKey.stdout);
      // The server wrote the same key beside its data.
      assert.equal(readFileSync(join(dir(), "audit-public-key.pem"), "utf8"), publicKey.stdout);

      const verifyFile = (path: string, digestFile = digests) => coffer(["audit", "verify", path, "--digests", digestFile, "--public-key", key]);
      const intact = await verifyFile(file);
      assert.equal(intact.code, 0, intact.stdout + intact.stderr);
      assert.match(intact.stdout, new RegExp(`intact: ${head} records`));
      assert.equal((await coffer(["audit", "verify", file])).code, 0, "the file verifies on its own too");

      const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
      // A time range exported with its digests verifies on its own.
      const middle = (JSON.parse(lines[12] as string) as { record: { eventTime: string } }).record.eventTime;
      const part = join(dir(), "part.jsonl");
      const partDigests = join(dir(), "part-digests.jsonl");
      const partExport = await coffer(["audit", "export", "--store", server.storeUrl, "--since", middle, "--until", new Date().toISOString(), "--output", part, "--digests", partDigests]);
      assert.equal(partExport.code, 0, partExport.stderr);
      const partLines = readFileSync(part, "utf8").split("\n").filter(Boolean);
      assert.ok(partLines.length > 0 && partLines.length < lines.length, `the range holds ${partLines.length} of ${lines.length} records`);
      assert.equal(partLines.at(-1), lines.at(-1));
      const partVerified = await verifyFile(part, partDigests);
      assert.equal(partVerified.code, 0, partVerified.stdout + partVerified.stderr);
      const variant = (name: string, edited: string[]) => {
        const path = join(dir(), name);
        writeFileSync(path, `${edited.join("\n")}\n`);
        return path;
      };
      const altered = [...lines];
      altered[5] = (altered[5] as string).replace('"awsRegion":"us-east-1"', '"awsRegion":"us-west-2"');
      let out = await verifyFile(variant("altered.jsonl", altered));
      assert.equal(out.code, 1);
      assert.match(out.stdout, /FAILED: record 6 was altered/);

      out = await verifyFile(variant("removed.jsonl", lines.filter((_, i) => i !== 10)));
      assert.equal(out.code, 1);
      assert.match(out.stdout, /FAILED: record 11 was removed/);

      const moved = [...lines];
      const [line] = moved.splice(12, 1);
      moved.splice(14, 0, line as string);
      out = await verifyFile(variant("moved.jsonl", moved));
      assert.equal(out.code, 1);
      assert.match(out.stdout, /FAILED: record 13 was reordered/);

      out = await verifyFile(variant("cut.jsonl", lines.slice(0, -3)));
      assert.equal(out.code, 1);
      assert.match(out.stdout, new RegExp(`FAILED: record ${head - 2} was removed`));

      out = await coffer(["audit", "verify", variant("garbled.jsonl", [...lines.slice(0, 3), "{not json", ...lines.slice(4)])]);
      assert.equal(out.code, 1);
      assert.match(out.stdout, /FAILED: .*line 4/);
    });
  });
}

describe("coffer audit on a store that is not there", () => {
  test("verify and export fail and create nothing", async () => {
    const missing = join(tmpdir(), `coffer-no-store-${randomUUID().slice(0, 8)}`);
    for (const verb of ["verify", "export"]) {
      const out = await coffer(["audit", verb, "--data-dir", missing]);
      assert.notEqual(out.code, 0, `${verb} of a missing store succeeded: ${out.stdout}`);
      assert.match(out.stderr, /no store at /);
    }
    assert.equal(existsSync(missing), false, "the tools made a data directory");
  });
});
