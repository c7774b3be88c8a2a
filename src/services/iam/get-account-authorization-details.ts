// GetAccountAuthorizationDetails: every user, group, role and managed policy of the account with
// their policies, in one (paginated) answer, as audit tools read it. Documents are URL-encoded as
// everywhere in IAM. AWS managed policies appear when something in the account uses them.
import type {
  GetAccountAuthorizationDetailsRequest,
  GetAccountAuthorizationDetailsResponse,
  GroupDetail,
  ManagedPolicyDetail,
  RoleDetail,
  UserDetail,
} from "@aws-sdk/client-iam";
import type { EntityKind, EntityRow, ManagedPolicyRow } from "../../store/identity-ops.js";
import type { StoreOps } from "../../store/store.js";
import type { Operation } from "../context.js";
import { awsManagedPolicy } from "./aws-managed-policies.js";
import { attrsOf, groupShape, roleShape, userShape } from "./entities.js";
import { parseIamArn } from "./identifiers.js";
import { policyShape } from "./managed-policies.js";
import { pageOfList } from "./paging.js";
import { encodePolicyText } from "./policy-text.js";

async function allEntities(ops: StoreOps, accountId: string, kind: EntityKind): Promise<EntityRow[]> {
  const out: EntityRow[] = [];
  let after: string | undefined;
  for (;;) {
    const rows = await ops.identity.listEntities(accountId, kind, { afterName: after, limit: 500 });
    out.push(...rows);
    if (rows.length < 500) return out;
    after = rows[rows.length - 1]?.name;
  }
}

async function details(ops: StoreOps, entity: EntityRow) {
  const inline = (await ops.identity.listInlinePolicies(entity.id)).map((p) => ({ PolicyName: p.policyName, PolicyDocument: encodePolicyText(p.document) }));
  const attached = (await ops.identity.listAttachedPolicies(entity.id)).map((arn) => ({ PolicyName: parseIamArn(arn)?.name, PolicyArn: arn }));
  return { inline, attached };
}

type Item =
  | { key: string; user: UserDetail }
  | { key: string; group: GroupDetail }
  | { key: string; role: RoleDetail }
  | { key: string; policy: ManagedPolicyDetail };

export const GetAccountAuthorizationDetails: Operation<GetAccountAuthorizationDetailsRequest, GetAccountAuthorizationDetailsResponse> = async (
  input,
  ctx,
  deps,
) => {
  const ops = deps.store;
  const account = ctx.caller.accountId;
  const filter = new Set(input.Filter && input.Filter.length > 0 ? input.Filter : ["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"]);
  const items: Item[] = [];
  const usedAws = new Map<string, number>();
  const count = (arns: readonly { PolicyArn?: string }[]) => {
    for (const { PolicyArn } of arns) if (PolicyArn && awsManagedPolicy(PolicyArn)) usedAws.set(PolicyArn, (usedAws.get(PolicyArn) ?? 0) + 1);
  };
  for (const user of await allEntities(ops, account, "user")) {
    const d = await details(ops, user);
    count(d.attached);
    if (!filter.has("User")) continue;
    const groups = (await ops.identity.listGroupsOfUser(user.id)).map((g) => g.name);
    items.push({ key: `1${user.name.toLowerCase()}`, user: { ...userShape(user), UserPolicyList: d.inline, GroupList: groups, AttachedManagedPolicies: d.attached } });
  }
  for (const group of await allEntities(ops, account, "group")) {
    const d = await details(ops, group);
    count(d.attached);
    if (!filter.has("Group")) continue;
    items.push({ key: `2${group.name.toLowerCase()}`, group: { ...groupShape(group), GroupPolicyList: d.inline, AttachedManagedPolicies: d.attached } });
  }
  for (const role of await allEntities(ops, account, "role")) {
    const d = await details(ops, role);
    count(d.attached);
    if (!filter.has("Role")) continue;
    const shape = roleShape(role);
    items.push({
      key: `3${role.name.toLowerCase()}`,
      role: { ...shape, InstanceProfileList: [], RolePolicyList: d.inline, AttachedManagedPolicies: d.attached, Tags: attrsOf(role).tags },
    });
  }
  const policyDetail = async (row: ManagedPolicyRow, attachments: number, aws: boolean): Promise<ManagedPolicyDetail> => {
    const versions = aws ? [awsManagedPolicy(row.arn)?.version].filter((v) => v !== undefined) : await ops.identity.listPolicyVersions(row.arn);
    const shape = policyShape(row, { attachments, boundaries: 0 });
    return {
      PolicyName: shape.PolicyName,
      PolicyId: shape.PolicyId,
      Arn: shape.Arn,
      Path: shape.Path,
      DefaultVersionId: shape.DefaultVersionId,
      AttachmentCount: attachments,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      Description: shape.Description,
      CreateDate: shape.CreateDate,
      UpdateDate: shape.UpdateDate,
      PolicyVersionList: versions.map((v) => ({
        Document: encodePolicyText(v.document),
        VersionId: v.versionId,
        IsDefaultVersion: v.versionId === row.defaultVersionId,
        CreateDate: new Date(v.createdAt),
      })),
    };
  };
  if (filter.has("LocalManagedPolicy")) {
    let after: string | undefined;
    for (;;) {
      const rows = await ops.identity.listManagedPolicies(account, { afterName: after, limit: 500 });
      for (const row of rows) {
        const attachments = (await ops.identity.listPolicyAttachments(row.arn)).length;
        items.push({ key: `4${row.name.toLowerCase()}`, policy: await policyDetail(row, attachments, false) });
      }
      if (rows.length < 500) break;
      after = rows[rows.length - 1]?.name;
    }
  }
  if (filter.has("AWSManagedPolicy")) {
    for (const [arn, attachments] of usedAws) {
      const aws = awsManagedPolicy(arn);
      if (aws) items.push({ key: `5${aws.policy.name.toLowerCase()}`, policy: await policyDetail(aws.policy, attachments, true) });
    }
  }
  items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const page = pageOfList(items, input, (i) => i.key);
  return {
    UserDetailList: page.items.flatMap((i) => ("user" in i ? [i.user] : [])),
    GroupDetailList: page.items.flatMap((i) => ("group" in i ? [i.group] : [])),
    RoleDetailList: page.items.flatMap((i) => ("role" in i ? [i.role] : [])),
    Policies: page.items.flatMap((i) => ("policy" in i ? [i.policy] : [])),
    IsTruncated: page.IsTruncated,
    Marker: page.Marker,
  };
};
