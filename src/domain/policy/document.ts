// IAM policy documents (security spec §3.1, API spec §8.2): parses the JSON text once into a normalised,
// typed form that the public-access check and the policy evaluator work on. Every list-valued element
// becomes an array, every Not- element a flag, and Condition a map of operator → key → string values.
// Any violation of the grammar is a MalformedPolicyDocumentException.
import { MalformedPolicyDocumentException, messages } from "../errors.js";

export type PolicyKind = "resource" | "identity";
/** 2008-10-17 is what AWS assumes when Version is absent; policy variables need 2012-10-17 (§3.3). */
export type PolicyVersion = "2012-10-17" | "2008-10-17";
export type Effect = "Allow" | "Deny";
export type PrincipalType = "AWS" | "Service" | "Federated" | "CanonicalUser";
export type PrincipalMap = { readonly [T in PrincipalType]?: readonly string[] };
/** The bare `"*"` is kept apart from `{"AWS":"*"}`: only the bare form also covers anonymous callers (§3.1). */
export type Principals = "*" | PrincipalMap;

/** An element written either positively or in its Not- form (Action/NotAction, …). */
export interface Negatable<T> {
  readonly negated: boolean;
  readonly value: T;
}

/** Canonical operator name → condition key as written → values (numbers and booleans as their string forms). */
export type ConditionBlock = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: Effect;
  /** Always present in resource policies, never in identity policies. */
  readonly principal?: Negatable<Principals>;
  readonly action: Negatable<readonly string[]>;
  /** Absent in a resource policy means "the resource the policy is attached to" (§3.1). */
  readonly resource?: Negatable<readonly string[]>;
  readonly condition: ConditionBlock;
}

export interface PolicyDocument {
  readonly version: PolicyVersion;
  readonly id?: string;
  readonly statements: readonly PolicyStatement[];
}

// Texts marked [O] were seen from AWS (IAM, S3 or Secrets Manager); the rest follow the same phrasing but are
// unverified. Secrets Manager's own texts live in errors.ts `messages`.
export const policyMessages = {
  invalidJson: "This policy contains invalid Json", // [O] IAM and S3 (no trailing period)
  syntaxErrors: "Syntax errors in policy.", // [O] IAM
  unknownField: (name: string) => `Unknown field ${name}`, // [O] IAM
  missingField: (name: string) => `Missing required field ${name}`, // [O] for Principal; unverified for others
  wrongType: (element: string, expected: string) => `The ${element} element must be ${expected}.`, // unverified
  invalidEffect: (value: string) => `Invalid effect: ${value}. Effect must be Allow or Deny.`, // unverified
  missingActions: "Policy statement must contain actions.", // [O] IAM
  missingResources: "Policy statement must contain resources.", // [O] IAM
  bothElements: (element: string) => `A policy statement can't contain both ${element} and Not${element}.`, // unverified
  principalNotAllowed: "Policy document should not specify a principal.", // [O] IAM
  duplicateSid: "Statement IDs (SID) in a single policy must be unique.", // [O] IAM
  sidNotAlphanumeric:
    "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*", // IAM, unverified
  missingVendor: "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.", // [O] IAM
  tooManyColons: "Actions/Condition can contain only one colon.", // [O] IAM
  resourceFormat: (resource: string) => `Resource ${resource} must be in ARN format or "*".`, // [O] IAM
  invalidConditionOperator: (operator: string) => `Invalid Condition type : ${operator}`, // unverified
} as const;

// ---- condition operators (§3.4) ----

const BASE_OPERATORS = [
  "StringEquals",
  "StringNotEquals",
  "StringEqualsIgnoreCase",
  "StringNotEqualsIgnoreCase",
  "StringLike",
  "StringNotLike",
  "NumericEquals",
  "NumericNotEquals",
  "NumericLessThan",
  "NumericLessThanEquals",
  "NumericGreaterThan",
  "NumericGreaterThanEquals",
  "DateEquals",
  "DateNotEquals",
  "DateLessThan",
  "DateLessThanEquals",
  "DateGreaterThan",
  "DateGreaterThanEquals",
  "Bool",
  "BinaryEquals",
  "IpAddress",
  "NotIpAddress",
  "ArnEquals",
  "ArnLike",
  "ArnNotEquals",
  "ArnNotLike",
  "Null",
] as const;

export type BaseOperator = (typeof BASE_OPERATORS)[number];
export type SetQualifier = "ForAnyValue" | "ForAllValues";

