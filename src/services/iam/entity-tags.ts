// Tags on users and roles (TagUser, UntagUser, ListUserTags and the role forms): they become
// aws:PrincipalTag/<key> when the user or the role's sessions call (security spec §3.5).
import type { Operation } from "../context.js";
import { attrsOf, requireEntity } from "./entities.js";
import { pageOfList } from "./paging.js";
import { mergeTags, removeTags } from "./tags.js";
import { iamWrite } from "./writes.js";
import type { Tag } from "@aws-sdk/client-iam";

type TaggedKind = "user" | "role";
const OWNER_MEMBER = { user: "UserName", role: "RoleName" } as const;

export function tagEntity(kind: TaggedKind): Operation<Record<string, unknown>, Record<string, never>> {
  return async (input, ctx, deps) =>
    iamWrite(deps, async (tx) => {
      const owner = await requireEntity(tx, ctx.caller.accountId, kind, input[OWNER_MEMBER[kind]] as string);
      const tags = mergeTags(attrsOf(owner).tags ?? [], (input.Tags as Tag[] | undefined) ?? [], kind, owner.name);
      await tx.identity.updateEntity({ ...owner, attrs: { ...attrsOf(owner), tags } });
      return {};
    });
}

export function untagEntity(kind: TaggedKind): Operation<Record<string, unknown>, Record<string, never>> {
  return async (input, ctx, deps) =>
    iamWrite(deps, async (tx) => {
      const owner = await requireEntity(tx, ctx.caller.accountId, kind, input[OWNER_MEMBER[kind]] as string);
      const tags = removeTags(attrsOf(owner).tags ?? [], (input.TagKeys as string[] | undefined) ?? []);
      await tx.identity.updateEntity({ ...owner, attrs: { ...attrsOf(owner), tags } });
      return {};
    });
}

export function listEntityTags(kind: TaggedKind): Operation<Record<string, unknown>, Record<string, unknown>> {
  return async (input, ctx, deps) => {
    const owner = await requireEntity(deps.store, ctx.caller.accountId, kind, input[OWNER_MEMBER[kind]] as string);
    const page = pageOfList(attrsOf(owner).tags ?? [], input, (t) => (t.Key ?? "").toLowerCase());
    return { Tags: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
  };
}
