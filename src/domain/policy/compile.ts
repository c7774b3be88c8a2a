// Compiled policies: a PolicyDocument turned once into matchers (security spec §3.11 verdict: compile at load,
// evaluate without re-parsing). Compiled forms are cached per document object, so callers that keep their
// parsed documents (policy stores, caches) pay the compilation once.
import { compileConditions, conditionsHold } from "./conditions.js";
import type { CompiledCondition } from "./conditions.js";
import type { Effect, Negatable, PolicyDocument, PolicyStatement } from "./document.js";
import {
  DIRECT_MATCH,
  NO_MATCH,
  compileActionPattern,
  compileArnPattern,
  compilePrincipals,
  matchPrincipal,
  principalListed,
} from "./matching.js";
import type { ArnPattern, CompiledPrincipals, Glob, PrincipalMatch } from "./matching.js";
import type { Principal } from "./request.js";
import type { RequestValues } from "./request-context.js";

interface PatternList<T> {
  readonly negated: boolean;
  readonly patterns: readonly T[];
}

export interface CompiledStatement {
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: Effect;
  /** Absent in identity, boundary and session policies. */
  readonly principal: CompiledPrincipals | undefined;
  readonly actions: PatternList<Glob>;
  /** Absent in a resource policy: the statement covers the resource the policy is attached to (§3.1). */
  readonly resources: PatternList<ArnPattern> | undefined;
  readonly conditions: readonly CompiledCondition[];
}

export interface CompiledPolicy {
  readonly document: PolicyDocument;
  readonly statements: readonly CompiledStatement[];
}

/** What one evaluation hands to every statement test. */
export interface StatementInput {
  readonly principal: Principal;
  /** Lower-cased: action matching is case-insensitive (§3.2). */
  readonly action: string;
  readonly resource: string;
  readonly values: RequestValues;
  /** The caller has a permissions boundary (changes Deny + NotPrincipal, see `principalMatch`). */
  readonly bounded: boolean;
}

const compileStatement = (statement: PolicyStatement, index: number, variables: boolean): CompiledStatement => {
  const list = <T>(element: Negatable<readonly string[]>, compile: (pattern: string) => T): PatternList<T> => ({
    negated: element.negated,
    patterns: element.value.map(compile),
  });
  const principal = statement.principal;
  return {
    index,
    sid: statement.sid,
    effect: statement.effect,
    principal: principal === undefined ? undefined : compilePrincipals(principal.value, principal.negated),
    actions: list(statement.action, compileActionPattern),
    // §3.3: variables are substituted in Resource/NotResource, never in Action or Principal.
    resources:
      statement.resource === undefined
        ? undefined
        : list(statement.resource, (pattern) => compileArnPattern(pattern, variables)),
    conditions: compileConditions(statement.condition, variables),
  };
};

const cache = new WeakMap<PolicyDocument, CompiledPolicy>();

export const compilePolicy = (document: PolicyDocument): CompiledPolicy => {
  const cached = cache.get(document);
  if (cached !== undefined) return cached;
  // Policy variables only exist in Version 2012-10-17 documents (§3.3).
  const variables = document.version === "2012-10-17";
  const compiled = {
    document,
    statements: document.statements.map((statement, index) => compileStatement(statement, index, variables)),
  };
  cache.set(document, compiled);
  return compiled;
};

const actionCovered = (actions: PatternList<Glob>, input: StatementInput): boolean => {
  let found = false;
  for (const pattern of actions.patterns) {
    if (pattern.test(input.action, input.values)) {
      found = true;
      break;
    }
  }
  // NotAction: every action the list does not match, other services included (§3.2).
  return found !== actions.negated;
};

const resourceCovered = (resources: PatternList<ArnPattern> | undefined, input: StatementInput): boolean => {
  if (resources === undefined) return true;
  let found = false;
  for (const pattern of resources.patterns) {
    if (pattern.test(input.resource, input.values)) {
      found = true;
      break;
    }
  }
  return found !== resources.negated;
};

/**
 * How the Principal/NotPrincipal element reaches the caller. A NotPrincipal reaches everyone it does not list,
 * as directly as `"*"`. IAM User Guide, NotPrincipal: a Deny with NotPrincipal always applies to a caller that
 * has a permissions boundary, whatever the list says.
 */
const principalMatch = (statement: CompiledStatement, input: StatementInput): PrincipalMatch => {
  const principal = statement.principal;
  if (principal === undefined) return NO_MATCH;
  if (!principal.negated) return matchPrincipal(principal, input.principal);
  if (statement.effect === "Deny" && input.bounded) return DIRECT_MATCH;
  return principalListed(principal, input.principal) ? NO_MATCH : DIRECT_MATCH;
};

/**
 * Whether the statement applies to the request; for resource policies (`withPrincipal`), how the principal
 * was reached. Cheapest tests first: action, resource, principal, then conditions.
 */
export const statementApplies = (
  statement: CompiledStatement,
  input: StatementInput,
  withPrincipal: boolean,
): PrincipalMatch => {
  if (!actionCovered(statement.actions, input)) return NO_MATCH;
  if (!resourceCovered(statement.resources, input)) return NO_MATCH;
  // A resource policy statement without a principal is invalid and applies to no one.
  const reach = withPrincipal ? principalMatch(statement, input) : DIRECT_MATCH;
  if (reach === NO_MATCH) return NO_MATCH;
  return conditionsHold(statement.conditions, input.values) ? reach : NO_MATCH;
};
