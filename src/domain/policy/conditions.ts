// Condition operators (security spec §3.4; IAM User Guide, "IAM JSON policy elements: Condition operators",
// "Single-valued vs. multivalued context keys").
//
// Each key under each operator compiles to one CompiledCondition; a statement's conditions all have to hold
// (several operators, and several keys under one operator, are AND). Within one key the policy values are OR:
// a request value "matches" when it matches any of them. Negated operators (StringNotEquals, NotIpAddress, …)
// are the negation of their positive form, so several values behave as "matches none" and a value holding a
// reference without a value (§3.3) counts as not matched.
import { parseConditionOperator } from "./document.js";
import type { BaseOperator, ConditionBlock, SetQualifier } from "./document.js";
import { cidrContains, parseCidr, parseIpAddress } from "./ip.js";
import type { Cidr } from "./ip.js";
import { compileArnPattern, compileGlob } from "./matching.js";
import type { Glob } from "./matching.js";
import type { RequestValues } from "./request-context.js";
import { parseDate, parseNumber } from "./scalars.js";
import { literalText } from "./variables.js";
import type { VariableSource } from "./variables.js";

/** Whether one request value matches any of the key's policy values (the positive form of the operator). */
type ValueMatcher = (value: string, vars: VariableSource) => boolean;

export interface CompiledCondition {
  /** Canonical operator name, e.g. `ForAllValues:StringLikeIfExists`. */
  readonly operator: string;
  /** The key as written; looked up case-insensitively (§3.4). */
  readonly key: string;
  readonly lowerKey: string;
  readonly base: BaseOperator;
  readonly set: SetQualifier | undefined;
  readonly ifExists: boolean;
  readonly negated: boolean;
  readonly matches: ValueMatcher;
  /** Null only: the policy values "true"/"false", lower-cased. */
  readonly nullValues: readonly string[];
}

const NEGATED: ReadonlySet<BaseOperator> = new Set<BaseOperator>([
  "StringNotEquals",
  "StringNotEqualsIgnoreCase",
  "StringNotLike",
  "NumericNotEquals",
  "DateNotEquals",
  "NotIpAddress",
  "ArnNotEquals",
  "ArnNotLike",
]);

// §3.3: variables only in String, ARN and Bool values; elsewhere "${…}" is plain text.
const VARIABLE_FAMILIES = /^(?:String|Arn|Bool)/;

const anyGlob = (globs: readonly Glob[], value: string, vars: VariableSource): boolean => {
  for (const glob of globs) if (glob.test(value, vars)) return true;
  return false;
};

/** Exact comparison, optionally case-folded; values without references become a set lookup. */
const equalsMatcher = (values: readonly string[], variables: boolean, fold: boolean): ValueMatcher => {
  const globs = values.map((value) => compileGlob(value, { variables, wildcards: false, fold }));
  const literals = globs.map((glob) => literalText(glob.tokens));
  if (literals.every((text) => text !== undefined)) {
    const set = new Set(literals as string[]);
    return fold ? (value) => set.has(value.toLowerCase()) : (value) => set.has(value);
  }
  return fold
    ? (value, vars) => anyGlob(globs, value.toLowerCase(), vars)
    : (value, vars) => anyGlob(globs, value, vars);
};

const likeMatcher = (values: readonly string[], variables: boolean): ValueMatcher => {
  const globs = values.map((value) => compileGlob(value, { variables, wildcards: true, fold: false }));
  return (value, vars) => anyGlob(globs, value, vars);
};

type Compare = (request: number, policy: number) => boolean;

const COMPARISONS: Readonly<Record<string, Compare>> = {
  Equals: (a, b) => a === b,
  NotEquals: (a, b) => a === b, // negated afterwards
  LessThan: (a, b) => a < b,
  LessThanEquals: (a, b) => a <= b,
  GreaterThan: (a, b) => a > b,
  GreaterThanEquals: (a, b) => a >= b,
};

/** Numeric and Date operators: parse once per side; NaN (unparsable) compares false with everything. */
const orderedMatcher = (values: readonly string[], parse: (text: string) => number, comparison: string): ValueMatcher => {
  const compare = COMPARISONS[comparison];
  if (compare === undefined) throw new Error(`no comparison ${comparison}`);
  const numbers = values.map(parse);
  return (value) => {
    const request = parse(value);
    for (const policy of numbers) if (compare(request, policy)) return true;
    return false;
  };
};

const ipMatcher = (values: readonly string[]): ValueMatcher => {
  const blocks = values.map(parseCidr).filter((cidr): cidr is Cidr => cidr !== undefined);
  return (value) => {
    const address = parseIpAddress(value.trim());
    if (address === undefined) return false;
    for (const block of blocks) if (cidrContains(block, address)) return true;
    return false;
  };
};

