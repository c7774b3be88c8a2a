// What every operation handler receives: who is calling, where, and the server's parts.
import type { Logger } from "pino";
import type { Keyring } from "../crypto/keyring.js";
import type { PolicySource, Principal } from "../domain/policy/request.js";
import type { SecretRow, Store } from "../store/store.js";

export interface Caller {
  accountId: string;
  /** arn:aws:iam::<account>:root for an account's root key. */
  principalArn: string;
  accessKeyId: string;
  /** aws:userid (AIDA… for a user, AROA…:<session> for a role session); audit userIdentity.principalId. */
  principalId?: string;
  /** When a role session's credentials were issued, ms (audit sessionContext.attributes.creationDate). */
  sessionIssuedAt?: number;
  /** The policy engine's view of the caller (security spec §3.5), set by the identity layer at authentication. */
  principal?: Principal;
  /** The policies that decide what the caller may do (§3.8), loaded with the principal; absent for the account root. */
  policies?: CallerPolicies;
  /** Temporary credentials: when they expire, ms. */
  sessionExpiresAt?: number;
}

/** A caller's identity-based policies, permissions boundary and session policies (§3.8). */
export interface CallerPolicies {
  identity: readonly PolicySource[];
  boundary?: PolicySource;
  session?: readonly PolicySource[];
}

/** Authorization a handler needs beyond the pipeline's one check (BatchGetSecretValue's per-secret reads). */
export interface SecretAccess {
  /** Throws AccessDeniedException unless the caller may take `action` on the secret `secretId` names (as the caller gave it). */
  checkSecret(ctx: RequestContext, action: string, secretId: string): Promise<void>;
}

export interface RequestContext {
  requestId: string;
  /** The region the request was signed for (SigV4 credential scope). */
  region: string;
  caller: Caller;
  /** Request time in ms; one clock reading per request so every date it sets agrees. */
  now: number;
  sourceIp: string;
  userAgent: string | undefined;
  /** The request came over TLS (aws:SecureTransport). */
  secure?: boolean;
  /** The secret the authorize step found for the request's SecretId, so a read need not look it up again. */
  resolvedSecret?: { secretId: string; secret: SecretRow | undefined };
}

export interface ServiceDeps {
  store: Store;
  keyring: Keyring;
  log: Logger;
  partition: string;
  /** Set by the server once identity policies are enforced. */
  access?: SecretAccess;
}

export type Operation<I, O> = (input: I, ctx: RequestContext, deps: ServiceDeps) => Promise<O>;
