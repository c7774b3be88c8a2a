// Broad-access ("public") detection for PutResourcePolicy's BlockPublicPolicy and the checks behind
// ValidateResourcePolicy (security spec §3.10, API spec §8.3, §5.23).
//
// AWS decides "public" with Zelkova; this is the documented conservative approximation: an Allow statement is
// public when it reaches any principal (Principal "*", an AWS list containing "*", or NotPrincipal) and no
// condition pins the caller to fixed values of one of the keys in FIXED_VALUE_KEYS or to bounded source
// addresses. Secret-specific keys (secretsmanager:…) never count: they restrict what is asked, not who asks.
import { parseConditionOperator, parsePolicyDocument } from "./document.js";
import type {
  BaseOperator,
  ConditionBlock,
  Negatable,
  PolicyDocument,
  PolicyStatement,
  Principals,
} from "./document.js";

/** CheckName values; AWS's own strings are unverified, these are the ones §3.10 recommends. */
export const CHECK_BROAD_ACCESS = "BROAD_ACCESS";
export const CHECK_LOCKOUT = "LOCKOUT";

// Texts the Secrets Manager user guide shows for these two findings ("Managing a resource-based policy").
export const validationMessages = {
  broadAccess:
    "This resource policy grants broad access to your secret. Secrets Manager does not allow creating and applying such policies in the console.",
  lockout: "Your requested changes will not allow you to manage this secret in the future.",
} as const;

export interface PolicyValidationError {
  CheckName: string;
  ErrorMessage: string;
}

export interface PolicyValidationResult {
  PolicyValidationPassed: boolean;
  ValidationErrors: PolicyValidationError[];
}

// Keys that, fixed to literal values, bound who can call (§3.10: the Secrets Manager guide's four, S3's
// aws:SourceOwner and aws:userid, and Access Analyzer's principal keys). Compared case-insensitively (§3.4).
const FIXED_VALUE_KEYS: ReadonlySet<string> = new Set([
  "aws:sourcearn",
  "aws:sourceaccount",
  "aws:sourceowner",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:userid",
]);

// Positive operators that can fix a key to literal values. StringLike/ArnLike only count with wildcard-free
// values, which makes them equality tests (§3.10 lists ArnLike; StringLike is the same case).
const FIXING_OPERATORS: ReadonlySet<BaseOperator> = new Set<BaseOperator>([
  "StringEquals",
  "StringEqualsIgnoreCase",
  "StringLike",
  "ArnEquals",
  "ArnLike",
]);

/** No wildcard and no policy variable: a variable's value comes from the caller, so it fixes nothing. */
const isLiteral = (value: string): boolean => value !== "" && !/[*?]/.test(value) && !value.includes("${");

// S3's definition of public exempts "AROLEID:*" for aws:userid: every session of one role is a bounded set.
const isRoleSessionsPattern = (value: string): boolean => value.endsWith(":*") && isLiteral(value.slice(0, -2));

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/;

