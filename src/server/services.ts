// The JSON 1.1 services this endpoint serves, found by their X-Amz-Target prefix.
import { model as secretsmanagerModel } from "../generated/secretsmanager-model.js";
import { validateInput } from "../protocol/validate.js";
import type { Operation } from "../services/context.js";
import { secretsManagerOperations } from "../services/secretsmanager/index.js";
import { requireClientTokenWithValue } from "../services/secretsmanager/client-token.js";
import { targetPrefix as cloudTrailTargetPrefix } from "../generated/cloudtrail-model.js";
import { cloudTrailOperations } from "../services/cloudtrail/index.js";
import { validateCloudTrailInput } from "../services/cloudtrail/validate.js";
import { model as kmsModel } from "../generated/kms-model.js";
import { kmsOperations } from "../services/kms/index.js";
import { ACCOUNTS_TARGET_PREFIX, accountOperations, validateAccountsInput } from "../services/iam/accounts/index.js";

export interface JsonService {
  signingName: string;
  targetPrefix: string;
  messageKey: "Message" | "message";
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  operations: Record<string, Operation<any, any>>;
  validate(operation: string, input: Record<string, unknown>): Record<string, unknown>;
}

const secretsManager: JsonService = {
  signingName: "secretsmanager",
  targetPrefix: "secretsmanager",
  messageKey: "Message",
  operations: secretsManagerOperations,
  validate: (operation, input) => validateInput(secretsmanagerModel, operation, input, requireClientTokenWithValue),
};

const cloudTrail: JsonService = {
  signingName: "cloudtrail",
  targetPrefix: cloudTrailTargetPrefix,
  messageKey: "Message",
  operations: cloudTrailOperations,
  validate: validateCloudTrailInput,
};

// KMS error shapes carry the message as lower-case `message` (security spec §5.1).
const kms: JsonService = {
  signingName: "kms",
  targetPrefix: "TrentService",
  messageKey: "message",
  operations: kmsOperations,
  validate: (operation, input) => validateInput(kmsModel, operation, input),
};

// Coffer's account API (`coffer account create|list`), for the operator only: see services/iam/accounts.
const accounts: JsonService = {
  signingName: "coffer",
  targetPrefix: ACCOUNTS_TARGET_PREFIX,
  messageKey: "Message",
  operations: accountOperations,
  validate: validateAccountsInput,
};

const byPrefix = new Map<string, JsonService>([
  [secretsManager.targetPrefix, secretsManager],
  [accounts.targetPrefix, accounts],
  [cloudTrail.targetPrefix, cloudTrail],
  // The JS SDK v3 sends CloudTrail's service shape name alone ("CloudTrail_20131101.LookupEvents"),
  // botocore the fully qualified one; AWS takes both.
  [cloudTrail.targetPrefix.slice(cloudTrail.targetPrefix.lastIndexOf(".") + 1), cloudTrail],
  [kms.targetPrefix, kms],
]);

export function findJsonService(target: string): { service: JsonService; operation: string } | undefined {
  // The operation follows the last dot: CloudTrail's prefix has dots of its own.
  const dot = target.lastIndexOf(".");
  if (dot < 0) return undefined;
  const service = byPrefix.get(target.slice(0, dot));
  return service ? { service, operation: target.slice(dot + 1) } : undefined;
}