const arnMatcher = (values: readonly string[], variables: boolean): ValueMatcher => {
  const patterns = values.map((value) => compileArnPattern(value, variables));
  return (value, vars) => {
    for (const pattern of patterns) if (pattern.test(value, vars)) return true;
    return false;
  };
};

const never: ValueMatcher = () => false;

const valueMatcher = (base: BaseOperator, values: readonly string[], variables: boolean): ValueMatcher => {
  switch (base) {
    case "StringEquals":
    case "StringNotEquals":
      return equalsMatcher(values, variables, false);
    case "StringEqualsIgnoreCase":
    case "StringNotEqualsIgnoreCase":
      return equalsMatcher(values, variables, true);
    case "StringLike":
    case "StringNotLike":
      return likeMatcher(values, variables);
    // Bool compares "true"/"false" case-insensitively (§3.4).
    case "Bool":
      return equalsMatcher(values, variables, true);
    // The base64 text of the bytes, compared exactly.
    case "BinaryEquals":
      return equalsMatcher(values, false, false);
    case "IpAddress":
    case "NotIpAddress":
      return ipMatcher(values);
    // ArnEquals and ArnLike are the same test (§3.4: "identical pairs").
    case "ArnEquals":
    case "ArnLike":
    case "ArnNotEquals":
    case "ArnNotLike":
      return arnMatcher(values, variables);
    case "Null":
      return never;
    default:
      if (base.startsWith("Numeric")) return orderedMatcher(values, parseNumber, base.slice("Numeric".length));
      return orderedMatcher(values, parseDate, base.slice("Date".length));
  }
};

export const compileCondition = (
  operatorName: string,
  key: string,
  values: readonly string[],
  variablesAllowed: boolean,
): CompiledCondition => {
  const operator = parseConditionOperator(operatorName);
  // The parser only produces valid operator names; anything else is a programming error.
  if (operator === undefined) throw new Error(`unknown condition operator ${operatorName}`);
  const { base } = operator;
  const variables = variablesAllowed && VARIABLE_FAMILIES.test(base);
  return {
    operator: operator.name,
    key,
    lowerKey: key.toLowerCase(),
    base,
    set: operator.set,
    ifExists: operator.ifExists,
    negated: NEGATED.has(base),
    matches: valueMatcher(base, values, variables),
    nullValues: base === "Null" ? values.map((value) => value.toLowerCase()) : [],
  };
};

/** Every key of every operator in a Condition block; `variables` is true for Version 2012-10-17 (§3.3). */
export const compileConditions = (block: ConditionBlock, variables: boolean): CompiledCondition[] => {
  const compiled: CompiledCondition[] = [];
  for (const [operatorName, keys] of block) {
    for (const [key, values] of keys) compiled.push(compileCondition(operatorName, key, values, variables));
  }
  return compiled;
};

/** Null: "true" holds when the key is absent, "false" when it is present; several values are OR (§3.4). */
const nullHolds = (condition: CompiledCondition, missing: boolean): boolean => {
  for (const value of condition.nullValues) {
    if (value === "true" ? missing : value === "false" && !missing) return true;
  }
  return false;
};

/**
 * One key under one operator against the request (§3.4):
 * - missing key (absent, or an empty list): Null decides by itself; `…IfExists` → true; ForAllValues → true;
 *   ForAnyValue → false; otherwise positive operators → false and negated ones → true;
 * - ForAnyValue: some request value passes the operator; ForAllValues: every request value passes it;
 * - no qualifier: positive operators need some request value to match, negated ones need none to match.
 */
export const conditionHolds = (condition: CompiledCondition, values: RequestValues): boolean => {
  const raw = values.get(condition.lowerKey, condition.key);
  const missing = raw === undefined || (typeof raw !== "string" && raw.length === 0);
  // Null ignores IfExists (which it cannot carry) and set qualifiers: it only asks about presence.
  if (condition.base === "Null") return nullHolds(condition, missing);
  const { negated, set } = condition;
  if (missing) {
    if (condition.ifExists || set === "ForAllValues") return true;
    return set === "ForAnyValue" ? false : negated;
  }
  if (typeof raw === "string") return condition.matches(raw, values) !== negated;
  const list = raw as readonly string[];
  if (set === "ForAnyValue") {
    for (const value of list) if (condition.matches(value, values) !== negated) return true;
    return false;
  }
  if (set === "ForAllValues") {
    for (const value of list) if (condition.matches(value, values) === negated) return false;
    return true;
  }
  // A plain operator on a multivalued key acts as "any request value matches" (§3.4, unverified for negated).
  for (const value of list) if (condition.matches(value, values)) return !negated;
  return negated;
};

export const conditionsHold = (conditions: readonly CompiledCondition[], values: RequestValues): boolean => {
  for (const condition of conditions) if (!conditionHolds(condition, values)) return false;
  return true;
};
