// Managed policies as IAM operations see them: customer managed ones of the caller's account
// (rows of the store) and the AWS managed ones (aws-managed-policies.ts), with their wire shape.
import type { Policy } from "@aws-sdk/client-iam";
import type { ManagedPolicyRow, PolicyVersionRow } from "../../store/identity-ops.js";
import type { StoreOps } from "../../store/store.js";
import type { RequestContext } from "../context.js";
import { awsManagedPolicy, isAwsManagedArn } from "./aws-managed-policies.js";
import { InvalidInput, NoSuchEntity, iamMessages } from "./errors.js";
import { parseIamArn } from "./identifiers.js";
import type { Tag } from "@aws-sdk/client-iam";

export interface PolicyAttrs {
  description?: string;
  tags?: Tag[];
}

export interface FoundPolicy {
  row: ManagedPolicyRow;
  /** AWS managed: read-only, shared by every account. */
  aws: boolean;
}

/** A managed policy the caller's account may use, or undefined (another account's policies are not visible). */
export async function findPolicy(ops: StoreOps, ctx: RequestContext, arn: string): Promise<FoundPolicy | undefined> {
  if (isAwsManagedArn(arn)) {
    const found = awsManagedPolicy(arn);
    return found && { row: found.policy, aws: true };
  }
  const parsed = parseIamArn(arn);
  if (!parsed || parsed.type !== "policy") throw new InvalidInput(`ARN ${arn} is not valid.`);
  if (parsed.accountId !== ctx.caller.accountId) return undefined;
  const row = await ops.identity.getManagedPolicy(arn);
  return row && { row, aws: false };
}

export async function requirePolicy(ops: StoreOps, ctx: RequestContext, arn: string): Promise<FoundPolicy> {
  const found = await findPolicy(ops, ctx, arn);
  if (!found) throw new NoSuchEntity(iamMessages.policyNotFound(arn));
  return found;
}

/** Attach and boundary operations word a missing policy differently. */
export async function requireAttachable(ops: StoreOps, ctx: RequestContext, arn: string, boundary = false): Promise<FoundPolicy> {
  const found = await findPolicy(ops, ctx, arn).catch((err: unknown) => {
    if (err instanceof InvalidInput) return undefined;
    throw err;
  });
  if (!found) throw new NoSuchEntity(boundary ? iamMessages.boundaryNotAttachable(arn) : iamMessages.policyNotAttachable(arn));
  return found;
}

export async function policyVersion(ops: StoreOps, found: FoundPolicy, versionId: string): Promise<PolicyVersionRow | undefined> {
  if (found.aws) {
    const aws = awsManagedPolicy(found.row.arn);
    return aws && aws.version.versionId === versionId ? aws.version : undefined;
  }
  return ops.identity.getPolicyVersion(found.row.arn, versionId);
}

export async function policyVersions(ops: StoreOps, found: FoundPolicy): Promise<PolicyVersionRow[]> {
  if (found.aws) {
    const aws = awsManagedPolicy(found.row.arn);
    return aws ? [aws.version] : [];
  }
  return ops.identity.listPolicyVersions(found.row.arn);
}

/** How many users and roles use the policy as their permissions boundary. */
export async function boundaryUsageCount(ops: StoreOps, accountId: string, arn: string): Promise<number> {
  let count = 0;
  for (const kind of ["user", "role"] as const) {
    let after: string | undefined;
    for (;;) {
      const rows = await ops.identity.listEntities(accountId, kind, { afterName: after, limit: 500 });
      for (const row of rows) if ((row.attrs as { permissionsBoundary?: string }).permissionsBoundary === arn) count++;
      if (rows.length < 500) break;
      after = rows[rows.length - 1]?.name;
    }
  }
  return count;
}

export function policyShape(row: ManagedPolicyRow, counts?: { attachments: number; boundaries: number }, detail = true): Policy {
  const attrs = row.attrs as PolicyAttrs;
  return {
    PolicyName: row.name,
    PolicyId: row.id,
    Arn: row.arn,
    Path: row.path,
    DefaultVersionId: row.defaultVersionId,
    AttachmentCount: counts?.attachments ?? 0,
    PermissionsBoundaryUsageCount: counts?.boundaries ?? 0,
    IsAttachable: true,
    ...(detail ? { Description: attrs.description } : {}),
    CreateDate: new Date(row.createdAt),
    UpdateDate: new Date(row.updatedAt),
    ...(detail && attrs.tags !== undefined && attrs.tags.length > 0 ? { Tags: attrs.tags } : {}),
  };
}
