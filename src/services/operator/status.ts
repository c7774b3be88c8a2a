// Status: sealed or not, how the root key is held, unseal progress and the latest root-key
// rotation with its progress.
import type { Operation } from "../context.js";
import { assertOperator, custodyOf, operatorCall } from "./operator-only.js";

export interface StatusOutput {
  Sealed: boolean;
  Mode: "file" | "shamir";
  RootKeyId?: string;
  Shares?: number;
  Threshold?: number;
  Progress: number;
  Rotation?: {
    RotationId: string;
    Phase: string;
    OldRootKeyId: string;
    NewRootKeyId: string;
    Total: number;
    Rewrapped: number;
    StartedDate: Date;
    FinishedDate?: Date;
  };
}

export const Status: Operation<Record<string, never>, StatusOutput> = async (_input, ctx, deps) => {
  const custody = custodyOf(deps);
  if (!custody.sealed) await assertOperator(deps, ctx);
  return operatorCall(async () => {
    const s = await custody.status();
    const r = s.rotation;
    return {
      Sealed: s.sealed,
      Mode: s.mode,
      RootKeyId: s.rootKeyId,
      Shares: s.shares,
      Threshold: s.threshold,
      Progress: s.progress,
      Rotation: r && {
        RotationId: r.rotationId,
        Phase: r.phase,
        OldRootKeyId: r.oldKeyId,
        NewRootKeyId: r.newKeyId,
        Total: r.total,
        Rewrapped: r.rewrapped,
        StartedDate: new Date(r.startedAt),
        // While finishing, finishedAt holds when the grace period began.
        FinishedDate: r.phase === "done" && r.finishedAt !== null ? new Date(r.finishedAt) : undefined,
      },
    };
  });
};