/** A CIDR (or bare address) narrower than the whole address space; /0 admits everyone. */
const isBoundedCidr = (value: string): boolean => {
  const [address = "", prefix, ...extra] = value.split("/");
  if (extra.length > 0) return false;
  const max = IPV4.test(address) ? 32 : IPV6.test(address) ? 128 : 0;
  if (max === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  const bits = Number(prefix);
  return bits > 0 && bits <= max;
};

const fixesKey = (operator: BaseOperator, key: string, values: readonly string[]): boolean => {
  if (values.length === 0) return false;
  if (key === "aws:sourceip") return operator === "IpAddress" && values.every(isBoundedCidr);
  if (!FIXED_VALUE_KEYS.has(key) || !FIXING_OPERATORS.has(operator)) return false;
  return values.every((value) => isLiteral(value) || (key === "aws:userid" && isRoleSessionsPattern(value)));
};

/**
 * True when the conditions confine the statement to a bounded set of callers. Only operators that fail on a
 * missing key can do that: IfExists forms and ForAllValues pass when the key is absent (§3.4).
 */
const restrictsCaller = (condition: ConditionBlock): boolean => {
  for (const [operatorName, keys] of condition) {
    const operator = parseConditionOperator(operatorName);
    if (operator === undefined || operator.ifExists || operator.set === "ForAllValues") continue;
    for (const [key, values] of keys) {
      if (fixesKey(operator.base, key.toLowerCase(), values)) return true;
    }
  }
  return false;
};

const awsPrincipals = (principals: Principals): readonly string[] => (principals === "*" ? ["*"] : principals.AWS ?? []);

/** Principal "*", {"AWS":"*"} or an AWS list containing "*"; NotPrincipal reaches everyone it does not list. */
const reachesAnyone = (principal: Negatable<Principals>): boolean => {
  const containsStar = awsPrincipals(principal.value).includes("*");
  // NotPrincipal "*" excludes everyone, so it reaches no one.
  return principal.negated ? !containsStar : containsStar;
};

/** Partial wildcards such as "arn:aws:iam::*:root" are invalid; if one gets this far, treat it as public. */
const hasPartialWildcard = (principal: Negatable<Principals>): boolean =>
  !principal.negated && awsPrincipals(principal.value).some((p) => p !== "*" && /[*?]/.test(p));

const isPublicStatement = (statement: PolicyStatement): boolean => {
  // Deny statements only ever take access away.
  if (statement.effect !== "Allow" || statement.principal === undefined) return false;
  if (hasPartialWildcard(statement.principal)) return true;
  return reachesAnyone(statement.principal) && !restrictsCaller(statement.condition);
};

export const isPublicPolicy = (doc: PolicyDocument): boolean => doc.statements.some(isPublicStatement);

// ---- lockout (§3.10) ----

// The caller must keep the ability to change or remove the policy afterwards.
const MANAGEMENT_ACTIONS = ["secretsmanager:PutResourcePolicy", "secretsmanager:DeleteResourcePolicy"] as const;

/** IAM action wildcard match: `*` any run, `?` one character, case-insensitive (§3.2). */
const actionMatches = (pattern: string, action: string): boolean => {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "is").test(action);
};

const coversAction = (actions: Negatable<readonly string[]>, action: string): boolean => {
  const matched = actions.value.some((pattern) => actionMatches(pattern, action));
  return actions.negated ? !matched : matched;
};

// Without the secret's ARN only an absent Resource or "*" certainly covers the secret.
const coversEverySecret = (resource: Negatable<readonly string[]> | undefined): boolean =>
  resource === undefined || (!resource.negated && resource.value.some((pattern) => /^\*+$/.test(pattern)));

/**
 * Only certain lockouts are reported: an unconditional Deny to every principal ("*") of either management
 * action. Deny+NotPrincipal, conditional denies and denies aimed at named principals depend on who the caller
 * is, which this check is not given.
 */
const locksOutEveryone = (doc: PolicyDocument): boolean =>
  doc.statements.some(
    (statement) =>
      statement.effect === "Deny" &&
      statement.principal !== undefined &&
      !statement.principal.negated &&
      awsPrincipals(statement.principal.value).includes("*") &&
      statement.condition.size === 0 &&
      coversEverySecret(statement.resource) &&
      MANAGEMENT_ACTIONS.some((action) => coversAction(statement.action, action)),
  );

/**
 * ValidateResourcePolicy's checks. Grammar errors throw MalformedPolicyDocumentException rather than becoming
 * entries (§3.10); broad access and lockout are reported as ValidationErrors.
 */
export const validateResourcePolicy = (text: string): PolicyValidationResult => {
  const doc = parsePolicyDocument(text, "resource");
  const errors: PolicyValidationError[] = [];
  if (isPublicPolicy(doc)) {
    errors.push({ CheckName: CHECK_BROAD_ACCESS, ErrorMessage: validationMessages.broadAccess });
  }
  if (locksOutEveryone(doc)) errors.push({ CheckName: CHECK_LOCKOUT, ErrorMessage: validationMessages.lockout });
  return { PolicyValidationPassed: errors.length === 0, ValidationErrors: errors };
};
