// First start: the account, its root access key and the credentials file (DESIGN.md "Server").
// Later starts find the account in the store and change nothing.
import { randomBytes, randomInt } from "node:crypto";
import { writeFileSync } from "node:fs";
import { makeDirectory } from "../store/make-directory.js";
import { join } from "node:path";
import type { Keyring } from "../crypto/keyring.js";
import type { Store } from "../store/store.js";
import { accessKeyAad } from "./access-keys.js";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function newAccessKeyId(prefix = "AKIA"): string {
  let id = prefix;
  for (let i = 0; i < 16; i++) id += BASE32[randomInt(32)];
  return id;
}

export function newSecretAccessKey(): string {
  return randomBytes(30).toString("base64"); // 40 characters, like AWS's
}

export function newAccountId(): string {
  return String(randomInt(1, 10)) + String(randomInt(0, 100_000_000_000)).padStart(11, "0");
}

export interface BootstrapResult {
  accountId: string;
  accessKeyId: string;
  /** Present only on the start that created the key (it is shown once). */
  secretAccessKey?: string;
  credentialsFile?: string;
}

export async function bootstrap(
  store: Store,
  keyring: Keyring,
  opts: { dataDir: string; region: string; accountId?: string; accessKeyId?: string; secretAccessKey?: string },
): Promise<BootstrapResult> {
  const holder = randomBytes(8).toString("hex");
  // Several processes may start together on one PostgreSQL store: one of them bootstraps.
  while (!(await store.tryLease("bootstrap", holder, Date.now(), 30_000))) await new Promise((r) => setTimeout(r, 100));
  try {
    const existing = await store.getSetting("bootstrap");
    if (existing) return JSON.parse(existing) as BootstrapResult;
    const accountId = opts.accountId ?? newAccountId();
    const accessKeyId = opts.accessKeyId ?? newAccessKeyId();
    const secretAccessKey = opts.secretAccessKey ?? newSecretAccessKey();
    const now = Date.now();
    await store.transaction(async (tx) => {
      await tx.insertAccount({ accountId, name: "default", createdAt: now });
      await tx.insertAccessKey({
        accessKeyId,
        accountId,
        principalArn: `arn:aws:iam::${accountId}:root`,
        sealedSecret: keyring.wrapWithRoot(Buffer.from(secretAccessKey, "utf8"), accessKeyAad(accessKeyId)),
        status: "Active",
        createdAt: now,
      });
      await tx.putSetting("bootstrap", JSON.stringify({ accountId, accessKeyId }));
    });
    const credentialsFile = writeCredentialsFile(opts.dataDir, accessKeyId, secretAccessKey, opts.region);
    return { accountId, accessKeyId, secretAccessKey, credentialsFile };
  } finally {
    await store.releaseLease("bootstrap", holder);
  }
}

/** AWS shared-credentials format, profile `coffer`, readable by the owner only. */
export function writeCredentialsFile(dataDir: string, accessKeyId: string, secretAccessKey: string, region: string): string {
  makeDirectory(dataDir, 0o700);
  const path = join(dataDir, "credentials");
  const text = `[coffer]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\nregion = ${region}\n`;
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}
