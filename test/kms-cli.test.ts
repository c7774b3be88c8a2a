// `aws kms …` (AWS CLI v1) and boto3 against Coffer: the everyday KMS flows as users type them,
// configured only by the lines the server prints, plus a customer-managed key under a secret.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { startServer, storeKinds, type TestServer } from "./harness.js";

const run = promisify(execFile);

for (const store of storeKinds()) {
  describe(`aws kms CLI and boto3 on ${store}`, () => {
    let server: TestServer;
    let env: NodeJS.ProcessEnv;
    const work = mkdtempSync(join(tmpdir(), "coffer-kms-cli-"));

    const aws = async (...args: string[]) => {
      const { stdout } = await run("aws", [...args, "--output", "json"], { env });
      return stdout.trim() === "" ? {} : (JSON.parse(stdout) as Record<string, unknown>);
    };
    const awsFails = (...args: string[]) => run("aws", args, { env }).then(() => assert.fail(`aws ${args.join(" ")} succeeded`), (e: { stderr: string; code: number }) => e);

    before(async () => {
      server = await startServer({ store });
      const exportLine = /export (AWS_ENDPOINT_URL=\S+ AWS_SHARED_CREDENTIALS_FILE=\S+ AWS_PROFILE=\S+ AWS_REGION=\S+)/.exec(server.output());
      assert.ok(exportLine);
      const pairs = Object.fromEntries((exportLine[1] as string).split(" ").map((kv) => kv.split("=") as [string, string]));
      env = { PATH: process.env.PATH, HOME: process.env.HOME, AWS_MAX_ATTEMPTS: "1", ...pairs };
    });
    after(async () => {
      await server?.dispose();
      rmSync(work, { recursive: true, force: true });
    });

    test("create-key, create-alias, encrypt/decrypt with fileb:// and an encryption context, generate-data-key", async () => {
      const created = (await aws("kms", "create-key", "--description", "cli key", "--tags", "TagKey=env,TagValue=test")) as { KeyMetadata: { KeyId: string; Arn: string; KeyState: string } };
      const { KeyId, Arn } = created.KeyMetadata;
      assert.equal(created.KeyMetadata.KeyState, "Enabled");
      const alias = `alias/cli-${randomUUID().slice(0, 8)}`;
      await aws("kms", "create-alias", "--alias-name", alias, "--target-key-id", KeyId);
      const aliases = (await aws("kms", "list-aliases", "--key-id", KeyId)) as { Aliases: Array<{ AliasName: string }> };
      assert.deepEqual(aliases.Aliases.map((a) => a.AliasName), [alias]);
      assert.equal(((await aws("kms", "describe-key", "--key-id", alias)) as { KeyMetadata: { Arn: string } }).KeyMetadata.Arn, Arn);

      const plainFile = join(work, "plain.txt");
      writeFileSync(plainFile, "the launch codes");
      const enc = (await aws("kms", "encrypt", "--key-id", alias, "--plaintext", `fileb://${plainFile}`, "--encryption-context", "purpose=test,team=core")) as {
        CiphertextBlob: string;
        KeyId: string;
      };
      assert.equal(enc.KeyId, Arn);
      const blobFile = join(work, "blob.bin");
      writeFileSync(blobFile, Buffer.from(enc.CiphertextBlob, "base64"));
      const dec = (await aws("kms", "decrypt", "--ciphertext-blob", `fileb://${blobFile}`, "--encryption-context", "team=core,purpose=test")) as { Plaintext: string; KeyId: string };
      assert.equal(Buffer.from(dec.Plaintext, "base64").toString(), "the launch codes");
      assert.equal(dec.KeyId, Arn);
      const text = await run("aws", ["kms", "decrypt", "--ciphertext-blob", `fileb://${blobFile}`, "--encryption-context", "team=core,purpose=test", "--query", "Plaintext", "--output", "text"], { env });
      assert.equal(Buffer.from(text.stdout.trim(), "base64").toString(), "the launch codes");

      const mismatch = await awsFails("kms", "decrypt", "--ciphertext-blob", `fileb://${blobFile}`, "--encryption-context", "purpose=other");
      assert.ok([254, 255].includes(mismatch.code));
      assert.match(mismatch.stderr, /InvalidCiphertextException/);

      const dk = (await aws("kms", "generate-data-key", "--key-id", KeyId, "--key-spec", "AES_256")) as { Plaintext: string; CiphertextBlob: string };
      assert.equal(Buffer.from(dk.Plaintext, "base64").length, 32);
      const random = (await aws("kms", "generate-random", "--number-of-bytes", "16")) as { Plaintext: string };
      assert.equal(Buffer.from(random.Plaintext, "base64").length, 16);
    });

    test("disable, schedule deletion and cancel from the CLI, with AWS's errors", async () => {
      const { KeyMetadata } = (await aws("kms", "create-key")) as { KeyMetadata: { KeyId: string; Arn: string } };
      await aws("kms", "disable-key", "--key-id", KeyMetadata.KeyId);
      const disabled = await awsFails("kms", "generate-data-key", "--key-id", KeyMetadata.KeyId, "--key-spec", "AES_256");
      assert.match(disabled.stderr, new RegExp(`DisabledException.*${KeyMetadata.Arn} is disabled\\.`));
      const scheduled = (await aws("kms", "schedule-key-deletion", "--key-id", KeyMetadata.KeyId, "--pending-window-in-days", "7")) as { KeyState: string };
      assert.equal(scheduled.KeyState, "PendingDeletion");
      const cancelled = (await aws("kms", "cancel-key-deletion", "--key-id", KeyMetadata.KeyId)) as { KeyId: string };
      assert.equal(cancelled.KeyId, KeyMetadata.Arn);
      const missing = await awsFails("kms", "describe-key", "--key-id", "alias/nothing-here");
      assert.match(missing.stderr, /NotFoundException/);
      const status = (await aws("kms", "get-key-rotation-status", "--key-id", KeyMetadata.KeyId)) as { KeyRotationEnabled: boolean };
      assert.equal(status.KeyRotationEnabled, false);
    });

    test("a secret on a customer-managed key, from the CLI", async () => {
      const { KeyMetadata } = (await aws("kms", "create-key")) as { KeyMetadata: { KeyId: string; Arn: string } };
      const name = `cli/cmk-${randomUUID().slice(0, 8)}`;
      await aws("secretsmanager", "create-secret", "--name", name, "--secret-string", "on my key", "--kms-key-id", KeyMetadata.Arn);
      const described = (await aws("secretsmanager", "describe-secret", "--secret-id", name)) as { KmsKeyId: string };
      assert.equal(described.KmsKeyId, KeyMetadata.Arn);
      await aws("kms", "disable-key", "--key-id", KeyMetadata.KeyId);
      const refused = await awsFails("secretsmanager", "get-secret-value", "--secret-id", name);
      assert.match(refused.stderr, new RegExp(`DecryptionFailure.*${KeyMetadata.Arn} is disabled\\.`));
      await aws("kms", "enable-key", "--key-id", KeyMetadata.KeyId);
      const got = (await aws("secretsmanager", "get-secret-value", "--secret-id", name)) as { SecretString: string };
      assert.equal(got.SecretString, "on my key");
    });

    test("boto3: encrypt, decrypt, errors as exceptions", async () => {
      const script = `
import boto3, json
kms = boto3.client("kms")
key = kms.create_key(Description="boto3")["KeyMetadata"]
blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"boto3 bytes", EncryptionContext={"k": "v"})["CiphertextBlob"]
plain = kms.decrypt(CiphertextBlob=blob, EncryptionContext={"k": "v"})["Plaintext"].decode()
try:
    kms.decrypt(CiphertextBlob=blob)
    err = None
except kms.exceptions.InvalidCiphertextException as e:
    err = e.response["Error"]["Code"]
try:
    kms.describe_key(KeyId="fake-key-id")
    nf = None
except kms.exceptions.NotFoundException as e:
    nf = e.response["Error"]["Message"]
print(json.dumps({"plain": plain, "err": err, "nf": nf}))
`;
      const out = await run("python3", ["-c", script], { env });
      assert.deepEqual(JSON.parse(out.stdout), { plain: "boto3 bytes", err: "InvalidCiphertextException", nf: "Invalid keyId 'fake-key-id'" });
      assert.ok(readFileSync(join(server.dataDir, "credentials"), "utf8").includes("[coffer]"));
    });
  });
}
