// The policy evaluator (security spec §3.8) and the AccessDenied texts it explains itself with (§3.9).
//
// Every applicable statement of every policy set is tested once: any matching Deny is an explicit deny;
// otherwise the allows of the identity policies, the permissions boundary, the session policies and the
// resource policy combine by the same-account / cross-account rules of §3.8 step 6.
import { compilePolicy, statementApplies } from "./compile.js";
import type { StatementInput } from "./compile.js";
import { ACCOUNT_MATCH, DIRECT_MATCH, NO_MATCH, ROLE_MATCH } from "./matching.js";
import type { PrincipalMatch } from "./matching.js";
import type { AuthorizationRequest, Decision, MatchedStatement, PolicySetKind, PolicySource } from "./request.js";
import { RequestValues } from "./request-context.js";

export type {
  AuthorizationRequest,
  Decision,
  MatchedStatement,
  PolicySetKind,
  PolicySource,
  Principal,
  PrincipalKind,
} from "./request.js";
export { compilePolicy } from "./compile.js";
export type { CompiledPolicy } from "./compile.js";

// ---- §3.9 texts ----

const SET_NAMES: Readonly<Record<PolicySetKind, string>> = {
  identity: "identity-based policy",
  resource: "resource-based policy",
  boundary: "permissions boundary",
  session: "session policy",
};

const ARTICLES: Readonly<Record<PolicySetKind, string>> = { identity: "an", resource: "a", boundary: "a", session: "a" };

/** `because no identity-based policy allows the secretsmanager:GetSecretValue action` (§3.9). */
export const implicitDenyReason = (kind: PolicySetKind, action: string): string =>
  `because no ${SET_NAMES[kind]} allows the ${action} action`;

/** `with an explicit deny in a resource-based policy` (§3.9; texts other than the identity one unverified). */
export const explicitDenyReason = (kind: PolicySetKind): string => `with an explicit deny in ${ARTICLES[kind]} ${SET_NAMES[kind]}`;

/**
 * `User: <arn> is not authorized to perform: <action> on resource: <resource> <reason>` (§3.9); the
 * " on resource: …" part is left out for actions without a resource.
 */
export function accessDeniedMessage(
  principalArn: string,
  action: string,
  resourceShown: string | undefined,
  reason: string,
): string {
  const on = resourceShown === undefined ? "" : ` on resource: ${resourceShown}`;
  return `User: ${principalArn} is not authorized to perform: ${action}${on} ${reason}`;
}

// ---- evaluation ----

/** What one policy set contributed: whether something allowed / denied, and the best principal reach. */
interface SetResult {
  allowed: boolean;
  denied: boolean;
  /** Resource policies: how the strongest matching Allow statement reached the caller. */
  reach: PrincipalMatch;
}

const scan = (
  source: PolicySource,
  kind: PolicySetKind,
  input: StatementInput,
  result: SetResult,
  matched: MatchedStatement[],
): void => {
  const withPrincipal = kind === "resource";
  for (const statement of compilePolicy(source.document).statements) {
    const reach = statementApplies(statement, input, withPrincipal);
    if (reach === NO_MATCH) continue;
    const effect = statement.effect;
    matched.push(
      statement.sid === undefined
        ? { policyId: source.id, statementIndex: statement.index, effect, kind }
        : { policyId: source.id, sid: statement.sid, statementIndex: statement.index, effect, kind },
    );
    if (effect === "Deny") result.denied = true;
    else {
      result.allowed = true;
      if (reach > result.reach) result.reach = reach;
    }
  }
};

const emptyResult = (): SetResult => ({ allowed: false, denied: false, reach: NO_MATCH });

const allow = (matched: MatchedStatement[]): Decision => ({ effect: "Allow", matched });

const implicitDeny = (matched: MatchedStatement[], kind: PolicySetKind, action: string): Decision => ({
  effect: "ImplicitDeny",
  matched,
  reason: implicitDenyReason(kind, action),
});

export function evaluate(request: AuthorizationRequest): Decision {
  const { principal, action } = request;
  const input: StatementInput = {
    principal,
    action: action.toLowerCase(),
    resource: request.resource,
    values: new RequestValues(principal, request.context, request.resourceAccount),
    bounded: request.permissionsBoundary !== undefined,
  };
  const matched: MatchedStatement[] = [];

  const identity = emptyResult();
  for (const source of request.identityPolicies) scan(source, "identity", input, identity, matched);
  const boundary = emptyResult();
  if (request.permissionsBoundary !== undefined) scan(request.permissionsBoundary, "boundary", input, boundary, matched);
  const session = emptyResult();
  const sessionPolicies = request.sessionPolicies ?? [];
  for (const source of sessionPolicies) scan(source, "session", input, session, matched);
  const resource = emptyResult();
  if (request.resourcePolicy !== undefined) scan(request.resourcePolicy, "resource", input, resource, matched);

  // Step 3: any explicit deny wins. Which set is named when several deny is not documented; identity first.
  const denier: PolicySetKind | undefined = identity.denied
    ? "identity"
    : resource.denied
      ? "resource"
      : boundary.denied
        ? "boundary"
        : session.denied
          ? "session"
          : undefined;
  if (denier !== undefined) return { effect: "ExplicitDeny", matched, reason: explicitDenyReason(denier) };

  const rp = resource.reach;
  // Service principals and anonymous callers have no identity policies: only a resource policy can grant.
  if (principal.kind === "service" || principal.kind === "anonymous") {
    return rp === DIRECT_MATCH ? allow(matched) : implicitDeny(matched, "resource", action);
  }
  // Step 5: key policies and trust policies must allow by themselves (IAM alone never grants).
  if (request.resourcePolicyMandatory === true && rp === NO_MATCH) return implicitDeny(matched, "resource", action);

  // The root user holds every permission in its own account (§3.8 notes); it has no boundary or session.
  const idAllow = principal.kind === "root" || identity.allowed;
  const pbOk = request.permissionsBoundary === undefined || boundary.allowed;
  const spOk = sessionPolicies.length === 0 || session.allowed;
  const sameAccount = request.resourceAccount === undefined || request.resourceAccount === principal.accountId;

  if (sameAccount) {
    // Step 6: a grant naming the user, the session or "*" is not limited by implicit denies elsewhere; one
    // naming the session's role still needs the boundary and session policies; an account grant needs IAM.
    if (rp === DIRECT_MATCH) return allow(matched);
    const granted = idAllow || rp === ROLE_MATCH;
    if (granted && pbOk && spOk) return allow(matched);
    if (!granted) return implicitDeny(matched, "identity", action);
    return implicitDeny(matched, pbOk ? "session" : "boundary", action);
  }

  // Cross account: the caller's account (identity, boundary, session) and the resource policy must both allow.
  if (!idAllow) return implicitDeny(matched, "identity", action);
  if (!pbOk) return implicitDeny(matched, "boundary", action);
  if (!spOk) return implicitDeny(matched, "session", action);
  return rp >= ACCOUNT_MATCH ? allow(matched) : implicitDeny(matched, "resource", action);
}
