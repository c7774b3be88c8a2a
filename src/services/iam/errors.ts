// IAM's errors on the Query protocol: the <Code> and HTTP status of each comes from the model's
// error shapes (NoSuchEntity 404, EntityAlreadyExists 409, …), the texts from AWS where observed.
import { ServiceError } from "../../domain/errors.js";
import { errorShapes } from "../../generated/iam-model.js";

const fromShape = (shapeName: string) => {
  const shape = errorShapes[shapeName];
  if (shape === undefined) throw new Error(`the IAM model has no error ${shapeName}`);
  const { code, status } = shape;
  return class extends ServiceError {
    constructor(message: string) {
      super(code, message, status);
    }
  };
};

export const NoSuchEntity = fromShape("NoSuchEntityException");
export const EntityAlreadyExists = fromShape("EntityAlreadyExistsException");
export const DeleteConflict = fromShape("DeleteConflictException");
export const LimitExceeded = fromShape("LimitExceededException");
export const MalformedPolicyDocument = fromShape("MalformedPolicyDocumentException");
export const InvalidInput = fromShape("InvalidInputException");
export const PolicyNotAttachable = fromShape("PolicyNotAttachableException");

export type NamedKind = "user" | "group" | "role";

/** AWS's texts ([O] where seen in real answers; the others follow the same patterns). */
export const iamMessages = {
  noSuchEntity: (kind: NamedKind, name: string) => `The ${kind} with name ${name} cannot be found.`, // [O]
  entityExists: (kind: NamedKind, name: string) => `${kind === "user" ? "User" : kind === "group" ? "Group" : "Role"} with name ${name} already exists.`, // [O] user
  noSuchInlinePolicy: (kind: NamedKind, name: string) => `The ${kind} policy with name ${name} cannot be found.`, // [O] user, role
  policyExists: (name: string) => `A policy called ${name} already exists. Duplicate names are not allowed.`, // [O]
  policyNotFound: (arn: string) => `Policy ${arn} was not found.`, // [O]
  policyNotAttachable: (arn: string) => `Policy ${arn} does not exist or is not attachable.`, // [O]
  policyVersionNotFound: (arn: string, versionId: string) => `Policy ${arn} version ${versionId} does not exist or is not attachable.`,
  boundaryNotAttachable: (arn: string) => `Scope ARN: ${arn} does not exist or is not attachable.`, // [O]
  accessKeyNotFound: (id: string) => `The Access Key with id ${id} cannot be found.`, // [O]
  accessKeyQuota: "Cannot exceed quota for AccessKeysPerUser: 2", // [O]
  attachedQuota: (kind: NamedKind) => `Cannot exceed quota for PoliciesPer${kind === "user" ? "User" : kind === "group" ? "Group" : "Role"}: 10`, // [O] role
  groupsQuota: "Cannot exceed quota for GroupsPerUser: 10",
  versionsQuota:
    "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.", // [O]
  policySizeQuota: "Cannot exceed quota for PolicySize: 6144", // [O]
  inlineSizeQuota: (kind: NamedKind, name: string, limit: number) => `Maximum policy size of ${limit} bytes exceeded for ${kind} ${name}`, // [O] user
  deleteKeysFirst: "Cannot delete entity, must delete access keys first.", // [O]
  detachPoliciesFirst: "Cannot delete entity, must detach all policies first.", // [O]
  deletePoliciesFirst: "Cannot delete entity, must delete policies first.", // [O]
  removeUsersFirst: "Cannot delete entity, must remove users from group first.", // [O]
  removeFromGroupsFirst: "Cannot delete entity, must remove user from all groups first.",
  policyAttached: "Cannot delete a policy attached to entities.", // [O]
  managedPolicyVersion: "Policy document must be version 2012-10-17 or greater.", // [O]
  invalidPrincipal: (type: string, value: string) => `Invalid principal in policy: "${type}":"${value}"`, // [O]
  prohibitedField: (field: string) => `Has prohibited field ${field}`, // [O] for Resource in a trust policy
  policyHasVersions:
    "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.", // [O]
  defaultVersion: "Cannot delete the default version of a policy.", // [O]
  awsPolicyReadOnly: (arn: string) => `Policy ${arn} is an AWS managed policy and cannot be changed.`,
  duplicateTagKeys: "Duplicate tag keys found. Please note that Tag keys are case insensitive.", // [O]
  tooManyTags: (kind: NamedKind | "policy", name: string) => `The number of tags has reached the maximum limit for ${kind} ${name}.`,
  notImplemented: (service: string, operation: string) => `Coffer does not implement the ${service} operation ${operation}.`,
} as const;
