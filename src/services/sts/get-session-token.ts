// GetSessionToken (security spec §4.2): temporary credentials for the account root or an IAM user
// that act with that same identity and its policies. It needs no permission (no policy can allow
// or deny an authentication operation) but must be called with long-term keys. Coffer has no MFA
// devices, so a request that names one fails the way AWS fails an MFA code it cannot validate.
import type { GetSessionTokenRequest, GetSessionTokenResponse } from "@aws-sdk/client-sts";
import { AccessDeniedException } from "../../domain/errors.js";
import type { Operation } from "../context.js";
import { stsMessages } from "./errors.js";
import { issueSession } from "./issue-session.js";
import { isTemporaryCaller, SESSION_TOKEN_KIND } from "./session-attrs.js";

const USER_DEFAULT_DURATION = 43_200;
/** The account root's sessions last at most an hour; a longer request gets an hour. */
const ROOT_MAX_DURATION = 3_600;

export const GetSessionToken: Operation<GetSessionTokenRequest, GetSessionTokenResponse> = async (input, ctx, deps) => {
  const caller = ctx.caller;
  if (isTemporaryCaller(caller)) throw new AccessDeniedException(stsMessages.sessionCredentialsRefused("GetSessionToken"));
  if (input.SerialNumber !== undefined || input.TokenCode !== undefined) throw new AccessDeniedException(stsMessages.mfaNotValidated);

  const isRoot = caller.principal?.kind === "root";
  const duration = isRoot ? Math.min(input.DurationSeconds ?? ROOT_MAX_DURATION, ROOT_MAX_DURATION) : (input.DurationSeconds ?? USER_DEFAULT_DURATION);
  // A session token's session stands for the long-term principal itself.
  return issueSession(
    deps,
    {
      accountId: caller.accountId,
      principalArn: caller.principalArn,
      principalId: caller.principalId ?? caller.accountId,
      sessionName: "",
      attrs: { kind: SESSION_TOKEN_KIND },
      now: ctx.now,
      durationSeconds: duration,
    },
    (credentials) => ({ Credentials: credentials }),
  );
};
