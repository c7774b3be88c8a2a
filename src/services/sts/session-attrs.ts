// What a session row keeps besides its identity columns (SessionRow.attrs): the session policies,
// session tags and source identity given at AssumeRole, for every later request of the session,
// and which operation made it.
import type { Caller } from "../context.js";

/** SessionAttrs.kind of a GetSessionToken session, whose role columns name the user or root it stands for. */
export const SESSION_TOKEN_KIND = "session-token";

export interface SessionAttrs {
  /** Absent for an AssumeRole session. */
  kind?: typeof SESSION_TOKEN_KIND;
  /** The inline session policy, as given. */
  policy?: string;
  /** Managed session policies (PolicyArns). */
  policyArns?: string[];
  /** Session tags: aws:PrincipalTag/<key> of the session, over the role's own tags. */
  tags?: Record<string, string>;
  /** Keys of tags that pass on to sessions this session assumes (role chaining). */
  transitiveTagKeys?: string[];
  sourceIdentity?: string;
  /** The role's name, for the session ARN. */
  roleName?: string;
}

/** The caller signed with temporary credentials (an AssumeRole or a GetSessionToken session). */
export function isTemporaryCaller(caller: Caller): boolean {
  return caller.sessionIssuedAt !== undefined;
}

/** The caller signed with GetSessionToken's credentials: the user or root itself, for a while. */
export function isSessionTokenCaller(caller: Caller): boolean {
  return caller.sessionIssuedAt !== undefined && caller.principal?.kind !== "assumed-role";
}
