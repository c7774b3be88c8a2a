// Seal: this process forgets the root key and everything unwrapped under it; every API then
// answers 503 until operators unseal it again.
import type { Operation } from "../context.js";
import { assertOperator, custodyOf, operatorCall } from "./operator-only.js";

export const Seal: Operation<Record<string, never>, { Sealed: boolean }> = async (_input, ctx, deps) => {
  await assertOperator(deps, ctx);
  return operatorCall(async () => {
    custodyOf(deps).seal();
    return { Sealed: true };
  });
};
