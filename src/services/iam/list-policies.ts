// ListPolicies: customer managed policies of the account (Scope Local), the AWS managed ones
// Coffer knows (Scope AWS), or both (All, the default); OnlyAttached keeps the attached ones.
import type { ListPoliciesRequest, ListPoliciesResponse } from "@aws-sdk/client-iam";
import type { ManagedPolicyRow } from "../../store/identity-ops.js";
import type { Operation } from "../context.js";
import { awsManagedPolicies } from "./aws-managed-policies.js";
import { policyShape } from "./managed-policies.js";
import { pageOfList } from "./paging.js";

export const ListPolicies: Operation<ListPoliciesRequest, ListPoliciesResponse> = async (input, ctx, deps) => {
  const scope = input.Scope ?? "All";
  const prefix = input.PathPrefix ?? "/";
  const rows: ManagedPolicyRow[] = [];
  if (scope !== "Local") rows.push(...awsManagedPolicies().map((p) => p.policy).filter((p) => p.path.startsWith(prefix)));
  if (scope !== "AWS") {
    let after: string | undefined;
    for (;;) {
      const batch = await deps.store.identity.listManagedPolicies(ctx.caller.accountId, { pathPrefix: prefix, afterName: after, limit: 500 });
      rows.push(...batch);
      if (batch.length < 500) break;
      after = batch[batch.length - 1]?.name;
    }
  }
  const counted = [];
  for (const row of rows) {
    const attachments = (await deps.store.identity.listPolicyAttachments(row.arn)).filter((e) => e.accountId === ctx.caller.accountId).length;
    if (input.OnlyAttached === true && attachments === 0) continue;
    counted.push({ row, attachments });
  }
  // AWS managed policies first, then the account's, each by name: the marker is the position key.
  const key = (p: { row: ManagedPolicyRow }) => `${p.row.accountId === "aws" ? "0" : "1"}${p.row.name.toLowerCase()}`;
  counted.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const page = pageOfList(counted, input, key);
  return {
    Policies: page.items.map((p) => policyShape(p.row, { attachments: p.attachments, boundaries: 0 }, false)),
    IsTruncated: page.IsTruncated,
    Marker: page.Marker,
  };
};
