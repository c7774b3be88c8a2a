// AssumeRole (security spec §4.3): temporary credentials that act with the role's permissions,
// narrowed by the session policies given here. Whether the caller may assume the role (the role's
// trust policy, and for callers of another account or a trust policy naming only the account, the
// caller's own policies) is decided by the pipeline's authorization step before this runs.
import type { AssumeRoleRequest, AssumeRoleResponse } from "@aws-sdk/client-sts";
import { AccessDeniedException, MalformedPolicyDocumentException, ValidationError } from "../../domain/errors.js";
import { parsePolicyDocument } from "../../domain/policy/document.js";
import type { Operation } from "../context.js";
import { attrsOf, DEFAULT_MAX_SESSION_DURATION } from "../iam/entities.js";
import { sessionArn } from "../iam/identifiers.js";
import { MalformedPolicyDocument, PackedPolicyTooLarge, stsMessages } from "./errors.js";
import type { SessionAttrs } from "./session-attrs.js";
import { issueSession } from "./issue-session.js";

const DEFAULT_DURATION = 3600;
const CHAINED_LIMIT = 3600;
const PACKED_LIMIT = 2048;
const MAX_SESSION_TAGS = 50;

export const AssumeRole: Operation<AssumeRoleRequest, AssumeRoleResponse> = async (input, ctx, deps) => {
  const roleArn = input.RoleArn as string;
  const sessionName = input.RoleSessionName as string;
  const role = await deps.store.identity.getEntityByArn(roleArn);
  if (!role || role.kind !== "role") {
    // Authorization already refused unknown roles; this covers a role deleted meanwhile.
    throw new AccessDeniedException(`User: ${ctx.caller.principalArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  }
  // Coffer has no MFA devices: a code given for one cannot be validated (as GetSessionToken).
  if (input.SerialNumber !== undefined || input.TokenCode !== undefined) throw new AccessDeniedException(stsMessages.mfaNotValidated);
  const chained = ctx.caller.principal?.kind === "assumed-role";
  const duration = input.DurationSeconds ?? DEFAULT_DURATION;
  if (chained && input.DurationSeconds !== undefined && duration > CHAINED_LIMIT) throw new ValidationError(stsMessages.exceedsChainingLimit);
  if (duration > (attrsOf(role).maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION)) throw new ValidationError(stsMessages.exceedsMaxSessionDuration);

  if (input.Policy !== undefined) {
    try {
      parsePolicyDocument(input.Policy, "identity");
    } catch (err) {
      if (err instanceof MalformedPolicyDocumentException) throw new MalformedPolicyDocument(err.message);
      throw err;
    }
  }
  const policyArns = (input.PolicyArns ?? []).map((p) => p.arn as string);

  // Session tags: the caller's transitive tags carry over into a chained session (§4.3).
  const parent = chained ? await deps.store.identity.getSession(ctx.caller.accessKeyId) : undefined;
  const parentAttrs = (parent?.attrs ?? {}) as SessionAttrs;
  const tags: Record<string, string> = {};
  const transitive = new Set<string>();
  for (const key of parentAttrs.transitiveTagKeys ?? []) {
    const value = parentAttrs.tags?.[key];
    if (value !== undefined) {
      tags[key] = value;
      transitive.add(key);
    }
  }
  for (const tag of input.Tags ?? []) tags[tag.Key as string] = tag.Value ?? "";
  for (const key of input.TransitiveTagKeys ?? []) transitive.add(key);
  if (Object.keys(tags).length > MAX_SESSION_TAGS) throw new ValidationError(stsMessages.tooManySessionTags);

  let sourceIdentity = input.SourceIdentity;
  if (parentAttrs.sourceIdentity !== undefined) {
    if (sourceIdentity !== undefined && sourceIdentity !== parentAttrs.sourceIdentity) throw new ValidationError(stsMessages.sourceIdentityFixed);
    sourceIdentity = parentAttrs.sourceIdentity;
  }

  // AWS packs (compresses) session policies and tags and reports the share of the 2048-character
  // allowance used; Coffer counts the characters unpacked, which is stricter.
  const packedChars =
    (input.Policy?.length ?? 0) + policyArns.reduce((n, arn) => n + arn.length, 0) + (input.Tags ?? []).reduce((n, t) => n + (t.Key?.length ?? 0) + (t.Value?.length ?? 0), 0);
  const packedPercent = Math.ceil((packedChars * 100) / PACKED_LIMIT);
  if (packedPercent > 100) throw new PackedPolicyTooLarge(stsMessages.packedPolicyTooLarge(packedPercent));

  const attrs: SessionAttrs = { roleName: role.name };
  if (input.Policy !== undefined) attrs.policy = input.Policy;
  if (policyArns.length > 0) attrs.policyArns = policyArns;
  if (Object.keys(tags).length > 0) attrs.tags = tags;
  if (transitive.size > 0) attrs.transitiveTagKeys = [...transitive];
  if (sourceIdentity !== undefined) attrs.sourceIdentity = sourceIdentity;
  const packed = input.Policy !== undefined || policyArns.length > 0 || (input.Tags ?? []).length > 0;
  return issueSession(
    deps,
    { accountId: role.accountId, principalArn: role.arn, principalId: role.id, sessionName, attrs, now: ctx.now, durationSeconds: duration },
    (credentials) => ({
      Credentials: credentials,
      AssumedRoleUser: { AssumedRoleId: `${role.id}:${sessionName}`, Arn: sessionArn(deps.partition, role.accountId, role.name, sessionName) },
      PackedPolicySize: packed ? packedPercent : undefined,
      SourceIdentity: sourceIdentity,
    }),
  );
};
