import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pino } from "pino";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";
import { appendPrepared, prepareRecord } from "./append.js";
import { type Digest, verifyDigestChain } from "./digest.js";
import { Digester } from "./digester.js";
import { Retention } from "./retention.js";
import { loadOrCreateSigningKey, publicKeysOf, type RootWrapper } from "./signing-key.js";
import { buildServiceEvent } from "./record.js";
import { verifyStore } from "./verify.js";
import { sealAead, openAead } from "../crypto/aead.js";

const log = pino({ level: "silent" });
const ACCOUNT = "111122223333";

/** The root-key wrapping of the keyring, with a key of its own. */
function rootWrapper(): RootWrapper & { sealed: boolean } {
  const key = randomBytes(32);
  return {
    sealed: false,
    wrapWithRoot: (plaintext, aad) => sealAead(key, plaintext, Buffer.from(aad)),
    unwrapWithRoot: (blob, aad) => openAead(key, blob, Buffer.from(aad)),
  };
}

async function appendEvents(store: SqliteStore, count: number, time: number): Promise<void> {
  const prepared = Array.from({ length: count }, (_, i) => {
    const record = buildServiceEvent({ eventName: "RotationStarted", accountId: ACCOUNT, region: "us-east-1", time: time + i, resourceArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:s${i}-AbCdEf` });
    return prepareRecord(record, { resources: [], lookupNames: [] });
  });
  await store.transaction((tx) => appendPrepared(tx.audit, prepared));
}

describe("digests and retention", () => {
  let dir: string;
  let store: SqliteStore;
  const root = rootWrapper();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "coffer-digest-"));
    store = new SqliteStore(join(dir, "coffer.db"));
    await store.migrate();
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the signing key is made once, kept wrapped under the root key, and not opened while sealed", async () => {
    const key = await loadOrCreateSigningKey(store, root);
    assert.ok(key);
    const again = await loadOrCreateSigningKey(store, root);
    assert.equal(again?.fingerprint, key.fingerprint);
    const [row] = await store.audit.listSigningKeys();
    assert.ok(row && !row.wrappedPrivateKey.includes(key.privateKey.export({ format: "der", type: "pkcs8" })));
    root.sealed = true;
    assert.equal(await loadOrCreateSigningKey(store, root), undefined);
    root.sealed = false;
    // Under another root key the stored one cannot be opened: a new key signs from then on.
    const other = await loadOrCreateSigningKey(store, rootWrapper());
    assert.notEqual(other?.fingerprint, key.fingerprint);
    assert.equal((await publicKeysOf(store)).size, 2);
  });

  test("digests chain, cover empty periods, and verify with the stored public keys", async () => {
    const key = await loadOrCreateSigningKey(store, root);
    const digester = new Digester(store, async () => key, 1000, "holder-a", log);
    const t0 = Date.UTC(2024, 0, 15, 12);
    await appendEvents(store, 5, t0);
    const first = await digester.runOnce(t0 + 1000);
    assert.equal(first?.firstSeq, 1);
    assert.equal(first?.lastSeq, 5);
    assert.equal(await digester.runOnce(t0 + 1100), undefined, "not again before the interval");
    const empty = await digester.runOnce(t0 + 2000);
    assert.equal(empty?.firstSeq, 6);
    assert.equal(empty?.lastSeq, 5);
    await appendEvents(store, 3, t0 + 2500);
    const third = await digester.runOnce(t0 + 3000);
    assert.deepEqual([third?.firstSeq, third?.lastSeq], [6, 8]);
    // Another process does not digest while the lease is held.
    const rival = new Digester(store, async () => key, 1000, "holder-b", log);
    assert.equal(await rival.runOnce(t0 + 3100, true), undefined);
    const digests = (await store.audit.listDigests(0, 100)).map((d) => JSON.parse(d.digest) as Digest);
    assert.equal(verifyDigestChain(digests, key!.publicKeyPem).ok, true);
    assert.equal((await verifyStore(store)).ok, true);
    await store.transaction((tx) => tx.releaseLease("audit-digest", "holder-a"));
  });

  test("retention deletes through a digest that ended before the cutoff, and not past an active sink", async () => {
    const t0 = Date.UTC(2024, 0, 15, 12);
    // Digests ended at t0+1000 (seq 5), t0+2000 (empty), t0+3000 (seq 8).
    await store.transaction((tx) => tx.audit.putCursor({ name: "file:x", seq: 6, updatedAt: t0 + 3500 }));
    const retention = new Retention(store, 1000, 1000, "holder-a", log);
    // Cutoff t0+3500 would allow seq 8, but the sink has only delivered through 6: the last
    // digest boundary within both is seq 5.
    assert.equal(await retention.runOnce(t0 + 4500), 5);
    assert.deepEqual(await store.audit.recordBounds(), { firstSeq: 6, lastSeq: 8 });
    const kept = await verifyStore(store);
    assert.equal(kept.ok, true);
    assert.equal(kept.anchored, true, "the first remaining record links to a signed digest");
    await store.transaction((tx) => tx.audit.putCursor({ name: "file:x", seq: 8, updatedAt: t0 + 4000 }));
    assert.equal(await retention.runOnce(t0 + 4500), 3);
    assert.equal(await store.audit.recordBounds(), undefined);
    assert.equal((await verifyStore(store)).ok, true, "an emptied chain still verifies against its digests and head");
  });
});
