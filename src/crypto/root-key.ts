// The root of the key hierarchy. In file-key mode it is 32 random bytes in <data-dir>/root.key,
// readable by the server's user only; in Shamir mode it exists only in memory after unsealing.
// Everything else that is secret is wrapped under it.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { makeDirectory } from "../store/make-directory.js";

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

export function newRootKey(): RootKey {
  return rootKeyFromMaterial(randomBytes(32));
}

/**
 * What Shamir mode keeps instead of the key: an HMAC under the key of a fixed label. It tells a
 * correctly reconstructed key from a wrong one and reveals nothing about the key.
 */
export function rootKeyVerifier(key: RootKey): Buffer {
  return createHmac("sha256", key.material).update("coffer-root-key-verifier-v1").digest();
}

export function verifiesRootKey(key: RootKey, verifier: Buffer | null): boolean {
  if (verifier === null) return false;
  const expected = rootKeyVerifier(key);
  return expected.length === verifier.length && timingSafeEqual(expected, verifier);
}

/** The key in a root key file, or undefined when there is none. */
export function readRootKeyFile(path: string): RootKey | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) chmodSync(path, 0o600); // tighten a key file that was loosened by hand
  return rootKeyFromMaterial(Buffer.from(text, "base64"));
}

/** Loads the root key file, creating it (mode 0600) on first start. */
export function loadOrCreateRootKeyFile(path: string): { key: RootKey; created: boolean } {
  const existing = readRootKeyFile(path);
  if (existing) return { key: existing, created: false };
  makeDirectory(dirname(path), 0o700);
  const key = newRootKey();
  // Processes of one fresh data dir start together: the file must appear whole or not at all
  // (one that read it half-written would fail, or worse), and a key another process put there a
  // moment ago must not be overwritten. So it is written in full under a name of this process's
  // own and then linked into place, which fails when the name is taken.
  const staged = stageKeyFile(path, key);
  try {
    linkSync(staged, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return loadOrCreateRootKeyFile(path);
    throw err;
  } finally {
    rmSync(staged, { force: true });
  }
  fsyncDir(dirname(path));
  return { key, created: true };
}

/**
 * Writes `key` in full, synced, beside `path` under a name of this process's own (two processes
 * of one data dir may both be writing one), and returns that name: renamed or linked into place
 * afterwards, the key file is never seen half-written.
 */
function stageKeyFile(path: string, key: RootKey): string {
  const staged = `${path}.new.${process.pid}`;
  rmSync(staged, { force: true });
  writeKeyFile(staged, key, "wx");
  return staged;
}

function writeKeyFile(path: string, key: RootKey, flag: "wx" | "w"): void {
  const fd = openSync(path, flag, 0o600);
  try {
    writeFileSync(fd, key.material.toString("base64") + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes `next` the key in `path` during a root-key rotation. The old file is kept as
 * `<path>.old` until the rotation completes; the switch itself is one rename, so a crash leaves
 * either the old or the new key in `path` (the store holds each wrapped under the other).
 */
export function replaceRootKeyFile(path: string, next: RootKey): void {
  const staged = stageKeyFile(path, next);
  const current = readRootKeyFile(path);
  if (current && current.id !== next.id) writeKeyFile(`${path}.old`, current, "w");
  renameSync(staged, path);
  fsyncDir(dirname(path));
}

/** Drops the previous key file once nothing is wrapped under it any more. */
export function removeOldRootKeyFile(path: string): void {
  rmSync(`${path}.old`, { force: true });
  fsyncDir(dirname(path));
}
