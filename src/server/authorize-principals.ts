// Who is calling, as authorization needs it: the Caller of an access key (the account root, an
// IAM user) or of an STS session (a role session), with the principal the policy engine matches
// (security spec §3.5) and every policy that governs it (§3.8), loaded once and then cached with
// the key (access-keys.ts).
import type { PolicySource, Principal } from "../domain/policy/request.js";
import type { Caller, CallerPolicies } from "../services/context.js";
import { attrsOf } from "../services/iam/entities.js";
import { parseIamArn, sessionArn } from "../services/iam/identifiers.js";
import { ALLOWS_NOTHING, entityPolicies, managedPolicyText, policyDocuments } from "../services/iam/principal-policies.js";
import { tagMap } from "../services/iam/tags.js";
import { SESSION_TOKEN_KIND, type SessionAttrs } from "../services/sts/session-attrs.js";
import type { EntityRow, SessionRow } from "../store/identity-ops.js";
import type { AccessKeyRow, Store } from "../store/store.js";

/** The caller of a long-term key; undefined when the key's principal no longer exists. */
export async function callerOfKey(store: Store, key: AccessKeyRow): Promise<Caller | undefined> {
  if (parseIamArn(key.principalArn)?.type === "root") return rootCaller(key.principalArn, key.accountId, key.accessKeyId);
  const user = await store.identity.getEntityByArn(key.principalArn);
  return user?.kind === "user" ? userCaller(store, user, key.accessKeyId) : undefined;
}

/**
 * The caller of a GetSessionToken session: the root or the user that asked for it (found by its
 * unique id, so a user deleted and made again under the same name does not inherit the session),
 * with that principal's own policies and the session's times.
 */
async function callerOfSessionToken(store: Store, session: SessionRow): Promise<Caller | undefined> {
  let caller: Caller | undefined;
  if (parseIamArn(session.roleArn)?.type === "root") caller = rootCaller(session.roleArn, session.accountId, session.accessKeyId);
  else {
    const user = await store.identity.getEntityById(session.roleId);
    caller = user?.kind === "user" ? await userCaller(store, user, session.accessKeyId) : undefined;
  }
  return caller && { ...caller, sessionIssuedAt: session.issuedAt, sessionExpiresAt: session.expiresAt };
}

function rootCaller(principalArn: string, accountId: string, accessKeyId: string): Caller {
  const principal: Principal = { kind: "root", arn: principalArn, accountId };
  return { accountId, principalArn, accessKeyId, principalId: accountId, principal };
}

async function userCaller(store: Store, user: EntityRow, accessKeyId: string): Promise<Caller> {
  const principal: Principal = {
    kind: "user",
    arn: user.arn,
    accountId: user.accountId,
    userId: user.id,
    username: user.name,
    tags: tagMap(attrsOf(user).tags),
  };
  return {
    accountId: user.accountId,
    principalArn: user.arn,
    accessKeyId,
    principalId: user.id,
    principal,
    policies: await entityPolicies(store, policyDocuments, user),
  };
}

/** The caller of an STS session; undefined when its role (or user) is gone (its sessions stop working). */
export async function callerOfSession(store: Store, partition: string, session: SessionRow): Promise<Caller | undefined> {
  if ((session.attrs as SessionAttrs).kind === SESSION_TOKEN_KIND) return callerOfSessionToken(store, session);
  const role = await store.identity.getEntityById(session.roleId);
  if (!role || role.kind !== "role") return undefined;
  const attrs = session.attrs as SessionAttrs;
  const arn = sessionArn(partition, role.accountId, role.name, session.sessionName);
  const principalId = `${role.id}:${session.sessionName}`;
  // Session tags win over the role's tags with the same key (§3.5).
  const tags = { ...tagMap(attrsOf(role).tags), ...(attrs.tags ?? {}) };
  const principal: Principal = { kind: "assumed-role", arn, accountId: role.accountId, roleArn: role.arn, userId: principalId, tags };
  const policies: CallerPolicies = { ...(await entityPolicies(store, policyDocuments, role)) };
  const sessionPolicies: PolicySource[] = [];
  if (attrs.policy !== undefined) {
    const document = policyDocuments.get(attrs.policy, "identity");
    if (document) sessionPolicies.push({ id: "session:Policy", document });
  }
  for (const policyArn of attrs.policyArns ?? []) {
    const text = await managedPolicyText(store, role.accountId, policyArn);
    const document = text === undefined ? undefined : policyDocuments.get(text, "identity");
    // A session policy that no longer exists still counts as a session policy, allowing nothing.
    sessionPolicies.push({ id: `session:${policyArn}`, document: document ?? ALLOWS_NOTHING });
  }
  if (sessionPolicies.length > 0) policies.session = sessionPolicies;
  return {
    accountId: role.accountId,
    principalArn: arn,
    accessKeyId: session.accessKeyId,
    principalId,
    sessionIssuedAt: session.issuedAt,
    sessionExpiresAt: session.expiresAt,
    principal,
    policies,
  };
}
