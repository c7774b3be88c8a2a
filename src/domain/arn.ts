// Secret names, secret ARNs and the forms a SecretId may take (§2.2–§2.4).

import { randomInt } from "node:crypto";
import { ValidationException, messages } from "./errors.js";

/** Allowed name characters (§2.2, `[MODEL]` + `[AWS-OBS]`); length limits are model constraints checked elsewhere. */
const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]+$/;

/** A resource part ending in `-` plus six alphanumerics reads as a full ARN (§2.4 step 2b). */
const FULL_RESOURCE_PATTERN = /^(.+)-[A-Za-z0-9]{6}$/;

const SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const SUFFIX_LENGTH = 6;

export function isValidSecretName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/** `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<suffix>` (§2.3). */
export function secretArn(partition: string, region: string, accountId: string, name: string, suffix: string): string {
  return `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${name}-${suffix}`;
}

/**
 * Six random characters from [A-Za-z0-9] (§2.3: AWS suffixes look like `nutBrk`, `NhBWsc`).
 * A fresh one per created secret, so a re-created name never matches old ARNs.
 */
export function randomSuffix(): string {
  let suffix = "";
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return suffix;
}

export type ParsedSecretId =
  | { kind: "name"; name: string }
  | {
      kind: "arn";
      partition: string;
      region: string;
      accountId: string;
      /** Everything after `secret:`. */
      resource: string;
      /** The resource ends in `-` + 6 alphanumerics, so it only ever matches a secret's full ARN (§2.4 2b). */
      looksFull: boolean;
      /** The name to look up when the ARN is partial (§2.4 2c): the resource itself. */
      nameIfPartial: string;
    }
  | { kind: "invalid" };

/**
 * Classifies a SecretId (§2.4). Anything starting with `arn:` is an ARN; one that is not a
 * Secrets Manager secret ARN is `invalid` and resolves to nothing (callers answer E1).
 */
export function parseSecretId(id: string): ParsedSecretId {
  if (!id.startsWith("arn:")) return { kind: "name", name: id };

  // arn:<partition>:secretsmanager:<region>:<account>:secret:<rest>; names cannot contain ':',
  // so only the first six separators are structural.
  const parts = id.split(":");
  const [, partition, service, region, accountId, resourceType] = parts;
  const resource = parts.slice(6).join(":");
  if (
    partition === undefined ||
    partition === "" ||
    service !== "secretsmanager" ||
    region === undefined ||
    region === "" ||
    accountId === undefined ||
    accountId === "" ||
    resourceType !== "secret" ||
    parts.length < 7 ||
    resource === ""
  ) {
    return { kind: "invalid" };
  }
  return {
    kind: "arn",
    partition,
    region,
    accountId,
    resource,
    looksFull: FULL_RESOURCE_PATTERN.test(resource),
    nameIfPartial: resource,
  };
}

/**
 * Every SecretId that is not an ARN is checked like a Name (§2.2 "Where enforced", `[AWS-OBS]`
 * for Delete/Describe/GetSecretValue/ListSecretVersionIds/PutSecretValue/Tag/Untag/UpdateSecret/
 * ValidateResourcePolicy): ValidationException E10.
 */
export function validateSecretIdName(id: string): void {
  if (!id.startsWith("arn:") && !isValidSecretName(id)) throw new ValidationException(messages.invalidName);
}
