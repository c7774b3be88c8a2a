// ListAliases (security spec §5.4): aliases of the account and region by name, or those of one
// key. Like AWS, the predefined alias/aws/secretsmanager is listed without a target before its
// AWS-managed key exists.
import type { AliasListEntry, ListAliasesRequest, ListAliasesResponse } from "@aws-sdk/client-kms";
import { MANAGED_SECRETS_KEY_ALIAS } from "../../crypto/keyring.js";
import type { AliasRecord } from "../../store/keys-ops.js";
import type { Operation } from "../context.js";
import { aliasArnOf, resolveKey } from "./key-ids.js";
import { authorizeKms } from "./key-policy.js";
import { decodeMarker, encodeMarker } from "./paging.js";

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

export const ListAliases: Operation<ListAliasesRequest, ListAliasesResponse> = async (input, ctx, deps) => {
  authorizeKms(deps, ctx, { action: "kms:ListAliases" });
  const limit = input.Limit ?? 50;
  const after = decodeMarker(input.Marker);
  const { accountId } = ctx.caller;
  const keyId = input.KeyId === undefined ? undefined : (await resolveKey(deps, ctx, input.KeyId, "id-or-arn")).entry.record.keyId;
  const rows: Array<AliasRecord | { aliasName: string; predefined: true }> = await deps.store.keys.listAliases(accountId, ctx.region, keyId, after, limit + 1);
  if (keyId === undefined && (after === undefined || byteOrder(MANAGED_SECRETS_KEY_ALIAS, after) > 0)) {
    if (!(await deps.store.keys.getAlias(accountId, ctx.region, MANAGED_SECRETS_KEY_ALIAS))) {
      rows.push({ aliasName: MANAGED_SECRETS_KEY_ALIAS, predefined: true });
      rows.sort((a, b) => byteOrder(a.aliasName, b.aliasName));
    }
  }
  const page = rows.slice(0, limit);
  const truncated = rows.length > limit;
  const entries: AliasListEntry[] = page.map((row) => {
    const base = { AliasName: row.aliasName, AliasArn: aliasArnOf(deps.partition, ctx.region, accountId, row.aliasName) };
    if ("predefined" in row) return base;
    return { ...base, TargetKeyId: row.targetKeyId, CreationDate: new Date(row.createdAt), LastUpdatedDate: new Date(row.updatedAt) };
  });
  return { Aliases: entries, Truncated: truncated, NextMarker: truncated ? encodeMarker(page.at(-1)?.aliasName as string) : undefined };
};
