// CreateRole: an identity with a trust policy naming who may assume it (STS AssumeRole); its
// permissions come from its policies, its sessions last up to MaxSessionDuration (default 1 h).
import type { CreateRoleRequest, CreateRoleResponse } from "@aws-sdk/client-iam";
import { UniqueViolationError } from "../../store/store.js";
import type { Operation } from "../context.js";
import type { EntityAttrs } from "./entities.js";
import { roleShape } from "./entities.js";
import { EntityAlreadyExists, iamMessages } from "./errors.js";
import { entityArn, newUniqueId } from "./identifiers.js";
import { requireAttachable } from "./managed-policies.js";
import { checkRoleTrust } from "./trust-policy.js";
import { checkNewTags } from "./tags.js";
import { iamWrite } from "./writes.js";

export const CreateRole: Operation<CreateRoleRequest, CreateRoleResponse> = async (input, ctx, deps) => {
  const name = input.RoleName as string;
  const path = input.Path ?? "/";
  const trust = input.AssumeRolePolicyDocument as string;
  await checkRoleTrust(deps.store, trust);
  if (input.Tags) checkNewTags(input.Tags);
  return iamWrite(deps, async (tx) => {
    const attrs: EntityAttrs = { assumeRolePolicy: trust };
    if (input.Description !== undefined) attrs.description = input.Description;
    if (input.MaxSessionDuration !== undefined) attrs.maxSessionDuration = input.MaxSessionDuration;
    if (input.Tags && input.Tags.length > 0) attrs.tags = input.Tags.map((t) => ({ Key: t.Key, Value: t.Value ?? "" }));
    if (input.PermissionsBoundary !== undefined) {
      await requireAttachable(tx, ctx, input.PermissionsBoundary, true);
      attrs.permissionsBoundary = input.PermissionsBoundary;
    }
    const row = {
      id: newUniqueId("role"),
      accountId: ctx.caller.accountId,
      kind: "role" as const,
      name,
      path,
      arn: entityArn(deps.partition, ctx.caller.accountId, "role", path, name),
      createdAt: ctx.now,
      attrs: attrs as Record<string, unknown>,
    };
    try {
      await tx.identity.insertEntity(row);
    } catch (err) {
      if (err instanceof UniqueViolationError) throw new EntityAlreadyExists(iamMessages.entityExists("role", name));
      throw err;
    }
    return { Role: roleShape(row) };
  });
};
