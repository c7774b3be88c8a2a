// Wildcard matching for actions, resources and ARN-valued conditions, and principal matching (security spec
// §3.1, §3.2). Every pattern is compiled once, at policy load, into tokens (variables.ts); matching walks the
// tokens over the request string without building regexes or intermediate strings (§3.2: "never build regexes
// per request").
import type { Principals } from "./document.js";
import type { Principal } from "./request.js";
import { hasVariables, literalText, resolveVariable, substitute, tokenize } from "./variables.js";
import type { Token, VariableSource } from "./variables.js";

// ---- token glob ----

/**
 * Whether `tokens` match all of `text[start, end)`. `*` matches any run (including `:` and `/`), `?` one
 * character; references match their value literally (lower-cased when `fold`, for case-insensitive patterns
 * whose literal text was lower-cased at compile time). Classic greedy matching with a single backtrack point
 * at the last `*`, which is exact for glob patterns.
 */
export const matchTokens = (
  tokens: readonly Token[],
  text: string,
  start: number,
  end: number,
  vars: VariableSource,
  fold: boolean,
): boolean => {
  const count = tokens.length;
  let t = 0;
  let p = start;
  let starToken = -1;
  let starPos = start;
  for (;;) {
    let advanced = false;
    if (t === count) {
      if (p === end) return true;
    } else {
      const token = tokens[t] as Token;
      if (token.kind === "star") {
        starToken = t;
        starPos = p;
        t++;
        continue;
      }
      if (token.kind === "one") {
        if (p < end) {
          p++;
          t++;
          advanced = true;
        }
      } else {
        let literal: string | undefined;
        if (token.kind === "text") literal = token.text;
        else {
          literal = resolveVariable(token, vars);
          // No value: nothing can match (§3.3), whatever the backtracking would try.
          if (literal === undefined) return false;
          if (fold) literal = literal.toLowerCase();
        }
        if (p + literal.length <= end && text.startsWith(literal, p)) {
          p += literal.length;
          t++;
          advanced = true;
        }
      }
    }
    if (advanced) continue;
    if (starToken < 0 || starPos >= end) return false;
    starPos++;
    p = starPos;
    t = starToken + 1;
  }
};

/** A compiled `*`/`?` pattern with fast paths for the common shapes ("*", exact text, "prefix*"). */
export class Glob {
  private readonly shape: "any" | "exact" | "prefix" | "tokens";
  private readonly text: string;

  constructor(
    readonly tokens: readonly Token[],
    private readonly fold: boolean,
  ) {
    const exact = literalText(tokens);
    const [first, second] = tokens;
    if (tokens.length > 0 && tokens.every((token) => token.kind === "star")) {
      this.shape = "any";
      this.text = "";
    } else if (exact !== undefined) {
      this.shape = "exact";
      this.text = exact;
    } else if (tokens.length === 2 && first?.kind === "text" && second?.kind === "star") {
      this.shape = "prefix";
      this.text = first.text;
    } else {
      this.shape = "tokens";
      this.text = "";
    }
  }

  /** `text[start, end)` (the whole string by default) matches the pattern. */
  test(text: string, vars: VariableSource, start = 0, end = text.length): boolean {
    switch (this.shape) {
      case "any":
        return true;
      case "exact":
        return end - start === this.text.length && text.startsWith(this.text, start);
      case "prefix":
        return end - start >= this.text.length && text.startsWith(this.text, start);
      default:
        return matchTokens(this.tokens, text, start, end, vars, this.fold);
    }
  }
}

export interface GlobOptions {
  readonly variables: boolean;
  readonly wildcards: boolean;
  /** Compare case-insensitively; the caller lower-cases the text it tests. */
  readonly fold: boolean;
}

const foldTokens = (tokens: readonly Token[]): Token[] =>
  tokens.map((token) => (token.kind === "text" ? { kind: "text", text: token.text.toLowerCase() } : token));

export const compileGlob = (pattern: string, options: GlobOptions): Glob => {
  const tokens = tokenize(pattern, options);
  return new Glob(options.fold ? foldTokens(tokens) : tokens, options.fold);
};

// ---- actions ----

/**
 * `service:Name` patterns: prefix and name are case-insensitive, `*` and `?` wildcards, `"*"` alone is every
 * action (§3.2). An action has exactly one colon, so matching the whole string is the same as matching the two
 * halves separately. Test with the lower-cased action.
 */
export const compileActionPattern = (pattern: string): Glob =>
  compileGlob(pattern, { variables: false, wildcards: true, fold: true });

// ---- ARNs ----

/** ARNs have six components; the sixth (resource) is everything after the fifth colon (§3.2, §3.4). */
const ARN_COMPONENTS = 6;

/** Splits tokens at the first five literal colons. */
const splitComponents = (tokens: readonly Token[]): Token[][] => {
  const components: Token[][] = [[]];
  for (const token of tokens) {
    let current = components[components.length - 1] as Token[];
    if (token.kind !== "text") {
      current.push(token);
      continue;
    }
    let rest = token.text;
    let colon = rest.indexOf(":");
    while (colon !== -1 && components.length < ARN_COMPONENTS) {
      if (colon > 0) current.push({ kind: "text", text: rest.slice(0, colon) });
      current = [];
      components.push(current);
      rest = rest.slice(colon + 1);
      colon = rest.indexOf(":");
    }
    if (rest !== "") current.push({ kind: "text", text: rest });
  }
  return components;
};

