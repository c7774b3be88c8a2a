// The Ed25519 key that signs digests, kept under the key hierarchy: its private half is stored
// only wrapped under the root key; its public half is stored plainly and exported for verifiers
// (`coffer audit public-key`, <data-dir>/audit-public-key.pem). Every process of a store signs
// with the oldest key it can open; one that can open none (a first start, or a root key that no
// longer opens the stored one) makes a new key, and the old public keys stay to verify old digests.
import { createPrivateKey, type KeyObject } from "node:crypto";
import type { AuditSigningKeyRow } from "../store/audit-ops.js";
import { type Store, UniqueViolationError } from "../store/store.js";
import { exportPublicKeyPem, generateDigestKeyPair, publicKeyFingerprint } from "./digest.js";

/** The part of the keyring this needs. */
export interface RootWrapper {
  wrapWithRoot(plaintext: Buffer, aad: string): Buffer;
  unwrapWithRoot(blob: Buffer, aad: string): Buffer;
  /** True while the server is sealed: no key may be opened. */
  readonly sealed?: boolean;
}

export interface SigningKey {
  fingerprint: string;
  privateKey: KeyObject;
  publicKeyPem: string;
}

export const signingKeyAad = (fingerprint: string) => `coffer:audit-signing-key:${fingerprint}`;

function open(row: AuditSigningKeyRow, root: RootWrapper): SigningKey | undefined {
  try {
    const der = root.unwrapWithRoot(row.wrappedPrivateKey, signingKeyAad(row.fingerprint));
    const privateKey = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
    der.fill(0);
    if (publicKeyFingerprint(privateKey) !== row.fingerprint) return undefined;
    return { fingerprint: row.fingerprint, privateKey, publicKeyPem: row.publicKeyPem };
  } catch {
    return undefined;
  }
}

/** The signing key, made on first use. Undefined while the root key is sealed. */
export async function loadOrCreateSigningKey(store: Store, root: RootWrapper, now = Date.now()): Promise<SigningKey | undefined> {
  if (root.sealed === true) return undefined;
  for (const row of await store.audit.listSigningKeys()) {
    const key = open(row, root);
    if (key) return key;
  }
  const pair = generateDigestKeyPair();
  const fingerprint = publicKeyFingerprint(pair.publicKey);
  const der = pair.privateKey.export({ format: "der", type: "pkcs8" });
  const row: AuditSigningKeyRow = {
    fingerprint,
    publicKeyPem: exportPublicKeyPem(pair.publicKey),
    wrappedPrivateKey: root.wrapWithRoot(der, signingKeyAad(fingerprint)),
    createdAt: now,
  };
  der.fill(0);
  try {
    await store.transaction((tx) => tx.audit.insertSigningKey(row));
  } catch (err) {
    if (!(err instanceof UniqueViolationError)) throw err;
  }
  // Processes that raced here each stored a key; all settle on the oldest one they can open.
  for (const stored of await store.audit.listSigningKeys()) {
    const key = open(stored, root);
    if (key) return key;
  }
  throw new Error("the audit signing key just stored cannot be opened");
}

/** Every public key that ever signed a digest of this store, by fingerprint. */
export async function publicKeysOf(store: Pick<Store, "audit">): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const row of await store.audit.listSigningKeys()) keys.set(row.fingerprint, row.publicKeyPem);
  return keys;
}
