// Tags on customer managed policies (TagPolicy, UntagPolicy, ListPolicyTags): kept with the
// policy, returned by GetPolicy, given at CreatePolicy. AWS managed policies are read-only.
import type { ListPolicyTagsRequest, ListPolicyTagsResponse, Tag, TagPolicyRequest, UntagPolicyRequest } from "@aws-sdk/client-iam";
import type { StoreOps } from "../../store/store.js";
import type { Operation, RequestContext } from "../context.js";
import { InvalidInput, iamMessages } from "./errors.js";
import { requirePolicy, type FoundPolicy, type PolicyAttrs } from "./managed-policies.js";
import { pageOfList } from "./paging.js";
import { mergeTags, removeTags } from "./tags.js";
import { iamWrite } from "./writes.js";

async function requireCustomerPolicy(tx: StoreOps, ctx: RequestContext, arn: string): Promise<FoundPolicy> {
  const found = await requirePolicy(tx, ctx, arn);
  if (found.aws) throw new InvalidInput(iamMessages.awsPolicyReadOnly(arn));
  return found;
}

async function retag(tx: StoreOps, found: FoundPolicy, change: (tags: Tag[]) => Tag[]): Promise<void> {
  const attrs = found.row.attrs as PolicyAttrs;
  await tx.identity.updateManagedPolicy({ ...found.row, attrs: { ...attrs, tags: change(attrs.tags ?? []) }, updatedAt: found.row.updatedAt });
}

export const TagPolicy: Operation<TagPolicyRequest, Record<string, never>> = async (input, ctx, deps) =>
  iamWrite(deps, async (tx) => {
    const found = await requireCustomerPolicy(tx, ctx, input.PolicyArn as string);
    await retag(tx, found, (tags) => mergeTags(tags, input.Tags ?? [], "policy", found.row.name));
    return {};
  });

export const UntagPolicy: Operation<UntagPolicyRequest, Record<string, never>> = async (input, ctx, deps) =>
  iamWrite(deps, async (tx) => {
    const found = await requireCustomerPolicy(tx, ctx, input.PolicyArn as string);
    await retag(tx, found, (tags) => removeTags(tags, input.TagKeys ?? []));
    return {};
  });

export const ListPolicyTags: Operation<ListPolicyTagsRequest, ListPolicyTagsResponse> = async (input, ctx, deps) => {
  const found = await requirePolicy(deps.store, ctx, input.PolicyArn as string);
  const tags = found.aws ? [] : ((found.row.attrs as PolicyAttrs).tags ?? []);
  const page = pageOfList(tags, input, (t) => (t.Key ?? "").toLowerCase());
  return { Tags: page.items, IsTruncated: page.IsTruncated ?? false, Marker: page.Marker };
};
