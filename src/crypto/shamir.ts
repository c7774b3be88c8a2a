// Splitting the root key into Shamir shares and putting it back together, with the audited
// `shamir-secret-sharing` package. A share as handed to an operator is text:
//
//   <root key id (16 hex)>-<share bytes, base64url>
//
// The id (public: it is stored beside every blob the key wraps) lets the server tell a share of
// an older root key from a share of the current one before any arithmetic; the share bytes carry
// their own x coordinate (the package's last byte).
import { combine, split } from "shamir-secret-sharing";
import { rootKeyFromMaterial, type RootKey } from "./root-key.js";

const SHARE_PATTERN = /^([0-9a-f]{16})-([A-Za-z0-9_-]+)$/;
/** A 32-byte secret gives 33-byte shares (the package appends the x coordinate). */
const SHARE_BYTES = 33;
export const MAX_SHARES = 255;

export class ShareFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ShareFormatError";
  }
}

export interface ParsedShare {
  rootKeyId: string;
  bytes: Buffer;
  /** The share's x coordinate: two shares with the same one are the same share. */
  index: number;
}

export function checkShareCounts(shares: number, threshold: number): string | undefined {
  if (!Number.isInteger(shares) || !Number.isInteger(threshold)) return "--shares and --threshold must be integers";
  if (threshold < 2) return "--threshold must be at least 2 (one share alone would be the key)";
  if (shares < threshold) return "--shares must be at least --threshold";
  if (shares > MAX_SHARES) return `--shares must be at most ${MAX_SHARES}`;
  return undefined;
}

export async function splitRootKey(key: RootKey, shares: number, threshold: number): Promise<string[]> {
  const problem = checkShareCounts(shares, threshold);
  if (problem) throw new Error(problem);
  const parts = await split(new Uint8Array(key.material), shares, threshold);
  return parts.map((part) => {
    const text = `${key.id}-${Buffer.from(part).toString("base64url")}`;
    part.fill(0);
    return text;
  });
}

export function parseShare(text: string): ParsedShare {
  const m = SHARE_PATTERN.exec(text.trim());
  if (!m) throw new ShareFormatError("That is not an unseal share: expected <root key id>-<base64url share> as printed by coffer operator init.");
  const bytes = Buffer.from(m[2] as string, "base64url");
  if (bytes.length !== SHARE_BYTES) throw new ShareFormatError("That unseal share has the wrong length; copy it again exactly as printed.");
  return { rootKeyId: m[1] as string, bytes, index: bytes[SHARE_BYTES - 1] as number };
}

/**
 * The key the shares reconstruct. With fewer shares than the threshold, or any wrong share, the
 * result is some other key: the caller checks it against the stored verifier.
 */
export async function combineShares(shares: readonly Buffer[]): Promise<RootKey> {
  const secret = await combine(shares.map((s) => new Uint8Array(s)));
  try {
    return rootKeyFromMaterial(Buffer.from(secret));
  } finally {
    secret.fill(0);
  }
}
