// The behavioural contract of IdentityOps that every Store backend must pass (run by
// sqlite/identity-ops.test.ts and postgres/identity-ops.test.ts). `makeStore` returns an open,
// migrated store over a fresh database; `dispose` closes it and throws the database away.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { EntityKind, EntityRow, ManagedPolicyRow, SessionRow } from "./identity-ops.js";
import type { Store } from "./store.js";
import { UniqueViolationError } from "./store.js";

const T0 = 1_700_000_000_000;
const ACCOUNT = "111122223333";
const OTHER = "444455556666";

const isUnique = (err: unknown): boolean => err instanceof UniqueViolationError;
let counter = 0;
const uid = (prefix: string) => `${prefix}${String(++counter).padStart(17, "0")}`;

function entity(kind: EntityKind, name: string, over: Partial<EntityRow> = {}): EntityRow {
  const accountId = over.accountId ?? ACCOUNT;
  const path = over.path ?? "/";
  return {
    id: uid(kind === "user" ? "AIDA" : kind === "group" ? "AGPA" : "AROA"),
    accountId,
    kind,
    name,
    path,
    arn: `arn:aws:iam::${accountId}:${kind}${path}${name}`,
    createdAt: T0,
    attrs: { tags: [{ Key: "team", Value: "blue" }] },
    ...over,
  };
}

function policy(name: string, over: Partial<ManagedPolicyRow> = {}): ManagedPolicyRow {
  const accountId = over.accountId ?? ACCOUNT;
  return {
    arn: `arn:aws:iam::${accountId}:policy/${name}`,
    accountId,
    id: uid("ANPA"),
    name,
    path: "/",
    defaultVersionId: "v1",
    nextVersion: 2,
    createdAt: T0,
    updatedAt: T0,
    attrs: {},
    ...over,
  };
}

