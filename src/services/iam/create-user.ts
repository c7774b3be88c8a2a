// CreateUser: a user with no permissions until policies are attached; names are unique per account
// without regard to case.
import type { CreateUserRequest, CreateUserResponse } from "@aws-sdk/client-iam";
import { UniqueViolationError } from "../../store/store.js";
import type { Operation } from "../context.js";
import type { EntityAttrs } from "./entities.js";
import { userShape } from "./entities.js";
import { EntityAlreadyExists, iamMessages } from "./errors.js";
import { entityArn, newUniqueId } from "./identifiers.js";
import { requireAttachable } from "./managed-policies.js";
import { checkNewTags } from "./tags.js";
import { iamWrite } from "./writes.js";

export const CreateUser: Operation<CreateUserRequest, CreateUserResponse> = async (input, ctx, deps) => {
  const name = input.UserName as string;
  const path = input.Path ?? "/";
  if (input.Tags) checkNewTags(input.Tags);
  return iamWrite(deps, async (tx) => {
    const attrs: EntityAttrs = {};
    if (input.Tags && input.Tags.length > 0) attrs.tags = input.Tags.map((t) => ({ Key: t.Key, Value: t.Value ?? "" }));
    if (input.PermissionsBoundary !== undefined) {
      await requireAttachable(tx, ctx, input.PermissionsBoundary, true);
      attrs.permissionsBoundary = input.PermissionsBoundary;
    }
    const row = {
      id: newUniqueId("user"),
      accountId: ctx.caller.accountId,
      kind: "user" as const,
      name,
      path,
      arn: entityArn(deps.partition, ctx.caller.accountId, "user", path, name),
      createdAt: ctx.now,
      attrs: attrs as Record<string, unknown>,
    };
    try {
      await tx.identity.insertEntity(row);
    } catch (err) {
      if (err instanceof UniqueViolationError) throw new EntityAlreadyExists(iamMessages.entityExists("user", name));
      throw err;
    }
    return { User: userShape(row) };
  });
};
