// KMS resource tags (security spec §5.4 TagResource): at most 50 per key, keys unique within a
// request, the aws: prefix reserved; tagging an existing key replaces its value.
import { TagException, kmsMessages } from "./errors.js";
import type { KmsTag } from "./key-meta.js";

export const MAX_TAGS = 50;

export function checkNewTags(tags: readonly KmsTag[]): void {
  const seen = new Set<string>();
  for (const tag of tags) {
    if (tag.TagKey.toLowerCase().startsWith("aws:")) throw new TagException(kmsMessages.reservedTag);
    if (seen.has(tag.TagKey)) throw new TagException(kmsMessages.duplicateTags);
    seen.add(tag.TagKey);
  }
}

export function mergeTags(existing: readonly KmsTag[], added: readonly KmsTag[]): KmsTag[] {
  checkNewTags(added);
  const merged = existing.map((t) => ({ ...t }));
  for (const tag of added) {
    const found = merged.find((t) => t.TagKey === tag.TagKey);
    if (found) found.TagValue = tag.TagValue;
    else merged.push({ TagKey: tag.TagKey, TagValue: tag.TagValue });
  }
  if (merged.length > MAX_TAGS) throw new TagException(kmsMessages.tooManyTags);
  return merged;
}
