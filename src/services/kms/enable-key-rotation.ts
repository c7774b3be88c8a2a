// EnableKeyRotation (security spec §5.4): automatic rotation every RotationPeriodInDays (90–2560,
// default 365), first due that long after enabling.
import type { EnableKeyRotationRequest } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { resolveKey } from "./key-ids.js";
import { metaOfKey, type KeyMeta } from "./key-meta.js";
import { authorizeKms } from "./key-policy.js";
import { assertRotatable } from "./key-state.js";
import { daysFrom, updateKeyRecord } from "./key-writes.js";

export const EnableKeyRotation: Operation<EnableKeyRotationRequest, void> = async (input, ctx, deps) => {
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  authorizeKms(deps, ctx, { action: "kms:EnableKeyRotation", entry });
  const periodDays = input.RotationPeriodInDays ?? 365;
  return updateKeyRecord(deps, entry.record, (current) => {
    assertRotatable(current);
    const previous = metaOfKey(current);
    const meta: KeyMeta = { ...previous, rotation: { ...previous.rotation, enabled: true, periodDays } };
    return {
      next: { ...current, rotationDueAt: daysFrom(ctx, periodDays), meta: meta as unknown as Record<string, unknown> },
      result: undefined,
    };
  });
};
