// The Secrets Manager API through the real AWS SDK for JavaScript, on every store.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  ListSecretsCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  RotateSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
  ValidateResourcePolicyCommand,
  paginateListSecrets,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { randomUUID } from "node:crypto";
import { startServer, storeKinds, type TestServer } from "./harness.js";
import { sql } from "./store-sql.js";

/** Runs `fn`, expecting an AWS error with this name and (when given) this exact message. */
async function rejects(fn: () => Promise<unknown>, name: string, message?: string | RegExp): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (typeof message === "string") assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

for (const store of storeKinds()) {
  describe(`Secrets Manager API on ${store}`, () => {
    let server: TestServer;
    let sm: SecretsManagerClient;

    before(async () => {
      server = await startServer({ store });
      sm = server.client();
    });
    after(async () => {
      sm?.destroy();
      await server?.dispose();
    });

    test("create, read and parse a JSON database secret", async () => {
      const name = unique("prod/db");
      const created = await sm.send(
        new CreateSecretCommand({ Name: name, SecretString: JSON.stringify({ username: "app", password: "pa55word" }) }),
      );
      assert.match(created.ARN as string, new RegExp(`^arn:aws:secretsmanager:us-east-1:${server.accountId}:secret:${name}-[A-Za-z0-9]{6}$`));
      assert.equal(created.Name, name);
      assert.ok(created.VersionId);
      const got = await sm.send(new GetSecretValueCommand({ SecretId: name }));
      const parsed = JSON.parse(got.SecretString as string) as { username: string; password: string };
      assert.deepEqual(parsed, { username: "app", password: "pa55word" });
      assert.equal(got.ARN, created.ARN);
      assert.equal(got.VersionId, created.VersionId);
      assert.deepEqual(got.VersionStages, ["AWSCURRENT"]);
      assert.ok(got.CreatedDate instanceof Date);
      assert.equal(got.SecretBinary, undefined);
    });

    test("binary secrets round-trip byte for byte", async () => {
      const name = unique("bin");
      const bytes = new Uint8Array([0, 1, 2, 250, 255, 0x66, 0x6f]);
      await sm.send(new CreateSecretCommand({ Name: name, SecretBinary: bytes }));
      const got = await sm.send(new GetSecretValueCommand({ SecretId: name }));
      assert.deepEqual(Buffer.from(got.SecretBinary as Uint8Array), Buffer.from(bytes));
      assert.equal(got.SecretString, undefined);
    });

    test("lookup by name, full ARN and partial ARN", async () => {
      const name = unique("lookup/svc");
      const { ARN } = await sm.send(new CreateSecretCommand({ Name: name, SecretString: "v" }));
      const arn = ARN as string;
      for (const id of [name, arn, arn.slice(0, -7)]) {
        const got = await sm.send(new GetSecretValueCommand({ SecretId: id }));
        assert.equal(got.SecretString, "v", id);
      }
      // A full ARN with a wrong suffix is not looked up by name.
      await rejects(() => sm.send(new GetSecretValueCommand({ SecretId: `${arn.slice(0, -6)}ZZZZZZ` })), "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret.");
    });

    test("names ending like a suffix still resolve by partial ARN unless they look full", async () => {
      const okName = unique("Valid/_+=.@-Name") + "-a1b2";
      const { ARN } = await sm.send(new CreateSecretCommand({ Name: okName, SecretString: "x" }));
      const partial = (ARN as string).slice(0, -7);
      assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: partial }))).Name, okName);
      const badName = unique("Invalid") + "-a1b2c3";
      const made = await sm.send(new CreateSecretCommand({ Name: badName, SecretString: "x" }));
      await rejects(() => sm.send(new DescribeSecretCommand({ SecretId: (made.ARN as string).slice(0, -7) })), "ResourceNotFoundException");
    });

    test("missing secrets, labels and versions give AWS's messages", async () => {
      await rejects(() => sm.send(new GetSecretValueCommand({ SecretId: unique("nope") })), "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret.");
      const name = unique("labels");
      const { VersionId } = await sm.send(new CreateSecretCommand({ Name: name, SecretString: "one" }));
      await rejects(() => sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: "AWSPREVIOUS" })), "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS");
      const missing = randomUUID();
      await rejects(() => sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: missing })), "ResourceNotFoundException",
        `Secrets Manager can't find the specified secret value for VersionId: ${missing}`);
      await rejects(() => sm.send(new GetSecretValueCommand({ SecretId: name, VersionId, VersionStage: "AWSPENDING" })), "InvalidRequestException",
        "You provided a VersionStage that is not associated to the provided VersionId.");
      const empty = unique("novalue");
      const created = await sm.send(new CreateSecretCommand({ Name: empty }));
      assert.equal(created.VersionId, undefined);
      await rejects(() => sm.send(new GetSecretValueCommand({ SecretId: empty })), "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
    });

    test("bad names are refused with the exact validation text", async () => {
      for (const bad of ["has space", "star*", "q?", "bang!", "brace]"]) {
        await rejects(() => sm.send(new CreateSecretCommand({ Name: bad, SecretString: "x" })), "ValidationException",
          "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
        await rejects(() => sm.send(new GetSecretValueCommand({ SecretId: bad })), "ValidationException");
      }
    });

    test("model constraints give ValidationException in AWS's format", async () => {
      await rejects(() => sm.send(new CreateSecretCommand({ Name: "x".repeat(513) })), "ValidationException",
        /^1 validation error detected: Value '.*' at 'name' failed to satisfy constraint: Member must have length less than or equal to 512$/);
      await rejects(() => sm.send(new GetRandomPasswordCommand({ PasswordLength: 4097 })), "ValidationException",
        /at 'passwordLength' failed to satisfy constraint: Member must have value less than or equal to 4096/);
      await rejects(() => sm.send(new ListSecretsCommand({ MaxResults: 101 })), "ValidationException",
        /at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100/);
    });

    test("both values at once are refused", async () => {
      await rejects(
        () => sm.send(new CreateSecretCommand({ Name: unique("both"), SecretString: "a", SecretBinary: new Uint8Array([1]) })),
        "InvalidParameterException",
        "You can't specify both a binary secret value and a string secret value in the same secret.",
      );
    });

    test("a value over 65,536 bytes is refused, one at the limit is kept", async () => {
      const name = unique("big");
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: "a".repeat(65_536) }));
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString?.length, 65_536);
      await rejects(() => sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "é".repeat(40_000) })), "ValidationException");
      await rejects(() => sm.send(new PutSecretValueCommand({ SecretId: name, SecretBinary: new Uint8Array(65_537) })), "ValidationException");
    });

    test("duplicate names, and idempotent retries by ClientRequestToken", async () => {
      const name = unique("idem");
      const token = randomUUID();
      const first = await sm.send(new CreateSecretCommand({ Name: name, SecretString: "same", ClientRequestToken: token }));
      const again = await sm.send(new CreateSecretCommand({ Name: name, SecretString: "same", ClientRequestToken: token }));
      assert.deepEqual([again.ARN, again.Name, again.VersionId], [first.ARN, first.Name, first.VersionId]);
      await rejects(() => sm.send(new CreateSecretCommand({ Name: name, SecretString: "other", ClientRequestToken: token })),
        "ResourceExistsException",
        `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${first.ARN}.`);
      await rejects(() => sm.send(new CreateSecretCommand({ Name: name, SecretString: "x" })), "ResourceExistsException",
        `The operation failed because the secret ${name} already exists.`);
      const putToken = randomUUID();
      const put1 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v2", ClientRequestToken: putToken }));
      const put2 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v2", ClientRequestToken: putToken }));
      assert.equal(put1.VersionId, putToken);
      assert.deepEqual(put2.VersionStages, ["AWSCURRENT"]);
      await rejects(() => sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v3", ClientRequestToken: putToken })),
        "ResourceExistsException");
      const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name }));
      assert.equal(versions.Versions?.length, 2);
    });

    test("staging labels follow AWS's observed sequences", async () => {
      const name = unique("stages");
      const v1 = (await sm.send(new CreateSecretCommand({ Name: name, SecretString: "1" }))).VersionId as string;
      const v2 = (await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "2" }))).VersionId as string;
      let d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
      assert.deepEqual(d.VersionIdsToStages, { [v1]: ["AWSPREVIOUS"], [v2]: ["AWSCURRENT"] });
      const v3 = (await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "3" }))).VersionId as string;
      d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
      assert.deepEqual(d.VersionIdsToStages, { [v2]: ["AWSPREVIOUS"], [v3]: ["AWSCURRENT"] });
      const listed = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }));
      const deprecated = listed.Versions?.find((v) => v.VersionId === v1);
      assert.ok(deprecated);
      assert.equal(deprecated.VersionStages, undefined);
      assert.deepEqual(deprecated.KmsKeyIds, ["DefaultEncryptionKey"]);
      assert.equal((await sm.send(new ListSecretVersionIdsCommand({ SecretId: name }))).Versions?.length, 2);
      // Deprecated versions stay readable by id.
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: v1 }))).SecretString, "1");
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: "AWSPREVIOUS" }))).SecretString, "2");

      // Pending version, then promote it.
      const p = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "4", VersionStages: ["AWSPENDING"] }));
      assert.deepEqual(p.VersionStages, ["AWSPENDING"]);
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, "3");
      await rejects(
        () => sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "AWSCURRENT", MoveToVersionId: p.VersionId })),
        "InvalidParameterException",
        `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${v3}, so you must explicitly reference that version in RemoveFromVersionId.`,
      );
      await sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "AWSCURRENT", MoveToVersionId: p.VersionId, RemoveFromVersionId: v3 }));
      d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
      assert.deepEqual(d.VersionIdsToStages, { [v3]: ["AWSPREVIOUS"], [p.VersionId as string]: ["AWSCURRENT", "AWSPENDING"] });
      // After a rotation-style finish, a plain put drops AWSPENDING (rule M special case).
      const v5 = (await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "5" }))).VersionId as string;
      d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
      assert.deepEqual(d.VersionIdsToStages, { [p.VersionId as string]: ["AWSPREVIOUS"], [v5]: ["AWSCURRENT"] });
      // Custom labels are sorted and move with the call.
      const c = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "6", VersionStages: ["one", "two", "three"] }));
      assert.deepEqual(c.VersionStages, ["one", "three", "two"]);
      await sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "two", RemoveFromVersionId: c.VersionId }));
      assert.deepEqual((await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: "one" }))).VersionStages, ["one", "three"]);
    });

    test("a secret keeps 100 versions: unlabelled ones go oldest first once a day old, and never sooner", async () => {
      const name = unique("versions");
      const made = await sm.send(new CreateSecretCommand({ Name: name, SecretString: "v0" }));
      const arn = made.ARN as string;
      // An old version with a label of its own is kept however old it gets.
      const kept = (await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "kept", VersionStages: ["keep"] })))
        .VersionId as string;
      const order = [made.VersionId as string, kept];
      for (let i = 1; i <= 98; i++) {
        order.push((await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: `v${i}` }))).VersionId as string);
      }
      const versionIds = async () => {
        const ids: string[] = [];
        let token: string | undefined;
        do {
          const page = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true, MaxResults: 30, NextToken: token }));
          ids.push(...(page.Versions ?? []).map((v) => v.VersionId as string));
          token = page.NextToken;
        } while (token);
        return ids;
      };
      assert.equal((await versionIds()).length, 100);
      // All 100 are younger than a day: a 101st is refused and changes nothing.
      await rejects(() => sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "one too many" })), "LimitExceededException");
      assert.equal((await versionIds()).length, 100);
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, "v98");
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: order[0] }))).SecretString, "v0");

      // A day passes for the 90 oldest (a second apart, in the order they were made).
      const dayAgo = Date.now() - 25 * 3600_000;
      await sql(
        server,
        store,
        order.slice(0, 90).map((versionId, i): [string, unknown[]] => [
          "UPDATE versions SET created_at = ? WHERE secret_arn = ? AND version_id = ?",
          [dayAgo - (90 - i) * 1000, arn, versionId],
        ]),
      );
      const puts: string[] = [];
      for (let i = 0; i < 5; i++) {
        puts.push((await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: `late${i}` }))).VersionId as string);
      }
      const ids = await versionIds();
      assert.equal(ids.length, 100);
      // The five oldest without a label are gone: the first and the four after "kept".
      const gone = [order[0], ...order.slice(2, 6)];
      for (const id of gone) assert.ok(!ids.includes(id as string), `${id} was dropped`);
      for (const stays of [kept, ...order.slice(6), ...puts]) assert.ok(ids.includes(stays as string));
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: "keep" }))).SecretString, "kept");
      await rejects(() => sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: order[0] })), "ResourceNotFoundException");
    });

    test("UpdateSecret changes the description without a version, and the value with one", async () => {
      const name = unique("upd");
      const created = await sm.send(new CreateSecretCommand({ Name: name, SecretString: "a", Description: "first" }));
      const before = await sm.send(new DescribeSecretCommand({ SecretId: name }));
      const onlyDesc = await sm.send(new UpdateSecretCommand({ SecretId: name, Description: "second" }));
      assert.equal(onlyDesc.VersionId, undefined);
      const withValue = await sm.send(new UpdateSecretCommand({ SecretId: name, SecretString: "b" }));
      assert.ok(withValue.VersionId);
      const after = await sm.send(new DescribeSecretCommand({ SecretId: name }));
      assert.equal(after.Description, "second");
      assert.ok((after.LastChangedDate as Date) > (before.LastChangedDate as Date));
      assert.deepEqual(after.VersionIdsToStages, { [created.VersionId as string]: ["AWSPREVIOUS"], [withValue.VersionId as string]: ["AWSCURRENT"] });
      await sm.send(new UpdateSecretCommand({ SecretId: name, Description: "" }));
      assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: name }))).Description, undefined);
    });

    test("DescribeSecret presence rules and LastAccessedDate at UTC midnight", async () => {
      const name = unique("desc");
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: "x" }));
      let d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
      for (const absent of ["Description", "KmsKeyId", "RotationEnabled", "LastAccessedDate", "Tags", "DeletedDate"] as const) {
        assert.equal(d[absent], undefined, absent);
      }
      assert.ok(d.CreatedDate && d.LastChangedDate);
      await sm.send(new GetSecretValueCommand({ SecretId: name }));
      d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
      const accessed = d.LastAccessedDate as Date;
      const now = new Date();
      assert.equal(accessed.getTime(), Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    });

    test("tags: upsert, order, removal leaves an empty list, aws: keys refused", async () => {
      const name = unique("tags");
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: "x", Tags: [{ Key: "b", Value: "1" }, { Key: "a", Value: "2" }] }));
      await sm.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: "a", Value: "3" }, { Key: "c", Value: "4" }] }));
      let d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
      assert.deepEqual(d.Tags, [{ Key: "b", Value: "1" }, { Key: "a", Value: "3" }, { Key: "c", Value: "4" }]);
      await sm.send(new UntagResourceCommand({ SecretId: name, TagKeys: ["a", "b", "c", "missing"] }));
      d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
      assert.deepEqual(d.Tags, []);
      await rejects(
        () => sm.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: "aws:x", Value: "1" }] })),
        "InvalidParameterException",
        "You can't modify system tags. Tag key: 'aws:x'.",
      );
      await rejects(
        () => sm.send(new UntagResourceCommand({ SecretId: name, TagKeys: ["aws:cloudformation:stack-name"] })),
        "InvalidParameterException",
        "You can't modify system tags. Tag key: 'aws:cloudformation:stack-name'.",
      );
      const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
      await rejects(() => sm.send(new TagResourceCommand({ SecretId: name, Tags: many })), "InvalidParameterException");
    });

    test("deletion: recovery window, restore, force, and what a scheduled secret allows", async () => {
      const name = unique("del");
      const { ARN } = await sm.send(new CreateSecretCommand({ Name: name, SecretString: "x" }));
      await rejects(() => sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 6 })), "InvalidParameterException",
        "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
      await rejects(() => sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 0, ForceDeleteWithoutRecovery: true })),
        "InvalidParameterException", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
      await rejects(() => sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })),
        "InvalidParameterException");
      const started = Date.now();
      const del = await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
      assert.equal(del.ARN, ARN);
      const days = ((del.DeletionDate as Date).getTime() - started) / 86_400_000;
      assert.ok(Math.abs(days - 7) < 0.01, `deletion in ${days} days`);
      const marked = "You can't perform this operation on the secret because it was marked for deletion.";
      await rejects(() => sm.send(new GetSecretValueCommand({ SecretId: name })), "InvalidRequestException", marked);
      await rejects(() => sm.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: "k", Value: "v" }] })), "InvalidRequestException", marked);
      await rejects(() => sm.send(new GetResourcePolicyCommand({ SecretId: name })), "InvalidRequestException", marked);
      await rejects(() => sm.send(new CreateSecretCommand({ Name: name, SecretString: "y" })), "InvalidRequestException",
        "You can't create this secret because a secret with this name is already scheduled for deletion.");
      assert.ok((await sm.send(new DescribeSecretCommand({ SecretId: name }))).DeletedDate);
      const listed = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: [name] }] }));
      assert.equal(listed.SecretList?.length, 0);
      const withPlanned = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: [name] }], IncludePlannedDeletion: true }));
      assert.equal(withPlanned.SecretList?.length, 1);
      assert.deepEqual(await sm.send(new RestoreSecretCommand({ SecretId: name })).then((r) => [r.ARN, r.Name]), [ARN, name]);
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, "x");
      await sm.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
      await rejects(() => sm.send(new DescribeSecretCommand({ SecretId: name })), "ResourceNotFoundException");
      // The name is free again, and the new secret gets a new ARN.
      const again = await sm.send(new CreateSecretCommand({ Name: name, SecretString: "z" }));
      assert.notEqual(again.ARN, ARN);
      // Force-deleting something that never existed succeeds and echoes the id.
      const ghost = unique("ghost");
      const gone = await sm.send(new DeleteSecretCommand({ SecretId: ghost, ForceDeleteWithoutRecovery: true }));
      assert.equal(gone.Name, ghost);
      assert.ok(gone.DeletionDate);
      await rejects(() => sm.send(new DeleteSecretCommand({ SecretId: ghost })), "ResourceNotFoundException");
    });

    test("ListSecrets: filters, sort orders and pagination", async () => {
      const tag = unique("list");
      const names: string[] = [];
      for (let i = 0; i < 7; i++) {
        const name = `${tag}/item${i}`;
        names.push(name);
        await sm.send(new CreateSecretCommand({
          Name: name, SecretString: "x", Description: i % 2 ? "odd one" : "even one", Tags: [{ Key: "group", Value: tag }],
        }));
      }
      const seen: string[] = [];
      for await (const page of paginateListSecrets({ client: sm, pageSize: 3 }, { Filters: [{ Key: "tag-value", Values: [tag] }] })) {
        assert.ok((page.SecretList?.length ?? 0) <= 3);
        for (const s of page.SecretList ?? []) seen.push(s.Name as string);
      }
      assert.deepEqual(seen, names);
      const odd = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: [tag] }, { Key: "description", Values: ["odd"] }] }));
      assert.deepEqual(odd.SecretList?.map((s) => s.Name), names.filter((_, i) => i % 2));
      const notOdd = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: [tag] }, { Key: "description", Values: ["!odd"] }] }));
      assert.deepEqual(notOdd.SecretList?.map((s) => s.Name), names.filter((_, i) => i % 2 === 0));
      const byNameDesc = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: [tag] }], SortBy: "name", SortOrder: "desc" }));
      assert.deepEqual(byNameDesc.SecretList?.map((s) => s.Name), [...names].sort().reverse());
      const entry = byNameDesc.SecretList?.[0];
      assert.ok(entry?.SecretVersionsToStages);
      assert.deepEqual(entry.Tags, [{ Key: "group", Value: tag }]);
      await rejects(() => sm.send(new ListSecretsCommand({ NextToken: "not-a-token" })), "InvalidNextTokenException");
      await rejects(() => sm.send(new ListSecretsCommand({ Filters: [{ Key: "bogus" as never, Values: ["x"] }] })), "ValidationException");
    });

    test("BatchGetSecretValue by ids and by filters, with per-secret errors", async () => {
      const tag = unique("batch");
      const a = await sm.send(new CreateSecretCommand({ Name: `${tag}/a`, SecretString: "A", Tags: [{ Key: "batch", Value: tag }] }));
      await sm.send(new CreateSecretCommand({ Name: `${tag}/b`, SecretString: "B", Tags: [{ Key: "batch", Value: tag }] }));
      const missing = `${tag}/missing`;
      const byIds = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: [`${tag}/b`, a.ARN as string, missing] }));
      assert.deepEqual(byIds.SecretValues?.map((v) => v.SecretString), ["B", "A"]);
      assert.deepEqual(byIds.Errors, [{ SecretId: missing, ErrorCode: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." }]);
      const byFilter = await sm.send(new BatchGetSecretValueCommand({ Filters: [{ Key: "tag-value", Values: [tag] }], MaxResults: 1 }));
      assert.equal(byFilter.SecretValues?.length, 1);
      assert.ok(byFilter.NextToken);
      const next = await sm.send(new BatchGetSecretValueCommand({ Filters: [{ Key: "tag-value", Values: [tag] }], MaxResults: 1, NextToken: byFilter.NextToken }));
      assert.equal(next.SecretValues?.[0]?.SecretString, "B");
      await rejects(() => sm.send(new BatchGetSecretValueCommand({})), "InvalidParameterException");
      await rejects(() => sm.send(new BatchGetSecretValueCommand({ SecretIdList: ["x"], MaxResults: 2 })), "InvalidParameterException");
    });

    test("GetRandomPassword honours every option", async () => {
      const plain = await sm.send(new GetRandomPasswordCommand({}));
      assert.equal(plain.RandomPassword?.length, 32);
      const p = (await sm.send(new GetRandomPasswordCommand({ PasswordLength: 120, ExcludeCharacters: "xyzDje@?!." }))).RandomPassword as string;
      assert.equal(p.length, 120);
      assert.doesNotMatch(p, /[xyzDje@?!.]/);
      const digits = (await sm.send(new GetRandomPasswordCommand({ ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true }))).RandomPassword;
      assert.match(digits as string, /^[0-9]{32}$/);
      await rejects(() => sm.send(new GetRandomPasswordCommand({ ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true, ExcludeNumbers: true })),
        "InvalidParameterException");
    });

    test("resource policies: put, get, delete, validate, block public", async () => {
      const name = unique("policy");
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: "x" }));
      const noPolicy = await sm.send(new GetResourcePolicyCommand({ SecretId: name }));
      assert.equal(noPolicy.ResourcePolicy, undefined);
      const policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${server.accountId}:root` }, Action: "secretsmanager:GetSecretValue", Resource: "*" }],
      });
      await sm.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: policy, BlockPublicPolicy: true }));
      assert.equal((await sm.send(new GetResourcePolicyCommand({ SecretId: name }))).ResourcePolicy, policy);
      const open = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "secretsmanager:GetSecretValue", Resource: "*" }] });
      await rejects(() => sm.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: open, BlockPublicPolicy: true })), "PublicPolicyException");
      await sm.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: open })); // accepted without the block
      const validated = await sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy: open }));
      assert.equal(validated.PolicyValidationPassed, false);
      assert.ok((validated.ValidationErrors?.length ?? 0) > 0);
      assert.equal((await sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy: policy }))).PolicyValidationPassed, true);
      await rejects(() => sm.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: "{not json" })), "MalformedPolicyDocumentException");
      await sm.send(new DeleteResourcePolicyCommand({ SecretId: name }));
      assert.equal((await sm.send(new GetResourcePolicyCommand({ SecretId: name }))).ResourcePolicy, undefined);
    });

    test("operations of later features answer a clear client error", async () => {
      const name = unique("rot");
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: "x" }));
      await rejects(() => sm.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:f" })),
        "InvalidRequestException", /not supported/);
    });

    test("secrets of another account are not reachable", async () => {
      const other = "arn:aws:secretsmanager:us-east-1:999999999999:secret:theirs-AbCdEf";
      await rejects(() => sm.send(new GetSecretValueCommand({ SecretId: other })), "AccessDeniedException",
        /^User: arn:aws:iam::\d{12}:root is not authorized to perform: secretsmanager:GetSecretValue on resource: /);
    });

    test("unknown keys and wrong secrets are refused", async () => {
      const stranger = server.client({ accessKeyId: "AKIAUNKNOWNKEY000000" });
      await rejects(() => stranger.send(new ListSecretsCommand({})), "UnrecognizedClientException",
        "The security token included in the request is invalid.");
      stranger.destroy();
      const wrong = server.client({ secretAccessKey: "wrong-secret-wrong-secret-wrong-secret00" });
      await rejects(() => wrong.send(new ListSecretsCommand({})), "InvalidSignatureException",
        /^The request signature we calculated does not match the signature you provided/);
      wrong.destroy();
    });
  });
}
