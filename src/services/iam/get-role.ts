// GetRole: the role with its trust policy (URL-encoded, as IAM returns documents), boundary and tags.
import type { GetRoleRequest, GetRoleResponse } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { requireEntity, roleShape } from "./entities.js";

export const GetRole: Operation<GetRoleRequest, GetRoleResponse> = async (input, ctx, deps) => {
  const role = await requireEntity(deps.store, ctx.caller.accountId, "role", input.RoleName as string);
  // GetRole alone carries RoleLastUsed, empty until a use is recorded; Coffer records none.
  return { Role: { ...roleShape(role), RoleLastUsed: {} } };
};
