// GetKeyRotationStatus (security spec §5.4): works in every state; the period and next date are
// present only while automatic rotation is on.
import type { GetKeyRotationStatusRequest, GetKeyRotationStatusResponse } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { resolveKey } from "./key-ids.js";
import { metaOfKey } from "./key-meta.js";
import { authorizeKms } from "./key-policy.js";

export const GetKeyRotationStatus: Operation<GetKeyRotationStatusRequest, GetKeyRotationStatusResponse> = async (input, ctx, deps) => {
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  authorizeKms(deps, ctx, { action: "kms:GetKeyRotationStatus", entry });
  const { record } = entry;
  const rotation = metaOfKey(record).rotation;
  const enabled = rotation?.enabled === true && record.state !== "PendingDeletion";
  return {
    KeyId: record.arn,
    KeyRotationEnabled: enabled,
    RotationPeriodInDays: enabled ? rotation?.periodDays : undefined,
    NextRotationDate: enabled && record.rotationDueAt !== null ? new Date(record.rotationDueAt) : undefined,
    OnDemandRotationStartDate: rotation?.onDemandStartedAt === undefined ? undefined : new Date(rotation.onDemandStartedAt),
  };
};
