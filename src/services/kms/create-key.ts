// CreateKey (security spec §5.4): symmetric encryption keys only (SYMMETRIC_DEFAULT,
// ENCRYPT_DECRYPT, AWS_KMS). Without a Policy the default key policy is attached (§5.6).
import { randomUUID } from "node:crypto";
import type { CreateKeyRequest, CreateKeyResponse } from "@aws-sdk/client-kms";
import { firstMaterialId } from "../../crypto/keyring.js";
import type { KeyRecord } from "../../store/keys-ops.js";
import type { Operation } from "../context.js";
import { UnsupportedOperationException, kmsMessages } from "./errors.js";
import { keyArnOf } from "./key-ids.js";
import { keyMetadata, type KeyMeta } from "./key-meta.js";
import { authorizeKms } from "./key-policy.js";
import { checkPolicyText } from "./policy-text.js";
import { checkNewTags, MAX_TAGS } from "./tags.js";
import { TagException } from "./errors.js";

export const CreateKey: Operation<CreateKeyRequest, CreateKeyResponse> = async (input, ctx, deps) => {
  const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
  if (
    spec !== "SYMMETRIC_DEFAULT" ||
    (input.KeyUsage ?? "ENCRYPT_DECRYPT") !== "ENCRYPT_DECRYPT" ||
    (input.Origin ?? "AWS_KMS") !== "AWS_KMS" ||
    input.MultiRegion === true ||
    input.CustomKeyStoreId !== undefined ||
    input.XksKeyId !== undefined
  ) {
    throw new UnsupportedOperationException(kmsMessages.onlySymmetric);
  }
  authorizeKms(deps, ctx, { action: "kms:CreateKey" });
  const tags = (input.Tags ?? []).map((t) => ({ TagKey: t.TagKey as string, TagValue: t.TagValue as string }));
  // Tags given at creation need kms:TagResource too [O].
  if (tags.length > 0) authorizeKms(deps, ctx, { action: "kms:TagResource", noResourceShown: true });
  checkNewTags(tags);
  if (tags.length > MAX_TAGS) throw new TagException(kmsMessages.tooManyTags);

  const keyId = randomUUID();
  const arn = keyArnOf(deps.partition, ctx.region, ctx.caller.accountId, keyId);
  const meta: KeyMeta = { keyManager: "CUSTOMER", description: input.Description ?? "" };
  if (tags.length > 0) meta.tags = tags;
  const record: KeyRecord = {
    accountId: ctx.caller.accountId,
    region: ctx.region,
    keyId,
    arn,
    alias: null,
    wrappedMaterial: deps.keyring.newWrappedMaterial(arn, firstMaterialId(arn)),
    createdAt: ctx.now,
    state: "Enabled",
    deletionAt: null,
    rotationDueAt: null,
    meta: meta as unknown as Record<string, unknown>,
  };
  if (input.Policy !== undefined) {
    await checkPolicyText(deps, ctx, record, input.Policy, input.BypassPolicyLockoutSafetyCheck === true);
    meta.policy = input.Policy;
  }
  // The transaction's result is the response (the audit record is committed with it).
  return deps.store.transaction(async (tx) => {
    await tx.keys.insertKey(record);
    return { KeyMetadata: keyMetadata({ record, materials: new Map(), currentMaterialId: firstMaterialId(arn) }) };
  });
};
