// The one behavioural contract every Store backend must pass. It lives in a single file, long as
// it is, so that both backends provably run the very same checks.
//
// `makeStore` must return an open but NOT yet migrated store over a fresh, empty database (the
// suite migrates it itself, and checks that migrating a fresh database concurrently is safe);
// `dispose` closes it and throws the database away.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { KmsKeyRow, SecretRow, SecretSortKey, Store, StoreOps, VersionRow } from "./store.js";
import { UniqueViolationError } from "./store.js";

const T0 = 1_700_000_000_000; // beyond 2^32, so a bigint round-trip is really exercised
const DAY = 86_400_000;

const hex = (bytes = 6): string => randomBytes(bytes).toString("hex");
const newAccountId = (): string => String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
/** Byte order of the UTF-8 encodings: the order both backends must sort text in. */
const byteCompare = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
const isUnique = (err: unknown): boolean => err instanceof UniqueViolationError;
const allBytes = (): Buffer => Buffer.from(Array.from({ length: 256 }, (_, i) => i));

function secretRow(over: Partial<SecretRow> = {}): SecretRow {
  const accountId = over.accountId ?? newAccountId();
  const region = over.region ?? "us-east-1";
  const name = over.name ?? `secret-${hex()}`;
  return {
    accountId,
    region,
    name,
    arn: `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${hex(3)}`,
    createdAt: T0,
    lastChangedAt: T0,
    lastAccessedAt: null,
    deletedAt: null,
    deletionAt: null,
    stages: {},
    meta: {},
    ...over,
  };
}

function versionRow(secretArn: string, over: Partial<VersionRow> = {}): VersionRow {
  return {
    secretArn,
    versionId: `v-${hex(8)}`,
    createdAt: T0,
    lastAccessedAt: null,
    kmsKeyId: null,
    sealed: randomBytes(48),
    ...over,
  };
}

function kmsKeyRow(over: Partial<KmsKeyRow> = {}): KmsKeyRow {
  const accountId = over.accountId ?? newAccountId();
  const region = over.region ?? "us-east-1";
  const keyId = over.keyId ?? `${hex(4)}-${hex(2)}-${hex(2)}-${hex(2)}-${hex(6)}`;
  return {
    accountId,
    region,
    keyId,
    arn: `arn:aws:kms:${region}:${accountId}:key/${keyId}`,
    alias: null,
    wrappedMaterial: randomBytes(60),
    createdAt: T0,
    meta: {},
    ...over,
  };
}

