// The IAM operations Coffer serves, by name (one file each). Features Coffer does not have answer as
// AWS answers an account that never used them (features-absent.ts) where cleanup tools ask about
// them; the model's other operations answer InvalidAction from the Query router.
import type { OperationName } from "../../generated/iam-model.js";
import type { Operation } from "../context.js";
import { AddUserToGroup } from "./add-user-to-group.js";
import { AttachGroupPolicy } from "./attach-group-policy.js";
import { AttachRolePolicy } from "./attach-role-policy.js";
import { AttachUserPolicy } from "./attach-user-policy.js";
import { CreateAccessKey } from "./create-access-key.js";
import { CreateGroup } from "./create-group.js";
import { CreatePolicyVersion } from "./create-policy-version.js";
import { CreatePolicy } from "./create-policy.js";
import { CreateRole } from "./create-role.js";
import { CreateUser } from "./create-user.js";
import { DeleteAccessKey } from "./delete-access-key.js";
import { DeleteGroupPolicy } from "./delete-group-policy.js";
import { DeleteGroup } from "./delete-group.js";
import { DeletePolicyVersion } from "./delete-policy-version.js";
import { DeletePolicy } from "./delete-policy.js";
import { DeleteRolePermissionsBoundary } from "./delete-role-permissions-boundary.js";
import { DeleteRolePolicy } from "./delete-role-policy.js";
import { DeleteRole } from "./delete-role.js";
import { DeleteUserPermissionsBoundary } from "./delete-user-permissions-boundary.js";
import { DeleteUserPolicy } from "./delete-user-policy.js";
import { DeleteUser } from "./delete-user.js";
import { DetachGroupPolicy } from "./detach-group-policy.js";
import { DetachRolePolicy } from "./detach-role-policy.js";
import { DetachUserPolicy } from "./detach-user-policy.js";
import { GetAccessKeyLastUsed } from "./get-access-key-last-used.js";
import { GetAccountAuthorizationDetails } from "./get-account-authorization-details.js";
import { GetGroupPolicy } from "./get-group-policy.js";
import { GetGroup } from "./get-group.js";
import { GetPolicyVersion } from "./get-policy-version.js";
import { GetPolicy } from "./get-policy.js";
import { GetRolePolicy } from "./get-role-policy.js";
import { GetRole } from "./get-role.js";
import { GetUserPolicy } from "./get-user-policy.js";
import { GetUser } from "./get-user.js";
import { ListAccessKeys } from "./list-access-keys.js";
import { ListAttachedGroupPolicies } from "./list-attached-group-policies.js";
import { ListAttachedRolePolicies } from "./list-attached-role-policies.js";
import { ListAttachedUserPolicies } from "./list-attached-user-policies.js";
import { ListEntitiesForPolicy } from "./list-entities-for-policy.js";
import { ListGroupPolicies } from "./list-group-policies.js";
import { ListGroupsForUser } from "./list-groups-for-user.js";
import { ListGroups } from "./list-groups.js";
import { ListPolicies } from "./list-policies.js";
import { ListPolicyVersions } from "./list-policy-versions.js";
import { ListRolePolicies } from "./list-role-policies.js";
import { ListRoleTags } from "./list-role-tags.js";
import { ListRoles } from "./list-roles.js";
import { ListUserPolicies } from "./list-user-policies.js";
import { ListUserTags } from "./list-user-tags.js";
import { ListUsers } from "./list-users.js";
import { PutGroupPolicy } from "./put-group-policy.js";
import { PutRolePermissionsBoundary } from "./put-role-permissions-boundary.js";
import { PutRolePolicy } from "./put-role-policy.js";
import { PutUserPermissionsBoundary } from "./put-user-permissions-boundary.js";
import { PutUserPolicy } from "./put-user-policy.js";
import { RemoveUserFromGroup } from "./remove-user-from-group.js";
import { SetDefaultPolicyVersion } from "./set-default-policy-version.js";
import { SimulateCustomPolicy } from "./simulate-custom-policy.js";
import { SimulatePrincipalPolicy } from "./simulate-principal-policy.js";
import { TagRole } from "./tag-role.js";
import { TagUser } from "./tag-user.js";
import { UntagRole } from "./untag-role.js";
import { UntagUser } from "./untag-user.js";
import { UpdateAccessKey } from "./update-access-key.js";
import { UpdateAssumeRolePolicy } from "./update-assume-role-policy.js";
import { UpdateGroup } from "./update-group.js";
import { UpdateRole } from "./update-role.js";
import { UpdateUser } from "./update-user.js";
import { ListInstanceProfilesForRole } from "./list-instance-profiles-for-role.js";
import { ListInstanceProfiles } from "./list-instance-profiles.js";
import { ListMFADevices } from "./list-mfa-devices.js";
import { ListSSHPublicKeys } from "./list-ssh-public-keys.js";
import { ListSigningCertificates } from "./list-signing-certificates.js";
import { ListServiceSpecificCredentials } from "./list-service-specific-credentials.js";
import { GetLoginProfile } from "./get-login-profile.js";
import { ListAccountAliases } from "./list-account-aliases.js";
import { GetAccountPasswordPolicy } from "./get-account-password-policy.js";
import { GetAccountSummary } from "./get-account-summary.js";
import { GetContextKeysForCustomPolicy, GetContextKeysForPrincipalPolicy } from "./get-context-keys.js";
import { ListPolicyTags, TagPolicy, UntagPolicy } from "./policy-tags.js";
import { ListOpenIDConnectProviders } from "./list-open-id-connect-providers.js";
import { ListSAMLProviders } from "./list-saml-providers.js";
import { ListServerCertificates } from "./list-server-certificates.js";
import { ListVirtualMFADevices } from "./list-virtual-mfa-devices.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const iamOperations = {
  ListInstanceProfilesForRole,
  ListInstanceProfiles,
  ListMFADevices,
  ListSSHPublicKeys,
  ListSigningCertificates,
  ListServiceSpecificCredentials,
  GetLoginProfile,
  ListAccountAliases,
  GetAccountPasswordPolicy,
  GetAccountSummary,
  GetContextKeysForCustomPolicy,
  GetContextKeysForPrincipalPolicy,
  ListPolicyTags,
  TagPolicy,
  UntagPolicy,
  ListOpenIDConnectProviders,
  ListSAMLProviders,
  ListServerCertificates,
  ListVirtualMFADevices,
  AddUserToGroup,
  AttachGroupPolicy,
  AttachRolePolicy,
  AttachUserPolicy,
  CreateAccessKey,
  CreateGroup,
  CreatePolicyVersion,
  CreatePolicy,
  CreateRole,
  CreateUser,
  DeleteAccessKey,
  DeleteGroupPolicy,
  DeleteGroup,
  DeletePolicyVersion,
  DeletePolicy,
  DeleteRolePermissionsBoundary,
  DeleteRolePolicy,
  DeleteRole,
  DeleteUserPermissionsBoundary,
  DeleteUserPolicy,
  DeleteUser,
  DetachGroupPolicy,
  DetachRolePolicy,
  DetachUserPolicy,
  GetAccessKeyLastUsed,
  GetAccountAuthorizationDetails,
  GetGroupPolicy,
  GetGroup,
  GetPolicyVersion,
  GetPolicy,
  GetRolePolicy,
  GetRole,
  GetUserPolicy,
  GetUser,
  ListAccessKeys,
  ListAttachedGroupPolicies,
  ListAttachedRolePolicies,
  ListAttachedUserPolicies,
  ListEntitiesForPolicy,
  ListGroupPolicies,
  ListGroupsForUser,
  ListGroups,
  ListPolicies,
  ListPolicyVersions,
  ListRolePolicies,
  ListRoleTags,
  ListRoles,
  ListUserPolicies,
  ListUserTags,
  ListUsers,
  PutGroupPolicy,
  PutRolePermissionsBoundary,
  PutRolePolicy,
  PutUserPermissionsBoundary,
  PutUserPolicy,
  RemoveUserFromGroup,
  SetDefaultPolicyVersion,
  SimulateCustomPolicy,
  SimulatePrincipalPolicy,
  TagRole,
  TagUser,
  UntagRole,
  UntagUser,
  UpdateAccessKey,
  UpdateAssumeRolePolicy,
  UpdateGroup,
  UpdateRole,
  UpdateUser,
} satisfies Partial<{ [K in OperationName]: Operation<any, any> }>;

export type IamOperationName = keyof typeof iamOperations;
