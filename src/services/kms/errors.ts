// KMS's error catalogue: one class per error code the KMS API puts on the wire, named exactly as
// the KMS model names it (all client faults, 400, except KMSInternalException), and the texts
// AWS was observed to send (security spec §5.2, §5.4, §5.5). KMS error bodies carry the message
// in a lower-case `message` member; the service registration sets that.
import { ServiceError } from "../../domain/errors.js";

const errorClass = (code: string, status = 400) =>
  class extends ServiceError {
    constructor(message: string) {
      super(code, message, status);
    }
  };

export const NotFoundException = errorClass("NotFoundException");
export const DisabledException = errorClass("DisabledException");
export const KMSInvalidStateException = errorClass("KMSInvalidStateException");
export const InvalidCiphertextException = errorClass("InvalidCiphertextException");
export const IncorrectKeyException = errorClass("IncorrectKeyException");
export const InvalidKeyUsageException = errorClass("InvalidKeyUsageException");
export const AlreadyExistsException = errorClass("AlreadyExistsException");
export const InvalidAliasNameException = errorClass("InvalidAliasNameException");
export const InvalidArnException = errorClass("InvalidArnException");
export const InvalidMarkerException = errorClass("InvalidMarkerException");
export const TagException = errorClass("TagException");
export const UnsupportedOperationException = errorClass("UnsupportedOperationException");
export const DryRunOperationException = errorClass("DryRunOperationException");
export const LimitExceededException = errorClass("LimitExceededException");
export const MalformedPolicyDocumentException = errorClass("MalformedPolicyDocumentException");
export const KMSInternalException = errorClass("KMSInternalException", 500);

export const kmsMessages = {
  keyNotFound: (arn: string) => `Key '${arn}' does not exist`, // [V]
  invalidKeyId: (input: string) => `Invalid keyId '${input}'`, // [V]
  invalidArnRegion: (region: string) => `Invalid arn ${region}`, // [V]
  aliasNotFound: (aliasArn: string) => `Alias ${aliasArn} is not found.`, // unverified (§5.2)
  disabled: (arn: string) => `${arn} is disabled.`, // [V] §5.5
  pendingDeletion: (arn: string) => `${arn} is pending deletion.`, // [V] §5.5
  notPendingDeletion: (arn: string) => `${arn} is not pending deletion.`, // [V] §5.5
  incorrectKey: "The key ID in the request does not identify a CMK that can perform this operation.", // [V]
  aliasPrefix:
    'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html', // [V]
  reservedAlias: (alias: string) => `Alias names that begin with alias/aws/ are reserved for AWS managed keys: ${alias}`, // unverified
  aliasExists: (aliasArn: string) => `An alias with the name ${aliasArn} already exists`, // unverified
  dryRun: "The request would have succeeded, but the DryRun option is set.", // [V]
  pendingWindow: (days: number) => `PendingWindowInDays should be between 7 and 30, but it is ${days}`, // unverified
  dataKeySize: "Please specify either number of bytes or key spec.", // unverified (§5.4: text unverified)
  numberOfBytesRequired: "NumberOfBytes is required.", // [V] GenerateRandom
  reservedTag: "Tags beginning with aws: are reserved", // [V]
  duplicateTags: "Duplicate tag keys", // [V]
  tooManyTags: "Too many tags", // [V]
  lockout: "The new key policy will not allow you to update the key policy in the future.", // [O]
  invalidPrincipals: "Policy contains a statement with one or more invalid principals.", // [O]
  policyName: "Policy name must be 'default'.", // unverified
  onlySymmetric: "Only symmetric encryption KMS keys (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT, Origin AWS_KMS) are supported.",
  onDemandLimit: (arn: string) => `${arn} has reached the limit of 25 on-demand rotations.`, // unverified
  invalidMarker: "Invalid marker", // unverified
} as const;