export interface ConditionOperator {
  /** Canonical spelling, e.g. `ForAnyValue:StringEqualsIfExists`. */
  readonly name: string;
  readonly base: BaseOperator;
  readonly set?: SetQualifier;
  readonly ifExists: boolean;
}

const baseByLowerName = new Map<string, BaseOperator>(BASE_OPERATORS.map((op) => [op.toLowerCase(), op]));
const IF_EXISTS = "ifexists";

/**
 * Splits `[ForAnyValue:|ForAllValues:]<Base>[IfExists]` into its parts; undefined when it is not an operator.
 * Names are matched case-insensitively and reported in canonical spelling (unverified whether AWS is stricter).
 */
export const parseConditionOperator = (text: string): ConditionOperator | undefined => {
  let rest = text;
  let set: SetQualifier | undefined;
  const colon = rest.indexOf(":");
  if (colon !== -1) {
    const qualifier = rest.slice(0, colon).toLowerCase();
    if (qualifier === "foranyvalue") set = "ForAnyValue";
    else if (qualifier === "forallvalues") set = "ForAllValues";
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  const ifExists = rest.toLowerCase().endsWith(IF_EXISTS);
  if (ifExists) rest = rest.slice(0, -IF_EXISTS.length);
  const base = baseByLowerName.get(rest.toLowerCase());
  // Null tests presence itself, so an IfExists form of it is meaningless (§3.4).
  if (base === undefined || (ifExists && base === "Null")) return undefined;
  const name = `${set === undefined ? "" : `${set}:`}${base}${ifExists ? "IfExists" : ""}`;
  return set === undefined ? { name, base, ifExists } : { name, base, set, ifExists };
};

// ---- parsing ----

const TOP_LEVEL_FIELDS = new Set(["Version", "Id", "Statement"]);
const STATEMENT_FIELDS = new Set([
  "Sid",
  "Effect",
  "Principal",
  "NotPrincipal",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
]);
const PRINCIPAL_TYPES: ReadonlySet<string> = new Set<PrincipalType>(["AWS", "Service", "Federated", "CanonicalUser"]);
const VERSIONS: ReadonlySet<string> = new Set<PolicyVersion>(["2012-10-17", "2008-10-17"]);

const STRING_OR_LIST = "a string or an array of strings";
// Account id, or an IAM/STS principal ARN of any partition (§3.1 principal table). No wildcards: "arn:…:user/a*"
// is invalid; "*" alone is the only wildcard principal.
const AWS_PRINCIPAL = /^(?:\d{12}|arn:aws(?:-[a-z]+)*:(?:iam|sts)::\d{12}:[^*?\s]+)$/;
// Service principals are DNS-like names under the partition's service domain.
const SERVICE_PRINCIPAL = /^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?\.(?:amazonaws\.com(?:\.cn)?|c2s\.ic\.gov|sc2s\.sgov\.gov)$/;
const WILDCARD = /[*?]/;

const fail = (message: string): never => {
  throw new MalformedPolicyDocumentException(message);
};

/**
 * A principal the grammar refuses. Secrets Manager words it generically; IAM names the principal
 * (`Invalid principal in policy: "AWS":"…"`) and KMS has its own text, so the value travels along.
 */
export class InvalidPrincipalError extends MalformedPolicyDocumentException {
  constructor(
    readonly principalType: string,
    readonly principal: string,
  ) {
    super(messages.policyUnsupportedPrincipal);
  }
}

type JsonObject = { readonly [key: string]: unknown };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const has = (object: JsonObject, key: string): boolean => Object.hasOwn(object, key);

const rejectUnknownFields = (object: JsonObject, allowed: ReadonlySet<string>): void => {
  for (const key of Object.keys(object)) if (!allowed.has(key)) fail(policyMessages.unknownField(key));
};

/** A string or an array of strings (§3.1: a single string is accepted wherever a list is). */
const stringList = (value: unknown, element: string): string[] => {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return [...(value as string[])];
  return fail(policyMessages.wrongType(element, STRING_OR_LIST));
};

const parsePrincipalValues = (type: PrincipalType, raw: unknown, element: string): string[] => {
  const values = stringList(raw, `${element}.${type}`);
  if (values.length === 0) fail(messages.policyUnsupportedPrincipal);
  for (const value of values) {
    if (type === "AWS") {
      if (value !== "*" && !AWS_PRINCIPAL.test(value)) throw new InvalidPrincipalError(type, value);
    } else if (type === "Service") {
      if (!SERVICE_PRINCIPAL.test(value)) fail(messages.policyInvalidServicePrincipal);
    } else if (value === "" || WILDCARD.test(value)) {
      throw new InvalidPrincipalError(type, value);
    }
  }
  return values;
};

const parsePrincipals = (raw: unknown, element: string): Principals => {
  if (raw === "*") return "*";
  if (!isObject(raw)) return fail(messages.policyUnsupportedPrincipal);
  const entries = Object.entries(raw);
  if (entries.length === 0) fail(messages.policyUnsupportedPrincipal);
  const map: { [T in PrincipalType]?: string[] } = {};
  for (const [type, values] of entries) {
    if (!PRINCIPAL_TYPES.has(type)) fail(messages.policyUnsupportedPrincipal);
    map[type as PrincipalType] = parsePrincipalValues(type as PrincipalType, values, element);
  }
  return map;
};

/** Picks X or NotX; `undefined` when neither is present. */
const negatable = (statement: JsonObject, element: string): { negated: boolean; raw: unknown } | undefined => {
  const positive = has(statement, element);
  const negative = has(statement, `Not${element}`);
  if (positive && negative) fail(policyMessages.bothElements(element));
  if (positive) return { negated: false, raw: statement[element] };
  if (negative) return { negated: true, raw: statement[`Not${element}`] };
  return undefined;
};

const parsePrincipalElement = (statement: JsonObject, kind: PolicyKind): Negatable<Principals> | undefined => {
  const found = negatable(statement, "Principal");
  if (kind === "identity") {
    if (found !== undefined) fail(policyMessages.principalNotAllowed);
    return undefined;
  }
  if (found === undefined) return fail(policyMessages.missingField("Principal"));
  const element = found.negated ? "NotPrincipal" : "Principal";
  return { negated: found.negated, value: parsePrincipals(found.raw, element) };
};

const checkAction = (action: string): void => {
  if (action === "*") return;
  const parts = action.split(":");
  if (parts.length < 2 || parts[0] === "") fail(policyMessages.missingVendor);
  if (parts.length > 2) fail(policyMessages.tooManyColons);
};

const parseActionElement = (statement: JsonObject): Negatable<readonly string[]> => {
  const found = negatable(statement, "Action");
  if (found === undefined) return fail(policyMessages.missingActions);
  const actions = stringList(found.raw, found.negated ? "NotAction" : "Action");
  if (actions.length === 0) fail(policyMessages.missingActions);
  actions.forEach(checkAction);
  return { negated: found.negated, value: actions };
};

// "arn:partition:service:region:account:resource" has at least six colon-separated parts (§3.2).
const isArnPattern = (resource: string): boolean => resource.startsWith("arn:") && resource.split(":").length >= 6;

const parseResourceElement = (statement: JsonObject, kind: PolicyKind): Negatable<readonly string[]> | undefined => {
  const found = negatable(statement, "Resource");
  if (found === undefined) return kind === "identity" ? fail(policyMessages.missingResources) : undefined;
  const resources = stringList(found.raw, found.negated ? "NotResource" : "Resource");
  if (resources.length === 0) fail(policyMessages.missingResources);
  for (const resource of resources) {
    if (resource !== "*" && !isArnPattern(resource)) fail(policyMessages.resourceFormat(resource));
  }
  return { negated: found.negated, value: resources };
};

const conditionValue = (value: unknown, element: string): string => {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return fail(policyMessages.wrongType(element, "a string, number or boolean, or an array of them"));
};

const parseConditionElement = (statement: JsonObject): ConditionBlock => {
  const block = new Map<string, Map<string, readonly string[]>>();
  if (!has(statement, "Condition")) return block;
  const raw = statement["Condition"];
  if (!isObject(raw)) return fail(policyMessages.wrongType("Condition", "an object"));
  for (const [operatorText, keys] of Object.entries(raw)) {
    const operator = parseConditionOperator(operatorText);
    if (operator === undefined) return fail(policyMessages.invalidConditionOperator(operatorText));
    // Two spellings of one operator would need their keys merged, which changes AND into OR; refuse instead.
    if (block.has(operator.name)) fail(policyMessages.syntaxErrors);
    const element = `Condition.${operatorText}`;
    if (!isObject(keys)) return fail(policyMessages.wrongType(element, "an object"));
    const byKey = new Map<string, readonly string[]>();
    for (const [key, values] of Object.entries(keys)) {
      // Keys need a vendor prefix like actions do; tag keys after "/" may themselves contain colons.
      if (key.indexOf(":") < 1) fail(policyMessages.missingVendor);
      const valueElement = `${element}.${key}`;
      const list: unknown[] = Array.isArray(values) ? values : [values];
      byKey.set(key, list.map((value) => conditionValue(value, valueElement)));
    }
    block.set(operator.name, byKey);
  }
  return block;
};

const parseEffect = (statement: JsonObject): Effect => {
  if (!has(statement, "Effect")) return fail(policyMessages.missingField("Effect"));
  const effect = statement["Effect"];
  if (typeof effect !== "string") return fail(policyMessages.wrongType("Effect", "a string"));
  // Case-sensitive: "allow" is rejected like any other word (§3.1).
  if (effect !== "Allow" && effect !== "Deny") return fail(policyMessages.invalidEffect(effect));
  return effect;
};

const parseSid = (statement: JsonObject, kind: PolicyKind): string | undefined => {
  if (!has(statement, "Sid")) return undefined;
  const sid = statement["Sid"];
  if (typeof sid !== "string") return fail(policyMessages.wrongType("Sid", "a string"));
  // IAM restricts Sids in identity policies; Secrets Manager's own examples use Sids with spaces.
  if (kind === "identity" && !/^[0-9A-Za-z]*$/.test(sid)) fail(policyMessages.sidNotAlphanumeric);
  return sid;
};

const parseStatement = (raw: unknown, kind: PolicyKind): PolicyStatement => {
  if (!isObject(raw)) return fail(policyMessages.wrongType("Statement", "an object or an array of objects"));
  rejectUnknownFields(raw, STATEMENT_FIELDS);
  const sid = parseSid(raw, kind);
  const effect = parseEffect(raw);
  const principal = parsePrincipalElement(raw, kind);
  const action = parseActionElement(raw);
  const resource = parseResourceElement(raw, kind);
  const condition = parseConditionElement(raw);
  return {
    ...(sid === undefined ? {} : { sid }),
    effect,
    ...(principal === undefined ? {} : { principal }),
    action,
    ...(resource === undefined ? {} : { resource }),
    condition,
  };
};

const parseVersion = (document: JsonObject): PolicyVersion => {
  if (!has(document, "Version")) return "2008-10-17";
  const version = document["Version"];
  // Observed: Secrets Manager rejects an unknown Version such as 2019-10-19 with this generic text (§3.1).
  if (typeof version !== "string" || !VERSIONS.has(version)) return fail(messages.policyInvalidSyntax);
  return version as PolicyVersion;
};

const parseStatements = (document: JsonObject, kind: PolicyKind): PolicyStatement[] => {
  if (!has(document, "Statement")) return fail(policyMessages.missingField("Statement"));
  const raw = document["Statement"];
  const list = Array.isArray(raw) ? raw : [raw];
  // An empty list grants and denies nothing; treated as a missing Statement (unverified).
  if (list.length === 0) fail(policyMessages.missingField("Statement"));
  const statements = list.map((item) => parseStatement(item, kind));
  const sids = new Set<string>();
  for (const { sid } of statements) {
    if (sid === undefined || sid === "") continue;
    if (sids.has(sid)) fail(policyMessages.duplicateSid);
    sids.add(sid);
  }
  return statements;
};

/**
 * Parses a policy document. `resource` documents (secret policies) require Principal/NotPrincipal in every
 * statement and may omit Resource; `identity` documents forbid principals and require Resource/NotResource.
 */
export const parsePolicyDocument = (text: string, kind: PolicyKind): PolicyDocument => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail(policyMessages.invalidJson);
  }
  if (!isObject(parsed)) return fail(policyMessages.invalidJson);
  rejectUnknownFields(parsed, TOP_LEVEL_FIELDS);
  const version = parseVersion(parsed);
  let id: string | undefined;
  if (has(parsed, "Id")) {
    const raw = parsed["Id"];
    if (typeof raw !== "string") return fail(policyMessages.wrongType("Id", "a string"));
    id = raw;
  }
  const statements = parseStatements(parsed, kind);
  return id === undefined ? { version, statements } : { version, id, statements };
};
