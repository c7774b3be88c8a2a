// The error catalogue: one class for every error code Coffer puts on the wire, named exactly as
// AWS names it, with the HTTP status AWS uses. Messages that AWS was observed to send live in
// `messages` so that every operation reuses the same text for the same condition.

/** Client faults are 400 on AWS JSON services (including AccessDenied); server faults 500. */
export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
    this.name = code;
  }
}

const errorClass = (code: string, status = 400) =>
  class extends ServiceError {
    constructor(message: string) {
      super(code, message, status);
    }
  };

// Modeled Secrets Manager errors (model: secretsmanager.json).
export const ResourceNotFoundException = errorClass("ResourceNotFoundException");
export const ResourceExistsException = errorClass("ResourceExistsException");
export const InvalidParameterException = errorClass("InvalidParameterException");
export const InvalidRequestException = errorClass("InvalidRequestException");
export const InvalidNextTokenException = errorClass("InvalidNextTokenException");
export const LimitExceededException = errorClass("LimitExceededException");
export const MalformedPolicyDocumentException = errorClass("MalformedPolicyDocumentException");
export const PublicPolicyException = errorClass("PublicPolicyException");
export const PreconditionNotMetException = errorClass("PreconditionNotMetException");
export const EncryptionFailure = errorClass("EncryptionFailure");
export const DecryptionFailure = errorClass("DecryptionFailure");
export const InternalServiceError = errorClass("InternalServiceError", 500);

// Framework errors every AWS JSON service can return (not in the model).
export const ValidationException = errorClass("ValidationException");
export const SerializationException = errorClass("SerializationException");
export const UnknownOperationException = errorClass("UnknownOperationException");
export const AccessDeniedException = errorClass("AccessDeniedException");
export const ThrottlingException = errorClass("ThrottlingException");
export const UnrecognizedClientException = errorClass("UnrecognizedClientException");
export const InvalidSignatureException = errorClass("InvalidSignatureException");
export const IncompleteSignatureException = errorClass("IncompleteSignatureException");
export const MissingAuthenticationTokenException = errorClass("MissingAuthenticationTokenException");
export const ExpiredTokenException = errorClass("ExpiredTokenException");
export const RequestEntityTooLargeException = errorClass("RequestEntityTooLargeException", 413);
export const ServiceUnavailableException = errorClass("ServiceUnavailableException", 503);

// CloudTrail errors of LookupEvents (model: cloudtrail.json); InvalidNextTokenException is shared.
export const InvalidLookupAttributesException = errorClass("InvalidLookupAttributesException");
export const InvalidTimeRangeException = errorClass("InvalidTimeRangeException");
export const InvalidMaxResultsException = errorClass("InvalidMaxResultsException");
export const InvalidEventCategoryException = errorClass("InvalidEventCategoryException");
export const UnsupportedOperationException = errorClass("UnsupportedOperationException");

// Framework errors of AWS Query services (IAM, STS), with the statuses of the "Common Errors"
// page of their API references (MalformedQueryString is 404 there).
export const ValidationError = errorClass("ValidationError");
export const InvalidAction = errorClass("InvalidAction");
export const MissingAction = errorClass("MissingAction");
export const MissingParameter = errorClass("MissingParameter");
export const InvalidParameterValue = errorClass("InvalidParameterValue");
export const MalformedQueryString = errorClass("MalformedQueryString", 404);

