// The checks every cryptographic operation makes on its key, in AWS's order: permission, key
// state, algorithm, then DryRun (security spec §5.4, §5.5).
import type { ResolvedKey } from "./key-ids.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { DryRunOperationException, InvalidKeyUsageException, kmsMessages } from "./errors.js";
import { authorizeKms } from "./key-policy.js";
import { assertUsableForCrypto } from "./key-state.js";

export function checkCryptoUse(
  deps: ServiceDeps,
  ctx: RequestContext,
  key: ResolvedKey,
  action: string,
  operation: string,
  encryptionContext: Readonly<Record<string, string>> | undefined,
  algorithm: string | undefined,
): void {
  authorizeKms(deps, ctx, { action, entry: key.entry, requestAlias: key.alias, encryptionContext });
  assertUsableForCrypto(key.entry.record);
  checkAlgorithm(key.entry.record.arn, operation, algorithm);
}

export function checkAlgorithm(keyArn: string, operation: string, algorithm: string | undefined): void {
  if (algorithm !== undefined && algorithm !== "SYMMETRIC_DEFAULT") {
    // Asymmetric algorithms need asymmetric keys, which this KMS does not make.
    throw new InvalidKeyUsageException(`${keyArn} key usage is ENCRYPT_DECRYPT which is not valid for ${operation} with ${algorithm}.`);
  }
}

export function checkDryRun(dryRun: boolean | undefined): void {
  if (dryRun === true) throw new DryRunOperationException(kmsMessages.dryRun);
}
