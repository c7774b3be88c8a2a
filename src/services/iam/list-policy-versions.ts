// ListPolicyVersions: newest first, without documents, as AWS lists them.
import type { ListPolicyVersionsRequest, ListPolicyVersionsResponse } from "@aws-sdk/client-iam";
import type { Operation } from "../context.js";
import { policyVersions, requirePolicy } from "./managed-policies.js";
import { pageOfList } from "./paging.js";

export const ListPolicyVersions: Operation<ListPolicyVersionsRequest, ListPolicyVersionsResponse> = async (input, ctx, deps) => {
  const found = await requirePolicy(deps.store, ctx, input.PolicyArn as string);
  const versions = (await policyVersions(deps.store, found)).reverse();
  // Newest first: the marker key counts down from the highest version number.
  const key = (v: { versionId: string }) => String(1e9 - Number(v.versionId.slice(1))).padStart(10, "0");
  const page = pageOfList(versions, input, key);
  return {
    Versions: page.items.map((v) => ({ VersionId: v.versionId, IsDefaultVersion: v.versionId === found.row.defaultVersionId, CreateDate: new Date(v.createdAt) })),
    IsTruncated: page.IsTruncated,
    Marker: page.Marker,
  };
};
