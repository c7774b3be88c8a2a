// ListEntitiesForPolicy: the users, groups and roles of the account a managed policy is attached to.
import type { ListEntitiesForPolicyRequest, ListEntitiesForPolicyResponse } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { requirePolicy } from "./managed-policies.js";
import { pageOfList } from "./paging.js";

export const ListEntitiesForPolicy: Operation<ListEntitiesForPolicyRequest, ListEntitiesForPolicyResponse> = async (input, ctx, deps) => {
  const arn = input.PolicyArn as string;
  await requirePolicy(deps.store, ctx, arn);
  const filter = input.EntityFilter;
  const prefix = input.PathPrefix ?? "/";
  const entities = (await deps.store.identity.listPolicyAttachments(arn))
    .filter((e) => e.accountId === ctx.caller.accountId && e.path.startsWith(prefix))
    .filter((e) => filter === undefined || filter === "LocalManagedPolicy" || filter === "AWSManagedPolicy" || filter.toLowerCase() === e.kind)
    .sort((a, b) => (a.kind + a.name.toLowerCase() < b.kind + b.name.toLowerCase() ? -1 : 1));
  const page = pageOfList(entities, input, (e) => e.kind + e.name.toLowerCase());
  return {
    PolicyGroups: page.items.filter((e) => e.kind === "group").map((e) => ({ GroupName: e.name, GroupId: e.id })),
    PolicyUsers: page.items.filter((e) => e.kind === "user").map((e) => ({ UserName: e.name, UserId: e.id })),
    PolicyRoles: page.items.filter((e) => e.kind === "role").map((e) => ({ RoleName: e.name, RoleId: e.id })),
    IsTruncated: page.IsTruncated,
    Marker: page.Marker,
  };
};
