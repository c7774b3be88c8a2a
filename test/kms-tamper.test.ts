// Tampering, black-box: a flipped byte anywhere in a stored secret version (its KMS-encrypted data
// key or its encrypted value) or in a KMS key's wrapped material gives DecryptionFailure (or, for
// the KMS API, an error), never wrong data. The store is changed underneath the running server
// the way an attacker with access to the database would.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, describe, test } from "node:test";
import { CreateKeyCommand, DecryptCommand, EncryptCommand, GenerateDataKeyCommand } from "@aws-sdk/client-kms";
import { CreateSecretCommand, GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { openStore } from "../src/store/open-store.js";
import type { Store } from "../src/store/store.js";
import { startServer, storeKinds, type TestServer } from "./harness.js";
import { kmsClient, rejects } from "./kms-support.js";

const DECRYPTION_FAILURE = "Secrets Manager can't decrypt the protected secret text using the provided KMS key.";

async function withStore<T>(url: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(url);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const flip = (bytes: Buffer, at: number) => {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] as number) ^ 0x01;
  return copy;
};

for (const store of storeKinds()) {
  describe(`tampering on ${store}`, () => {
    let server: TestServer | undefined;
    after(async () => server?.dispose());

    test("every flipped byte of a stored version gives DecryptionFailure; restoring it reads again", async () => {
      server = await startServer({ store });
      const sm = server.client();
      const kms = kmsClient(server);
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
      for (const kmsKeyId of [undefined, KeyMetadata?.KeyId]) {
        const name = `tamper-${randomUUID().slice(0, 8)}`;
        const created = await sm.send(new CreateSecretCommand({ Name: name, SecretString: "the real value", KmsKeyId: kmsKeyId }));
        const arn = created.ARN as string;
        const versionId = created.VersionId as string;
        const row = await withStore(server.storeUrl, (s) => s.getVersion(arn, versionId));
        const sealed = row?.sealed as Buffer;
        const keyLength = sealed.readUInt16BE(1);
        // Bytes of the header, of the KMS ciphertext of the data key (its header, IV, body and tag)
        // and of the encrypted value (IV, tag, body).
        const positions = [0, 2, 3, 3 + 20, 3 + 55, 3 + keyLength - 1, 3 + keyLength, 3 + keyLength + 13, sealed.length - 1];
        for (const at of positions) {
          await withStore(server.storeUrl, (s) => s.transaction((tx) => tx.updateVersionValue(arn, versionId, flip(sealed, at), row?.kmsKeyId ?? null)));
          await rejects(() => sm.send(new GetSecretValueCommand({ SecretId: name })), "DecryptionFailure", DECRYPTION_FAILURE);
        }
        await withStore(server.storeUrl, (s) => s.transaction((tx) => tx.updateVersionValue(arn, versionId, sealed, row?.kmsKeyId ?? null)));
        assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, "the real value");
        // A sealed value moved to another version does not open there either.
        const other = await sm.send(new CreateSecretCommand({ Name: `${name}-b`, SecretString: "other", KmsKeyId: kmsKeyId }));
        const otherRow = await withStore(server.storeUrl, (s) => s.getVersion(other.ARN as string, other.VersionId as string));
        await withStore(server.storeUrl, (s) => s.transaction((tx) => tx.updateVersionValue(other.ARN as string, other.VersionId as string, sealed, otherRow?.kmsKeyId ?? null)));
        await rejects(() => sm.send(new GetSecretValueCommand({ SecretId: `${name}-b` })), "DecryptionFailure", DECRYPTION_FAILURE);
      }
      sm.destroy();
      kms.destroy();
    });

    test("a flipped byte in a KMS key's wrapped material: reads fail after a restart, never with wrong data", async () => {
      server = await server?.restart() ?? (await startServer({ store }));
      let sm: SecretsManagerClient = server.client();
      let kms = kmsClient(server);
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
      const keyArn = KeyMetadata?.Arn as string;
      const name = `tamper-key-${randomUUID().slice(0, 8)}`;
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: "under a tampered key", KmsKeyId: keyArn }));
      const blob = (await kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from("direct") }))).CiphertextBlob;
      const original = await withStore(server.storeUrl, async (s) => (await s.keys.getKeyByArn(keyArn))?.wrappedMaterial as Buffer);
      const tampered = flip(original, original.length - 5);
      await withStore(server.storeUrl, (s) => s.transaction((tx) => tx.keys.replaceRootWrapped("kms-key", keyArn, original, tampered)));
      sm.destroy();
      kms.destroy();

      server = await server.restart();
      sm = server.client();
      kms = kmsClient(server);
      await rejects(() => sm.send(new GetSecretValueCommand({ SecretId: name })), "DecryptionFailure", DECRYPTION_FAILURE);
      await rejects(() => kms.send(new DecryptCommand({ CiphertextBlob: blob })), "KMSInternalException");
      await withStore(server.storeUrl, (s) => s.transaction((tx) => tx.keys.replaceRootWrapped("kms-key", keyArn, tampered, original)));
      // The server reads the key row again within a second; then the value is back.
      let value: string | undefined;
      for (let i = 0; i < 20 && value === undefined; i++) {
        await new Promise((r) => setTimeout(r, 200));
        value = await sm.send(new GetSecretValueCommand({ SecretId: name })).then((r) => r.SecretString, () => undefined);
      }
      assert.equal(value, "under a tampered key");
      sm.destroy();
      kms.destroy();
    });
  });

  describe(`KMS plaintexts at rest on ${store}`, () => {
    let server: TestServer | undefined;
    after(async () => server?.dispose());

    test("no plaintext given to Encrypt, and no data key GenerateDataKey returned, rests in any file or row", async () => {
      server = await startServer({ store });
      const kms = kmsClient(server);
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
      const planted = Buffer.from(`KMS-PLANTED-${randomUUID()}`);
      const blob = (await kms.send(new EncryptCommand({ KeyId: KeyMetadata?.KeyId, Plaintext: planted }))).CiphertextBlob;
      assert.deepEqual(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext as Uint8Array), planted);
      const dataKey = Buffer.from((await kms.send(new GenerateDataKeyCommand({ KeyId: KeyMetadata?.KeyId, KeySpec: "AES_256" }))).Plaintext as Uint8Array);
      kms.destroy();
      await server.stop();
      const filesUnder = (dir: string): string[] =>
        readdirSync(dir).flatMap((entry) => {
          const path = join(dir, entry);
          return statSync(path).isDirectory() ? filesUnder(path) : [path];
        });
      const haystacks: Array<[string, Buffer]> = filesUnder(server.dataDir).map((f) => [f, readFileSync(f)]);
      if (store === "postgres") {
        const dump = await promisify(execFile)("pg_dump", ["--data-only", "--inserts", server.storeUrl], { maxBuffer: 256 * 1024 * 1024, encoding: "buffer" });
        haystacks.push(["pg_dump", dump.stdout as unknown as Buffer]);
      }
      for (const [file, content] of haystacks) {
        for (const needle of [planted, Buffer.from(planted.toString("base64")), dataKey, Buffer.from(dataKey.toString("base64")), Buffer.from(dataKey.toString("hex"))]) {
          assert.equal(content.includes(needle), false, `${file} holds a plaintext`);
        }
      }
    });
  });
}
