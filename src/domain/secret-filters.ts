// ListSecrets / BatchGetSecretValue `Filters` (§6): which secrets a filter list keeps.

import { InvalidParameterException, messages } from "./errors.js";

export interface FilterableSecret {
  name: string;
  description?: string;
  tags: { Key: string; Value: string }[];
  primaryRegion?: string;
  owningService?: string;
}

export interface SecretFilter {
  Key?: string;
  Values?: readonly string[];
}

/** Missing Key or missing/empty Values → InvalidParameterException (§6.4, texts §3.3). */
export function checkFilters(filters: readonly SecretFilter[]): void {
  for (const filter of filters) {
    if (filter.Key === undefined || filter.Key === null) throw new InvalidParameterException(messages.invalidFilterKey);
    if (!filter.Values || filter.Values.length === 0) {
      throw new InvalidParameterException(messages.invalidFilterValues(filter.Key));
    }
  }
}

/**
 * Every filter must keep the secret (AND across filters, also for a repeated key, §6.2 `[AWS-OBS]`).
 * Inside one filter the values are ORed; a value prefixed with `!` keeps the secret only when its
 * positive test fails. Mixing both kinds in one list is unobserved on AWS (§6.2, §15 item 10);
 * the rule here: (some positive value matches, or there are none) and no negated value matches.
 */
export function matchesFilters(secret: FilterableSecret, filters: readonly SecretFilter[]): boolean {
  return filters.every((filter) => matchesFilter(secret, filter));
}

function matchesFilter(secret: FilterableSecret, filter: SecretFilter): boolean {
  const test = tester(secret, filter.Key);
  if (!test) return false; // keys outside the enum are rejected by model validation before this point
  const positives: string[] = [];
  const negated: string[] = [];
  for (const value of filter.Values ?? []) {
    if (value.startsWith("!")) negated.push(value.slice(1));
    else positives.push(value);
  }
  if (positives.length > 0 && !positives.some(test)) return false;
  return !negated.some(test);
}

/**
 * The positive test of one value for a filter key (§6.1). A secret lacking the attribute never
 * matches, so a negated value keeps it.
 */
function tester(secret: FilterableSecret, key: string | undefined): ((value: string) => boolean) | undefined {
  switch (key) {
    // Prefix of the whole name, case-sensitive; a space is a literal character.
    case "name":
      return (v) => secret.name.startsWith(v);
    // The model says "prefix match", but AWS matches words like `all` does (§6.1 `[AWS-OBS]`).
    case "description": {
      const words = secret.description ? wordsOf([secret.description]) : [];
      return (v) => wordsMatch(v, words);
    }
    case "tag-key":
      return (v) => secret.tags.some((t) => t.Key.startsWith(v));
    case "tag-value":
      return (v) => secret.tags.some((t) => t.Value.startsWith(v));
    case "primary-region":
      return (v) => secret.primaryRegion !== undefined && secret.primaryRegion.startsWith(v);
    // The user guide calls this one case-insensitive, the model case-sensitive (§6.1): insensitive.
    case "owning-service":
      return (v) =>
        secret.owningService !== undefined && secret.owningService.toLowerCase().startsWith(v.toLowerCase());
    // Words of the name, description, tag keys and tag values together.
    case "all": {
      const words = wordsOf([
        secret.name,
        secret.description ?? "",
        ...secret.tags.map((t) => t.Key),
        ...secret.tags.map((t) => t.Value),
      ]);
      return (v) => wordsMatch(v, words);
    }
    default:
      return undefined;
  }
}

/**
 * Every word of the value must start some word of the attribute, case-insensitively, in any
 * order (§6.2, §6.3). A value with no words at all (e.g. `+`) matches nothing (`[AWS-OBS]`).
 */
function wordsMatch(value: string, attributeWords: readonly string[]): boolean {
  const wanted = splitWords(value).map((w) => w.toLowerCase());
  return wanted.length > 0 && wanted.every((w) => attributeWords.some((a) => a.startsWith(w)));
}

function wordsOf(texts: readonly string[]): string[] {
  return texts.flatMap((t) => splitWords(t)).map((w) => w.toLowerCase());
}

/** Runs of characters that are neither letters nor digits separate words. */
const SEPARATORS = /[^\p{L}\p{N}]+/u;
/** A non-lowercase character followed by lowercase letters begins a word (kept by the capture group). */
const CASE_WORD = /(\P{Ll}\p{Ll}+)/u;
/** A letter followed by a digit is a word boundary. */
const LETTER_DIGIT = /(?<=\p{L})(?=\p{N})/u;

/**
 * Splits text into search words the way AWS does (§6.3):
 * 1. on whitespace and punctuation — the names' separators `/ - _ + = . @` and `#` are the
 *    observed ones; the user guide says every special character is ignored and only letters
 *    and digits count, so any non-alphanumeric character separates;
 * 2. at case transitions, where a capital starts a word only when lowercase letters follow it:
 *    `AppBeta` → `App`, `Beta`; `COMPANYthings` → `COMPAN`, `Ythings` (`[AWS-OBS]`);
 * 3. where a letter is followed by a digit (user guide: `credsDatabase#892` → `creds`,
 *    `Database`, `892`). A digit followed by lowercase letters is left whole (`3d`), which is
 *    what rule 2 gives; splitting there too would let `d` match names carrying random hex ids,
 *    contrary to what AWS returned for the `all` filter (§6.3).
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const piece of text.split(SEPARATORS)) {
    for (const part of piece.split(CASE_WORD)) {
      for (const word of part.split(LETTER_DIGIT)) if (word !== "") words.push(word);
    }
  }
  return words;
}
