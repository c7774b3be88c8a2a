// Tag rules shared by CreateSecret and TagResource (API spec §2.11).
import { InvalidParameterException, messages } from "../../domain/errors.js";
import type { TagEntry } from "./secret-meta.js";

const MAX_USER_TAGS = 50;

/** Upsert: new keys are appended in order, existing keys get the new value (AWS-OBS order). */
export function mergeTags(current: readonly TagEntry[], added: readonly { Key?: string; Value?: string }[]): TagEntry[] {
  const merged = current.map((t) => ({ ...t }));
  for (const tag of added) {
    const key = tag.Key;
    if (key === undefined) throw new InvalidParameterException("You must provide a tag key for every tag.");
    // The aws: prefix is reserved for tags AWS sets; users can't create or edit them.
    if (key.toLowerCase().startsWith("aws:")) {
      throw new InvalidParameterException(messages.systemTag(key));
    }
    const value = tag.Value ?? "";
    const existing = merged.find((t) => t.Key === key);
    if (existing) existing.Value = value;
    else merged.push({ Key: key, Value: value });
  }
  if (merged.filter((t) => !t.Key.toLowerCase().startsWith("aws:")).length > MAX_USER_TAGS) {
    throw new InvalidParameterException(`Number of tags exceeds the maximum of ${MAX_USER_TAGS} tags per secret.`);
  }
  return merged;
}
