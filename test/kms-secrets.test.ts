// Secrets Manager on customer-managed KMS keys, through the real SDKs, on every store: KmsKeyId in
// its four forms, a disabled key and a key pending deletion (AWS's error codes, KMS's texts),
// key rotation keeping old versions readable, UpdateSecret re-encrypting the labelled versions,
// and key policies deciding kms:Decrypt / kms:GenerateDataKey for the caller.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  ListKeysCommand,
  PutKeyPolicyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  type KMSClient,
} from "@aws-sdk/client-kms";
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  UpdateSecretCommand,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { KMSClient as KmsClient } from "@aws-sdk/client-kms";
import { SecretsManagerClient as SmClient } from "@aws-sdk/client-secrets-manager";
import { openStore } from "../src/store/open-store.js";
import { ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, startServer, storeKinds, type TestServer } from "./harness.js";
import { kmsClient, rejects } from "./kms-support.js";

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

for (const store of storeKinds()) {
  describe(`Secrets Manager on customer-managed keys, ${store}`, () => {
    let server: TestServer;
    let kms: KMSClient;
    let sm: SecretsManagerClient;
    let account: string;

    const newKey = async () => {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "secrets" }));
      return KeyMetadata as { KeyId: string; Arn: string };
    };
    const read = async (secretId: string, versionId?: string) =>
      (await sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: versionId }))).SecretString;
    const policy = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

    /** An IAM user with one inline policy, and Secrets Manager and KMS clients signed by its key. */
    const newUser = async (prefix: string, statements: object[]) => {
      const common = { endpoint: server.endpoint, region: REGION, maxAttempts: 1 };
      const iam = new IAMClient({ ...common, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY } });
      const userName = unique(prefix);
      await iam.send(new CreateUserCommand({ UserName: userName }));
      const created = (await iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey;
      await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: "first", PolicyDocument: policy(statements) }));
      const credentials = { accessKeyId: created?.AccessKeyId as string, secretAccessKey: created?.SecretAccessKey as string };
      const userSm = new SmClient({ ...common, credentials });
      const userKms = new KmsClient({ ...common, credentials });
      return {
        arn: `arn:aws:iam::${account}:user/${userName}`,
        sm: userSm,
        kms: userKms,
        /** Adds another inline policy. */
        allow: (name: string, more: object[]) => iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: name, PolicyDocument: policy(more) })),
        destroy: () => {
          iam.destroy();
          userSm.destroy();
          userKms.destroy();
        },
      };
    };

    before(async () => {
      server = await startServer({ store, args: ["--purge-interval", "1"] });
      kms = kmsClient(server);
      sm = server.client();
      account = server.accountId;
    });
    after(async () => {
      kms?.destroy();
      sm?.destroy();
      await server?.dispose();
    });

    test("KmsKeyId as key id, key ARN, alias name or alias ARN; DescribeSecret shows it, versions name the key", async () => {
      const key = await newKey();
      const aliasName = `alias/${unique("sm")}`;
      await kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: key.KeyId }));
      const forms = [key.KeyId, key.Arn, aliasName, `arn:aws:kms:${REGION}:${account}:${aliasName}`];
      for (const form of forms) {
        const name = unique("cmk");
        await sm.send(new CreateSecretCommand({ Name: name, SecretString: `value for ${form}`, KmsKeyId: form }));
        assert.equal(await read(name), `value for ${form}`);
        assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: name }))).KmsKeyId, form);
        const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name }));
        assert.deepEqual(versions.Versions?.[0]?.KmsKeyIds, [key.Arn]);
      }
    });

    test("a key that does not exist or cannot be used is refused at CreateSecret", async () => {
      await rejects(() => sm.send(new CreateSecretCommand({ Name: unique("nokey"), SecretString: "x", KmsKeyId: randomUUID() })), "EncryptionFailure");
      await rejects(() => sm.send(new CreateSecretCommand({ Name: unique("nokey"), SecretString: "x", KmsKeyId: "alias/not-there" })), "EncryptionFailure");
      const key = await newKey();
      await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
      await rejects(
        () => sm.send(new CreateSecretCommand({ Name: unique("disabled"), SecretString: "x", KmsKeyId: key.KeyId })),
        "EncryptionFailure",
        `${key.Arn} is disabled.`,
      );
    });

    test("disable → AWS's errors on reads and writes; enable → readable again", async () => {
      const key = await newKey();
      const name = unique("disable");
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: "before", KmsKeyId: key.Arn }));
      assert.equal(await read(name), "before");
      await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
      await rejects(() => read(name), "DecryptionFailure", `${key.Arn} is disabled.`);
      await rejects(() => sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "during" })), "EncryptionFailure", `${key.Arn} is disabled.`);
      await rejects(() => sm.send(new UpdateSecretCommand({ SecretId: name, SecretString: "during" })), "EncryptionFailure", `${key.Arn} is disabled.`);
      // Metadata stays readable.
      assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: name }))).KmsKeyId, key.Arn);
      await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
      assert.equal(await read(name), "before");
      await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "after" }));
      assert.equal(await read(name), "after");
    });

    test("schedule deletion → errors; cancel → disabled; enable → readable", async () => {
      const key = await newKey();
      const name = unique("pending");
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: "kept", KmsKeyId: key.KeyId }));
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
      await rejects(() => read(name), "DecryptionFailure", `${key.Arn} is pending deletion.`);
      await rejects(() => sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "no" })), "EncryptionFailure", `${key.Arn} is pending deletion.`);
      await kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
      // A cancelled deletion leaves the key Disabled (KMS), so the secret is not readable yet.
      await rejects(() => read(name), "DecryptionFailure", `${key.Arn} is disabled.`);
      await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
      assert.equal(await read(name), "kept");
    });

    test("rotating the key material keeps old and new versions readable", async () => {
      const key = await newKey();
      const name = unique("rotate");
      const first = await sm.send(new CreateSecretCommand({ Name: name, SecretString: "v1", KmsKeyId: key.KeyId }));
      await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
      const second = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v2" }));
      await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
      const third = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v3", VersionStages: ["TEST"] }));
      assert.equal(await read(name, first.VersionId), "v1");
      assert.equal(await read(name, second.VersionId), "v2");
      assert.equal(await read(name, third.VersionId), "v3");
      assert.equal(await read(name), "v2");
      // Each version's data key names the material that was current when it was written.
      const direct = await openStore(server.storeUrl);
      try {
        const headers = await Promise.all(
          [first, second, third].map(async (v) => {
            const row = await direct.getVersion(first.ARN as string, v.VersionId as string);
            const sealed = row?.sealed as Buffer;
            const keyLength = sealed.readUInt16BE(1);
            return sealed.subarray(3, 3 + keyLength).toString("hex", 17, 49);
          }),
        );
        assert.equal(new Set(headers).size, 3);
      } finally {
        await direct.close();
      }
    });

    test("UpdateSecret with a new key re-encrypts AWSCURRENT, AWSPENDING and AWSPREVIOUS, not label-less versions", async () => {
      const oldKey = await newKey();
      const newKeyMeta = await newKey();
      const name = unique("rekey");
      const v1 = await sm.send(new CreateSecretCommand({ Name: name, SecretString: "v1", KmsKeyId: oldKey.KeyId }));
      const v2 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v2" })); // v1 → AWSPREVIOUS
      const v3 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v3" })); // v1 loses its labels
      const pending = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v4", VersionStages: ["AWSPENDING"] }));
      await sm.send(new UpdateSecretCommand({ SecretId: name, KmsKeyId: newKeyMeta.Arn }));
      assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: name }))).KmsKeyId, newKeyMeta.Arn);
      const versions = (await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }))).Versions ?? [];
      const keyOf = (id: string | undefined) => versions.find((v) => v.VersionId === id)?.KmsKeyIds?.[0];
      assert.equal(keyOf(v3.VersionId), newKeyMeta.Arn);
      assert.equal(keyOf(v2.VersionId), newKeyMeta.Arn);
      assert.equal(keyOf(pending.VersionId), newKeyMeta.Arn);
      assert.equal(keyOf(v1.VersionId), oldKey.Arn);
      // With the old key disabled, the re-encrypted versions still read; the label-less one does not.
      await kms.send(new DisableKeyCommand({ KeyId: oldKey.KeyId }));
      assert.equal(await read(name), "v3");
      assert.equal(await read(name, v2.VersionId), "v2");
      assert.equal(await read(name, pending.VersionId), "v4");
      await rejects(() => read(name, v1.VersionId), "DecryptionFailure", `${oldKey.Arn} is disabled.`);
      // New versions use the new key; "" goes back to the AWS-managed key.
      await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v5" }));
      await sm.send(new UpdateSecretCommand({ SecretId: name, KmsKeyId: "" }));
      assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: name }))).KmsKeyId, undefined);
      await kms.send(new DisableKeyCommand({ KeyId: newKeyMeta.KeyId }));
      assert.equal(await read(name), "v5");
      const after = (await sm.send(new ListSecretVersionIdsCommand({ SecretId: name }))).Versions ?? [];
      assert.ok(after.every((v) => v.KmsKeyIds?.[0] === "DefaultEncryptionKey"));
    });

    test("the key policy decides: no kms:Decrypt → Access to KMS is not allowed; kms:ViaService scopes a key to Secrets Manager", async () => {
      const key = await newKey();
      const name = unique("policy");
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: "guarded", KmsKeyId: key.KeyId }));
      const root = `arn:aws:iam::${account}:root`;
      const denyDecrypt = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "admin", Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*" },
          { Sid: "no-decrypt", Effect: "Deny", Principal: { AWS: root }, Action: "kms:Decrypt", Resource: "*" },
        ],
      });
      await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: denyDecrypt }));
      await rejects(() => read(name), "AccessDeniedException", "Access to KMS is not allowed");
      // Writes need kms:GenerateDataKey, which the policy still allows.
      await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "written" }));

      const noGenerate = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*" },
          { Effect: "Deny", Principal: { AWS: root }, Action: "kms:GenerateDataKey", Resource: "*" },
        ],
      });
      await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: noGenerate }));
      assert.equal(await read(name), "written");
      await rejects(() => sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "refused" })), "AccessDeniedException", "Access to KMS is not allowed");

      // Decrypt allowed only through Secrets Manager: GetSecretValue works, a direct Decrypt does not.
      const viaSecretsManager = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { AWS: root }, Action: ["kms:PutKeyPolicy", "kms:GetKeyPolicy", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"], Resource: "*" },
          {
            Effect: "Allow",
            Principal: { AWS: root },
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } },
          },
        ],
      });
      await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: viaSecretsManager }));
      assert.equal(await read(name), "written");
      const blob = (await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: new TextEncoder().encode("direct") }))).CiphertextBlob;
      await rejects(() => kms.send(new DecryptCommand({ CiphertextBlob: blob })), "AccessDeniedException", /kms:Decrypt on the resource associated with this ciphertext because no resource-based policy allows/);
    });

    test("an IAM user needs kms:Decrypt on the customer-managed key (through IAM, as the default key policy delegates)", async () => {
      const key = await newKey();
      const cmkSecret = unique("user-cmk");
      const defaultSecret = unique("user-default");
      await sm.send(new CreateSecretCommand({ Name: cmkSecret, SecretString: "needs kms", KmsKeyId: key.KeyId }));
      await sm.send(new CreateSecretCommand({ Name: defaultSecret, SecretString: "managed key" }));
      const user = await newUser("reader", [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }]);
      try {
        assert.equal((await user.sm.send(new GetSecretValueCommand({ SecretId: defaultSecret }))).SecretString, "managed key");
        await rejects(() => user.sm.send(new GetSecretValueCommand({ SecretId: cmkSecret })), "AccessDeniedException", "Access to KMS is not allowed");
        await rejects(
          () => user.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: new TextEncoder().encode("x") })),
          "AccessDeniedException",
          `User: ${user.arn} is not authorized to perform: kms:Encrypt on resource: ${key.Arn} because no identity-based policy allows the kms:Encrypt action`,
        );
        await user.allow("key", [{ Effect: "Allow", Action: "kms:Decrypt", Resource: key.Arn }]);
        let value: string | undefined;
        for (let i = 0; i < 20 && value === undefined; i++) {
          value = await user.sm.send(new GetSecretValueCommand({ SecretId: cmkSecret })).then((r) => r.SecretString, () => undefined);
          if (value === undefined) await new Promise((r) => setTimeout(r, 200));
        }
        assert.equal(value, "needs kms");
      } finally {
        user.destroy();
      }
    });

    test("an IAM user's KMS rights: aliases decided on the alias and the key, tags at CreateKey need kms:TagResource, keyless denials name *", async () => {
      const key = await newKey();
      // CreateAlias on keys only (not on aliases), and CreateKey without tagging.
      const user = await newUser("kms-user", [
        { Effect: "Allow", Action: "kms:CreateAlias", Resource: "arn:aws:kms:*:*:key/*" },
        { Effect: "Allow", Action: "kms:CreateKey", Resource: "*" },
      ]);
      const userArn = user.arn;
      const userKms = user.kms;
      try {
        const aliasName = `alias/${unique("by-user")}`;
        const aliasArn = `arn:aws:kms:${REGION}:${account}:${aliasName}`;
        await rejects(
          () => userKms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: key.KeyId })),
          "AccessDeniedException",
          `User: ${userArn} is not authorized to perform: kms:CreateAlias on resource: ${aliasArn} because no identity-based policy allows the kms:CreateAlias action`,
        );
        await user.allow("aliases", [{ Effect: "Allow", Action: "kms:CreateAlias", Resource: "arn:aws:kms:*:*:alias/*" }]);
        await userKms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: key.KeyId }));

        await rejects(
          () => userKms.send(new CreateKeyCommand({ Tags: [{ TagKey: "team", TagValue: "blue" }] })),
          "AccessDeniedException",
          `User: ${userArn} is not authorized to perform: kms:TagResource because no identity-based policy allows the kms:TagResource action`,
        );
        assert.ok((await userKms.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId);
        await rejects(
          () => userKms.send(new ListKeysCommand({})),
          "AccessDeniedException",
          `User: ${userArn} is not authorized to perform: kms:ListKeys on resource: * because no identity-based policy allows the kms:ListKeys action`,
        );
      } finally {
        user.destroy();
      }
    });

    test("a key policy naming a user or role that does not exist is refused", async () => {
      const statement = (principal: string) => ({ Effect: "Allow", Principal: { AWS: principal }, Action: "kms:*", Resource: "*" });
      for (const ghost of [`arn:aws:iam::${account}:user/${unique("ghost")}`, `arn:aws:iam::${account}:user/al*`]) {
        const text = JSON.stringify({ Version: "2012-10-17", Statement: [statement(`arn:aws:iam::${account}:root`), statement(ghost)] });
        await rejects(() => kms.send(new CreateKeyCommand({ Policy: text })), "MalformedPolicyDocumentException", "Policy contains a statement with one or more invalid principals.");
      }
    });

    test("a secret whose key was deleted can no longer be read", async () => {
      const key = await newKey();
      const name = unique("orphan");
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: "lost", KmsKeyId: key.KeyId }));
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
      const direct = await openStore(server.storeUrl);
      try {
        await direct.transaction(async (tx) => {
          const row = await tx.keys.getKeyByArn(key.Arn);
          assert.ok(row);
          await tx.keys.updateKey({ ...row, deletionAt: Date.now() - 1000 });
        });
      } finally {
        await direct.close();
      }
      let error = "";
      for (let i = 0; i < 50; i++) {
        await new Promise((r) => setTimeout(r, 200));
        error = await read(name).then(
          () => "",
          (e: Error) => `${e.name}: ${e.message}`,
        );
        if (error.startsWith("DecryptionFailure: Secrets Manager")) break;
      }
      assert.equal(error, "DecryptionFailure: Secrets Manager can't decrypt the protected secret text using the provided KMS key.");
      await rejects(() => sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "x" })), "EncryptionFailure");
    });
  });
}
