import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { signingKeyAad } from "../audit/signing-key.js";
import { accessKeyAad } from "../server/access-keys.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { KeyCustody } from "./custody.js";
import { Keyring, firstMaterialId, materialAad, newMaterialId } from "./keyring.js";
import { newRootKey, readRootKeyFile } from "./root-key.js";
import { beginRootRotation, countWrappedUnder, rootWrappedAad } from "./root-rotation.js";

const dirs: string[] = [];
const stores: Store[] = [];
after(async () => {
  for (const s of stores) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), "coffer-rotation-"));
  dirs.push(dir);
  const store = await openStore(`sqlite:${join(dir, "coffer.db")}`);
  stores.push(store);
  const keyring = new Keyring(store);
  const custody = await KeyCustody.open(store, keyring, dir);
  // Blobs of every kind: keys, rotated material, access keys.
  const expected = new Map<string, string>();
  await store.transaction(async (tx) => {
    for (let i = 0; i < 30; i++) {
      const keyId = randomUUID();
      const arn = `arn:aws:kms:us-east-1:111122223333:key/${keyId}`;
      await tx.keys.insertKey({
        accountId: "111122223333",
        region: "us-east-1",
        keyId,
        arn,
        alias: null,
        wrappedMaterial: keyring.wrapWithRoot(Buffer.from(`first-${i}`.padEnd(32, ".")), materialAad(arn, firstMaterialId(arn))),
        createdAt: Date.now(),
        state: "Enabled",
        deletionAt: null,
        rotationDueAt: null,
        meta: { keyManager: "CUSTOMER" },
      });
      expected.set(`kms-key ${arn}`, `first-${i}`.padEnd(32, "."));
      if (i % 5 === 0) {
        const materialId = newMaterialId();
        await tx.keys.insertMaterial({
          keyArn: arn,
          materialId,
          wrappedMaterial: keyring.wrapWithRoot(Buffer.from(`rotated-${i}`.padEnd(32, ".")), materialAad(arn, materialId)),
          createdAt: Date.now(),
          rotationType: "ON_DEMAND",
        });
        expected.set(`kms-material ${arn} ${materialId}`, `rotated-${i}`.padEnd(32, "."));
      }
    }
    const accessKeyId = `AKIA${randomUUID().replace(/-/g, "").slice(0, 16).toUpperCase()}`;
    await tx.insertAccessKey({
      accessKeyId,
      accountId: "111122223333",
      principalArn: "arn:aws:iam::111122223333:root",
      sealedSecret: keyring.wrapWithRoot(Buffer.from("the secret access key"), accessKeyAad(accessKeyId)),
      status: "Active",
      createdAt: Date.now(),
    });
    expected.set(`access-key ${accessKeyId}`, "the secret access key");
    const fingerprint = randomUUID().replace(/-/g, "");
    await tx.audit.insertSigningKey({
      fingerprint,
      publicKeyPem: "(public half)",
      wrappedPrivateKey: keyring.wrapWithRoot(Buffer.from("the audit signing key"), signingKeyAad(fingerprint)),
      createdAt: Date.now(),
    });
    expected.set(`audit-signing-key ${fingerprint}`, "the audit signing key");
  });
  return { dir, store, keyring, custody, expected };
}

/** Opens every expected blob with `keyring` and returns the ids of the root keys that wrap them. */
async function readAll(store: Store, keyring: Keyring, expected: Map<string, string>): Promise<Set<string>> {
  const roots = new Set<string>();
  for (const [where, plain] of expected) {
    const [kind, ...rest] = where.split(" ");
    const id = rest.join(" ");
    let blob: Buffer | undefined;
    if (kind === "kms-key") blob = (await store.keys.getKeyByArn(id))?.wrappedMaterial;
    else if (kind === "kms-material") blob = (await store.keys.listMaterials(rest[0] as string)).find((m) => m.materialId === rest[1])?.wrappedMaterial;
    else if (kind === "audit-signing-key") blob = (await store.audit.listSigningKeys()).find((k) => k.fingerprint === id)?.wrappedPrivateKey;
    else blob = (await store.getAccessKey(id))?.sealedSecret;
    assert.ok(blob, where);
    assert.equal(keyring.unwrapWithRoot(blob, rootWrappedAad(kind as "kms-key", id)).toString(), plain, where);
    roots.add(blob.toString("ascii", 1, 17));
  }
  return roots;
}

