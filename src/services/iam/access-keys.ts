// Shapes of access keys and the lookup of a user's key by id.
import type { AccessKeyMetadata } from "@aws-sdk/client-iam";
import type { EntityRow } from "../../store/identity-ops.js";
import type { AccessKeyRow, StoreOps } from "../../store/store.js";
import { NoSuchEntity, iamMessages } from "./errors.js";

/** The key with this id that belongs to `owner` (a user, or the caller's root ARN). */
export async function requireKeyOf(ops: StoreOps, ownerArn: string, accessKeyId: string): Promise<AccessKeyRow> {
  const key = await ops.getAccessKey(accessKeyId);
  if (!key || key.principalArn !== ownerArn) throw new NoSuchEntity(iamMessages.accessKeyNotFound(accessKeyId));
  return key;
}

export function keyMetadata(key: AccessKeyRow, user: EntityRow | undefined): AccessKeyMetadata {
  return { UserName: user?.name, AccessKeyId: key.accessKeyId, Status: key.status, CreateDate: new Date(key.createdAt) };
}
