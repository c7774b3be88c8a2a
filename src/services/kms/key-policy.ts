// Key policies (security spec §5.6) and KMS authorization (§3.7, §3.8): every KMS action on a key
// is decided by the shared policy engine with the key policy as a mandatory resource policy, so
// IAM alone never grants KMS access; the default key policy delegates to IAM through the account
// root. Actions without a key (CreateKey, ListKeys, ListAliases, GenerateRandom) are decided by
// identity policies alone.
//
// The caller's principal and its identity policies, permissions boundary and session policies
// come with the caller from authentication (the identity layer); account roots have none and hold
// every permission of their account (§3.8).
import { AccessDeniedException } from "../../domain/errors.js";
import { parsePolicyDocument, type PolicyDocument } from "../../domain/policy/document.js";
import { accessDeniedMessage, evaluate, type Principal } from "../../domain/policy/evaluate.js";
import { timeKeys } from "../../domain/policy/request-context.js";
import type { KmsKeyEntry } from "../../crypto/keyring.js";
import type { KeyRecord } from "../../store/keys-ops.js";
import type { Caller, RequestContext, ServiceDeps } from "../context.js";
import { metaOfKey } from "./key-meta.js";

export const DEFAULT_POLICY_NAME = "default";

/** The policy CreateKey attaches when the request has none (AWS's exact JSON, §5.6). */
export function defaultKeyPolicy(partition: string, accountId: string): string {
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Id: "key-default-1",
      Statement: [
        {
          Sid: "Enable IAM User Permissions",
          Effect: "Allow",
          Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
          Action: "kms:*",
          Resource: "*",
        },
      ],
    },
    null,
    2,
  );
}

