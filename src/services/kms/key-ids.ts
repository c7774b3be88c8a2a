// KeyId → key (security spec §5.2): a key id, key ARN, alias name or alias ARN, with AWS's
// NotFoundException texts. Operations that manage a key accept only the first two forms.
import { AuthenticationFailed } from "../../crypto/aead.js";
import { MANAGED_SECRETS_KEY_ALIAS, type KmsKeyEntry } from "../../crypto/keyring.js";
import { UnknownRootKeyError } from "../../crypto/root-ring.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { KMSInternalException, NotFoundException, kmsMessages } from "./errors.js";

export type KeyIdForms = "any" | "id-or-arn";

export type ParsedKeyId =
  | { kind: "key"; accountId: string; region: string; keyId: string; arnGiven: boolean }
  | { kind: "alias"; accountId: string; region: string; aliasName: string };

export interface ResolvedKey {
  entry: KmsKeyEntry;
  /** The alias the caller named the key by (kms:RequestAlias), if any. */
  alias?: string;
}

const KEY_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const KEY_ARN = /^arn:([a-z-]+):kms:([^:]*):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:([a-z-]+):kms:([^:]*):(\d{12}):(alias\/.+)$/;

export const keyArnOf = (partition: string, region: string, accountId: string, keyId: string) =>
  `arn:${partition}:kms:${region}:${accountId}:key/${keyId}`;
export const aliasArnOf = (partition: string, region: string, accountId: string, aliasName: string) =>
  `arn:${partition}:kms:${region}:${accountId}:${aliasName}`;

/** Reads a KeyId parameter without touching the store. */
export function parseKeyId(input: string, ctx: RequestContext, forms: KeyIdForms): ParsedKeyId {
  const own = { accountId: ctx.caller.accountId, region: ctx.region };
  if (input.startsWith("arn:")) {
    const key = KEY_ARN.exec(input);
    if (key) {
      if (key[2] !== ctx.region) throw new NotFoundException(kmsMessages.invalidArnRegion(key[2] as string));
      const keyId = key[4] as string;
      if (!KEY_ID.test(keyId)) throw new NotFoundException(kmsMessages.invalidKeyId(input));
      return { kind: "key", accountId: key[3] as string, region: ctx.region, keyId, arnGiven: true };
    }
    const alias = ALIAS_ARN.exec(input);
    if (alias && forms === "any") {
      if (alias[2] !== ctx.region) throw new NotFoundException(kmsMessages.invalidArnRegion(alias[2] as string));
      return { kind: "alias", accountId: alias[3] as string, region: ctx.region, aliasName: alias[4] as string };
    }
    throw new NotFoundException(kmsMessages.invalidKeyId(input));
  }
  if (input.startsWith("alias/") && forms === "any") return { kind: "alias", ...own, aliasName: input };
  if (!KEY_ID.test(input)) throw new NotFoundException(kmsMessages.invalidKeyId(input));
  return { kind: "key", ...own, keyId: input, arnGiven: false };
}

/**
 * A key with its material. Material that does not open (altered in the store, or wrapped under a
 * root key this process lacks) is a server fault: never wrong key material.
 */
export async function loadKey(deps: ServiceDeps, accountId: string, region: string, keyId: string, now: number): Promise<KmsKeyEntry | undefined> {
  try {
    return await deps.keyring.keyEntry(accountId, region, keyId, now);
  } catch (err) {
    if (err instanceof AuthenticationFailed || err instanceof UnknownRootKeyError) {
      throw new KMSInternalException("The key material of this KMS key could not be opened.");
    }
    throw err;
  }
}

/** Resolves a KeyId parameter to the key, or throws NotFoundException as AWS does. */
export async function resolveKey(deps: ServiceDeps, ctx: RequestContext, input: string, forms: KeyIdForms): Promise<ResolvedKey> {
  const parsed = parseKeyId(input, ctx, forms);
  if (parsed.kind === "key") {
    const entry = await loadKey(deps, parsed.accountId, parsed.region, parsed.keyId, ctx.now);
    if (!entry) throw new NotFoundException(kmsMessages.keyNotFound(keyArnOf(deps.partition, parsed.region, parsed.accountId, parsed.keyId)));
    return { entry };
  }
  let alias = await deps.store.keys.getAlias(parsed.accountId, parsed.region, parsed.aliasName);
  if (!alias && parsed.aliasName === MANAGED_SECRETS_KEY_ALIAS && parsed.accountId === ctx.caller.accountId) {
    // A predefined AWS alias with no key yet: KMS creates the AWS-managed key on first reference (§5.2).
    await deps.keyring.managedSecretsKeyId(parsed.accountId, parsed.region, deps.partition);
    alias = await deps.store.keys.getAlias(parsed.accountId, parsed.region, parsed.aliasName);
  }
  const aliasArn = aliasArnOf(deps.partition, parsed.region, parsed.accountId, parsed.aliasName);
  if (!alias) throw new NotFoundException(kmsMessages.aliasNotFound(aliasArn));
  const entry = await loadKey(deps, parsed.accountId, parsed.region, alias.targetKeyId, ctx.now);
  if (!entry) throw new NotFoundException(kmsMessages.aliasNotFound(aliasArn));
  return { entry, alias: parsed.aliasName };
}
