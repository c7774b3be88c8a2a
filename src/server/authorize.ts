// The pipeline's authorize step (security spec §3): builds the request context of §3.5 for the
// caller and the resource, asks the policy engine (domain/policy/evaluate.ts) with the caller's
// policies (cached with its key, access-keys.ts) and the resource's policy, and turns a denial into
// AccessDeniedException with AWS's text (§3.9). At debug level a denial leaves one log line naming
// the policy and statement that decided it (never the request's values).
import type { Logger } from "pino";
import { AccessDeniedException, messages, UnrecognizedClientException } from "../domain/errors.js";
import { accessDeniedMessage, evaluate, type AuthorizationRequest, type Decision } from "../domain/policy/evaluate.js";
import type { PolicySource } from "../domain/policy/request.js";
import { timeKeys } from "../domain/policy/request-context.js";
import type { Caller, RequestContext, SecretAccess } from "../services/context.js";
import { policyDocuments } from "../services/iam/principal-policies.js";
import { ACCOUNTS_TARGET_PREFIX } from "../services/iam/accounts/index.js";
import { stsMessages } from "../services/sts/errors.js";
import { isSessionTokenCaller } from "../services/sts/session-attrs.js";
import type { Store } from "../store/store.js";
import { assumeRoleAlso, assumeRoleContext, iamContext, iamTarget } from "./authorize-iam.js";
import { policiesReadRequest, readsRequest } from "./authorize-keys.js";
import {
  SECRETS_MANAGER_ACTIONS,
  findSecretTarget,
  tagsAfter,
  newSecretTarget,
  resourcePolicyText,
  secretContext,
  type SecretTarget,
} from "./authorize-secretsmanager.js";

type Context = Record<string, string | string[] | undefined>;

export interface AuthorizerOptions {
  store: Store;
  log: Logger;
  partition: string;
}

/** What one check asks, beyond the caller. */
interface Check {
  action: string;
  resource: string;
  resourceAccount?: string;
  /** Built only when some policy in play reads a request value (authorize-keys.ts). */
  context: () => Context;
  resourcePolicy?: PolicySource;
  resourcePolicyMandatory?: boolean;
  /** What the denial message names after "on resource:"; undefined leaves the part out. */
  shown: string | undefined;
  /** AssumeRole's denial text carries no reason ([O] §1.3). */
  bareMessage?: boolean;
}

// The principal-dependent keys of §3.5 under their canonical spellings. The engine could derive
// them from the principal, but a key found as written costs it one property lookup instead of an
// index of the whole context; computed once per caller (callers are cached with their keys).
const principalKeys = new WeakMap<Caller, [string, string][]>();

function principalPairs(caller: Caller): [string, string][] {
  let pairs = principalKeys.get(caller);
  if (pairs !== undefined) return pairs;
  pairs = [];
  const principal = caller.principal;
  if (principal !== undefined) {
    const type = principal.kind === "root" ? "Account" : principal.kind === "user" ? "User" : principal.kind === "assumed-role" ? "AssumedRole" : undefined;
    const arn = principal.kind === "assumed-role" ? principal.roleArn : principal.arn;
    const userId = principal.userId ?? (principal.kind === "root" ? principal.accountId : undefined);
    pairs.push(["aws:PrincipalAccount", principal.accountId]);
    if (arn !== undefined) pairs.push(["aws:PrincipalArn", arn]);
    if (type !== undefined) pairs.push(["aws:PrincipalType", type]);
    if (userId !== undefined) pairs.push(["aws:userid", userId]);
    if (principal.kind === "user" && principal.username !== undefined) pairs.push(["aws:username", principal.username]);
    for (const [tag, value] of Object.entries(principal.tags ?? {})) pairs.push([`aws:PrincipalTag/${tag}`, value]);
  }
  principalKeys.set(caller, pairs);
  return pairs;
}

/** §3.5 keys every request has. */
function globalContext(ctx: RequestContext): Context {
  const caller = ctx.caller;
  const { currentTime, epochTime } = timeKeys(ctx.now);
  const context: Context = {
    "aws:SourceIp": ctx.sourceIp,
    "aws:UserAgent": ctx.userAgent,
    "aws:CurrentTime": currentTime,
    "aws:EpochTime": epochTime,
    "aws:SecureTransport": ctx.secure === true ? "true" : "false",
    "aws:RequestedRegion": ctx.region,
    "aws:ViaAWSService": "false",
    "aws:PrincipalIsAWSService": "false",
  };
  for (const [key, value] of principalPairs(caller)) context[key] = value;
  if (caller.sessionIssuedAt !== undefined) {
    context["aws:TokenIssueTime"] = new Date(caller.sessionIssuedAt).toISOString();
    context["aws:MultiFactorAuthPresent"] = "false";
  }
  return context;
}

/** The context of a request whose policies read no request value. */
const NO_CONTEXT: Context = Object.freeze({});

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}

export class Authorizer implements SecretAccess {
  private operatorAccount: Promise<string | undefined> | undefined;

  constructor(private readonly options: AuthorizerOptions) {}