export function runStoreContract(
  name: string,
  makeStore: () => Promise<Store>,
  dispose: (s: Store) => Promise<void> = (s) => s.close(),
): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await makeStore();
      await store.migrate();
    });
    after(async () => {
      if (store) await dispose(store);
    });

    describe("migrations", () => {
      it("migrate() is safe twice in parallel on a fresh database, and idempotent after", async () => {
        const fresh = await makeStore();
        try {
          await assert.rejects(fresh.getSetting("k"), "makeStore must return an unmigrated store");
          await Promise.all([fresh.migrate(), fresh.migrate()]);
          await fresh.migrate();
          await fresh.putSetting("k", "v");
          assert.equal(await fresh.getSetting("k"), "v");
        } finally {
          await dispose(fresh);
        }
      });
    });

    describe("accounts, access keys, KMS keys, settings", () => {
      it("accounts round-trip, are listed in id order, and are unique by id", async () => {
        const a = { accountId: newAccountId(), name: "Prod ✓", createdAt: T0 + 1 };
        const b = { accountId: newAccountId(), name: "dev", createdAt: T0 + 2 };
        await store.insertAccount(a);
        await store.insertAccount(b);
        assert.deepEqual(await store.getAccount(a.accountId), a);
        assert.equal(await store.getAccount(newAccountId()), undefined);
        await assert.rejects(store.insertAccount({ ...a, name: "other" }), isUnique);
        const all = await store.listAccounts();
        assert.deepEqual(all.find((r) => r.accountId === b.accountId), b);
        const ids = all.map((r) => r.accountId);
        assert.deepEqual(ids, [...ids].sort(byteCompare));
      });

      it("access keys round-trip byte-exact and are unique by id", async () => {
        const key = {
          accessKeyId: `AKIA${hex(8).toUpperCase()}`,
          accountId: newAccountId(),
          principalArn: "arn:aws:iam::123456789012:root",
          sealedSecret: allBytes(),
          status: "Inactive" as const,
          createdAt: T0,
        };
        await store.insertAccessKey(key);
        assert.deepEqual(await store.getAccessKey(key.accessKeyId), key);
        assert.equal(await store.getAccessKey("AKIA-none"), undefined);
        await assert.rejects(store.insertAccessKey({ ...key, status: "Active" }), isUnique);
      });

      it("KMS keys are found by id and alias within their account and region; ids and aliases are unique", async () => {
        const managed = kmsKeyRow({ alias: "alias/aws/secretsmanager", meta: { description: "default", n: [1, 2] } });
        const plain = kmsKeyRow({ accountId: managed.accountId, region: managed.region });
        const plain2 = kmsKeyRow({ accountId: managed.accountId, region: managed.region });
        for (const k of [managed, plain, plain2]) await store.insertKmsKey(k);
        const { accountId, region } = managed;
        assert.deepEqual(await store.getKmsKey(accountId, region, managed.keyId), managed);
        assert.deepEqual(await store.getKmsKey(accountId, region, plain.keyId), plain);
        assert.deepEqual(await store.getKmsKeyByAlias(accountId, region, "alias/aws/secretsmanager"), managed);
        assert.equal(await store.getKmsKey(accountId, "eu-west-1", managed.keyId), undefined);
        assert.equal(await store.getKmsKey(newAccountId(), region, managed.keyId), undefined);
        assert.equal(await store.getKmsKeyByAlias(accountId, region, "alias/none"), undefined);
        // The same alias elsewhere is a different key.
        const otherRegion = kmsKeyRow({ accountId, region: "eu-west-1", alias: managed.alias });
        await store.insertKmsKey(otherRegion);
        assert.deepEqual(await store.getKmsKeyByAlias(accountId, "eu-west-1", "alias/aws/secretsmanager"), otherRegion);
        await assert.rejects(store.insertKmsKey(kmsKeyRow({ accountId, region, alias: managed.alias })), isUnique);
        await assert.rejects(store.insertKmsKey({ ...plain, alias: "alias/x", arn: `${plain.arn}-2` }), isUnique);
        await assert.rejects(store.insertKmsKey(kmsKeyRow({ accountId, arn: plain.arn })), isUnique);
      });

      it("settings: absent, put, overwrite", async () => {
        const key = `setting-${hex()}`;
        assert.equal(await store.getSetting(key), undefined);
        await store.putSetting(key, "one");
        assert.equal(await store.getSetting(key), "one");
        await store.putSetting(key, "");
        assert.equal(await store.getSetting(key), "");
      });
    });

    describe("secrets", () => {
      it("round-trip by name and by arn, with nulls and JSON fields intact", async () => {
        const bare = secretRow();
        const full = secretRow({
          name: "prod/db/password_ünï😀",
          createdAt: T0 + 1,
          lastChangedAt: T0 + 2,
          lastAccessedAt: T0 - (T0 % DAY),
          deletedAt: T0 + 3,
          deletionAt: T0 + 3 + 7 * DAY,
          stages: { AWSCURRENT: "v-1", AWSPREVIOUS: "v-0", custom: "v-1" },
          meta: { description: "a \"quoted\" ✓", tags: [{ Key: "k", Value: "" }], rotation: null, n: 1.5, on: true, o: {} },
        });
        for (const s of [bare, full]) {
          await store.insertSecret(s);
          assert.deepEqual(await store.getSecretByName(s.accountId, s.region, s.name), s);
          assert.deepEqual(await store.getSecretByArn(s.arn), s);
        }
        assert.equal(await store.getSecretByArn(`${bare.arn}x`), undefined);
        assert.equal(await store.getSecretByName(bare.accountId, "eu-west-1", bare.name), undefined);
      });

      it("names are case-sensitive and scoped to account and region; name and arn are unique", async () => {
        const s = secretRow({ name: "MySecret" });
        await store.insertSecret(s);
        await store.insertSecret(secretRow({ accountId: s.accountId, name: "mysecret" }));
        await store.insertSecret(secretRow({ accountId: s.accountId, region: "eu-west-1", name: "MySecret" }));
        await store.insertSecret(secretRow({ name: "MySecret" }));
        await assert.rejects(store.insertSecret(secretRow({ accountId: s.accountId, name: "MySecret" })), isUnique);
        await assert.rejects(store.insertSecret(secretRow({ arn: s.arn })), isUnique);
        assert.equal((await store.getSecretByName(s.accountId, s.region, "mysecret"))?.name, "mysecret");
        assert.equal(await store.countSecrets(s.accountId, s.region), 2);
      });

      it("updateSecret replaces every mutable column", async () => {
        const s = secretRow({ stages: { AWSCURRENT: "a" }, meta: { description: "x", tags: [] } });
        await store.insertSecret(s);
        const changed: SecretRow = {
          ...s,
          lastChangedAt: T0 + 10,
          lastAccessedAt: T0 + DAY,
          deletedAt: T0 + 20,
          deletionAt: T0 + 20 + DAY,
          stages: { AWSCURRENT: "b", AWSPREVIOUS: "a" },
          meta: { tags: [{ Key: "t", Value: "v" }] },
        };
        await store.updateSecret(changed);
        assert.deepEqual(await store.getSecretByArn(s.arn), changed);
        const restored = { ...changed, deletedAt: null, deletionAt: null, lastAccessedAt: null, stages: {}, meta: {} };
        await store.updateSecret(restored);
        assert.deepEqual(await store.getSecretByName(s.accountId, s.region, s.name), restored);
      });

      it("deleteSecret removes the secret and all its versions, freeing the name", async () => {
        const s = secretRow();
        const other = secretRow({ accountId: s.accountId });
        await store.insertSecret(s);
        await store.insertSecret(other);
        const versions = [versionRow(s.arn), versionRow(s.arn, { createdAt: T0 + 1 })];
        for (const v of versions) await store.insertVersion(v);
        const kept = versionRow(other.arn);
        await store.insertVersion(kept);
        await store.deleteSecret(s.arn);
        assert.equal(await store.getSecretByArn(s.arn), undefined);
        assert.deepEqual(await store.listVersions(s.arn), []);
        assert.equal(await store.getVersion(s.arn, versions[0]!.versionId), undefined);
        assert.deepEqual(await store.listVersions(other.arn), [kept]);
        await store.deleteSecret(s.arn); // already gone: no error
        const again = secretRow({ accountId: s.accountId, name: s.name });
        await store.insertSecret(again);
        await store.insertVersion(versionRow(again.arn, { versionId: versions[0]!.versionId }));
      });

      it("countSecrets counts an account+region's secrets, planned deletions included", async () => {
        const accountId = newAccountId();
        assert.equal(await store.countSecrets(accountId, "us-east-1"), 0);
        await store.insertSecret(secretRow({ accountId }));
        await store.insertSecret(secretRow({ accountId, deletedAt: T0, deletionAt: T0 + DAY }));
        await store.insertSecret(secretRow({ accountId, region: "eu-west-1" }));
        assert.equal(await store.countSecrets(accountId, "us-east-1"), 2);
        assert.equal(await store.countSecrets(accountId, "eu-west-1"), 1);
      });

      it("listSecrets pages across ties in both directions for every sort key", async () => {
        const accountId = newAccountId();
        const region = "eu-central-1";
        // Names chosen so that byte order differs from both linguistic and UTF-16 order.
        const names = ["alpha", "Beta", "_under", "-dash", "zeta", "Zulu", "a/b", "a-b", "a_b", "ünï", "日本",
          "x😀", "x\uFFFD", "MixedCase", "mixedcase", "0-9"];
        const accessed = [null, 0, DAY, null, 2 * DAY, DAY];
        const rows = names.map((n, i) =>
          secretRow({
            accountId,
            region,
            name: n,
            createdAt: T0 + (i % 3) * 1000,
            lastChangedAt: T0 + (i % 4) * 10,
            lastAccessedAt: accessed[i % accessed.length] ?? null,
            deletedAt: i % 7 === 3 ? T0 : null,
            deletionAt: i % 7 === 3 ? T0 + DAY : null,
          }),
        );
        for (const r of rows) await store.insertSecret(r);
        await store.insertSecret(secretRow({ region, createdAt: T0 })); // another account
        await store.insertSecret(secretRow({ accountId, region: "us-west-2" })); // another region

        const sortValue = (r: SecretRow, by: SecretSortKey): string | number | null =>
          by === "name" ? r.name : by === "created-date" ? r.createdAt : by === "last-changed-date" ? r.lastChangedAt : r.lastAccessedAt;
        const sortKeys: SecretSortKey[] = ["created-date", "last-accessed-date", "last-changed-date", "name"];
        for (const sortBy of sortKeys) {
          for (const descending of [false, true]) {
            for (const includePlannedDeletion of [false, true]) {
              const key = (r: SecretRow) => sortValue(r, sortBy) ?? 0;
              const expected = rows
                .filter((r) => includePlannedDeletion || r.deletedAt === null)
                .sort((a, b) => {
                  const ka = key(a);
                  const kb = key(b);
                  const c = typeof ka === "string" ? byteCompare(ka, kb as string) : ka - (kb as number);
                  return c !== 0 ? c : byteCompare(a.arn, b.arn);
                })
                .map((r) => r.arn);
              if (descending) expected.reverse();
              for (const limit of [1, 3, 100]) {
                const seen: string[] = [];
                let afterRow: SecretRow | undefined;
                for (let page = 0; page <= rows.length + 1; page++) {
                  const got = await store.listSecrets({
                    accountId,
                    region,
                    includePlannedDeletion,
                    sortBy,
                    descending,
                    limit,
                    ...(afterRow ? { after: { sortValue: sortValue(afterRow, sortBy), arn: afterRow.arn } } : {}),
                  });
                  seen.push(...got.map((r) => r.arn));
                  if (got.length < limit) break;
                  afterRow = got.at(-1);
                }
                assert.deepEqual(seen, expected, `${sortBy} desc=${descending} all=${includePlannedDeletion} limit=${limit}`);
              }
            }
          }
        }
        const first = await store.listSecrets({
          accountId, region, includePlannedDeletion: true, sortBy: "name", descending: false, limit: 2,
        });
        assert.deepEqual(first, rows.filter((r) => ["-dash", "0-9"].includes(r.name)));
      });

      it("listSecretsDueForPurge returns due secrets oldest first, up to the limit", async () => {
        const fresh = await makeStore();
        try {
          await fresh.migrate();
          const due = [300, 100, 200, 200].map((d) => secretRow({ deletedAt: 1, deletionAt: d }));
          for (const s of [...due, secretRow(), secretRow({ deletedAt: 1, deletionAt: 301 })]) await fresh.insertSecret(s);
          const got = await fresh.listSecretsDueForPurge(300, 10);
          assert.deepEqual(got.map((s) => s.deletionAt), [100, 200, 200, 300]);
          assert.deepEqual(new Set(got.map((s) => s.arn)), new Set(due.map((s) => s.arn)));
          assert.deepEqual(got.find((s) => s.arn === due[0]!.arn), due[0]);
          assert.deepEqual((await fresh.listSecretsDueForPurge(300, 2)).map((s) => s.deletionAt), [100, 200]);
          assert.deepEqual(await fresh.listSecretsDueForPurge(99, 10), []);
        } finally {
          await dispose(fresh);
        }
      });
    });

    describe("versions", () => {
      it("round-trip byte-exact, including value-less placeholders, empty and offset buffers", async () => {
        const s = secretRow();
        await store.insertSecret(s);
        const backing = Buffer.concat([Buffer.from("prefix"), allBytes()]);
        const rows = [
          versionRow(s.arn, { sealed: allBytes(), kmsKeyId: "key-1", lastAccessedAt: T0 }),
          versionRow(s.arn, { sealed: null }),
          versionRow(s.arn, { sealed: Buffer.alloc(0) }),
          versionRow(s.arn, { sealed: randomBytes(65_536) }),
          versionRow(s.arn, { sealed: backing.subarray(6) }),
        ];
        for (const v of rows) {
          await store.insertVersion(v);
          const got = await store.getVersion(s.arn, v.versionId);
          assert.deepEqual(got, { ...v, sealed: v.sealed && Buffer.from(v.sealed) });
        }
        assert.equal(await store.getVersion(s.arn, "v-none"), undefined);
      });

      it("are unique by (secret, version id)", async () => {
        const a = secretRow();
        const b = secretRow();
        await store.insertSecret(a);
        await store.insertSecret(b);
        const v = versionRow(a.arn);
        await store.insertVersion(v);
        await assert.rejects(store.insertVersion({ ...v, sealed: null }), isUnique);
        await store.insertVersion({ ...v, secretArn: b.arn });
      });

      it("listVersions and oldestVersionIds go oldest first, then by version id; countVersions counts", async () => {
        const s = secretRow();
        await store.insertSecret(s);
        const v = (id: string, createdAt: number) => versionRow(s.arn, { versionId: id, createdAt });
        const rows = [v("c", T0 + 5), v("B", T0 + 5), v("a", T0 + 5), v("z", T0 + 1), v("m", T0 + 9)];
        for (const r of rows) await store.insertVersion(r);
        assert.deepEqual((await store.listVersions(s.arn)).map((r) => r.versionId), ["z", "B", "a", "c", "m"]);
        assert.deepEqual(await store.listVersions(`${s.arn}-none`), []);
        assert.deepEqual(await store.oldestVersionIds(s.arn, 3), ["z", "B", "a"]);
        assert.deepEqual(await store.transaction((tx) => tx.oldestVersionIds(s.arn, 10)), ["z", "B", "a", "c", "m"]);
        assert.deepEqual(await store.oldestVersionIds(`${s.arn}-none`, 3), []);
        assert.equal(await store.countVersions(s.arn), 5);
        assert.equal(await store.transaction((tx) => tx.countVersions(s.arn)), 5);
        assert.equal(await store.countVersions(`${s.arn}-none`), 0);
      });

      it("updateVersionValue replaces the value and key only", async () => {
        const s = secretRow();
        await store.insertSecret(s);
        const v = versionRow(s.arn, { sealed: null, lastAccessedAt: T0 });
        await store.insertVersion(v);
        const sealed = allBytes();
        await store.updateVersionValue(s.arn, v.versionId, sealed, "key-2");
        assert.deepEqual(await store.getVersion(s.arn, v.versionId), { ...v, sealed, kmsKeyId: "key-2" });
        await store.updateVersionValue(s.arn, v.versionId, null, null);
        assert.deepEqual(await store.getVersion(s.arn, v.versionId), { ...v, sealed: null, kmsKeyId: null });
      });

      it("deleteVersion removes one version", async () => {
        const s = secretRow();
        await store.insertSecret(s);
        const [a, b] = [versionRow(s.arn), versionRow(s.arn, { createdAt: T0 + 1 })];
        await store.insertVersion(a);
        await store.insertVersion(b);
        await store.deleteVersion(s.arn, a.versionId);
        assert.deepEqual(await store.listVersions(s.arn), [b]);
        assert.ok(await store.getSecretByArn(s.arn));
      });

      it("touchAccess sets the day on the secret and on that version only", async () => {
        const s = secretRow();
        await store.insertSecret(s);
        const [a, b] = [versionRow(s.arn), versionRow(s.arn, { createdAt: T0 + 1 })];
        await store.insertVersion(a);
        await store.insertVersion(b);
        const day = T0 - (T0 % DAY);
        await store.touchAccess(s.arn, a.versionId, day);
        await store.touchAccess(s.arn, a.versionId, day); // same day again: harmless
        assert.equal((await store.getSecretByArn(s.arn))?.lastAccessedAt, day);
        assert.deepEqual(await store.listVersions(s.arn), [{ ...a, lastAccessedAt: day }, b]);
        await store.touchAccess(s.arn, b.versionId, day + DAY);
        assert.equal((await store.getSecretByArn(s.arn))?.lastAccessedAt, day + DAY);
        assert.equal((await store.getVersion(s.arn, a.versionId))?.lastAccessedAt, day);
        assert.equal((await store.getVersion(s.arn, b.versionId))?.lastAccessedAt, day + DAY);
      });
    });

    describe("leases", () => {
      it("one holder at a time; the holder renews", async () => {
        const lease = `job-${hex()}`;
        assert.equal(await store.tryLease(lease, "a", T0, 1000), true);
        assert.equal(await store.tryLease(lease, "b", T0 + 1, 1000), false);
        assert.equal(await store.tryLease(lease, "a", T0 + 500, 1000), true); // now expires at T0 + 1500
        assert.equal(await store.tryLease(lease, "b", T0 + 1499, 1000), false);
        assert.equal(await store.tryLease(`job-${hex()}`, "b", T0, 1000), true); // other leases are independent
      });

      it("an expired lease goes to whoever asks, from the instant it expires", async () => {
        const lease = `job-${hex()}`;
        assert.equal(await store.tryLease(lease, "a", T0, 1000), true);
        assert.equal(await store.tryLease(lease, "b", T0 + 999, 1000), false);
        assert.equal(await store.tryLease(lease, "b", T0 + 1000, 1000), true);
        assert.equal(await store.tryLease(lease, "a", T0 + 1001, 1000), false);
      });

      it("only the holder releases, and a released lease is free", async () => {
        const lease = `job-${hex()}`;
        assert.equal(await store.tryLease(lease, "a", T0, 60_000), true);
        await store.releaseLease(lease, "b");
        assert.equal(await store.tryLease(lease, "b", T0 + 1, 60_000), false);
        await store.releaseLease(lease, "a");
        assert.equal(await store.tryLease(lease, "b", T0 + 2, 60_000), true);
        await store.releaseLease(`job-${hex()}`, "a"); // never taken: no error
      });
    });

    describe("transactions", () => {
      it("commit makes every write visible and returns the body's value", async () => {
        const s = secretRow();
        const v = versionRow(s.arn);
        const result = await store.transaction(async (tx) => {
          await tx.insertSecret(s);
          await tx.insertVersion(v);
          return "done";
        });
        assert.equal(result, "done");
        assert.deepEqual(await store.getSecretByArn(s.arn), s);
        assert.deepEqual(await store.getVersion(s.arn, v.versionId), v);
      });

      it("a throw rolls back every write and rethrows the same error", async () => {
        const s = secretRow();
        const existing = secretRow();
        await store.insertSecret(existing);
        const key = `setting-${hex()}`;
        const boom = new Error("boom");
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.insertSecret(s);
            await tx.insertVersion(versionRow(s.arn));
            await tx.updateSecret({ ...existing, meta: { changed: true } });
            await tx.putSetting(key, "x");
            assert.equal(await tx.tryLease(key, "a", T0, 1000), true);
            throw boom;
          }),
          (err) => err === boom,
        );
        assert.equal(await store.getSecretByArn(s.arn), undefined);
        assert.deepEqual(await store.listVersions(s.arn), []);
        assert.deepEqual(await store.getSecretByArn(existing.arn), existing);
        assert.equal(await store.getSetting(key), undefined);
        assert.equal(await store.tryLease(key, "b", T0, 1000), true);
      });

      it("writes stay invisible to store-level reads until commit", async () => {
        const s = secretRow();
        const v = versionRow(s.arn);
        const outside: unknown[] = [];
        await store.transaction(async (tx) => {
          await tx.insertSecret(s);
          await tx.insertVersion(v);
          assert.deepEqual(await tx.getSecretByArn(s.arn), s, "a transaction sees its own writes");
          outside.push(
            await store.getSecretByArn(s.arn),
            await store.getSecretByName(s.accountId, s.region, s.name),
            await store.getVersion(s.arn, v.versionId),
            await store.countSecrets(s.accountId, s.region),
          );
        });
        assert.deepEqual(outside, [undefined, undefined, undefined, 0]);
        assert.deepEqual(await store.getSecretByName(s.accountId, s.region, s.name), s);
        assert.deepEqual(await store.getVersion(s.arn, v.versionId), v);
      });

      it("a unique violation can be caught inside a transaction, which then still commits", async () => {
        const s = secretRow();
        await store.insertSecret(s);
        const key = `setting-${hex()}`;
        await store.transaction(async (tx) => {
          await assert.rejects(tx.insertSecret(secretRow({ accountId: s.accountId, name: s.name })), isUnique);
          await tx.putSetting(key, "after");
        });
        assert.equal(await store.getSetting(key), "after");
      });

      it("a transaction handle refuses use once its transaction has ended", async () => {
        let leaked: StoreOps | undefined;
        await store.transaction(async (tx) => {
          leaked = tx;
        });
        await assert.rejects(leaked!.putSetting(`setting-${hex()}`, "x"));
        await assert.rejects(leaked!.getSetting("x"));
      });

      it("50 concurrent read-modify-write transactions on one secret lose no update", async () => {
        const s = secretRow({ meta: { counter: 0 }, stages: { AWSCURRENT: "v0" } });
        await store.insertSecret(s);
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            store.transaction(async (tx) => {
              const row = i % 2 ? await tx.getSecretByArn(s.arn) : await tx.getSecretByName(s.accountId, s.region, s.name);
              assert.ok(row);
              // Give every other transaction the chance to interleave between the read and the write.
              await new Promise((resolve) => setTimeout(resolve, 1));
              const counter = (row.meta["counter"] as number) + 1;
              await tx.updateSecret({ ...row, meta: { counter }, stages: { ...row.stages, [`L${i}`]: `v${i}` } });
            }),
          ),
        );
        const end = await store.getSecretByArn(s.arn);
        assert.equal(end?.meta["counter"], 50);
        assert.equal(Object.keys(end?.stages ?? {}).length, 51);
      });

      it("concurrent creations of one name: exactly one wins, the rest see UniqueViolationError", async () => {
        const accountId = newAccountId();
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, () =>
            store.transaction(async (tx) => {
              const s = secretRow({ accountId, name: "contended" });
              await tx.insertSecret(s);
              await tx.insertVersion(versionRow(s.arn));
              return s.arn;
            }),
          ),
        );
        const won = results.filter((r) => r.status === "fulfilled");
        assert.equal(won.length, 1);
        for (const r of results) if (r.status === "rejected") assert.ok(isUnique(r.reason), String(r.reason));
        const winner = (won[0] as PromiseFulfilledResult<string>).value;
        assert.equal((await store.getSecretByName(accountId, "us-east-1", "contended"))?.arn, winner);
        assert.equal((await store.listVersions(winner)).length, 1);
      });

      it("every operation works through a transaction handle", async () => {
        const account = { accountId: newAccountId(), name: "tx", createdAt: T0 };
        const s = secretRow({ accountId: account.accountId, deletedAt: 1, deletionAt: 2 });
        const v = versionRow(s.arn);
        const key = kmsKeyRow({ accountId: account.accountId, alias: "alias/tx" });
        const accessKey = {
          accessKeyId: `AKIA${hex(8).toUpperCase()}`, accountId: account.accountId, principalArn: "p",
          sealedSecret: allBytes(), status: "Active" as const, createdAt: T0,
        };
        await store.transaction(async (tx) => {
          await tx.insertAccount(account);
          assert.deepEqual(await tx.getAccount(account.accountId), account);
          assert.ok((await tx.listAccounts()).some((a) => a.accountId === account.accountId));
          await tx.insertAccessKey(accessKey);
          assert.deepEqual(await tx.getAccessKey(accessKey.accessKeyId), accessKey);
          await tx.insertKmsKey(key);
          assert.deepEqual(await tx.getKmsKey(key.accountId, key.region, key.keyId), key);
          assert.deepEqual(await tx.getKmsKeyByAlias(key.accountId, key.region, "alias/tx"), key);
          await tx.putSetting(`setting-${account.accountId}`, "1");
          assert.equal(await tx.getSetting(`setting-${account.accountId}`), "1");
          await tx.insertSecret(s);
          assert.deepEqual(await tx.getSecretByName(s.accountId, s.region, s.name), s);
          await tx.updateSecret({ ...s, meta: { m: 1 } });
          assert.deepEqual((await tx.getSecretByArn(s.arn))?.meta, { m: 1 });
          assert.equal(await tx.countSecrets(s.accountId, s.region), 1);
          const listed = await tx.listSecrets({
            accountId: s.accountId, region: s.region, includePlannedDeletion: true, sortBy: "name", descending: false, limit: 10,
          });
          assert.deepEqual(listed.map((r) => r.arn), [s.arn]);
          assert.ok((await tx.listSecretsDueForPurge(2, 1_000_000)).some((r) => r.arn === s.arn));
          await tx.insertVersion(v);
          assert.deepEqual(await tx.getVersion(s.arn, v.versionId), v);
          await tx.updateVersionValue(s.arn, v.versionId, null, "k");
          await tx.touchAccess(s.arn, v.versionId, DAY);
          assert.deepEqual(await tx.listVersions(s.arn), [{ ...v, sealed: null, kmsKeyId: "k", lastAccessedAt: DAY }]);
          await tx.deleteVersion(s.arn, v.versionId);
          assert.deepEqual(await tx.listVersions(s.arn), []);
          assert.equal(await tx.tryLease(`lease-${account.accountId}`, "a", T0, 10), true);
          await tx.releaseLease(`lease-${account.accountId}`, "a");
          await tx.deleteSecret(s.arn);
          assert.equal(await tx.getSecretByArn(s.arn), undefined);
        });
        assert.deepEqual(await store.getAccount(account.accountId), account);
        assert.equal(await store.getSecretByArn(s.arn), undefined);
      });
    });
  });
}
