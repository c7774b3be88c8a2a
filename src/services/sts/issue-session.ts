// Issuing temporary credentials (AssumeRole, GetSessionToken): a new ASIA… key id, secret and
// session token; the session row keeps only the token's hash and the secret sealed under a key
// the token yields (session-credentials.ts). Sessions long expired are cleared in passing.
import type { Credentials } from "@aws-sdk/client-sts";
import type { ServiceDeps } from "../context.js";
import { newKeyId, newSecretKey } from "../iam/credentials.js";
import type { SessionAttrs } from "./session-attrs.js";
import { newSessionToken, sealSessionSecret, tokenHash } from "./session-credentials.js";

/** Expired sessions are kept a week, so their tokens answer ExpiredToken rather than "invalid". */
const KEEP_EXPIRED_MS = 7 * 86_400_000;

export interface SessionGrant {
  accountId: string;
  /** The role assumed, or the root or user a session token stands for. */
  principalArn: string;
  principalId: string;
  sessionName: string;
  attrs: SessionAttrs;
  now: number;
  durationSeconds: number;
}

/**
 * Stores a new session and answers `respond(credentials)`. The answer is the transaction's result,
 * so the request's audit record (made from it, audit/carrying-store.ts) shows what was issued,
 * its secrets left out.
 */
export async function issueSession<T>(deps: ServiceDeps, grant: SessionGrant, respond: (credentials: Credentials) => T): Promise<T> {
  const accessKeyId = newKeyId("ASIA");
  const secretAccessKey = newSecretKey();
  const sessionToken = newSessionToken();
  const expiresAt = grant.now + grant.durationSeconds * 1000;
  return deps.store.transaction(async (tx) => {
    await tx.identity.insertSession({
      accessKeyId,
      accountId: grant.accountId,
      tokenHash: tokenHash(sessionToken),
      sealedSecret: sealSessionSecret(secretAccessKey, sessionToken, accessKeyId),
      roleArn: grant.principalArn,
      roleId: grant.principalId,
      sessionName: grant.sessionName,
      issuedAt: grant.now,
      expiresAt,
      attrs: grant.attrs as Record<string, unknown>,
    });
    await tx.identity.deleteSessionsExpiredBefore(grant.now - KEEP_EXPIRED_MS);
    return respond({ AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, SessionToken: sessionToken, Expiration: new Date(expiresAt) });
  });
}