  /**
   * The authorize step for a JSON operation. Secrets Manager and CloudTrail are decided here; KMS
   * decides in its handlers, where the key (and its mandatory key policy) is known; the Coffer
   * operator and account APIs admit only the operator.
   */
  async authorizeJson(
    service: { signingName: string; targetPrefix: string },
    operation: string,
    input: Record<string, unknown>,
    ctx: RequestContext,
  ): Promise<void> {
    if (service.signingName === "secretsmanager") return this.secretsManager(operation, input, ctx);
    if (service.signingName === "cloudtrail") {
      this.decide(ctx, { action: `cloudtrail:${operation}`, resource: "*", context: () => globalContext(ctx), shown: undefined });
    }
    if (service.targetPrefix === ACCOUNTS_TARGET_PREFIX) await this.operatorOnly(operation, ctx);
  }

  /** The account API is the operator's: the root user of the account made at first start. */
  private async operatorOnly(operation: string, ctx: RequestContext): Promise<void> {
    this.operatorAccount ??= this.options.store
      .getSetting("bootstrap")
      .then((text) => (text === undefined ? undefined : (JSON.parse(text) as { accountId?: string }).accountId));
    const account = await this.operatorAccount;
    if (account !== undefined && ctx.caller.principalArn === `arn:${this.options.partition}:iam::${account}:root`) return;
    if (account === undefined) this.operatorAccount = undefined; // not bootstrapped yet: ask again next time
    throw new AccessDeniedException(
      `User: ${ctx.caller.principalArn} is not authorized to perform: coffer:${operation} because only the root user of the account made at first start may manage accounts`,
    );
  }

  /** SecretAccess: BatchGetSecretValue's GetSecretValue check on each secret. */
  async checkSecret(ctx: RequestContext, action: string, secretId: string): Promise<void> {
    const target = await findSecretTarget(this.options.store, ctx, this.options.partition, secretId);
    const context = lazy(() => {
      const built = globalContext(ctx);
      secretContext(target, secretId, built);
      return built;
    });
    this.decide(ctx, this.secretCheck(`secretsmanager:${action}`, target, context, secretId));
  }

  /** The authorize step for IAM and STS operations (Query protocol). */
  async authorizeQuery(service: "iam" | "sts", operation: string, input: Record<string, unknown>, ctx: RequestContext): Promise<void> {
    // GetSessionToken's credentials cannot call IAM (without MFA, which Coffer does not offer:
    // AWS then refuses the token itself) nor STS beyond AssumeRole and GetCallerIdentity.
    const sessionToken = isSessionTokenCaller(ctx.caller);
    if (sessionToken && service === "iam") throw new UnrecognizedClientException(messages.securityTokenInvalid);
    if (service === "sts") {
      // GetCallerIdentity needs no permission, and not even an explicit deny stops it (§3.8 notes);
      // nor can a policy allow or deny GetSessionToken, an authentication operation.
      if (operation === "GetCallerIdentity" || operation === "GetSessionToken") return;
      if (operation === "AssumeRole") return this.assumeRole(input, ctx);
      if (sessionToken) throw new AccessDeniedException(stsMessages.sessionCredentialsRefused(operation));
      this.decide(ctx, { action: `sts:${operation}`, resource: "*", context: () => globalContext(ctx), shown: undefined });
      return;
    }
    const { store, partition } = this.options;
    const { resource, shown } = await iamTarget(store, ctx, partition, operation, input);
    const context = () => ({ ...globalContext(ctx), ...iamContext(input) });
    this.decide(ctx, {
      action: `iam:${operation}`,
      resource,
      resourceAccount: resource === "*" ? undefined : ctx.caller.accountId,
      context,
      shown,
    });
  }

  private async secretsManager(operation: string, input: Record<string, unknown>, ctx: RequestContext): Promise<void> {
    const spec = SECRETS_MANAGER_ACTIONS[operation];
    if (spec === undefined) return; // unknown operations are refused by the registry
    const actions = [operation, ...(spec.also?.(input) ?? [])];
    const id = spec.id === undefined ? undefined : input[spec.id];
    const base = () => {
      const built = globalContext(ctx);
      if (spec.context) {
        for (const [key, value] of Object.entries(spec.context(input))) if (value !== undefined) built[key] = value;
      }
      return built;
    };
    if (typeof id !== "string") {
      const context = lazy(base);
      for (const action of actions) this.decide(ctx, { action: `secretsmanager:${action}`, resource: "*", context, shown: undefined });
      return;
    }
    const { store, partition } = this.options;
    const target = operation === "CreateSecret" ? newSecretTarget(ctx, partition, id) : await findSecretTarget(store, ctx, partition, id);
    if (operation !== "CreateSecret") ctx.resolvedSecret = { secretId: id, secret: target.secret };
    const context = lazy(() => {
      const built = base();
      secretContext(target, operation === "CreateSecret" ? undefined : id, built);
      return built;
    });
    for (const action of actions) this.decide(ctx, this.secretCheck(`secretsmanager:${action}`, target, context, id));
    // Tag-based self-lockout (§3.6): a tag change that would take the caller's permission for the
    // same change away is refused, with the denial it would meet afterwards.
    const after = operation === "TagResource" || operation === "UntagResource" ? tagsAfter(target, input) : undefined;
    if (after !== undefined) {
      const changed = () => {
        const built = { ...context() };
        for (const key of Object.keys(built)) {
          if (key.startsWith("aws:ResourceTag/") || key.startsWith("secretsmanager:ResourceTag/")) delete built[key];
        }
        for (const [key, value] of Object.entries(after)) {
          built[`aws:ResourceTag/${key}`] = value;
          built[`secretsmanager:ResourceTag/${key}`] = value;
        }
        return built;
      };
      this.decide(ctx, this.secretCheck(`secretsmanager:${operation}`, target, changed, id));
    }
  }

