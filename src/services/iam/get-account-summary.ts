// GetAccountSummary: how many users, groups, roles and customer managed policies the account has,
// how many managed policies are attached, whether its root has access keys, and the quotas. Where
// Coffer enforces a quota (access keys per user, groups per user, attached policies, policy
// versions and sizes) the value is Coffer's; counts it does not cap are reported with AWS's
// default quotas. Features Coffer does not have (MFA, certificates, instance profiles, providers,
// console passwords) count 0.
import type { GetAccountSummaryResponse, SummaryKeyType } from "@aws-sdk/client-iam";
import type { EntityKind, EntityRow, IdentityOps } from "../../store/identity-ops.js";
import type { Operation } from "../context.js";
import { GROUPS_PER_USER } from "./add-user-to-group.js";
import { ATTACHED_PER_ENTITY } from "./attached-policies.js";
import { KEYS_PER_USER } from "./create-access-key.js";
import { VERSIONS_PER_POLICY } from "./create-policy-version.js";
import { rootArn } from "./identifiers.js";
import { SIZE_LIMIT } from "./inline-policies.js";
import { MANAGED_POLICY_LIMIT } from "./policy-text.js";
import { TRUST_POLICY_LIMIT } from "./trust-policy.js";

const PAGE = 1_000;

/** AWS's default quotas for what Coffer does not cap. */
const AWS_DEFAULT_QUOTAS = {
  UsersQuota: 5_000,
  GroupsQuota: 300,
  RolesQuota: 1_000,
  PoliciesQuota: 1_500,
  PolicyVersionsInUseQuota: 10_000,
  InstanceProfilesQuota: 1_000,
  ServerCertificatesQuota: 20,
  SigningCertificatesPerUserQuota: 2,
} as const;

async function allEntities(identity: IdentityOps, accountId: string, kind: EntityKind): Promise<EntityRow[]> {
  const all: EntityRow[] = [];
  for (let afterName: string | undefined; ; ) {
    const page = await identity.listEntities(accountId, kind, { afterName, limit: PAGE });
    all.push(...page);
    if (page.length < PAGE) return all;
    afterName = page.at(-1)?.name;
  }
}

async function customerPolicyCount(identity: IdentityOps, accountId: string): Promise<number> {
  let count = 0;
  for (let afterName: string | undefined; ; ) {
    const page = await identity.listManagedPolicies(accountId, { afterName, limit: PAGE });
    count += page.length;
    if (page.length < PAGE) return count;
    afterName = page.at(-1)?.name;
  }
}

export const GetAccountSummary: Operation<Record<string, never>, GetAccountSummaryResponse> = async (_input, ctx, deps) => {
  const identity = deps.store.identity;
  const accountId = ctx.caller.accountId;
  const users = await allEntities(identity, accountId, "user");
  const groups = await allEntities(identity, accountId, "group");
  const roles = await allEntities(identity, accountId, "role");
  let attached = 0;
  for (const entity of [...users, ...groups, ...roles]) attached += (await identity.listAttachedPolicies(entity.id)).length;
  const rootKeys = await identity.listAccessKeysOf(rootArn(deps.partition, accountId));
  const summary: Record<SummaryKeyType, number> = {
    Users: users.length,
    Groups: groups.length,
    Roles: roles.length,
    Policies: await customerPolicyCount(identity, accountId),
    PolicyVersionsInUse: attached,
    AccountAccessKeysPresent: rootKeys.length > 0 ? 1 : 0,
    ...AWS_DEFAULT_QUOTAS,
    AccessKeysPerUserQuota: KEYS_PER_USER,
    GroupsPerUserQuota: GROUPS_PER_USER,
    AttachedPoliciesPerUserQuota: ATTACHED_PER_ENTITY,
    AttachedPoliciesPerGroupQuota: ATTACHED_PER_ENTITY,
    AttachedPoliciesPerRoleQuota: ATTACHED_PER_ENTITY,
    VersionsPerPolicyQuota: VERSIONS_PER_POLICY,
    PolicySizeQuota: MANAGED_POLICY_LIMIT,
    UserPolicySizeQuota: SIZE_LIMIT.user,
    GroupPolicySizeQuota: SIZE_LIMIT.group,
    RolePolicySizeQuota: SIZE_LIMIT.role,
    AssumeRolePolicySizeQuota: TRUST_POLICY_LIMIT,
    MFADevices: 0,
    MFADevicesInUse: 0,
    AccountMFAEnabled: 0,
    AccountPasswordPresent: 0,
    AccountSigningCertificatesPresent: 0,
    ServerCertificates: 0,
    InstanceProfiles: 0,
    Providers: 0,
    GlobalEndpointTokenVersion: 1,
  };
  return { SummaryMap: summary };
};
