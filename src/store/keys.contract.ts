// The behavioural contract of KeyOps that every Store backend must pass (run by
// sqlite/keys-ops.test.ts and postgres/keys-ops.test.ts). `makeStore` returns an open, migrated
// store over a fresh database; `dispose` closes it and throws the database away.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { AliasRecord, KeyRecord, RootRotationRecord } from "./keys-ops.js";
import type { Store } from "./store.js";
import { UniqueViolationError } from "./store.js";

const T0 = 1_700_000_000_000;
const ACCOUNT = "111122223333";
const REGION = "us-east-1";

const isUnique = (err: unknown): boolean => err instanceof UniqueViolationError;

function keyRow(over: Partial<KeyRecord> = {}): KeyRecord {
  const keyId = over.keyId ?? randomUUID();
  const region = over.region ?? REGION;
  const accountId = over.accountId ?? ACCOUNT;
  return {
    accountId,
    region,
    keyId,
    arn: `arn:aws:kms:${region}:${accountId}:key/${keyId}`,
    alias: null,
    wrappedMaterial: Buffer.concat([Buffer.from([1]), Buffer.from("rootkeyid0000001"), randomBytes(60)]),
    createdAt: T0,
    state: "Enabled",
    deletionAt: null,
    rotationDueAt: null,
    meta: { description: "d", keyManager: "CUSTOMER" },
    ...over,
  };
}

