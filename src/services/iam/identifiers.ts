// Unique ids and ARNs of IAM entities (security spec §4.4): ids are a four-letter prefix naming
// the kind (AIDA user, AGPA group, AROA role, ANPA managed policy) and 17 random characters;
// ARNs are arn:<partition>:iam::<account>:<kind><path><name>, the path included.
import { randomInt } from "node:crypto";
import type { EntityKind } from "../../store/identity-ops.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const PREFIXES = { user: "AIDA", group: "AGPA", role: "AROA", policy: "ANPA" } as const;

export function newUniqueId(kind: keyof typeof PREFIXES): string {
  let id: string = PREFIXES[kind];
  for (let i = 0; i < 17; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

export function entityArn(partition: string, accountId: string, kind: EntityKind, path: string, name: string): string {
  return `arn:${partition}:iam::${accountId}:${kind}${path}${name}`;
}

export function policyArn(partition: string, accountId: string, path: string, name: string): string {
  return `arn:${partition}:iam::${accountId}:policy${path}${name}`;
}

export function rootArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

/** `arn:<p>:sts::<acct>:assumed-role/<role name>/<session>`: the role's path is not part of it (§4.3). */
export function sessionArn(partition: string, accountId: string, roleName: string, sessionName: string): string {
  return `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
}

export interface ParsedIamArn {
  partition: string;
  /** 12 digits, or "aws" for AWS managed policies. */
  accountId: string;
  /** "user", "group", "role", "policy", "root". */
  type: string;
  path: string;
  name: string;
}

/** Reads `arn:<p>:iam::<acct>:<type><path><name>`; undefined for anything else. */
export function parseIamArn(arn: string): ParsedIamArn | undefined {
  const match = /^arn:([^:]+):iam::(\d{12}|aws):([a-z-]+)(\/(?:[^:]*\/)?)?([^/:]*)$/.exec(arn);
  if (match === null) return undefined;
  const [, partition, accountId, type, path, name] = match as unknown as [string, string, string, string, string | undefined, string];
  if (type === "root") return path === undefined && name === "" ? { partition, accountId, type, path: "", name: "" } : undefined;
  if (path === undefined || name === "") return undefined;
  return { partition, accountId, type, path, name };
}
