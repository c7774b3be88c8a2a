// UpdateUser: a new name and/or path; the user keeps its id, keys, groups and policies.
import type { UpdateUserRequest } from "@aws-sdk/client-iam";
import { UniqueViolationError } from "../../store/store.js";
import type { Operation } from "../context.js";
import { requireEntity } from "./entities.js";
import { EntityAlreadyExists, iamMessages } from "./errors.js";
import { entityArn } from "./identifiers.js";
import { iamWrite } from "./writes.js";

export const UpdateUser: Operation<UpdateUserRequest, Record<string, never>> = async (input, ctx, deps) =>
  iamWrite(deps, async (tx) => {
    const user = await requireEntity(tx, ctx.caller.accountId, "user", input.UserName as string);
    const name = input.NewUserName ?? user.name;
    const path = input.NewPath ?? user.path;
    const arn = entityArn(deps.partition, user.accountId, "user", path, name);
    if (name.toLowerCase() !== user.name.toLowerCase() && (await tx.identity.getEntity(user.accountId, "user", name))) {
      throw new EntityAlreadyExists(iamMessages.entityExists("user", name));
    }
    try {
      await tx.identity.updateEntity({ ...user, name, path, arn });
    } catch (err) {
      if (err instanceof UniqueViolationError) throw new EntityAlreadyExists(iamMessages.entityExists("user", name));
      throw err;
    }
    if (arn !== user.arn) await tx.identity.renameAccessKeyPrincipal(user.arn, arn);
    return {};
  });
