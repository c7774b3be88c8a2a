// Managed policies attached to users, groups and roles: attach, detach and list, alike for the
// three kinds but for the member naming the owner. At most 10 per entity (IAM's default quota).
import type { AttachedPolicy } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { requireEntity } from "./entities.js";
import { LimitExceeded, NoSuchEntity, iamMessages, type NamedKind } from "./errors.js";
import { parseIamArn } from "./identifiers.js";
import { requireAttachable } from "./managed-policies.js";
import { pageOfList, type PageInput } from "./paging.js";
import { iamWrite } from "./writes.js";

const OWNER_MEMBER = { user: "UserName", group: "GroupName", role: "RoleName" } as const;
export const ATTACHED_PER_ENTITY = 10;

type Input = Record<string, unknown> & PageInput;

const ownerName = (kind: NamedKind, input: Input): string => input[OWNER_MEMBER[kind]] as string;

export function attachPolicy(kind: NamedKind): Operation<Input, Record<string, never>> {
  return async (input, ctx, deps) =>
    iamWrite(deps, async (tx) => {
      const owner = await requireEntity(tx, ctx.caller.accountId, kind, ownerName(kind, input));
      const arn = input.PolicyArn as string;
      await requireAttachable(tx, ctx, arn);
      const attached = await tx.identity.listAttachedPolicies(owner.id);
      if (attached.includes(arn)) return {};
      if (attached.length >= ATTACHED_PER_ENTITY) throw new LimitExceeded(iamMessages.attachedQuota(kind));
      await tx.identity.attachPolicy(owner.id, arn);
      return {};
    });
}

export function detachPolicy(kind: NamedKind): Operation<Input, Record<string, never>> {
  return async (input, ctx, deps) =>
    iamWrite(deps, async (tx) => {
      const owner = await requireEntity(tx, ctx.caller.accountId, kind, ownerName(kind, input));
      const arn = input.PolicyArn as string;
      if (!(await tx.identity.detachPolicy(owner.id, arn))) throw new NoSuchEntity(iamMessages.policyNotFound(arn));
      return {};
    });
}

export function listAttachedPolicies(kind: NamedKind): Operation<Input, Record<string, unknown>> {
  return async (input, ctx, deps) => {
    const owner = await requireEntity(deps.store, ctx.caller.accountId, kind, ownerName(kind, input));
    const prefix = (input.PathPrefix as string | undefined) ?? "/";
    const attached: AttachedPolicy[] = [];
    for (const arn of await deps.store.identity.listAttachedPolicies(owner.id)) {
      const parsed = parseIamArn(arn);
      if (parsed && parsed.path.startsWith(prefix)) attached.push({ PolicyName: parsed.name, PolicyArn: arn });
    }
    const page = pageOfList(attached, input, (p) => p.PolicyArn ?? "");
    return { AttachedPolicies: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
  };
}
