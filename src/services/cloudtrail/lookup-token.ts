// LookupEvents' NextToken: where the previous page ended (eventTime, seq) and a fingerprint of
// the query it belongs to, so a token reused with other parameters is refused as AWS refuses it
// (§6.6). Opaque to callers; it carries nothing they could not see in the events themselves.
import { createHash } from "node:crypto";
import { InvalidNextTokenException } from "../../domain/errors.js";

export interface LookupPosition {
  eventTime: number;
  seq: number;
}

const MESSAGE = "A token that is not valid, or a token that was previously used in a request with different parameters.";

export function queryFingerprint(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 16);
}

export function encodeLookupToken(position: LookupPosition, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ t: position.eventTime, s: position.seq, q: fingerprint })).toString("base64url");
}

export function decodeLookupToken(token: string, fingerprint: string): LookupPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new InvalidNextTokenException(MESSAGE);
  }
  const v = value as { t?: unknown; s?: unknown; q?: unknown } | null;
  if (v === null || typeof v !== "object" || !Number.isSafeInteger(v.t) || !Number.isSafeInteger(v.s) || v.q !== fingerprint) {
    throw new InvalidNextTokenException(MESSAGE);
  }
  return { eventTime: v.t as number, seq: v.s as number };
}
