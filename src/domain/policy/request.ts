// The inputs and output of one authorization decision (security spec §3.5, §3.8, §3.9). Kept apart from the
// evaluator so the matching and condition modules can name the principal without depending on it.
import type { PolicyDocument } from "./document.js";

export type PrincipalKind = "root" | "user" | "assumed-role" | "service" | "anonymous";

export interface Principal {
  kind: PrincipalKind;
  /**
   * The ARN shown in messages: the user ARN, `arn:aws:sts::<acct>:assumed-role/<role>/<session>` for role
   * sessions, `arn:aws:iam::<acct>:root` for root. For a service principal, its name
   * (`secretsmanager.amazonaws.com`), which is what a `{"Service": …}` entry names.
   */
  arn: string;
  accountId: string;
  /** The role ARN (with path) of a role session; what `aws:PrincipalArn` holds for sessions (§3.5). */
  roleArn?: string;
  /** `aws:userid`: `AIDA…` for users, `AROA…:<session>` for role sessions (§3.5). */
  userId?: string;
  /** `aws:username`, IAM users only (§3.5). */
  username?: string;
  /** `aws:PrincipalTag/<k>`: user or role tags merged with session tags (session tags win, §3.5). */
  tags?: Record<string, string>;
}

export interface PolicySource {
  /** For explanations, e.g. a managed policy ARN or "inline:user/alice/PolicyName". */
  id: string;
  document: PolicyDocument;
}

export interface AuthorizationRequest {
  principal: Principal;
  /** `service:Action`, e.g. "secretsmanager:GetSecretValue". */
  action: string;
  /** ARN of the target; "*" for actions without a resource type (§3.2). */
  resource: string;
  /** Owner account of the resource; undefined when there is no resource (then the caller's account acts). */
  resourceAccount?: string;
  /** Condition keys under their canonical names, e.g. "aws:SourceIp", "secretsmanager:ResourceTag/team". */
  context: Record<string, string | string[] | undefined>;
  identityPolicies: PolicySource[];
  /** undefined = no permissions boundary set. */
  permissionsBoundary?: PolicySource;
  /** undefined (or empty) = not a session with session policies. */
  sessionPolicies?: PolicySource[];
  /** The target's resource policy (a secret's policy, a key policy, a role trust policy). */
  resourcePolicy?: PolicySource;
  /** KMS key policies and role trust policies must themselves allow (§3.8 rule 5). */
  resourcePolicyMandatory?: boolean;
}

export type PolicySetKind = "identity" | "boundary" | "session" | "resource";

export interface MatchedStatement {
  policyId: string;
  sid?: string;
  statementIndex: number;
  effect: "Allow" | "Deny";
  kind: PolicySetKind;
}

export interface Decision {
  effect: "Allow" | "ExplicitDeny" | "ImplicitDeny";
  /** Why, for SimulatePrincipalPolicy and debug logs: the statements that matched. */
  matched: MatchedStatement[];
  /**
   * The AccessDenied reason suffix per §3.9, e.g. "because no identity-based policy allows the
   * secretsmanager:GetSecretValue action" or "with an explicit deny in a resource-based policy".
   * Absent when allowed.
   */
  reason?: string;
}
