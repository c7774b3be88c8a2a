// What each Secrets Manager operation asks the policy engine (security spec §3.6): its action, the
// secret it acts on (the SecretId member, CreateSecret's Name, or none), the condition keys the
// action defines, and the further actions the API documentation requires.
//
// Authorization precedes the existence check (API spec §1.8, security spec §2.5 step 9), so the
// resource is found here without failing: an existing secret is evaluated as its ARN with its tags
// and resource policy; an id that names no secret is evaluated as the ARN it would have without
// the random suffix (a name) or as given (an ARN), with no tags and no resource policy. A policy
// written for `…:secret:prod/db-??????` therefore does not cover a secret that does not exist, and
// the caller learns nothing from AccessDenied. Denials name the SecretId exactly as given (§3.9).
import { parseSecretId } from "../domain/arn.js";
import { randomSuffix, secretArn } from "../domain/arn.js";
import type { RequestContext } from "../services/context.js";
import { metaOf } from "../services/secretsmanager/secret-meta.js";
import type { SecretRow, Store } from "../store/store.js";

type Input = Record<string, unknown>;
type Context = Record<string, string | string[] | undefined>;

export interface SecretsAction {
  /** Where the secret is named; undefined for actions without a resource (Resource "*"). */
  id?: "SecretId" | "Name";
  /** Keys the action adds to the context (§3.6 "extra condition keys"). */
  context?: (input: Input) => Context;
  /** Further actions the same request needs on the same resource (§3.6 "Also needs"). */
  also?: (input: Input) => string[];
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const bool = (v: unknown): string | undefined => (typeof v === "boolean" ? String(v) : undefined);
const num = (v: unknown): string | undefined => (typeof v === "number" ? String(v) : undefined);

interface TagInput {
  Key?: string;
  Value?: string;
}

/** aws:RequestTag/<k> and aws:TagKeys of a request's Tags (§3.5). */
function requestTags(tags: unknown): Context {
  if (!Array.isArray(tags)) return {};
  const out: Context = {};
  const keys: string[] = [];
  for (const tag of tags as TagInput[]) {
    if (typeof tag.Key !== "string") continue;
    out[`aws:RequestTag/${tag.Key}`] = tag.Value ?? "";
    keys.push(tag.Key);
  }
  out["aws:TagKeys"] = keys;
  return out;
}

const replicaRegions = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? (v as { Region?: string }[]).flatMap((r) => (typeof r.Region === "string" ? [r.Region] : [])) : undefined;

export const SECRETS_MANAGER_ACTIONS: Readonly<Record<string, SecretsAction>> = {
  BatchGetSecretValue: { also: (i) => (i.Filters !== undefined ? ["ListSecrets"] : []) },
  CancelRotateSecret: { id: "SecretId" },
  CreateSecret: {
    id: "Name",
    context: (i) => ({
      ...requestTags(i.Tags),
      "secretsmanager:Name": str(i.Name),
      "secretsmanager:Description": str(i.Description),
      "secretsmanager:KmsKeyId": str(i.KmsKeyId),
      "secretsmanager:AddReplicaRegions": replicaRegions(i.AddReplicaRegions),
      "secretsmanager:ForceOverwriteReplicaSecret": bool(i.ForceOverwriteReplicaSecret),
    }),
    also: (i) => [...(i.Tags !== undefined ? ["TagResource"] : []), ...(i.AddReplicaRegions !== undefined ? ["ReplicateSecretToRegions"] : [])],
  },
  DeleteResourcePolicy: { id: "SecretId" },
  DeleteSecret: {
    id: "SecretId",
    context: (i) => ({
      "secretsmanager:RecoveryWindowInDays": num(i.RecoveryWindowInDays),
      "secretsmanager:ForceDeleteWithoutRecovery": bool(i.ForceDeleteWithoutRecovery),
    }),
  },
  DescribeSecret: { id: "SecretId" },
  GetRandomPassword: {},
  GetResourcePolicy: { id: "SecretId" },
  GetSecretValue: {
    id: "SecretId",
    context: (i) => ({ "secretsmanager:VersionId": str(i.VersionId), "secretsmanager:VersionStage": str(i.VersionStage) }),
  },
  ListSecretVersionIds: { id: "SecretId" },
  ListSecrets: {},
  PutResourcePolicy: { id: "SecretId", context: (i) => ({ "secretsmanager:BlockPublicPolicy": bool(i.BlockPublicPolicy) }) },
  PutSecretValue: { id: "SecretId" },
  RemoveRegionsFromReplication: { id: "SecretId" },
  ReplicateSecretToRegions: {
    id: "SecretId",
    context: (i) => ({
      "secretsmanager:AddReplicaRegions": replicaRegions(i.AddReplicaRegions),
      "secretsmanager:ForceOverwriteReplicaSecret": bool(i.ForceOverwriteReplicaSecret),
    }),
  },
  RestoreSecret: { id: "SecretId" },
  RotateSecret: {
    id: "SecretId",
    context: (i) => ({
      "secretsmanager:RotationLambdaARN": str(i.RotationLambdaARN),
      "secretsmanager:RotateImmediately": bool(i.RotateImmediately),
      "secretsmanager:ModifyRotationRules": i.RotationRules !== undefined ? "true" : undefined,
    }),
  },
  StopReplicationToReplica: { id: "SecretId" },
  TagResource: { id: "SecretId", context: (i) => requestTags(i.Tags) },
  UntagResource: {
    id: "SecretId",
    context: (i) => ({ "aws:TagKeys": Array.isArray(i.TagKeys) ? (i.TagKeys as string[]) : undefined }),
  },
  UpdateSecret: {
    id: "SecretId",
    context: (i) => ({ "secretsmanager:Description": str(i.Description), "secretsmanager:KmsKeyId": str(i.KmsKeyId) }),
  },
  UpdateSecretVersionStage: { id: "SecretId", context: (i) => ({ "secretsmanager:VersionStage": str(i.VersionStage) }) },
  // ValidateResourcePolicy also needs PutResourcePolicy (§3.6); its SecretId is optional.
  ValidateResourcePolicy: { id: "SecretId", also: () => ["PutResourcePolicy"] },
};

/** The resource a request names, as found before any existence check. */
export interface SecretTarget {
  arn: string;
  accountId: string;
  /** The secret, when it exists. */
  secret?: SecretRow;
}

/** Finds the secret `secretId` names (name, full or partial ARN, §2.4) without failing. */
export async function findSecretTarget(store: Store, ctx: RequestContext, partition: string, secretId: string): Promise<SecretTarget> {
  const parsed = parseSecretId(secretId);
  const account = ctx.caller.accountId;
  if (parsed.kind === "name") {
    const secret = await store.getSecretByName(account, ctx.region, parsed.name);
    if (secret) return { arn: secret.arn, accountId: secret.accountId, secret };
    return { arn: `arn:${partition}:secretsmanager:${ctx.region}:${account}:secret:${secretId}`, accountId: account };
  }
  if (parsed.kind === "invalid") return { arn: secretId, accountId: account };
  const notFound = { arn: secretId, accountId: parsed.accountId };
  if (parsed.region !== ctx.region) return notFound;
  const exact = await store.getSecretByArn(secretId);
  if (exact) return { arn: exact.arn, accountId: exact.accountId, secret: exact };
  if (parsed.looksFull) return notFound;
  const byName = await store.getSecretByName(parsed.accountId, ctx.region, parsed.nameIfPartial);
  return byName && byName.arn.startsWith(`${secretId}-`) ? { arn: byName.arn, accountId: byName.accountId, secret: byName } : notFound;
}

/** The ARN CreateSecret will give the secret; the suffix is not known yet, so any six characters stand for it. */
export function newSecretTarget(ctx: RequestContext, partition: string, name: string): SecretTarget {
  return { arn: secretArn(partition, ctx.region, ctx.caller.accountId, name, randomSuffix()), accountId: ctx.caller.accountId };
}

// Secret rows handed out by the store's read cache are shared and frozen: their keys are worked
// out once per row object.
const secretKeys = new WeakMap<SecretRow, [string, string][]>();

function secretPairs(secret: SecretRow): [string, string][] {
  let pairs = secretKeys.get(secret);
  if (pairs !== undefined) return pairs;
  pairs = [];
  const meta = metaOf(secret);
  for (const tag of meta.tags ?? []) {
    pairs.push([`aws:ResourceTag/${tag.Key}`, tag.Value]);
    pairs.push([`secretsmanager:ResourceTag/${tag.Key}`, tag.Value]);
  }
  if (meta.primaryRegion !== undefined) pairs.push(["secretsmanager:SecretPrimaryRegion", meta.primaryRegion]);
  secretKeys.set(secret, pairs);
  return pairs;
}

/** The per-secret condition keys (§3.6 note ¹): tags in both spellings, the id as given. */
export function secretContext(target: SecretTarget, secretId: string | undefined, into: Context): void {
  if (secretId !== undefined) into["secretsmanager:SecretId"] = secretId;
  if (target.secret === undefined) return;
  for (const [key, value] of secretPairs(target.secret)) into[key] = value;
}

/** The secret's resource policy text, if it has one. */
export function resourcePolicyText(target: SecretTarget): string | undefined {
  return target.secret === undefined ? undefined : metaOf(target.secret).resourcePolicy;
}

/** The secret's tags once a TagResource / UntagResource request is applied; undefined without a secret. */
export function tagsAfter(target: SecretTarget, input: Input): Record<string, string> | undefined {
  if (target.secret === undefined) return undefined;
  const tags: Record<string, string> = {};
  for (const tag of metaOf(target.secret).tags ?? []) tags[tag.Key] = tag.Value;
  if (Array.isArray(input.Tags)) {
    for (const tag of input.Tags as TagInput[]) if (typeof tag.Key === "string") tags[tag.Key] = tag.Value ?? "";
  }
  if (Array.isArray(input.TagKeys)) for (const key of input.TagKeys as string[]) delete tags[key];
  return tags;
}
