// CreateGroup: a named set of users whose policies apply to every member.
import type { CreateGroupRequest, CreateGroupResponse } from "@aws-sdk/client-iam";
import { UniqueViolationError } from "../../store/store.js";
import type { Operation } from "../context.js";
import { groupShape } from "./entities.js";
import { EntityAlreadyExists, iamMessages } from "./errors.js";
import { entityArn, newUniqueId } from "./identifiers.js";
import { iamWrite } from "./writes.js";

export const CreateGroup: Operation<CreateGroupRequest, CreateGroupResponse> = async (input, ctx, deps) => {
  const name = input.GroupName as string;
  const path = input.Path ?? "/";
  return iamWrite(deps, async (tx) => {
    const row = {
      id: newUniqueId("group"),
      accountId: ctx.caller.accountId,
      kind: "group" as const,
      name,
      path,
      arn: entityArn(deps.partition, ctx.caller.accountId, "group", path, name),
      createdAt: ctx.now,
      attrs: {},
    };
    try {
      await tx.identity.insertEntity(row);
    } catch (err) {
      if (err instanceof UniqueViolationError) throw new EntityAlreadyExists(iamMessages.entityExists("group", name));
      throw err;
    }
    return { Group: groupShape(row) };
  });
};
