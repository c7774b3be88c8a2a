// UpdateGroup: a new name and/or path; members and policies stay.
import type { UpdateGroupRequest } from "@aws-sdk/client-iam";
import { UniqueViolationError } from "../../store/store.js";
import type { Operation } from "../context.js";
import { requireEntity } from "./entities.js";
import { EntityAlreadyExists, iamMessages } from "./errors.js";
import { entityArn } from "./identifiers.js";
import { iamWrite } from "./writes.js";

export const UpdateGroup: Operation<UpdateGroupRequest, Record<string, never>> = async (input, ctx, deps) =>
  iamWrite(deps, async (tx) => {
    const group = await requireEntity(tx, ctx.caller.accountId, "group", input.GroupName as string);
    const name = input.NewGroupName ?? group.name;
    const path = input.NewPath ?? group.path;
    if (name.toLowerCase() !== group.name.toLowerCase() && (await tx.identity.getEntity(group.accountId, "group", name))) {
      throw new EntityAlreadyExists(iamMessages.entityExists("group", name));
    }
    try {
      await tx.identity.updateEntity({ ...group, name, path, arn: entityArn(deps.partition, group.accountId, "group", path, name) });
    } catch (err) {
      if (err instanceof UniqueViolationError) throw new EntityAlreadyExists(iamMessages.entityExists("group", name));
      throw err;
    }
    return {};
  });
