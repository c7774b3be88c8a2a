// KMS operations outside what Coffer offers (asymmetric and HMAC keys, grants, custom key stores,
// imported material, multi-Region keys) answer UnsupportedOperationException, as AWS does for
// features a key or account cannot use.
import type { Operation } from "../context.js";
import { UnsupportedOperationException } from "./errors.js";

const SYMMETRIC_ONLY = "it offers symmetric encryption keys only";

export const notSupported =
  (operation: string, reason = SYMMETRIC_ONLY): Operation<unknown, never> =>
  async () => {
    throw new UnsupportedOperationException(`${operation} is not supported by this server: ${reason}.`);
  };

/** Grant operations: access to keys is decided by key policies and IAM policies alone. */
export const grantsNotSupported = (operation: string) =>
  notSupported(operation, "it offers no grants; key policies and IAM policies decide who may use a key");
