// The KMS API through the real AWS SDK for JavaScript v3, on every store: every operation Coffer
// offers, its errors in AWS's words, key states, rotation, key policies, the AWS-managed key, and
// the purge of keys whose waiting period ended.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeyPoliciesCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
  type KMSClient,
} from "@aws-sdk/client-kms";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { openStore } from "../src/store/open-store.js";
import { ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, startServer, storeKinds, type TestServer } from "./harness.js";
import { storedRecords } from "./audit-support.js";
import { kmsClient, rejects, sleep } from "./kms-support.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array | undefined) => Buffer.from(data ?? []).toString("utf8");
const alias = (prefix: string) => `alias/${prefix}-${randomUUID().slice(0, 8)}`;

for (const store of storeKinds()) {
  describe(`KMS API on ${store}`, () => {
    let server: TestServer;
    let kms: KMSClient;
    let account: string;

    const newKey = async (description = "test key") => {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: description }));
      return KeyMetadata as { KeyId: string; Arn: string };
    };

    before(async () => {
      server = await startServer({ store, args: ["--purge-interval", "1"] });
      kms = kmsClient(server);
      account = server.accountId;
    });
    after(async () => {
      kms?.destroy();
      await server?.dispose();
    });

    test("CreateKey answers AWS's KeyMetadata, and DescribeKey finds the key by id, ARN, alias and alias ARN", async () => {
      const { KeyMetadata: m } = await kms.send(new CreateKeyCommand({ Description: "orders", Tags: [{ TagKey: "team", TagValue: "core" }] }));
      assert.ok(m);
      assert.match(m.KeyId as string, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.equal(m.Arn, `arn:aws:kms:${REGION}:${account}:key/${m.KeyId}`);
      assert.equal(m.AWSAccountId, account);
      assert.equal(m.Description, "orders");
      assert.equal(m.Enabled, true);
      assert.equal(m.KeyState, "Enabled");
      assert.equal(m.KeyUsage, "ENCRYPT_DECRYPT");
      assert.equal(m.KeySpec, "SYMMETRIC_DEFAULT");
      assert.equal(m.CustomerMasterKeySpec, "SYMMETRIC_DEFAULT");
      assert.deepEqual(m.EncryptionAlgorithms, ["SYMMETRIC_DEFAULT"]);
      assert.equal(m.Origin, "AWS_KMS");
      assert.equal(m.KeyManager, "CUSTOMER");
      assert.equal(m.MultiRegion, false);
      assert.match(m.CurrentKeyMaterialId as string, /^[0-9a-f]{64}$/);
      assert.ok(m.CreationDate instanceof Date && Math.abs(m.CreationDate.getTime() - Date.now()) < 60_000);
      assert.equal(m.DeletionDate, undefined);

      const name = alias("orders");
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: m.KeyId }));
      for (const id of [m.KeyId, m.Arn, name, `arn:aws:kms:${REGION}:${account}:${name}`]) {
        const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: id }));
        assert.equal(KeyMetadata?.Arn, m.Arn, `DescribeKey by ${id}`);
      }
    });

    test("unknown and malformed key ids answer NotFoundException in AWS's words", async () => {
      const missing = randomUUID();
      await rejects(() => kms.send(new DescribeKeyCommand({ KeyId: missing })), "NotFoundException", `Key 'arn:aws:kms:${REGION}:${account}:key/${missing}' does not exist`);
      await rejects(
        () => kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:${REGION}:${account}:key/${missing}` })),
        "NotFoundException",
        `Key 'arn:aws:kms:${REGION}:${account}:key/${missing}' does not exist`,
      );
      await rejects(() => kms.send(new DescribeKeyCommand({ KeyId: "fake-key-id" })), "NotFoundException", "Invalid keyId 'fake-key-id'");
      await rejects(() => kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:eu-west-1:${account}:key/${missing}` })), "NotFoundException", "Invalid arn eu-west-1");
      await rejects(() => kms.send(new DescribeKeyCommand({ KeyId: "alias/does-not-exist" })), "NotFoundException", /alias\/does-not-exist/);
      // Operations that manage a key take a key id or ARN only.
      const { KeyId } = await newKey();
      const name = alias("manage");
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: KeyId }));
      await rejects(() => kms.send(new DisableKeyCommand({ KeyId: name })), "NotFoundException", `Invalid keyId '${name}'`);
    });

    test("only symmetric encryption keys can be made", async () => {
      await rejects(() => kms.send(new CreateKeyCommand({ KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" })), "UnsupportedOperationException");
      await rejects(() => kms.send(new CreateKeyCommand({ KeyUsage: "GENERATE_VERIFY_MAC", KeySpec: "HMAC_256" })), "UnsupportedOperationException");
    });

    test("grants are not offered: making one is refused, a key's list of them is empty", async () => {
      const { KeyId } = await newKey();
      await rejects(
        () => kms.send(new CreateGrantCommand({ KeyId, GranteePrincipal: "arn:aws:iam::111122223333:root", Operations: ["Decrypt"] })),
        "UnsupportedOperationException",
        "CreateGrant is not supported by this server: it offers no grants; key policies and IAM policies decide who may use a key.",
      );
      assert.deepEqual(
        (({ Grants, Truncated }) => ({ Grants, Truncated }))(await kms.send(new ListGrantsCommand({ KeyId }))),
        { Grants: [], Truncated: false },
      );
      const missing = randomUUID();
      await rejects(() => kms.send(new ListGrantsCommand({ KeyId: missing })), "NotFoundException", `Key 'arn:aws:kms:${REGION}:${account}:key/${missing}' does not exist`);
      await rejects(() => kms.send(new ListGrantsCommand({ KeyId, Marker: "not-a-marker" })), "InvalidMarkerException");
    });

    test("ListKeys pages through every key of the account", async () => {
      const mine = [await newKey(), await newKey(), await newKey()];
      const seen: string[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const page = await kms.send(new ListKeysCommand({ Limit: 2, Marker: marker }));
        for (const k of page.Keys ?? []) {
          assert.equal(k.KeyArn, `arn:aws:kms:${REGION}:${account}:key/${k.KeyId}`);
          seen.push(k.KeyId as string);
        }
        assert.equal(page.Truncated, page.NextMarker !== undefined);
        marker = page.NextMarker;
        pages++;
      } while (marker);
      assert.ok(pages >= 2);
      for (const k of mine) assert.ok(seen.includes(k.KeyId));
      assert.equal(new Set(seen).size, seen.length);
      await rejects(() => kms.send(new ListKeysCommand({ Marker: "not-a-marker" })), "InvalidMarkerException");
    });

    test("aliases: create, duplicate, reserved and malformed names, retarget, filter by key, delete", async () => {
      const a = await newKey();
      const b = await newKey();
      const name = alias("app");
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: a.Arn }));
      await rejects(
        () => kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: b.KeyId })),
        "AlreadyExistsException",
        `An alias with the name arn:aws:kms:${REGION}:${account}:${name} already exists`,
      );
      await rejects(
        () => kms.send(new CreateAliasCommand({ AliasName: "no-prefix", TargetKeyId: a.KeyId })),
        "ValidationException",
        'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
      );
      await rejects(() => kms.send(new CreateAliasCommand({ AliasName: "alias/aws/mine", TargetKeyId: a.KeyId })), "InvalidAliasNameException");
      let listed = await kms.send(new ListAliasesCommand({ KeyId: a.KeyId }));
      assert.deepEqual(listed.Aliases?.map((x) => x.AliasName), [name]);
      const entry = listed.Aliases?.[0];
      assert.equal(entry?.TargetKeyId, a.KeyId);
      assert.equal(entry?.AliasArn, `arn:aws:kms:${REGION}:${account}:${name}`);
      assert.ok(entry?.CreationDate instanceof Date && entry.LastUpdatedDate instanceof Date);

      await kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: b.KeyId }));
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: name }))).KeyMetadata?.KeyId, b.KeyId);
      listed = await kms.send(new ListAliasesCommand({ KeyId: a.KeyId }));
      assert.deepEqual(listed.Aliases, []);
      await rejects(() => kms.send(new UpdateAliasCommand({ AliasName: alias("nope"), TargetKeyId: b.KeyId })), "NotFoundException");

      await kms.send(new DeleteAliasCommand({ AliasName: name }));
      await rejects(() => kms.send(new DescribeKeyCommand({ KeyId: name })), "NotFoundException");
      await rejects(() => kms.send(new DeleteAliasCommand({ AliasName: name })), "NotFoundException");
    });

    test("Encrypt and Decrypt with an encryption context; a mismatch or another key fails", async () => {
      const key = await newKey();
      const other = await newKey();
      const context = { app: "billing", tenant: "42" };
      const enc = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: bytes("attack at dawn"), EncryptionContext: context }));
      assert.equal(enc.KeyId, key.Arn);
      assert.equal(enc.EncryptionAlgorithm, "SYMMETRIC_DEFAULT");
      const blob = enc.CiphertextBlob as Uint8Array;
      assert.ok(!Buffer.from(blob).includes(Buffer.from("attack at dawn")));

      const dec = await kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { tenant: "42", app: "billing" } }));
      assert.equal(text(dec.Plaintext), "attack at dawn");
      assert.equal(dec.KeyId, key.Arn);
      assert.equal(dec.EncryptionAlgorithm, "SYMMETRIC_DEFAULT");
      // The records name the key as their resource; a Decrypt's shows the algorithm and the key it found.
      const records = await storedRecords(server);
      const recordOf = (requestId: string | undefined) => records.find((r) => r.parsed.requestID === requestId)?.parsed;
      const keyResource = [{ ARN: key.Arn, accountId: account, type: "AWS::KMS::Key" }];
      const encRecord = recordOf(enc.$metadata.requestId);
      const decRecord = recordOf(dec.$metadata.requestId);
      assert.deepEqual(encRecord?.resources, keyResource);
      assert.deepEqual(decRecord?.resources, keyResource);
      assert.deepEqual(decRecord?.requestParameters, { encryptionContext: { tenant: "42", app: "billing" }, encryptionAlgorithm: "SYMMETRIC_DEFAULT", keyId: key.Arn });
      // With KeyId naming the right key it works too.
      assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context, KeyId: key.Arn }))).Plaintext), "attack at dawn");

      for (const wrong of [undefined, { app: "billing" }, { ...context, tenant: "43" }, { ...context, extra: "x" }]) {
        await rejects(() => kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: wrong })), "InvalidCiphertextException");
      }
      await rejects(
        () => kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context, KeyId: other.KeyId })),
        "IncorrectKeyException",
        "The key ID in the request does not identify a CMK that can perform this operation.",
      );
      const flipped = Buffer.from(blob);
      flipped[flipped.length - 20] = (flipped[flipped.length - 20] as number) ^ 1;
      await rejects(() => kms.send(new DecryptCommand({ CiphertextBlob: flipped, EncryptionContext: context })), "InvalidCiphertextException");
      await rejects(() => kms.send(new DecryptCommand({ CiphertextBlob: bytes("not a ciphertext at all, just bytes that are long enough to parse as one...") })), "InvalidCiphertextException");
      const noBlob = "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null";
      await rejects(() => kms.send(new DecryptCommand({ KeyId: key.KeyId })), "ValidationException", noBlob);
      await rejects(() => kms.send(new ReEncryptCommand({ DestinationKeyId: other.KeyId })), "ValidationException", noBlob);
      await rejects(
        () => kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: new Uint8Array(4097) })),
        "ValidationException",
        "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
      );
      await rejects(
        () => kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: bytes("x"), DryRun: true })),
        "DryRunOperationException",
        "The request would have succeeded, but the DryRun option is set.",
      );
    });

    test("GenerateDataKey, GenerateDataKeyWithoutPlaintext, ReEncrypt and GenerateRandom", async () => {
      const key = await newKey();
      const dest = await newKey();
      const context = { purpose: "files" };
      const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: "AES_256", EncryptionContext: context }));
      assert.equal(dk.Plaintext?.length, 32);
      assert.equal(dk.KeyId, key.Arn);
      const opened = await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: context }));
      assert.deepEqual(Buffer.from(opened.Plaintext as Uint8Array), Buffer.from(dk.Plaintext as Uint8Array));
      assert.equal((await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: "AES_128" }))).Plaintext?.length, 16);
      assert.equal((await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, NumberOfBytes: 64 }))).Plaintext?.length, 64);
      await rejects(() => kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId })), "ValidationException");
      await rejects(() => kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: "AES_256", NumberOfBytes: 32 })), "ValidationException");
      await rejects(
        () => kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, NumberOfBytes: 1025 })),
        "ValidationException",
        "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
      );

      const without = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: key.KeyId, KeySpec: "AES_256", EncryptionContext: context }));
      assert.equal((without as { Plaintext?: Uint8Array }).Plaintext, undefined);
      assert.equal((await kms.send(new DecryptCommand({ CiphertextBlob: without.CiphertextBlob, EncryptionContext: context }))).Plaintext?.length, 32);

      const re = await kms.send(
        new ReEncryptCommand({
          CiphertextBlob: dk.CiphertextBlob,
          SourceEncryptionContext: context,
          DestinationKeyId: dest.KeyId,
          DestinationEncryptionContext: { purpose: "moved" },
        }),
      );
      assert.equal(re.SourceKeyId, key.Arn);
      assert.equal(re.KeyId, dest.Arn);
      const moved = await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { purpose: "moved" } }));
      assert.equal(moved.KeyId, dest.Arn);
      assert.deepEqual(Buffer.from(moved.Plaintext as Uint8Array), Buffer.from(dk.Plaintext as Uint8Array));
      await rejects(
        () => kms.send(new ReEncryptCommand({ CiphertextBlob: dk.CiphertextBlob, DestinationKeyId: dest.KeyId })),
        "InvalidCiphertextException",
      );

      assert.equal((await kms.send(new GenerateRandomCommand({ NumberOfBytes: 1024 }))).Plaintext?.length, 1024);
      await rejects(() => kms.send(new GenerateRandomCommand({})), "ValidationException", "NumberOfBytes is required.");
      await rejects(
        () => kms.send(new GenerateRandomCommand({ NumberOfBytes: 0 })),
        "ValidationException",
        "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
    });

    test("key states: disabled, pending deletion, cancelled (back Disabled), with AWS's errors", async () => {
      const key = await newKey();
      const enc = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: bytes("state") }));
      await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
      let m = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata;
      assert.equal(m?.KeyState, "Disabled");
      assert.equal(m?.Enabled, false);
      await rejects(() => kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: bytes("x") })), "DisabledException", `${key.Arn} is disabled.`);
      await rejects(() => kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })), "DisabledException", `${key.Arn} is disabled.`);
      await rejects(() => kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: "AES_256" })), "DisabledException", `${key.Arn} is disabled.`);
      await rejects(() => kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId })), "DisabledException", `${key.Arn} is disabled.`);
      await kms.send(new EnableKeyCommand({ KeyId: key.Arn }));
      assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))).Plaintext), "state");

      await rejects(() => kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 6 })), "ValidationException");
      await rejects(() => kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 31 })), "ValidationException");
      const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
      assert.equal(scheduled.KeyId, key.Arn);
      assert.equal(scheduled.KeyState, "PendingDeletion");
      assert.equal(scheduled.PendingWindowInDays, 7);
      assert.ok(Math.abs((scheduled.DeletionDate as Date).getTime() - (Date.now() + 7 * 86_400_000)) < 60_000);
      m = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata;
      assert.equal(m?.KeyState, "PendingDeletion");
      assert.equal(m?.Enabled, false);
      assert.ok(m?.DeletionDate instanceof Date);
      const pending = `${key.Arn} is pending deletion.`;
      await rejects(() => kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: bytes("x") })), "KMSInvalidStateException", pending);
      await rejects(() => kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })), "KMSInvalidStateException", pending);
      await rejects(() => kms.send(new EnableKeyCommand({ KeyId: key.KeyId })), "KMSInvalidStateException", pending);
      await rejects(() => kms.send(new DisableKeyCommand({ KeyId: key.KeyId })), "KMSInvalidStateException", pending);
      await rejects(() => kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId })), "KMSInvalidStateException", pending);
      await rejects(() => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: "a", TagValue: "b" }] })), "KMSInvalidStateException", pending);
      await rejects(() => kms.send(new CreateAliasCommand({ AliasName: alias("late"), TargetKeyId: key.KeyId })), "KMSInvalidStateException", pending);
      // Still describable, and its rotation status readable.
      assert.equal((await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }))).KeyRotationEnabled, false);

      const cancelled = await kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
      assert.equal(cancelled.KeyId, key.Arn);
      m = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata;
      assert.equal(m?.KeyState, "Disabled");
      assert.equal(m?.DeletionDate, undefined);
      await rejects(() => kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId })), "KMSInvalidStateException", `${key.Arn} is not pending deletion.`);
      await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
      assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))).Plaintext), "state");
    });

    test("rotation: status, on-demand rotation keeps old ciphertexts decryptable, rotations listed", async () => {
      const key = await newKey();
      const before = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: bytes("old material"), EncryptionContext: { v: "1" } }));
      const firstMaterial = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata?.CurrentKeyMaterialId;
      assert.deepEqual(await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId })).then((r) => [r.KeyRotationEnabled, r.KeyId, r.RotationPeriodInDays]), [false, key.Arn, undefined]);

      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
      const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }));
      assert.equal(status.KeyRotationEnabled, true);
      assert.equal(status.RotationPeriodInDays, 90);
      assert.ok(Math.abs((status.NextRotationDate as Date).getTime() - (Date.now() + 90 * 86_400_000)) < 60_000);
      await rejects(() => kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 89 })), "ValidationException");

      assert.deepEqual((await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }))).Rotations, []);
      const rotated = await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.Arn }));
      assert.equal(rotated.KeyId, key.KeyId);
      const newMaterial = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata?.CurrentKeyMaterialId;
      assert.notEqual(newMaterial, firstMaterial);
      const rotations = (await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }))).Rotations ?? [];
      assert.equal(rotations.length, 1);
      assert.equal(rotations[0]?.RotationType, "ON_DEMAND");
      assert.equal(rotations[0]?.KeyMaterialId, newMaterial);
      assert.ok(rotations[0]?.RotationDate instanceof Date);
      assert.ok((await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }))).OnDemandRotationStartDate instanceof Date);

      const after = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: bytes("new material"), EncryptionContext: { v: "2" } }));
      const oldOpened = await kms.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob, EncryptionContext: { v: "1" } }));
      assert.equal(text(oldOpened.Plaintext), "old material");
      assert.equal(oldOpened.KeyMaterialId, firstMaterial);
      const newOpened = await kms.send(new DecryptCommand({ CiphertextBlob: after.CiphertextBlob, EncryptionContext: { v: "2" } }));
      assert.equal(text(newOpened.Plaintext), "new material");
      assert.equal(newOpened.KeyMaterialId, newMaterial);

      await kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId }));
      const off = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }));
      assert.equal(off.KeyRotationEnabled, false);
      assert.equal(off.NextRotationDate, undefined);
    });

    test("automatic rotation happens when due, and old ciphertexts still decrypt", async () => {
      const key = await newKey();
      const before = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: bytes("before automatic") }));
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
      // Ninety days are too long to wait: move the due date into the past, as time would.
      const direct = await openStore(server.storeUrl);
      try {
        await direct.transaction(async (tx) => {
          const row = await tx.keys.getKeyByArn(key.Arn);
          assert.ok(row?.rotationDueAt);
          await tx.keys.updateKey({ ...row, rotationDueAt: Date.now() - 1000 });
        });
      } finally {
        await direct.close();
      }
      let rotations = 0;
      for (let i = 0; i < 50 && rotations === 0; i++) {
        await sleep(200);
        rotations = ((await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }))).Rotations ?? []).length;
      }
      const listed = (await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }))).Rotations ?? [];
      assert.equal(listed.length, 1, "rotated once within 10 s");
      assert.equal(listed[0]?.RotationType, "AUTOMATIC");
      const next = (await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }))).NextRotationDate as Date;
      assert.ok(next.getTime() > Date.now() + 89 * 86_400_000);
      const beforeOpened = await kms.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }));
      assert.equal(text(beforeOpened.Plaintext), "before automatic");
      // The audit trail has KMS's RotateKey service event for it, naming both materials.
      const events = (await storedRecords(server)).filter((r) => r.parsed.eventName === "RotateKey" && JSON.stringify(r.parsed.resources).includes(key.Arn));
      assert.equal(events.length, 1);
      const event = events[0]!.parsed as unknown as Record<string, unknown>;
      assert.equal(event.eventType, "AwsServiceEvent");
      assert.deepEqual(event.userIdentity, { accountId: account, invokedBy: "AWS Internal" });
      assert.deepEqual(event.serviceEventDetails, {
        rotationType: "AUTOMATIC",
        keyOrigin: "AWS_KMS",
        previousKeyMaterialId: beforeOpened.KeyMaterialId,
        currentKeyMaterialId: listed[0]?.KeyMaterialId,
      });
    });

    test("key policies: the default policy, the lockout check, and a policy that shuts the account out", async () => {
      const key = await newKey();
      const got = await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }));
      assert.equal(got.PolicyName, "default");
      assert.deepEqual(JSON.parse(got.Policy as string), {
        Version: "2012-10-17",
        Id: "key-default-1",
        Statement: [
          { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
        ],
      });
      assert.deepEqual((await kms.send(new ListKeyPoliciesCommand({ KeyId: key.KeyId }))).PolicyNames, ["default"]);
      await rejects(() => kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: "{not json" })), "MalformedPolicyDocumentException");

      const onlyBob = JSON.stringify({
        Version: "2012-10-17",
        // A user of an account this server does not serve: taken as written, and not the caller.
        Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:user/bob" }, Action: "kms:*", Resource: "*" }],
      });
      await rejects(
        () => kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: onlyBob })),
        "MalformedPolicyDocumentException",
        "The new key policy will not allow you to update the key policy in the future.",
      );
      // Narrowing the policy to key administration only: use is then denied.
      const adminOnly = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${account}:root` },
            Action: ["kms:PutKeyPolicy", "kms:GetKeyPolicy", "kms:DescribeKey"],
            Resource: "*",
          },
        ],
      });
      await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: adminOnly }));
      assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))).Policy, adminOnly);
      await rejects(
        () => kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: bytes("x") })),
        "AccessDeniedException",
        `User: arn:aws:iam::${account}:root is not authorized to perform: kms:Encrypt on resource: ${key.Arn} because no resource-based policy allows the kms:Encrypt action`,
      );
      // With the lockout check bypassed, the account can shut itself out.
      await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: onlyBob, BypassPolicyLockoutSafetyCheck: true }));
      await rejects(
        () => kms.send(new DescribeKeyCommand({ KeyId: key.KeyId })),
        "AccessDeniedException",
        `User: arn:aws:iam::${account}:root is not authorized to perform: kms:DescribeKey on resource: ${key.Arn} because no resource-based policy allows the kms:DescribeKey action`,
      );
      // CreateKey with a policy runs the same check.
      await rejects(() => kms.send(new CreateKeyCommand({ Policy: onlyBob })), "MalformedPolicyDocumentException");
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Policy: adminOnly }));
      assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: KeyMetadata?.KeyId }))).Policy, adminOnly);
    });

    test("tags: add, replace, list, remove; reserved and duplicate keys refused", async () => {
      const key = await newKey();
      await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: "env", TagValue: "prod" }, { TagKey: "team", TagValue: "a" }] }));
      await kms.send(new TagResourceCommand({ KeyId: key.Arn, Tags: [{ TagKey: "team", TagValue: "b" }] }));
      assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }))).Tags, [
        { TagKey: "env", TagValue: "prod" },
        { TagKey: "team", TagValue: "b" },
      ]);
      await rejects(() => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: "aws:x", TagValue: "y" }] })), "TagException", "Tags beginning with aws: are reserved");
      await rejects(
        () => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: "d", TagValue: "1" }, { TagKey: "d", TagValue: "2" }] })),
        "TagException",
        "Duplicate tag keys",
      );
      const many = Array.from({ length: 49 }, (_, i) => ({ TagKey: `k${i}`, TagValue: "v" }));
      await rejects(() => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: many })), "TagException", "Too many tags");
      await kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ["env", "absent"] }));
      assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }))).Tags, [{ TagKey: "team", TagValue: "b" }]);
      await kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.KeyId, Description: "renamed" }));
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata?.Description, "renamed");
    });

    test("the AWS-managed aws/secretsmanager key: made on first reference, usable only through Secrets Manager", async () => {
      const listedBefore = (await kms.send(new ListAliasesCommand({}))).Aliases ?? [];
      const predefined = listedBefore.find((a) => a.AliasName === "alias/aws/secretsmanager");
      assert.ok(predefined, "the predefined alias is listed");
      const { KeyMetadata: m } = await kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/secretsmanager" }));
      assert.equal(m?.KeyManager, "AWS");
      assert.equal(m?.KeyState, "Enabled");
      const arn = m?.Arn as string;
      const listed = (await kms.send(new ListAliasesCommand({}))).Aliases?.find((a) => a.AliasName === "alias/aws/secretsmanager");
      assert.equal(listed?.TargetKeyId, m?.KeyId);
      const policy = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: m?.KeyId }))).Policy as string) as {
        Statement: Array<{ Condition?: { StringEquals?: Record<string, string> } }>;
      };
      assert.equal(policy.Statement[0]?.Condition?.StringEquals?.["kms:ViaService"], `secretsmanager.${REGION}.amazonaws.com`);
      const denied = (action: string) =>
        `User: arn:aws:iam::${account}:root is not authorized to perform: kms:${action} on resource: ${arn} because no resource-based policy allows the kms:${action} action`;
      await rejects(() => kms.send(new DisableKeyCommand({ KeyId: m?.KeyId })), "AccessDeniedException", denied("DisableKey"));
      await rejects(() => kms.send(new ScheduleKeyDeletionCommand({ KeyId: m?.KeyId, PendingWindowInDays: 7 })), "AccessDeniedException", denied("ScheduleKeyDeletion"));
      await rejects(() => kms.send(new PutKeyPolicyCommand({ KeyId: m?.KeyId, Policy: "{}" })), "AccessDeniedException", denied("PutKeyPolicy"));
      await rejects(() => kms.send(new EncryptCommand({ KeyId: "alias/aws/secretsmanager", Plaintext: bytes("x") })), "AccessDeniedException", denied("Encrypt"));
      await rejects(() => kms.send(new DeleteAliasCommand({ AliasName: "alias/aws/secretsmanager" })), "AccessDeniedException", denied("DeleteAlias"));
      const rotation = await kms.send(new GetKeyRotationStatusCommand({ KeyId: m?.KeyId }));
      assert.equal(rotation.KeyRotationEnabled, true);
      assert.equal(rotation.RotationPeriodInDays, 365);
    });

    test("errors carry KMS's lower-case `message` member on the wire, InvalidCiphertextException none, and no-output answers no body", async () => {
      const raw = async (target: string, body: string) => {
        const url = new URL(server.endpoint);
        const signer = new SignatureV4({ service: "kms", region: REGION, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY }, sha256: Sha256 });
        const signed = await signer.sign({
          method: "POST",
          protocol: "http:",
          hostname: url.hostname,
          port: Number(url.port),
          path: "/",
          query: {},
          headers: { host: url.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
          body,
        });
        const res = await fetch(server.endpoint, { method: "POST", headers: signed.headers as Record<string, string>, body });
        const text = await res.text();
        return { status: res.status, json: (text === "" ? "" : JSON.parse(text)) as unknown };
      };
      // Operations without output answer 200 with an empty body (§5.4: CreateAlias).
      const key = await newKey();
      const aliasName = `alias/${randomUUID()}`;
      assert.deepEqual(await raw("TrentService.CreateAlias", JSON.stringify({ AliasName: aliasName, TargetKeyId: key.KeyId })), { status: 200, json: "" });
      assert.deepEqual(await raw("TrentService.DisableKey", JSON.stringify({ KeyId: key.KeyId })), { status: 200, json: "" });
      assert.deepEqual(await raw("TrentService.EnableKey", JSON.stringify({ KeyId: key.KeyId })), { status: 200, json: "" });
      assert.deepEqual(await raw("TrentService.DeleteAlias", JSON.stringify({ AliasName: aliasName })), { status: 200, json: "" });
      assert.deepEqual(await raw("TrentService.DescribeKey", JSON.stringify({ KeyId: "fake-key-id" })), {
        status: 400,
        json: { __type: "NotFoundException", message: "Invalid keyId 'fake-key-id'" },
      });
      const blob = Buffer.alloc(100, 0).toString("base64");
      assert.deepEqual(await raw("TrentService.Decrypt", JSON.stringify({ CiphertextBlob: blob })), { status: 400, json: { __type: "InvalidCiphertextException" } });
    });

    test("a key past its waiting period is deleted by the server, with its aliases", async () => {
      const key = await newKey();
      const name = alias("doomed");
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.KeyId }));
      const blob = (await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: bytes("gone soon") }))).CiphertextBlob;
      const keep = await newKey();
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keep.KeyId, PendingWindowInDays: 30 }));
      // Seven days are too long to wait: move the deletion date into the past, as time would.
      const direct = await openStore(server.storeUrl);
      try {
        await direct.transaction(async (tx) => {
          const row = await tx.keys.getKeyByArn(key.Arn);
          assert.ok(row?.deletionAt);
          await tx.keys.updateKey({ ...row, deletionAt: Date.now() - 1000 });
        });
      } finally {
        await direct.close();
      }
      let gone = false;
      for (let i = 0; i < 50 && !gone; i++) {
        await sleep(200);
        gone = await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId })).then(
          () => false,
          (e: Error) => e.name === "NotFoundException",
        );
      }
      assert.ok(gone, "deleted within 10 s");
      await rejects(() => kms.send(new DescribeKeyCommand({ KeyId: name })), "NotFoundException");
      await rejects(() => kms.send(new DecryptCommand({ CiphertextBlob: blob })), "AccessDeniedException", /kms:Decrypt on the resource associated with this ciphertext/);
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: keep.KeyId }))).KeyMetadata?.KeyState, "PendingDeletion");
    });
  });
}
