// KMS operations outside what Coffer offers (asymmetric and HMAC keys, grants, custom key stores,
// imported material, multi-Region keys) answer UnsupportedOperationException, as AWS does for
// features a key or account cannot use.
import type { Operation } from "../context.js";
import { UnsupportedOperationException } from "./errors.js";

export const notSupported =
  (operation: string): Operation<unknown, never> =>
  async () => {
    throw new UnsupportedOperationException(`${operation} is not supported by this server: it offers symmetric encryption keys only.`);
  };
