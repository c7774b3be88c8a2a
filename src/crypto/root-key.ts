// The root of the key hierarchy in file-key mode: 32 random bytes in <data-dir>/root.key,
// readable by the server's user only. Everything else that is secret is wrapped under it.
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface RootKey {
  /** Short public fingerprint, stored beside every blob the key wraps (no trial decryption). */
  readonly id: string;
  readonly material: Buffer;
}

export function rootKeyFromMaterial(material: Buffer): RootKey {
  if (material.length !== 32) throw new Error("root key must be 32 bytes");
  const id = createHash("sha256").update("coffer-root-key-id").update(material).digest("hex").slice(0, 16);
  return { id, material };
}

/** Loads the root key file, creating it (mode 0600) on first start. */
export function loadOrCreateRootKeyFile(path: string): { key: RootKey; created: boolean } {
  try {
    const text = readFileSync(path, "utf8").trim();
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o077) chmodSync(path, 0o600); // tighten a key file that was loosened by hand
    return { key: rootKeyFromMaterial(Buffer.from(text, "base64")), created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const material = randomBytes(32);
  // 'wx' refuses to overwrite a key another process wrote a moment ago.
  try {
    writeFileSync(path, material.toString("base64") + "\n", { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return loadOrCreateRootKeyFile(path);
    throw err;
  }
  return { key: rootKeyFromMaterial(material), created: true };
}