/** The documented policy of the AWS-managed aws/secretsmanager key (§5.6): use only through Secrets Manager. */
export function managedSecretsKeyPolicy(partition: string, region: string, accountId: string): string {
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Id: "auto-secretsmanager-1",
      Statement: [
        {
          Sid: "Allow access through AWS Secrets Manager for all principals in the account that are authorized to use AWS Secrets Manager",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
          Resource: "*",
          Condition: {
            StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com`, "kms:CallerAccount": accountId },
          },
        },
        {
          Sid: "Allow direct access to key metadata to the account",
          Effect: "Allow",
          Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
          Action: ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
          Resource: "*",
        },
      ],
    },
    null,
    2,
  );
}

export function keyPolicyText(record: KeyRecord, partition: string): string {
  const meta = metaOfKey(record);
  if (meta.policy !== undefined) return meta.policy;
  return meta.keyManager === "AWS"
    ? managedSecretsKeyPolicy(partition, record.region, record.accountId)
    : defaultKeyPolicy(partition, record.accountId);
}

// Parsed once per key row object (the keyring replaces the object when it re-reads the row), so
// the engine's per-document compilation cache applies across requests.
const parsedPolicies = new WeakMap<KeyRecord, PolicyDocument>();

export function keyPolicyDocument(record: KeyRecord, partition: string): PolicyDocument {
  let doc = parsedPolicies.get(record);
  if (!doc) {
    doc = parsePolicyDocument(keyPolicyText(record, partition), "resource");
    parsedPolicies.set(record, doc);
  }
  return doc;
}

/** The policy-engine principal of a caller (§3.5). */
export function principalOf(caller: Caller): Principal {
  if (caller.principal) return caller.principal;
  const arn = caller.principalArn;
  const base = { arn, accountId: caller.accountId, ...(caller.principalId ? { userId: caller.principalId } : {}) };
  if (/^arn:[^:]+:iam::\d{12}:root$/.test(arn)) return { ...base, kind: "root" };
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (session) return { ...base, kind: "assumed-role", roleArn: `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` };
  const user = /^arn:[^:]+:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (user) return { ...base, kind: "user", username: user[1] as string };
  return { kind: "service", arn, accountId: "" };
}

export interface KmsAuthorization {
  /** e.g. "kms:Decrypt". */
  action: string;
  /** The key acted on; absent for actions without a key. */
  entry?: KmsKeyEntry;
  /**
   * The alias acted on, by ARN: the *Alias actions are decided on the alias as well as on the key
   * (§3.7), and an alias has no policy of its own, so IAM policies alone decide.
   */
  aliasArn?: string;
  /** Leave " on resource: …" out of the denial (the kms:TagResource check of a tagged CreateKey [O]). */
  noResourceShown?: boolean;
  /** Secrets Manager calling for the caller (kms:ViaService, §5.7). */
  viaService?: string;
  encryptionContext?: Readonly<Record<string, string>>;
  /** The alias the caller named the key by (kms:RequestAlias). */
  requestAlias?: string;
  /** What the denial message names instead of the key ARN. */
  resourceShown?: string;
  /** A policy text to decide with instead of the key's own (the PutKeyPolicy lockout check). */
  policyOverride?: PolicyDocument;
}

function requestContext(ctx: RequestContext, auth: KmsAuthorization): Record<string, string | string[] | undefined> {
  const { currentTime, epochTime } = timeKeys(ctx.now);
  const context: Record<string, string | string[] | undefined> = {
    "kms:CallerAccount": ctx.caller.accountId,
    "aws:SourceIp": ctx.sourceIp,
    "aws:UserAgent": ctx.userAgent,
    "aws:CurrentTime": currentTime,
    "aws:EpochTime": epochTime,
    "aws:RequestedRegion": ctx.region,
    "aws:SecureTransport": ctx.secure === true ? "true" : "false",
  };
  if (auth.viaService) context["kms:ViaService"] = auth.viaService;
  if (auth.requestAlias) context["kms:RequestAlias"] = auth.requestAlias;
  if (auth.entry) {
    context["kms:KeySpec"] = "SYMMETRIC_DEFAULT";
    context["kms:KeyUsage"] = "ENCRYPT_DECRYPT";
    context["kms:KeyOrigin"] = "AWS_KMS";
    for (const tag of metaOfKey(auth.entry.record).tags ?? []) context[`aws:ResourceTag/${tag.TagKey}`] = tag.TagValue;
  }
  if (auth.encryptionContext) {
    const keys = Object.keys(auth.encryptionContext);
    for (const key of keys) context[`kms:EncryptionContext:${key}`] = auth.encryptionContext[key];
    context["kms:EncryptionContextKeys"] = keys;
  }
  return context;
}

/** The engine's verdict, without throwing. */
export function kmsDecision(deps: ServiceDeps, ctx: RequestContext, auth: KmsAuthorization) {
  const principal = principalOf(ctx.caller);
  const record = auth.aliasArn === undefined ? auth.entry?.record : undefined;
  const policies = ctx.caller.policies;
  return evaluate({
    principal,
    action: auth.action,
    resource: record ? record.arn : (auth.aliasArn ?? "*"),
    resourceAccount: record?.accountId ?? (auth.aliasArn === undefined ? undefined : ctx.caller.accountId),
    context: requestContext(ctx, auth),
    identityPolicies: policies ? [...policies.identity] : [],
    ...(policies?.boundary ? { permissionsBoundary: policies.boundary } : {}),
    ...(policies?.session && policies.session.length > 0 ? { sessionPolicies: [...policies.session] } : {}),
    ...(record
      ? {
          resourcePolicy: { id: `key-policy:${record.arn}`, document: auth.policyOverride ?? keyPolicyDocument(record, deps.partition) },
          resourcePolicyMandatory: true,
        }
      : {}),
  });
}

/** Throws AccessDeniedException with AWS's text (§3.9) unless the caller may take the action. */
export function authorizeKms(deps: ServiceDeps, ctx: RequestContext, auth: KmsAuthorization): void {
  const decision = kmsDecision(deps, ctx, auth);
  if (decision.effect === "Allow") return;
  const reason = decision.reason ?? "";
  if (auth.resourceShown !== undefined) {
    throw new AccessDeniedException(`User: ${ctx.caller.principalArn} is not authorized to perform: ${auth.action} on ${auth.resourceShown} ${reason}`);
  }
  // A keyless action names "*" [O: kms:CreateKey on resource: *].
  const shown = auth.noResourceShown ? undefined : (auth.aliasArn ?? auth.entry?.record.arn ?? "*");
  throw new AccessDeniedException(accessDeniedMessage(ctx.caller.principalArn, auth.action, shown, reason));
}