  private secretCheck(action: string, target: SecretTarget, context: () => Context, shown: string): Check {
    const text = resourcePolicyText(target);
    const document = text === undefined ? undefined : policyDocuments.get(text, "resource");
    return {
      action,
      resource: target.arn,
      resourceAccount: target.accountId,
      context,
      ...(document ? { resourcePolicy: { id: `resource:${target.arn}`, document } } : {}),
      shown,
    };
  }

  private async assumeRole(input: Record<string, unknown>, ctx: RequestContext): Promise<void> {
    // Whatever a trust policy says, AWS lets no root user (nor its session tokens) assume a role.
    if (ctx.caller.principal?.kind === "root") throw new AccessDeniedException(stsMessages.rootMayNotAssume);
    const roleArn = String(input.RoleArn);
    const role = await this.options.store.identity.getEntityByArn(roleArn);
    const trust = role?.kind === "role" ? (role.attrs as { assumeRolePolicy?: string }).assumeRolePolicy : undefined;
    const document = trust === undefined ? undefined : policyDocuments.get(trust, "resource");
    const context = lazy(() => ({ ...globalContext(ctx), ...assumeRoleContext(input) }));
    const accountOfArn = roleArn.split(":")[4];
    for (const action of ["sts:AssumeRole", ...assumeRoleAlso(input)]) {
      this.decide(ctx, {
        action,
        resource: roleArn,
        resourceAccount: role?.accountId ?? accountOfArn,
        context,
        // An unknown role has no trust policy: the mandatory policy then denies, and the answer is
        // the same as for a role the caller may not assume (existence is not revealed).
        ...(document ? { resourcePolicy: { id: `resource:${roleArn}`, document } } : {}),
        resourcePolicyMandatory: true,
        shown: roleArn,
        bareMessage: true,
      });
    }
  }

  /** Throws AccessDeniedException unless the engine allows. */
  private decide(ctx: RequestContext, check: Check): void {
    const caller = ctx.caller;
    const principal = caller.principal;
    // Callers without a principal are the server's own workers (they enter through runInternal).
    if (principal === undefined) return;
    // The root holds every permission in its account; only a resource policy could deny it.
    if (principal.kind === "root" && check.resourcePolicy === undefined && !check.resourcePolicyMandatory &&
        (check.resourceAccount === undefined || check.resourceAccount === principal.accountId)) {
      return;
    }
    const request: AuthorizationRequest = {
      principal,
      action: check.action,
      resource: check.resource,
      resourceAccount: check.resourceAccount,
      context: policiesReadRequest(caller.policies) || (check.resourcePolicy !== undefined && readsRequest(check.resourcePolicy.document)) ? check.context() : NO_CONTEXT,
      identityPolicies: (caller.policies?.identity ?? []) as PolicySource[],
      ...(caller.policies?.boundary ? { permissionsBoundary: caller.policies.boundary } : {}),
      ...(caller.policies?.session ? { sessionPolicies: caller.policies.session as PolicySource[] } : {}),
      ...(check.resourcePolicy ? { resourcePolicy: check.resourcePolicy } : {}),
      ...(check.resourcePolicyMandatory ? { resourcePolicyMandatory: true } : {}),
    };
    const decision = evaluate(request);
    if (decision.effect === "Allow") return;
    this.logDenial(ctx, check.action, decision);
    const message = check.bareMessage
      ? `User: ${caller.principalArn} is not authorized to perform: ${check.action}${check.shown === undefined ? "" : ` on resource: ${check.shown}`}`
      : accessDeniedMessage(caller.principalArn, check.action, check.shown, decision.reason ?? "");
    throw new AccessDeniedException(message);
  }

  private logDenial(ctx: RequestContext, action: string, decision: Decision): void {
    const log = this.options.log;
    if (!log.isLevelEnabled("debug")) return;
    const decisive = decision.matched.find((m) => m.effect === "Deny");
    log.debug(
      {
        requestId: ctx.requestId,
        principal: ctx.caller.principalArn,
        action,
        decision: decision.effect,
        ...(decisive
          ? { policy: decisive.policyId, policyType: decisive.kind, statement: decisive.sid ?? `#${decisive.statementIndex + 1}` }
          : { reason: decision.reason }),
      },
      "access denied",
    );
  }
}