describe("root-key rotation", () => {
  it("binds each kind of blob as the code that wrapped it does", () => {
    assert.equal(rootWrappedAad("access-key", "AKIAEXAMPLE"), accessKeyAad("AKIAEXAMPLE"));
    assert.equal(rootWrappedAad("audit-signing-key", "9f86d081884c7d65"), signingKeyAad("9f86d081884c7d65"));
    const arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    assert.equal(rootWrappedAad("kms-key", arn), arn);
    const materialId = newMaterialId();
    assert.equal(rootWrappedAad("kms-material", `${arn} ${materialId}`), materialAad(arn, materialId));
  });

  it("stops anywhere and resumes in another process; everything stays readable and ends under the new key", async () => {
    const { dir, store, keyring, custody, expected } = await setup();
    const oldId = keyring.ring.currentId as string;
    const started = await custody.startRotation(Date.now());
    assert.notEqual(started.newRootKeyId, oldId);
    assert.equal(readRootKeyFile(join(dir, "root.key"))?.id, started.newRootKeyId);
    assert.equal(readRootKeyFile(join(dir, "root.key.old"))?.id, oldId);
    const total = (await store.keys.getRootRotation())?.total;
    assert.equal(total, await countWrappedUnder(store, oldId));

    // One batch, then the process "dies".
    const partial = await custody.advance(0, 0);
    assert.equal(partial.state, "working");
    assert.ok((partial.record?.rewrapped ?? 0) > 0 && (partial.record?.rewrapped ?? 0) < (total ?? 0));
    assert.deepEqual(await readAll(store, keyring, expected), new Set([oldId, started.newRootKeyId]));

    // A new process starts from root.key (the new key) and the store's rotation record.
    const keyring2 = new Keyring(store);
    const custody2 = await KeyCustody.open(store, keyring2, dir);
    assert.equal(keyring2.ring.currentId, started.newRootKeyId);
    assert.ok(keyring2.ring.has(oldId));
    await readAll(store, keyring2, expected);
    let result;
    for (let i = 0; i < 20; i++) {
      result = await custody2.advance(Date.now() + 1_000, 0);
      if (result.state === "finished") break;
    }
    assert.equal(result?.state, "finished");
    assert.equal(result?.record?.rewrapped, total);
    assert.equal(await countWrappedUnder(store, oldId), 0);
    assert.deepEqual(await readAll(store, keyring2, expected), new Set([started.newRootKeyId]));
    assert.equal(keyring2.ring.has(oldId), false);
    assert.equal(existsSync(join(dir, "root.key.old")), false);
    assert.equal((await store.keys.getHierarchy())?.rootKeyId, started.newRootKeyId);
    // The first process learns that the rotation ended and forgets the old key too.
    await custody.refresh();
    assert.equal(keyring.ring.has(oldId), false);
    await readAll(store, keyring, expected);
  });

  it("a crash between recording a rotation and switching root.key is completed at the next start", async () => {
    const { dir, store, keyring, expected } = await setup();
    const old = keyring.ring.key(keyring.ring.currentId as string);
    assert.ok(old);
    const next = newRootKey();
    await beginRootRotation(store, old, next, null, Date.now());
    assert.equal(readRootKeyFile(join(dir, "root.key"))?.id, old.id);
    const keyring2 = new Keyring(store);
    await KeyCustody.open(store, keyring2, dir);
    assert.equal(readRootKeyFile(join(dir, "root.key"))?.id, next.id);
    assert.equal(keyring2.ring.currentId, next.id);
    await readAll(store, keyring2, expected);
  });

  it("another process learns a rotation started elsewhere and wraps new blobs under the new key", async () => {
    const { dir, store, keyring, custody } = await setup();
    const other = new Keyring(store);
    const otherCustody = await KeyCustody.open(store, other, dir);
    const started = await custody.startRotation(Date.now());
    const blob = keyring.wrapWithRoot(Buffer.from("made by the rotating process"), "aad");
    // Before its refresh it does not know the key; the fresh unwrap learns it on demand.
    assert.equal((await other.unwrapWithRootFresh(blob, "aad")).toString(), "made by the rotating process");
    await otherCustody.refresh();
    assert.equal(other.ring.currentId, started.newRootKeyId);
    assert.equal(other.wrapWithRoot(Buffer.from("x"), "aad").toString("ascii", 1, 17), started.newRootKeyId);
  });
});