export function runKeysContract(name: string, makeStore: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`KeyOps contract on ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await makeStore();
    });
    after(async () => dispose(store));

    it("inserts, reads, updates and deletes keys; a taken arn is a UniqueViolationError", async () => {
      const key = keyRow({ meta: { description: "first", tags: [{ TagKey: "a", TagValue: "b" }] } });
      await store.transaction((tx) => tx.keys.insertKey(key));
      assert.deepEqual(await store.keys.getKey(ACCOUNT, REGION, key.keyId), key);
      assert.deepEqual(await store.keys.getKeyByArn(key.arn), key);
      assert.equal(await store.keys.getKey(ACCOUNT, "eu-west-1", key.keyId), undefined);
      await assert.rejects(store.transaction((tx) => tx.keys.insertKey(key)), isUnique);
      // The core KMS accessors see the same row.
      assert.equal((await store.getKmsKey(ACCOUNT, REGION, key.keyId))?.arn, key.arn);

      const updated: KeyRecord = { ...key, state: "PendingDeletion", deletionAt: T0 + 5, rotationDueAt: T0 + 9, meta: { description: "x" } };
      await store.transaction(async (tx) => {
        const locked = await tx.keys.getKey(ACCOUNT, REGION, key.keyId);
        assert.ok(locked);
        await tx.keys.updateKey(updated);
      });
      assert.deepEqual(await store.keys.getKey(ACCOUNT, REGION, key.keyId), updated);
      await store.transaction((tx) => tx.keys.deleteKey(key.arn));
      assert.equal(await store.keys.getKeyByArn(key.arn), undefined);
    });

    it("keys inserted through the core insertKmsKey get the default state", async () => {
      const key = keyRow({ alias: `alias/aws/${randomUUID()}` });
      await store.insertKmsKey({
        accountId: key.accountId,
        region: key.region,
        keyId: key.keyId,
        arn: key.arn,
        alias: key.alias,
        wrappedMaterial: key.wrappedMaterial,
        createdAt: key.createdAt,
        meta: key.meta,
      });
      const read = await store.keys.getKeyByArn(key.arn);
      assert.equal(read?.state, "Enabled");
      assert.equal(read?.deletionAt, null);
      assert.equal(read?.rotationDueAt, null);
    });

    it("lists an account's keys by key id, paged, and finds keys with work due", async () => {
      const account = "444455556666";
      const keys = Array.from({ length: 5 }, () => keyRow({ accountId: account }));
      await store.transaction(async (tx) => {
        for (const k of keys) await tx.keys.insertKey(k);
        await tx.keys.insertKey(keyRow({ accountId: account, region: "eu-west-1" }));
      });
      const ids = keys.map((k) => k.keyId).sort();
      const first = await store.keys.listKeys(account, REGION, undefined, 3);
      assert.deepEqual(first.map((k) => k.keyId), ids.slice(0, 3));
      const rest = await store.keys.listKeys(account, REGION, first.at(-1)?.keyId, 10);
      assert.deepEqual(rest.map((k) => k.keyId), ids.slice(3));

      const dueDeletion = keyRow({ accountId: account, state: "PendingDeletion", deletionAt: T0 + 10 });
      const dueRotation = keyRow({ accountId: account, rotationDueAt: T0 + 20 });
      const later = keyRow({ accountId: account, rotationDueAt: T0 + 1_000 });
      await store.transaction(async (tx) => {
        for (const k of [dueDeletion, dueRotation, later]) await tx.keys.insertKey(k);
      });
      const due = await store.keys.listKeysDue(T0 + 30, 100);
      assert.deepEqual(due.map((k) => k.arn).sort(), [dueDeletion.arn, dueRotation.arn].sort());
    });

    it("keeps rotated materials oldest first and drops them with their key", async () => {
      const key = keyRow();
      await store.transaction((tx) => tx.keys.insertKey(key));
      const m1 = { keyArn: key.arn, materialId: "b".repeat(64), wrappedMaterial: randomBytes(40), createdAt: T0 + 1, rotationType: "ON_DEMAND" as const };
      const m2 = { keyArn: key.arn, materialId: "a".repeat(64), wrappedMaterial: randomBytes(40), createdAt: T0 + 2, rotationType: "AUTOMATIC" as const };
      await store.transaction(async (tx) => {
        await tx.keys.insertMaterial(m1);
        await tx.keys.insertMaterial(m2);
      });
      assert.deepEqual(await store.keys.listMaterials(key.arn), [m1, m2]);
      await assert.rejects(store.transaction((tx) => tx.keys.insertMaterial(m1)), isUnique);
      await store.transaction((tx) => tx.keys.deleteKey(key.arn));
      assert.deepEqual(await store.keys.listMaterials(key.arn), []);
    });

    it("aliases: unique per account and region, retargeted, listed by name or by target, dropped with their key", async () => {
      const account = "777788889999";
      const k1 = keyRow({ accountId: account });
      const k2 = keyRow({ accountId: account });
      const alias = (name: string, target: string): AliasRecord => ({
        accountId: account,
        region: REGION,
        aliasName: name,
        targetKeyId: target,
        createdAt: T0,
        updatedAt: T0,
      });
      await store.transaction(async (tx) => {
        await tx.keys.insertKey(k1);
        await tx.keys.insertKey(k2);
        await tx.keys.insertAlias(alias("alias/b", k1.keyId));
        await tx.keys.insertAlias(alias("alias/a", k1.keyId));
        await tx.keys.insertAlias(alias("alias/C", k2.keyId));
        await tx.keys.insertAlias({ ...alias("alias/a", k2.keyId), region: "eu-west-1" });
      });
      await assert.rejects(store.transaction((tx) => tx.keys.insertAlias(alias("alias/a", k2.keyId))), isUnique);
      // Byte order: upper case sorts first.
      assert.deepEqual((await store.keys.listAliases(account, REGION, undefined, undefined, 10)).map((a) => a.aliasName), ["alias/C", "alias/a", "alias/b"]);
      assert.deepEqual((await store.keys.listAliases(account, REGION, undefined, "alias/C", 1)).map((a) => a.aliasName), ["alias/a"]);
      assert.deepEqual((await store.keys.listAliases(account, REGION, k1.keyId, undefined, 10)).map((a) => a.aliasName), ["alias/a", "alias/b"]);
      await store.transaction((tx) => tx.keys.updateAlias({ ...alias("alias/b", k2.keyId), updatedAt: T0 + 7 }));
      assert.deepEqual(await store.keys.getAlias(account, REGION, "alias/b"), { ...alias("alias/b", k2.keyId), updatedAt: T0 + 7 });
      await store.transaction((tx) => tx.keys.deleteAlias(account, REGION, "alias/a"));
      assert.equal(await store.keys.getAlias(account, REGION, "alias/a"), undefined);
      await store.transaction((tx) => tx.keys.deleteKey(k2.arn));
      assert.deepEqual((await store.keys.listAliases(account, REGION, undefined, undefined, 10)).map((a) => a.aliasName), []);
      assert.ok(await store.keys.getAlias(account, "eu-west-1", "alias/a"));
    });

    it("holds one key-hierarchy record and the latest root rotation", async () => {
      assert.equal(await store.keys.getHierarchy(), undefined);
      const hierarchy = { mode: "shamir" as const, rootKeyId: "0123456789abcdef", shares: 5, threshold: 3, verifier: randomBytes(32), updatedAt: T0 };
      await store.transaction((tx) => tx.keys.putHierarchy(hierarchy));
      assert.deepEqual(await store.keys.getHierarchy(), hierarchy);
      const fileMode = { mode: "file" as const, rootKeyId: "fedcba9876543210", shares: null, threshold: null, verifier: null, updatedAt: T0 + 1 };
      await store.transaction((tx) => tx.keys.putHierarchy(fileMode));
      assert.deepEqual(await store.keys.getHierarchy(), fileMode);

      assert.equal(await store.keys.getRootRotation(), undefined);
      const first: RootRotationRecord = {
        rotationId: "r1",
        oldKeyId: "a".repeat(16),
        newKeyId: "b".repeat(16),
        newWrappedByOld: randomBytes(70),
        oldWrappedByNew: randomBytes(70),
        newVerifier: null,
        phase: "rewrapping",
        startedAt: T0,
        finishedAt: null,
        total: 7,
        rewrapped: 0,
      };
      await store.transaction((tx) => tx.keys.putRootRotation(first));
      assert.deepEqual(await store.keys.getRootRotation(), first);
      const done = { ...first, phase: "done" as const, newWrappedByOld: null, oldWrappedByNew: null, finishedAt: T0 + 5, rewrapped: 7 };
      await store.transaction((tx) => tx.keys.putRootRotation(done));
      assert.deepEqual(await store.keys.getRootRotation(), done);
      const second = { ...first, rotationId: "r2", startedAt: T0 + 10 };
      await store.transaction((tx) => tx.keys.putRootRotation(second));
      assert.deepEqual(await store.keys.getRootRotation(), second);
    });

    it("finds, counts and compare-and-sets the blobs a root key wraps, of every kind", async () => {
      const oldPrefix = Buffer.concat([Buffer.from([1]), Buffer.from("oldoldoldoldold1")]);
      const newPrefix = Buffer.concat([Buffer.from([1]), Buffer.from("newnewnewnewnew1")]);
      const blob = (prefix: Buffer) => Buffer.concat([prefix, randomBytes(48)]);
      const account = "121212121212";
      const keys = [keyRow({ accountId: account, wrappedMaterial: blob(oldPrefix) }), keyRow({ accountId: account, wrappedMaterial: blob(oldPrefix) })];
      const other = keyRow({ accountId: account, wrappedMaterial: blob(newPrefix) });
      const material = { keyArn: other.arn, materialId: "c".repeat(64), wrappedMaterial: blob(oldPrefix), createdAt: T0, rotationType: "ON_DEMAND" as const };
      const accessKeyId = `AKIA${randomBytes(8).toString("hex").toUpperCase()}`;
      await store.transaction(async (tx) => {
        for (const k of [...keys, other]) await tx.keys.insertKey(k);
        await tx.keys.insertMaterial(material);
        await tx.insertAccessKey({
          accessKeyId,
          accountId: account,
          principalArn: `arn:aws:iam::${account}:root`,
          sealedSecret: blob(oldPrefix),
          status: "Active",
          createdAt: T0,
        });
      });
      assert.ok((await store.keys.countRootWrapped("kms-key", oldPrefix)) >= 2);
      assert.equal(await store.keys.countRootWrapped("kms-material", oldPrefix), 1);
      assert.equal(await store.keys.countRootWrapped("access-key", oldPrefix), 1);
      const fingerprint = "f".repeat(64);
      await store.transaction((tx) =>
        tx.audit.insertSigningKey({ fingerprint, publicKeyPem: "(public half)", wrappedPrivateKey: blob(oldPrefix), createdAt: T0 }),
      );
      assert.equal(await store.keys.countRootWrapped("audit-signing-key", oldPrefix), 1);

      const keyArns = keys.map((k) => k.arn).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      const page1 = (await store.keys.listRootWrapped("kms-key", oldPrefix, undefined, 100)).filter((b) => keyArns.includes(b.id));
      assert.deepEqual(page1.map((b) => b.id), keyArns);
      const afterFirst = await store.keys.listRootWrapped("kms-key", oldPrefix, keyArns[0], 100);
      assert.ok(!afterFirst.some((b) => b.id === keyArns[0]));
      assert.ok(afterFirst.some((b) => b.id === keyArns[1]));
      assert.ok(!(await store.keys.listRootWrapped("kms-key", oldPrefix, undefined, 100)).some((b) => b.id === other.arn));

      const [materialBlob] = await store.keys.listRootWrapped("kms-material", oldPrefix, undefined, 10);
      assert.equal(materialBlob?.id, `${other.arn} ${"c".repeat(64)}`);
      const [accessBlob] = await store.keys.listRootWrapped("access-key", oldPrefix, undefined, 10);
      assert.equal(accessBlob?.id, accessKeyId);
      const [signingBlob] = await store.keys.listRootWrapped("audit-signing-key", oldPrefix, undefined, 10);
      assert.equal(signingBlob?.id, fingerprint);

      // Compare-and-set: a stale expectation changes nothing.
      const target = page1[0];
      assert.ok(target && materialBlob && accessBlob);
      const replacement = blob(newPrefix);
      assert.equal(await store.transaction((tx) => tx.keys.replaceRootWrapped("kms-key", target.id, blob(oldPrefix), replacement)), false);
      assert.equal(await store.transaction((tx) => tx.keys.replaceRootWrapped("kms-key", target.id, target.blob, replacement)), true);
      assert.deepEqual((await store.keys.getKeyByArn(target.id))?.wrappedMaterial, replacement);
      assert.equal(await store.transaction((tx) => tx.keys.replaceRootWrapped("kms-material", materialBlob.id, materialBlob.blob, replacement)), true);
      assert.deepEqual((await store.keys.listMaterials(other.arn))[0]?.wrappedMaterial, replacement);
      assert.equal(await store.transaction((tx) => tx.keys.replaceRootWrapped("access-key", accessKeyId, accessBlob.blob, replacement)), true);
      assert.deepEqual((await store.getAccessKey(accessKeyId))?.sealedSecret, replacement);
      assert.equal(await store.keys.countRootWrapped("kms-material", oldPrefix), 0);
      assert.equal(await store.keys.countRootWrapped("access-key", oldPrefix), 0);
      assert.ok(signingBlob);
      assert.equal(await store.transaction((tx) => tx.keys.replaceRootWrapped("audit-signing-key", fingerprint, signingBlob.blob, replacement)), true);
      assert.deepEqual((await store.audit.listSigningKeys()).find((k) => k.fingerprint === fingerprint)?.wrappedPrivateKey, replacement);
      assert.equal(await store.keys.countRootWrapped("audit-signing-key", oldPrefix), 0);
    });
  });
}
