// GetRandomPassword (§5.7, algorithm §9): a password drawn with a CSPRNG from the character
// classes the caller did not exclude, with at least one character of every included class
// unless RequireEachIncludedType is false.

import { randomInt } from "node:crypto";
import { InvalidParameterException, ValidationException, messages } from "./errors.js";

export interface PasswordOptions {
  PasswordLength?: number;
  ExcludeCharacters?: string;
  ExcludeNumbers?: boolean;
  ExcludePunctuation?: boolean;
  ExcludeUppercase?: boolean;
  ExcludeLowercase?: boolean;
  IncludeSpace?: boolean;
  RequireEachIncludedType?: boolean;
}

const LOWERCASE = "abcdefghijklmnopqrstuvwxyz";
const UPPERCASE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
/** The 32 ASCII punctuation characters (0x21–0x2F, 0x3A–0x40, 0x5B–0x60, 0x7B–0x7E), §9. */
const PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/** Documented default (`[MODEL]`) and model range of PasswordLength. */
const DEFAULT_LENGTH = 32;
const MIN_LENGTH = 1;
const MAX_LENGTH = 4096;

export function generatePassword(opts: PasswordOptions): string {
  const length = opts.PasswordLength ?? DEFAULT_LENGTH;
  checkLength(length);

  const excluded = new Set(opts.ExcludeCharacters ?? "");
  const allow = (chars: string): string[] => [...chars].filter((c) => !excluded.has(c));

  // Classes that stay in play, each already stripped of ExcludeCharacters.
  const lettersAndSymbols: string[][] = [];
  if (!opts.ExcludeLowercase) lettersAndSymbols.push(allow(LOWERCASE));
  if (!opts.ExcludeUppercase) lettersAndSymbols.push(allow(UPPERCASE));
  if (!opts.ExcludeNumbers) lettersAndSymbols.push(allow(DIGITS));
  if (!opts.ExcludePunctuation) lettersAndSymbols.push(allow(PUNCTUATION));
  const space = opts.IncludeSpace ? allow(" ") : [];

  const pool = [...lettersAndSymbols.flat(), ...space];
  if (pool.length === 0) throw new InvalidParameterException(messages.passwordNoCharacters);

  // A class whose characters were all excluded cannot be required; space is never required
  // (§9 step 4 leaves it open; requiring it would make every password with IncludeSpace
  // contain a blank, which the option's wording — "include" — does not promise).
  const required = opts.RequireEachIncludedType === false ? [] : lettersAndSymbols.filter((c) => c.length > 0);
  if (length < required.length) throw new InvalidParameterException(messages.passwordTooShort);

  const chars: string[] = required.map(pick);
  while (chars.length < length) chars.push(pick(pool));
  shuffle(chars);
  return chars.join("");
}

/** The model constraint on PasswordLength (1–4096), reported the way AWS reports model violations (§2.12). */
function checkLength(length: number): void {
  if (!Number.isSafeInteger(length)) {
    throw new ValidationException(
      `1 validation error detected: Value '${length}' at 'passwordLength' failed to satisfy constraint: Member must be an integer`,
    );
  }
  if (length < MIN_LENGTH) {
    throw new ValidationException(
      `1 validation error detected: Value '${length}' at 'passwordLength' failed to satisfy constraint: Member must have value greater than or equal to ${MIN_LENGTH}`,
    );
  }
  if (length > MAX_LENGTH) {
    throw new ValidationException(
      `1 validation error detected: Value '${length}' at 'passwordLength' failed to satisfy constraint: Member must have value less than or equal to ${MAX_LENGTH}`,
    );
  }
}

/** Uniform choice: crypto.randomInt rejects out-of-range draws, so there is no modulo bias. */
function pick(chars: readonly string[]): string {
  return chars[randomInt(chars.length)] as string;
}

/** Fisher–Yates with an unbiased index per step, so the guaranteed characters land anywhere. */
function shuffle(chars: string[]): void {
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    const tmp = chars[i] as string;
    chars[i] = chars[j] as string;
    chars[j] = tmp;
  }
}
