// Tags on users, roles and policies: keys compare without regard to case (IAM's own words in its
// duplicate-key error), at most 50 per resource.
import type { Tag } from "@aws-sdk/client-iam";
import { InvalidInput, LimitExceeded, iamMessages, type NamedKind } from "./errors.js";

export const MAX_TAGS = 50;

export function checkNewTags(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const tag of tags) {
    const key = (tag.Key ?? "").toLowerCase();
    if (seen.has(key)) throw new InvalidInput(iamMessages.duplicateTagKeys);
    seen.add(key);
  }
}

/** `existing` with `added` put in (replacing tags whose key matches without regard to case). */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[], kind: NamedKind | "policy", name: string): Tag[] {
  checkNewTags(added);
  const out = existing.filter((t) => !added.some((a) => (a.Key ?? "").toLowerCase() === (t.Key ?? "").toLowerCase()));
  for (const tag of added) out.push({ Key: tag.Key, Value: tag.Value ?? "" });
  if (out.length > MAX_TAGS) throw new LimitExceeded(iamMessages.tooManyTags(kind, name));
  return out;
}

export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  return existing.filter((t) => !drop.has((t.Key ?? "").toLowerCase()));
}

/** A tag map for the policy engine (aws:PrincipalTag/…). */
export function tagMap(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? "";
  return out;
}
