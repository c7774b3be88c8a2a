// Condition-key values for one evaluation (security spec §3.4, §3.5): what conditions and policy variables read.
//
// Key names are case-insensitive (§3.4), so a key is looked up as written first (policies normally use the
// canonical spelling the context is built with) and then through a lower-cased index built on first need.
// Principal-dependent keys that the caller left out of the context are derived from the principal by the
// table of §3.5, so `${aws:username}` and `aws:PrincipalTag/<k>` work from the Principal alone; a key present
// in the context always wins.
import type { Principal } from "./request.js";
import type { VariableSource } from "./variables.js";

export type ContextValue = string | readonly string[];

// The time keys change at most once a millisecond; requests of one millisecond share the strings.
let clockAt = Number.NaN;
let clock = { currentTime: "", epochTime: "" };

/** aws:CurrentTime and aws:EpochTime (§3.5) of the request time `now` (epoch ms). */
export function timeKeys(now: number): { readonly currentTime: string; readonly epochTime: string } {
  if (now !== clockAt) {
    clockAt = now;
    clock = { currentTime: new Date(now).toISOString(), epochTime: String(Math.floor(now / 1000)) };
  }
  return clock;
}

const PRINCIPAL_TAG = "aws:principaltag/";

const principalType = (principal: Principal): string | undefined => {
  switch (principal.kind) {
    case "root":
      return "Account";
    case "user":
      return "User";
    case "assumed-role":
      return "AssumedRole";
    case "anonymous":
      return "Anonymous";
    default:
      return undefined;
  }
};

const tagValue = (tags: Record<string, string> | undefined, lowerName: string): string | undefined => {
  if (tags === undefined) return undefined;
  // Tag keys in aws:PrincipalTag/<k> are case-insensitive (§3.4).
  for (const name of Object.keys(tags)) if (name.toLowerCase() === lowerName) return tags[name];
  return undefined;
};

/** §3.5 principal-dependent keys; undefined where the table says "absent". */
const principalKey = (principal: Principal, resourceAccount: string | undefined, lowerKey: string): string | undefined => {
  const aws = principal.kind !== "service";
  switch (lowerKey) {
    case "aws:username":
      return principal.kind === "user" ? principal.username : undefined;
    case "aws:userid":
      if (principal.userId !== undefined) return principal.userId;
      if (principal.kind === "root") return principal.accountId;
      return principal.kind === "anonymous" ? "anonymous" : undefined;
    case "aws:principalarn":
      if (principal.kind === "assumed-role") return principal.roleArn;
      return principal.kind === "user" || principal.kind === "root" ? principal.arn : undefined;
    case "aws:principalaccount":
      if (principal.kind === "anonymous") return "anonymous";
      return aws ? principal.accountId : undefined;
    case "aws:principaltype":
      return principalType(principal);
    case "aws:principalservicename":
      return aws ? undefined : principal.arn;
    case "aws:resourceaccount":
      return resourceAccount;
    default:
      return lowerKey.startsWith(PRINCIPAL_TAG)
        ? tagValue(principal.tags, lowerKey.slice(PRINCIPAL_TAG.length))
        : undefined;
  }
};

export class RequestValues implements VariableSource {
  private lowered: Map<string, ContextValue> | undefined;

  constructor(
    private readonly principal: Principal,
    private readonly context: Readonly<Record<string, string | readonly string[] | undefined>>,
    private readonly resourceAccount: string | undefined,
  ) {}

  /** The value of a condition key: `key` as written in the policy, `lowerKey` its lower-cased form. */
  get(lowerKey: string, key: string): ContextValue | undefined {
    const context = this.context;
    if (Object.hasOwn(context, key)) {
      const direct = context[key];
      if (direct !== undefined) return direct;
    }
    const lowered = this.lowered ?? this.index();
    return lowered.get(lowerKey) ?? principalKey(this.principal, this.resourceAccount, lowerKey);
  }

  /** Variables take single values only; a multivalued key has none to substitute (unverified). */
  scalar(lowerKey: string): string | undefined {
    const value = this.get(lowerKey, lowerKey);
    if (value === undefined || typeof value === "string") return value;
    return value.length === 1 ? value[0] : undefined;
  }

  private index(): Map<string, ContextValue> {
    const lowered = new Map<string, ContextValue>();
    for (const name of Object.keys(this.context)) {
      const value = this.context[name];
      const lower = name.toLowerCase();
      // On a case-only collision the first spelling wins; contexts are built with canonical names.
      if (value !== undefined && !lowered.has(lower)) lowered.set(lower, value);
    }
    this.lowered = lowered;
    return lowered;
  }
}
