// Long-term access keys (security spec §4.4): AKIA + 16 characters of A–Z2–7, a 40-character
// secret shown once, and the sealing of that secret under the root key, bound to its key id.
import { randomBytes, randomInt } from "node:crypto";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function newKeyId(prefix: "AKIA" | "ASIA"): string {
  let id: string = prefix;
  for (let i = 0; i < 16; i++) id += BASE32[randomInt(32)];
  return id;
}

/** 30 random bytes in base64: 40 characters, like AWS's. */
export function newSecretKey(): string {
  return randomBytes(30).toString("base64");
}

/** Additional data binding a sealed secret access key to its key id (the root-key rotation re-wraps with it). */
export const accessKeyAad = (accessKeyId: string): string => `coffer:access-key:${accessKeyId}`;
