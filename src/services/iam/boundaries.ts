// Permissions boundaries of users and roles: a managed policy that caps what their identity
// policies can grant (security spec §3.8).
import type { Operation } from "../context.js";
import { attrsOf, requireEntity } from "./entities.js";
import { requireAttachable } from "./managed-policies.js";
import { iamWrite } from "./writes.js";

type BoundedKind = "user" | "role";
const OWNER_MEMBER = { user: "UserName", role: "RoleName" } as const;

export function putBoundary(kind: BoundedKind): Operation<Record<string, unknown>, Record<string, never>> {
  return async (input, ctx, deps) =>
    iamWrite(deps, async (tx) => {
      const owner = await requireEntity(tx, ctx.caller.accountId, kind, input[OWNER_MEMBER[kind]] as string);
      const arn = input.PermissionsBoundary as string;
      await requireAttachable(tx, ctx, arn, true);
      await tx.identity.updateEntity({ ...owner, attrs: { ...attrsOf(owner), permissionsBoundary: arn } });
      return {};
    });
}

export function deleteBoundary(kind: BoundedKind): Operation<Record<string, unknown>, Record<string, never>> {
  return async (input, ctx, deps) =>
    iamWrite(deps, async (tx) => {
      const owner = await requireEntity(tx, ctx.caller.accountId, kind, input[OWNER_MEMBER[kind]] as string);
      const attrs = { ...attrsOf(owner) };
      delete attrs.permissionsBoundary;
      await tx.identity.updateEntity({ ...owner, attrs: attrs as Record<string, unknown> });
      return {};
    });
}