/** AWS's exact texts (ids refer to the API spec §3.2). */
export const messages = {
  secretNotFound: "Secrets Manager can't find the specified secret.", // E1
  noValueForStage: (stage: string) =>
    `Secrets Manager can't find the specified secret value for staging label: ${stage}`, // E2
  noValueForVersion: (versionId: string) =>
    `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`, // E3
  stageNotOnVersion: "You provided a VersionStage that is not associated to the provided VersionId.", // E4
  markedForDeletion: "You can't perform this operation on the secret because it was marked for deletion.", // E5
  nameScheduledForDeletion:
    "You can't create this secret because a secret with this name is already scheduled for deletion.", // E6
  secretExists: (name: string) => `The operation failed because the secret ${name} already exists.`, // E7
  // Seen on AWS for TagResource with a key starting "aws:" (a report quoting AWS's answer).
  systemTag: (key: string) => `You can't modify system tags. Tag key: '${key}'.`,
  tokenInUse: (token: string, arn: string) =>
    `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${arn}.`, // E8
  tokenRequired: "You must provide a ClientRequestToken value. We recommend a UUID-type value.", // E9
  invalidName:
    "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!", // E10
  removeFromRequired: (versionId: string) =>
    `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${versionId}, so you must explicitly reference that version in RemoveFromVersionId.`, // E14
  recoveryWindowRange: "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).", // E15
  bothValues: "You can't specify both a binary secret value and a string secret value in the same secret.", // E16
  crossAccountDefaultKey:
    "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key.", // E17
  missingValue: "You must provide either SecretString or SecretBinary.",
  forceWithWindow: "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
  internal: "An internal error occurred.",
  securityTokenInvalid: "The security token included in the request is invalid.",
  securityTokenExpired: "The security token included in the request is expired",
  signatureMismatch:
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  missingAuthenticationToken: "Missing Authentication Token",
  // GetRandomPassword (§5.7, §9): the first text is the emulator one (§3.3); AWS's is unrecorded.
  passwordTooShort: "Password length is too short based on the required types.",
  passwordNoCharacters:
    "The password can't be generated because the exclusion parameters leave no characters to choose from.",
  // ListSecrets / BatchGetSecretValue filters (§6.4, texts §3.3).
  invalidFilterKey: "Invalid filter key",
  invalidFilterValues: (key: string) => `Invalid filter values for key: ${key}`,
  // UpdateSecretVersionStage (§5.22; texts §3.3 except where noted).
  notAValidVersion: (versionId: string) => `Not a valid version: ${versionId}`,
  stageNotFoundInVersion: (stage: string, versionId: string) =>
    `Version stage ${stage} not found in version ${versionId}`,
  /** E14's wording applied to a label other than AWSCURRENT (AWS's text for this case is unrecorded). */
  removeFromRequiredFor: (stage: string, versionId: string) =>
    `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${versionId}, so you must explicitly reference that version in RemoveFromVersionId.`,
  moveToRequiredForCurrent: (versionId: string) =>
    `The parameter MoveToVersionId can't be empty. Staging label AWSCURRENT can't be removed from version ${versionId} without moving it to another version, because a secret with a value always has an AWSCURRENT version.`,
  // AWS's text for the version quota is not known; this one says what the caller can do about it.
  versionLimit: (max: number) =>
    `You can't create more versions of this secret: it has ${max}, and versions without staging labels are removed only once they are 24 hours old.`,
  // As quoted from AWS in a user's log; the limit is 20 labels across a secret's versions.
  stagingLabelLimit: "You exceeded the maximum number of staging labels allowed on a secret.",
  // Resource-policy texts (security spec §3.1; Secrets Manager user guide, "Managing a resource-based policy").
  policyInvalidSyntax: "This policy has invalid syntax.", // [O] PutResourcePolicy with Version 2019-10-19
  policyUnsupportedPrincipal: "This resource policy contains an unsupported principal.", // [O] PutResourcePolicy
  policyInvalidServicePrincipal: "This resource policy contains an invalid service principal.", // [DOC]
  publicPolicy: "You can't attach a resource-based policy that allows broad access to the secret.", // [DOC] BlockPublicPolicy
  // Query protocol framework texts (security spec §4.1). The first is AWS's [O]; the others are
  // the "Common Errors" descriptions or built on their pattern (unverified).
  queryUnknownAction: (action: string, version: string) => `Could not find operation ${action} for version ${version}`,
  queryMissingAction: "The request is missing an action or a required parameter.",
  queryMissingVersion: "The request must contain the parameter Version",
  queryMalformed: "The query string contains a syntax error.",
  queryInvalidValue: (value: string, parameter: string) => `Value (${value}) for parameter ${parameter} is invalid.`,
} as const;
