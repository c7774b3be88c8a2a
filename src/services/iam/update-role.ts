// UpdateRole: description and maximum session duration.
import type { UpdateRoleRequest } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { attrsOf, requireEntity } from "./entities.js";
import { iamWrite } from "./writes.js";

export const UpdateRole: Operation<UpdateRoleRequest, Record<string, never>> = async (input, ctx, deps) =>
  iamWrite(deps, async (tx) => {
    const role = await requireEntity(tx, ctx.caller.accountId, "role", input.RoleName as string);
    const attrs = { ...attrsOf(role) };
    if (input.Description !== undefined) attrs.description = input.Description;
    if (input.MaxSessionDuration !== undefined) attrs.maxSessionDuration = input.MaxSessionDuration;
    await tx.identity.updateEntity({ ...role, attrs: attrs as Record<string, unknown> });
    return {};
  });
