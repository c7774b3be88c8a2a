// Coffer's operator API: JSON over the same endpoint, X-Amz-Target "CofferOperator.<Operation>",
// SigV4-signed with signing name "coffer" by the operator's root credentials (`coffer operator …`
// does this); served by server/seal-gate.ts. Not an AWS API: it exists so that sealing and
// root-key rotation can be driven by several operators from their own machines.
import { ValidationException } from "../../domain/errors.js";
import type { Operation } from "../context.js";
import { RotateRootKey } from "./rotate-root-key.js";
import { Seal } from "./seal.js";
import { Status } from "./status.js";
import { Unseal } from "./unseal.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const operatorOperations: Record<string, Operation<any, any>> = { Status, Unseal, Seal, RotateRootKey };

/** Operations the seal gate answers while sealed (no signature can be checked then). */
export const SEALED_OPERATIONS: ReadonlySet<string> = new Set(["Status", "Unseal"]);

export function validateOperatorInput(operation: string, input: Record<string, unknown>): Record<string, unknown> {
  if (operation !== "Unseal") return {};
  const share = input.Share;
  if (typeof share !== "string" || share.length === 0 || share.length > 200) {
    throw new ValidationException("1 validation error detected: Value at 'share' failed to satisfy constraint: Member must be the text of one unseal share");
  }
  return { Share: share };
}
