// RotateRootKey: starts an online root-key rotation. Re-wrapping runs in the background while the
// server keeps serving (Status shows progress); in Shamir mode the answer carries the new key's
// shares, shown this once.
import type { Operation } from "../context.js";
import { assertOperator, custodyOf, operatorCall } from "./operator-only.js";

export interface RotateRootKeyOutput {
  RotationId: string;
  NewRootKeyId: string;
  Shares?: string[];
}

export const RotateRootKey: Operation<Record<string, never>, RotateRootKeyOutput> = async (_input, ctx, deps) => {
  await assertOperator(deps, ctx);
  return operatorCall(async () => {
    const started = await custodyOf(deps).startRotation(ctx.now);
    return { RotationId: started.rotationId, NewRootKeyId: started.newRootKeyId, Shares: started.shares };
  });
};
