// Rotation and replication have their own work; until then these operations answer clearly.
import type { Operation } from "../context.js";
import { notSupportedYet } from "./not-supported.js";

const notBuilt =
  (what: string): Operation<unknown, never> =>
  async () =>
    notSupportedYet(what);

export const RotateSecret = notBuilt("Rotation (RotateSecret)");
export const CancelRotateSecret = notBuilt("Rotation (CancelRotateSecret)");
export const ReplicateSecretToRegions = notBuilt("Replication (ReplicateSecretToRegions)");
export const RemoveRegionsFromReplication = notBuilt("Replication (RemoveRegionsFromReplication)");
export const StopReplicationToReplica = notBuilt("Replication (StopReplicationToReplica)");