export function runIdentityContract(name: string, makeStore: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`IdentityOps contract on ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await makeStore();
    });
    after(async () => dispose(store));

    it("finds entities by name without regard to case, by id and by ARN; names are unique per kind and account", async () => {
      const alice = entity("user", "Alice", { path: "/eng/" });
      await store.transaction((tx) => tx.identity.insertEntity(alice));
      assert.deepEqual(await store.identity.getEntity(ACCOUNT, "user", "alice"), alice);
      assert.deepEqual(await store.identity.getEntity(ACCOUNT, "user", "ALICE"), alice);
      assert.deepEqual(await store.identity.getEntityById(alice.id), alice);
      assert.deepEqual(await store.identity.getEntityByArn(alice.arn), alice);
      assert.equal(await store.identity.getEntity(ACCOUNT, "role", "Alice"), undefined);
      assert.equal(await store.identity.getEntity(OTHER, "user", "Alice"), undefined);
      await assert.rejects(store.transaction((tx) => tx.identity.insertEntity(entity("user", "aLiCe"))), isUnique);
      // The same name is free for another kind and another account.
      await store.transaction(async (tx) => {
        await tx.identity.insertEntity(entity("role", "Alice"));
        await tx.identity.insertEntity(entity("user", "Alice", { accountId: OTHER }));
      });
    });

    it("updates and deletes entities", async () => {
      const bob = entity("user", "bob");
      await store.transaction((tx) => tx.identity.insertEntity(bob));
      const moved = { ...bob, name: "robert", path: "/x/", arn: `arn:aws:iam::${ACCOUNT}:user/x/robert`, attrs: { tags: [] } };
      await store.transaction((tx) => tx.identity.updateEntity(moved));
      assert.equal(await store.identity.getEntity(ACCOUNT, "user", "bob"), undefined);
      assert.deepEqual(await store.identity.getEntity(ACCOUNT, "user", "Robert"), moved);
      await store.transaction((tx) => tx.identity.deleteEntity(bob.id));
      assert.equal(await store.identity.getEntityById(bob.id), undefined);
    });

    it("lists entities by name in case-insensitive order, by path prefix, in pages", async () => {
      const account = "222233334444";
      const names = ["delta", "Alpha", "charlie", "Bravo", "echo"];
      await store.transaction(async (tx) => {
        for (const [i, n] of names.entries()) {
          await tx.identity.insertEntity(entity("group", n, { accountId: account, path: i % 2 === 0 ? "/a/" : "/b/" }));
        }
      });
      const all = await store.identity.listEntities(account, "group", { limit: 100 });
      assert.deepEqual(all.map((e) => e.name), ["Alpha", "Bravo", "charlie", "delta", "echo"]);
      const page1 = await store.identity.listEntities(account, "group", { limit: 2 });
      assert.deepEqual(page1.map((e) => e.name), ["Alpha", "Bravo"]);
      const page2 = await store.identity.listEntities(account, "group", { limit: 2, afterName: "Bravo" });
      assert.deepEqual(page2.map((e) => e.name), ["charlie", "delta"]);
      const underA = await store.identity.listEntities(account, "group", { limit: 100, pathPrefix: "/a/" });
      assert.deepEqual(underA.map((e) => e.name), ["charlie", "delta", "echo"]);
      assert.deepEqual(await store.identity.listEntities(account, "user", { limit: 100 }), []);
    });

    it("keeps group memberships in both directions and drops them with either side", async () => {
      const g = entity("group", "devs");
      const u1 = entity("user", "u-one");
      const u2 = entity("user", "u-two");
      await store.transaction(async (tx) => {
        for (const e of [g, u1, u2]) await tx.identity.insertEntity(e);
        assert.equal(await tx.identity.addGroupMember(g.id, u2.id), true);
        assert.equal(await tx.identity.addGroupMember(g.id, u1.id), true);
        assert.equal(await tx.identity.addGroupMember(g.id, u1.id), false);
      });
      assert.deepEqual((await store.identity.listGroupMembers(g.id)).map((e) => e.name), ["u-one", "u-two"]);
      assert.deepEqual((await store.identity.listGroupsOfUser(u1.id)).map((e) => e.name), ["devs"]);
      assert.equal(await store.transaction((tx) => tx.identity.removeGroupMember(g.id, u2.id)), true);
      assert.equal(await store.transaction((tx) => tx.identity.removeGroupMember(g.id, u2.id)), false);
      await store.transaction((tx) => tx.identity.deleteEntity(u1.id));
      assert.deepEqual(await store.identity.listGroupMembers(g.id), []);
    });

    it("stores inline policies per owner, replacing on put", async () => {
      const r = entity("role", "app");
      await store.transaction((tx) => tx.identity.insertEntity(r));
      await store.transaction(async (tx) => {
        await tx.identity.putInlinePolicy({ ownerId: r.id, policyName: "b", document: '{"v":1}' });
        await tx.identity.putInlinePolicy({ ownerId: r.id, policyName: "a", document: '{"v":2}' });
        await tx.identity.putInlinePolicy({ ownerId: r.id, policyName: "b", document: '{"v":3}' });
      });
      assert.deepEqual(await store.identity.listInlinePolicies(r.id), [
        { ownerId: r.id, policyName: "a", document: '{"v":2}' },
        { ownerId: r.id, policyName: "b", document: '{"v":3}' },
      ]);
      assert.deepEqual(await store.identity.getInlinePolicy(r.id, "b"), { ownerId: r.id, policyName: "b", document: '{"v":3}' });
      assert.equal(await store.identity.getInlinePolicy(r.id, "B"), undefined);
      assert.equal(await store.transaction((tx) => tx.identity.deleteInlinePolicy(r.id, "a")), true);
      assert.equal(await store.transaction((tx) => tx.identity.deleteInlinePolicy(r.id, "a")), false);
      await store.transaction((tx) => tx.identity.deleteEntity(r.id));
      assert.deepEqual(await store.identity.listInlinePolicies(r.id), []);
    });

    it("stores managed policies with versions; names are unique per account without regard to case", async () => {
      const p = policy("ReadDb", { path: "/team/", arn: `arn:aws:iam::${ACCOUNT}:policy/team/ReadDb` });
      await store.transaction(async (tx) => {
        await tx.identity.insertManagedPolicy(p);
        await tx.identity.insertPolicyVersion({ policyArn: p.arn, versionId: "v1", document: "{1}", createdAt: T0 });
        await tx.identity.insertPolicyVersion({ policyArn: p.arn, versionId: "v2", document: "{2}", createdAt: T0 + 1 });
      });
      await assert.rejects(store.transaction((tx) => tx.identity.insertManagedPolicy(policy("readdb"))), isUnique);
      await assert.rejects(
        store.transaction((tx) => tx.identity.insertPolicyVersion({ policyArn: p.arn, versionId: "v2", document: "x", createdAt: T0 })),
        isUnique,
      );
      assert.deepEqual(await store.identity.getManagedPolicy(p.arn), p);
      const updated = { ...p, defaultVersionId: "v2", nextVersion: 3, updatedAt: T0 + 5, attrs: { description: "d" } };
      await store.transaction((tx) => tx.identity.updateManagedPolicy(updated));
      assert.deepEqual(await store.identity.getManagedPolicy(p.arn), updated);
      assert.deepEqual((await store.identity.listPolicyVersions(p.arn)).map((v) => v.versionId), ["v1", "v2"]);
      assert.equal((await store.identity.getPolicyVersion(p.arn, "v2"))?.document, "{2}");
      await store.transaction((tx) => tx.identity.deletePolicyVersion(p.arn, "v1"));
      assert.deepEqual((await store.identity.listPolicyVersions(p.arn)).map((v) => v.versionId), ["v2"]);
      const listed = await store.identity.listManagedPolicies(ACCOUNT, { limit: 100, pathPrefix: "/team/" });
      assert.deepEqual(listed.map((x) => x.name), ["ReadDb"]);
      await store.transaction((tx) => tx.identity.deleteManagedPolicy(p.arn));
      assert.equal(await store.identity.getManagedPolicy(p.arn), undefined);
      assert.deepEqual(await store.identity.listPolicyVersions(p.arn), []);
    });

    it("attaches policies to entities and lists both directions", async () => {
      const u = entity("user", "att-user");
      const g = entity("group", "att-group");
      const aws = "arn:aws:iam::aws:policy/ReadOnlyAccess";
      const mine = `arn:aws:iam::${ACCOUNT}:policy/Mine`;
      await store.transaction(async (tx) => {
        await tx.identity.insertEntity(u);
        await tx.identity.insertEntity(g);
        assert.equal(await tx.identity.attachPolicy(u.id, mine), true);
        assert.equal(await tx.identity.attachPolicy(u.id, aws), true);
        assert.equal(await tx.identity.attachPolicy(u.id, aws), false);
        assert.equal(await tx.identity.attachPolicy(g.id, mine), true);
      });
      assert.deepEqual(await store.identity.listAttachedPolicies(u.id), [mine, aws]); // ARN order, bytewise
      assert.deepEqual((await store.identity.listPolicyAttachments(mine)).map((e) => e.id).sort(), [u.id, g.id].sort());
      assert.equal(await store.transaction((tx) => tx.identity.detachPolicy(u.id, mine)), true);
      assert.equal(await store.transaction((tx) => tx.identity.detachPolicy(u.id, mine)), false);
      await store.transaction((tx) => tx.identity.deleteEntity(g.id));
      assert.deepEqual(await store.identity.listPolicyAttachments(mine), []);
    });

    it("lists, deactivates, renames and deletes the access keys of a principal", async () => {
      const arn = `arn:aws:iam::${ACCOUNT}:user/keyholder`;
      const key = (id: string, at: number) => ({
        accessKeyId: id,
        accountId: ACCOUNT,
        principalArn: arn,
        sealedSecret: randomBytes(40),
        status: "Active" as const,
        createdAt: at,
      });
      await store.transaction(async (tx) => {
        await tx.insertAccessKey(key("AKIAKEYHOLDER0000002", T0 + 1));
        await tx.insertAccessKey(key("AKIAKEYHOLDER0000001", T0));
      });
      assert.deepEqual((await store.identity.listAccessKeysOf(arn)).map((k) => k.accessKeyId), ["AKIAKEYHOLDER0000001", "AKIAKEYHOLDER0000002"]);
      await store.transaction((tx) => tx.identity.setAccessKeyStatus("AKIAKEYHOLDER0000001", "Inactive"));
      assert.equal((await store.getAccessKey("AKIAKEYHOLDER0000001"))?.status, "Inactive");
      const renamed = `arn:aws:iam::${ACCOUNT}:user/new/keyholder2`;
      await store.transaction((tx) => tx.identity.renameAccessKeyPrincipal(arn, renamed));
      assert.deepEqual(await store.identity.listAccessKeysOf(arn), []);
      assert.equal((await store.identity.listAccessKeysOf(renamed)).length, 2);
      await store.transaction((tx) => tx.identity.deleteAccessKey("AKIAKEYHOLDER0000002"));
      assert.equal(await store.getAccessKey("AKIAKEYHOLDER0000002"), undefined);
    });

    it("stores STS sessions, moves their expiry and purges expired ones", async () => {
      const session = (id: string, expiresAt: number): SessionRow => ({
        accessKeyId: id,
        accountId: ACCOUNT,
        tokenHash: randomBytes(32).toString("hex"),
        sealedSecret: randomBytes(60),
        roleArn: `arn:aws:iam::${ACCOUNT}:role/app`,
        roleId: "AROA00000000000000001",
        sessionName: "s1",
        issuedAt: T0,
        expiresAt,
        attrs: { tags: { team: "blue" } },
      });
      const live = session("ASIALIVE000000000001", T0 + 3_600_000);
      await store.transaction(async (tx) => {
        await tx.identity.insertSession(live);
        await tx.identity.insertSession(session("ASIAOLD0000000000001", T0 - 1));
      });
      await assert.rejects(store.transaction((tx) => tx.identity.insertSession(live)), isUnique);
      assert.deepEqual(await store.identity.getSession(live.accessKeyId), live);
      assert.equal(await store.transaction((tx) => tx.identity.deleteSessionsExpiredBefore(T0)), 1);
      assert.equal(await store.identity.getSession("ASIAOLD0000000000001"), undefined);
      await store.transaction((tx) => tx.identity.setSessionExpiry(live.accessKeyId, T0 + 5));
      assert.equal((await store.identity.getSession(live.accessKeyId))?.expiresAt, T0 + 5);
    });

    it("raises the generation counter, and a rolled-back raise leaves it unchanged", async () => {
      const before = await store.identity.getGeneration();
      await store.transaction((tx) => tx.identity.bumpGeneration());
      await store.transaction((tx) => tx.identity.bumpGeneration());
      assert.equal(await store.identity.getGeneration(), before + 2);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.identity.bumpGeneration();
          throw new Error("roll back");
        }),
        /roll back/,
      );
      assert.equal(await store.identity.getGeneration(), before + 2);
    });
  });
}
