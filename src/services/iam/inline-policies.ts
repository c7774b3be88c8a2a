// Inline policies of users, groups and roles: the four operations per kind differ only in the
// member naming the owner and in IAM's size quota (the sum of an entity's inline policies,
// whitespace not counted: 2048 for users, 5120 for groups, 10240 for roles).
import type { Operation } from "../context.js";
import { requireEntity } from "./entities.js";
import { LimitExceeded, NoSuchEntity, iamMessages, type NamedKind } from "./errors.js";
import { pageOfList, type PageInput } from "./paging.js";
import { checkIdentityPolicy, encodePolicyText, policySize } from "./policy-text.js";
import { iamWrite } from "./writes.js";

const OWNER_MEMBER = { user: "UserName", group: "GroupName", role: "RoleName" } as const;
export const SIZE_LIMIT = { user: 2048, group: 5120, role: 10240 } as const;

type Input = Record<string, unknown> & PageInput;

const ownerName = (kind: NamedKind, input: Input): string => input[OWNER_MEMBER[kind]] as string;

export function putInlinePolicy(kind: NamedKind): Operation<Input, Record<string, never>> {
  return async (input, ctx, deps) => {
    const policyName = input.PolicyName as string;
    const document = input.PolicyDocument as string;
    checkIdentityPolicy(document);
    return iamWrite(deps, async (tx) => {
      const owner = await requireEntity(tx, ctx.caller.accountId, kind, ownerName(kind, input));
      let total = policySize(document);
      for (const other of await tx.identity.listInlinePolicies(owner.id)) {
        if (other.policyName !== policyName) total += policySize(other.document);
      }
      if (total > SIZE_LIMIT[kind]) throw new LimitExceeded(iamMessages.inlineSizeQuota(kind, owner.name, SIZE_LIMIT[kind]));
      await tx.identity.putInlinePolicy({ ownerId: owner.id, policyName, document });
      return {};
    });
  };
}

export function getInlinePolicy(kind: NamedKind): Operation<Input, Record<string, unknown>> {
  return async (input, ctx, deps) => {
    const owner = await requireEntity(deps.store, ctx.caller.accountId, kind, ownerName(kind, input));
    const policyName = input.PolicyName as string;
    const row = await deps.store.identity.getInlinePolicy(owner.id, policyName);
    if (!row) throw new NoSuchEntity(iamMessages.noSuchInlinePolicy(kind, policyName));
    return { [OWNER_MEMBER[kind]]: owner.name, PolicyName: row.policyName, PolicyDocument: encodePolicyText(row.document) };
  };
}

export function deleteInlinePolicy(kind: NamedKind): Operation<Input, Record<string, never>> {
  return async (input, ctx, deps) =>
    iamWrite(deps, async (tx) => {
      const owner = await requireEntity(tx, ctx.caller.accountId, kind, ownerName(kind, input));
      const policyName = input.PolicyName as string;
      if (!(await tx.identity.deleteInlinePolicy(owner.id, policyName))) {
        throw new NoSuchEntity(iamMessages.noSuchInlinePolicy(kind, policyName));
      }
      return {};
    });
}

export function listInlinePolicies(kind: NamedKind): Operation<Input, Record<string, unknown>> {
  return async (input, ctx, deps) => {
    const owner = await requireEntity(deps.store, ctx.caller.accountId, kind, ownerName(kind, input));
    const names = (await deps.store.identity.listInlinePolicies(owner.id)).map((p) => p.policyName);
    const page = pageOfList(names, input, (n) => n);
    return { PolicyNames: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
  };
}
