// Unseal: one operator's share. The server unseals when `threshold` shares from any operators
// (each in its own call) reconstruct the root key; a set containing a wrong share is refused as a
// whole, without telling which share was wrong, and progress starts over.
import type { Operation } from "../context.js";
import { custodyOf, operatorCall } from "./operator-only.js";

export interface UnsealInput {
  Share: string;
}

export interface UnsealOutput {
  Sealed: boolean;
  Progress: number;
  Threshold: number;
}

export const Unseal: Operation<UnsealInput, UnsealOutput> = async (input, _ctx, deps) =>
  operatorCall(async () => {
    const progress = await custodyOf(deps).unseal(input.Share);
    return { Sealed: progress.sealed, Progress: progress.progress, Threshold: progress.threshold };
  });
