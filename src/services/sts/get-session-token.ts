// GetSessionToken (security spec §4.2): temporary credentials for the account root or an IAM user
// that act with that same identity and its policies. It needs no permission (no policy can allow
// or deny an authentication operation) but must be called with long-term keys. Coffer has no MFA
// devices, so a request that names one fails the way AWS fails an MFA code it cannot validate.
import type { GetSessionTokenRequest, GetSessionTokenResponse } from "@aws-sdk/client-sts";
import { AccessDeniedException } from "../../domain/errors.js";
import type { Operation } from "../context.js";
import { newKeyId, newSecretKey } from "../iam/credentials.js";
import { stsMessages } from "./errors.js";
import { isTemporaryCaller, SESSION_TOKEN_KIND, type SessionAttrs } from "./session-attrs.js";
import { KEEP_EXPIRED_MS, newSessionToken, sealSessionSecret, tokenHash } from "./session-credentials.js";

const USER_DEFAULT_DURATION = 43_200;
/** The account root's sessions last at most an hour; a longer request gets an hour. */
const ROOT_MAX_DURATION = 3_600;

export const GetSessionToken: Operation<GetSessionTokenRequest, GetSessionTokenResponse> = async (input, ctx, deps) => {
  const caller = ctx.caller;
  if (isTemporaryCaller(caller)) throw new AccessDeniedException(stsMessages.sessionCredentialsRefused("GetSessionToken"));
  if (input.SerialNumber !== undefined || input.TokenCode !== undefined) throw new AccessDeniedException(stsMessages.mfaNotValidated);

  const isRoot = caller.principal?.kind === "root";
  const duration = isRoot ? Math.min(input.DurationSeconds ?? ROOT_MAX_DURATION, ROOT_MAX_DURATION) : (input.DurationSeconds ?? USER_DEFAULT_DURATION);
  const accessKeyId = newKeyId("ASIA");
  const secretAccessKey = newSecretKey();
  const sessionToken = newSessionToken();
  const expiresAt = ctx.now + duration * 1000;
  const attrs: SessionAttrs = { kind: SESSION_TOKEN_KIND };
  await deps.store.transaction(async (tx) => {
    await tx.identity.insertSession({
      accessKeyId,
      accountId: caller.accountId,
      tokenHash: tokenHash(sessionToken),
      sealedSecret: sealSessionSecret(secretAccessKey, sessionToken, accessKeyId),
      // A session token's session stands for the long-term principal itself.
      roleArn: caller.principalArn,
      roleId: caller.principalId ?? caller.accountId,
      sessionName: "",
      issuedAt: ctx.now,
      expiresAt,
      attrs: attrs as Record<string, unknown>,
    });
    await tx.identity.deleteSessionsExpiredBefore(ctx.now - KEEP_EXPIRED_MS);
  });
  return { Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, SessionToken: sessionToken, Expiration: new Date(expiresAt) } };
};