const matchComponents = (components: readonly Glob[], text: string, vars: VariableSource): boolean => {
  let pos = 0;
  const last = components.length - 1;
  for (let i = 0; i < last; i++) {
    const colon = text.indexOf(":", pos);
    if (colon === -1) return false;
    if (!(components[i] as Glob).test(text, vars, pos, colon)) return false;
    pos = colon + 1;
  }
  // The last component of the pattern takes the rest, colons included: the resource part of a full ARN, or
  // a trailing `*` of a shorter pattern such as "arn:aws:secretsmanager:*" (IAM User Guide, Resource element).
  return (components[last] as Glob).test(text, vars, pos, text.length);
};

/**
 * A resource ARN pattern, also used by the Arn condition operators (§3.2, §3.4). Case-sensitive. Matched
 * component by component: a wildcard in the partition, service, region or account stays within that
 * component; in the resource part it may span `:` and `/`.
 */
export class ArnPattern {
  private readonly any: boolean;
  private readonly components: readonly Glob[];
  /** A reference before the resource part: its value may contain colons, so split after substituting. */
  private readonly dynamic: boolean;

  constructor(private readonly tokens: readonly Token[]) {
    this.any = tokens.length > 0 && tokens.every((token) => token.kind === "star");
    const split = splitComponents(tokens);
    this.components = split.map((component) => new Glob(component, false));
    this.dynamic = split.slice(0, -1).some(hasVariables);
  }

  test(text: string, vars: VariableSource): boolean {
    if (this.any) return true;
    if (!this.dynamic) return matchComponents(this.components, text, vars);
    const resolved = substitute(this.tokens, vars);
    if (resolved === undefined) return false;
    const components = splitComponents(resolved).map((component) => new Glob(component, false));
    return matchComponents(components, text, vars);
  }
}

export const compileArnPattern = (pattern: string, variables: boolean): ArnPattern =>
  new ArnPattern(tokenize(pattern, { variables, wildcards: true }));

// ---- principals ----

/** How a Principal element reached the caller, weakest first (§3.8 step 4). */
export type PrincipalMatch = 0 | 1 | 2 | 3;
export const NO_MATCH = 0;
/** Only through the caller's account (`"111122223333"` or `arn:aws:iam::111122223333:root`). */
export const ACCOUNT_MATCH = 1;
/** Through the role ARN of the caller's session: limited by boundaries and session policies (§3.8 step 6). */
export const ROLE_MATCH = 2;
/** Through the caller's own user/session ARN, `"*"`, a service name, or a NotPrincipal that excludes it. */
export const DIRECT_MATCH = 3;

export interface CompiledPrincipals {
  readonly negated: boolean;
  /** Bare `"*"`: everyone, anonymous callers included (§3.1). */
  readonly everyone: boolean;
  /** `{"AWS":"*"}`: every IAM identity (unverified whether it also covers service principals; here it does not). */
  readonly anyAws: boolean;
  readonly accounts: ReadonlySet<string>;
  readonly arns: ReadonlySet<string>;
  readonly services: ReadonlySet<string>;
}

const ROOT_ARN = /^arn:[^:]+:iam::(\d{12}):root$/;
const ACCOUNT_ID = /^\d{12}$/;

export const compilePrincipals = (principals: Principals, negated: boolean): CompiledPrincipals => {
  const accounts = new Set<string>();
  const arns = new Set<string>();
  let anyAws = false;
  if (principals !== "*") {
    for (const entry of principals.AWS ?? []) {
      if (entry === "*") anyAws = true;
      else if (ACCOUNT_ID.test(entry)) accounts.add(entry);
      else {
        const root = ROOT_ARN.exec(entry);
        if (root !== null) accounts.add(root[1] as string);
        // User, role, assumed-role session and federated-user ARNs compare exactly; the name part is
        // case-sensitive (§3.1).
        else arns.add(entry);
      }
    }
  }
  // Federated and CanonicalUser entries name web-identity/SAML providers and S3 owners: never a caller here.
  const services = new Set(principals === "*" ? [] : principals.Service ?? []);
  return { negated, everyone: principals === "*", anyAws, accounts, arns, services };
};

const isIamIdentity = (principal: Principal): boolean => principal.kind !== "service" && principal.kind !== "anonymous";

/** How a (positive) Principal element names the caller (§3.1 principal table). */
export const matchPrincipal = (compiled: CompiledPrincipals, principal: Principal): PrincipalMatch => {
  if (compiled.everyone) return DIRECT_MATCH;
  if (principal.kind === "service") return compiled.services.has(principal.arn) ? DIRECT_MATCH : NO_MATCH;
  if (!isIamIdentity(principal)) return NO_MATCH;
  if (compiled.anyAws || compiled.arns.has(principal.arn)) return DIRECT_MATCH;
  if (principal.roleArn !== undefined && compiled.arns.has(principal.roleArn)) return ROLE_MATCH;
  return compiled.accounts.has(principal.accountId) ? ACCOUNT_MATCH : NO_MATCH;
};

/**
 * Whether a NotPrincipal list exempts the caller (§3.2). An account entry is not a wildcard for the account's
 * users and roles here: it exempts only that account's root. A session is exempted by its session ARN or its
 * role ARN (unverified which of the two AWS requires; AWS guidance lists both plus the account).
 */
export const principalListed = (compiled: CompiledPrincipals, principal: Principal): boolean => {
  if (compiled.everyone) return true;
  if (principal.kind === "service") return compiled.services.has(principal.arn);
  if (!isIamIdentity(principal)) return false;
  if (compiled.anyAws || compiled.arns.has(principal.arn)) return true;
  if (principal.roleArn !== undefined && compiled.arns.has(principal.roleArn)) return true;
  return principal.kind === "root" && compiled.accounts.has(principal.accountId);
};
