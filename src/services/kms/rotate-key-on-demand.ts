// RotateKeyOnDemand (security spec §5.4): new key material now, whatever the automatic schedule;
// AWS allows 25 on-demand rotations per key. Older material keeps decrypting what it encrypted.
import type { RotateKeyOnDemandRequest, RotateKeyOnDemandResponse } from "@aws-sdk/client-kms";
import type { Operation } from "../context.js";
import { LimitExceededException, kmsMessages } from "./errors.js";
import { resolveKey } from "./key-ids.js";
import { addKeyMaterial } from "./key-material.js";
import { metaOfKey, type KeyMeta } from "./key-meta.js";
import { authorizeKms } from "./key-policy.js";
import { assertRotatable } from "./key-state.js";
import { updateKeyRecord } from "./key-writes.js";

const ON_DEMAND_LIMIT = 25;

export const RotateKeyOnDemand: Operation<RotateKeyOnDemandRequest, RotateKeyOnDemandResponse> = async (input, ctx, deps) => {
  const { entry } = await resolveKey(deps, ctx, input.KeyId as string, "id-or-arn");
  authorizeKms(deps, ctx, { action: "kms:RotateKeyOnDemand", entry });
  return updateKeyRecord(deps, entry.record, async (current, tx) => {
    assertRotatable(current);
    const previous = metaOfKey(current);
    const count = previous.onDemandRotations ?? 0;
    if (count >= ON_DEMAND_LIMIT) throw new LimitExceededException(kmsMessages.onDemandLimit(current.arn));
    await addKeyMaterial(deps, tx, current, "ON_DEMAND", ctx.now);
    const meta: KeyMeta = {
      ...previous,
      onDemandRotations: count + 1,
      rotation: { enabled: false, periodDays: 365, ...previous.rotation, onDemandStartedAt: ctx.now },
    };
    return { next: { ...current, meta: meta as unknown as Record<string, unknown> }, result: { KeyId: current.keyId } };
  });
};
