// The requestParameters / responseElements of a record (security-and-identity.md §6.3, §6.4):
// request and result members copied through the generated service model, keeping a member only
// when its shape is not marked sensitive, leaving blobs out as AWS does, and dropping
// credential-like names whatever the model says. Member names become lowerCamelCase.

import type { model as secretsManagerModel } from "../generated/secretsmanager-model.js";

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Any of the generated service models (they share one type). */
export type ServiceModelTables = typeof secretsManagerModel;
type Shape = ServiceModelTables["shapes"][string];

// Dropped wherever they appear, modeled or not: credentials must never reach a record even
// from a service with no generated model (IAM, STS) or a model that does not mark them.
const CREDENTIAL_NAME =
  /secret_?access_?key|session_?token|^(old_?|new_?)?password$|saml_?assertion|web_?identity_?token/i;

/** CloudTrail's time form: UTC, seconds precision (§6.1). */
export function formatEventTime(time: Date | number): string {
  const ms = typeof time === "number" ? time : time.getTime();
  const second = Math.floor(ms / 1000);
  // Most records of a busy server share their second: format each second once.
  if (second !== lastSecond) {
    lastSecond = second;
    lastFormatted = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  return lastFormatted;
}
let lastSecond = Number.NaN;
let lastFormatted = "";

/**
 * The loggable part of `value`, read as the model's `shapeName` when both are given and as
 * plain JSON otherwise; null when nothing is left (AWS writes null, not `{}`).
 */
export function loggableMembers(
  model: ServiceModelTables | undefined,
  shapeName: string | undefined,
  value: unknown,
): JsonObject | null {
  if (value === undefined || value === null || typeof value !== "object") return null;
  const copied = model !== undefined && shapeName !== undefined ? fromShape(model, shapeName, value) : fromUnmodeled(value);
  return copied !== undefined && isPlainObject(copied) && Object.keys(copied).length > 0 ? copied : null;
}

function fromShape(model: ServiceModelTables, shapeName: string, value: unknown): JsonValue | undefined {
  const shape: Shape | undefined = model.shapes[shapeName];
  if (shape === undefined || shape.sensitive === true || value === undefined || value === null) return undefined;
  switch (shape.type) {
    case "structure": {
      if (!isPlainObject(value)) return undefined;
      const out: JsonObject = {};
      for (const [name, member] of Object.entries(value)) {
        const target = Object.hasOwn(shape.members, name) ? shape.members[name] : undefined;
        if (target === undefined || CREDENTIAL_NAME.test(name)) continue;
        const copied = fromShape(model, target, member);
        if (copied !== undefined) out[lowerCamel(name)] = copied;
      }
      return out;
    }
    case "list": {
      if (!Array.isArray(value)) return undefined;
      const out: JsonValue[] = [];
      for (const item of value) {
        const copied = fromShape(model, shape.member, item);
        if (copied !== undefined) out.push(copied);
      }
      return out;
    }
    case "map": {
      if (!isPlainObject(value)) return undefined;
      // Map keys are caller data (encryption context keys, for instance) and keep their case.
      const out: JsonObject = {};
      for (const [key, item] of Object.entries(value)) {
        const copied = fromShape(model, shape.value, item);
        if (copied !== undefined) out[key] = copied;
      }
      return out;
    }
    case "blob":
      return undefined; // §6.3: AWS leaves blobs out of records.
    case "timestamp":
      return timestamp(value);
    case "boolean":
      return typeof value === "boolean" ? value : undefined;
    case "string":
      return typeof value === "string" ? value : undefined;
    default:
      return typeof value === "number" && Number.isFinite(value) ? value : undefined;
  }
}

/** Best effort for services without a model: same naming, credentials and binary dropped. */
function fromUnmodeled(value: unknown): JsonValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (value instanceof Date) return timestamp(value);
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (const item of value) {
      const copied = fromUnmodeled(item);
      if (copied !== undefined) out.push(copied);
    }
    return out;
  }
  if (!isPlainObject(value)) return undefined; // Buffers and other binary included
  const out: JsonObject = {};
  for (const [name, member] of Object.entries(value)) {
    if (CREDENTIAL_NAME.test(name)) continue;
    const copied = fromUnmodeled(member);
    if (copied !== undefined) out[lowerCamel(name)] = copied;
  }
  return out;
}

// Validated input carries Date; raw JSON 1.1 input carries epoch seconds.
function timestamp(value: unknown): string | undefined {
  let time = NaN;
  if (value instanceof Date) time = value.getTime();
  else if (typeof value === "number") time = value * 1000;
  else if (typeof value === "string") time = Date.parse(value);
  // A number far outside the dates JavaScript can name (±8.64e15 ms) is left out, as NaN is.
  return Number.isFinite(time) && Math.abs(time) <= 8.64e15 ? formatParameterTime(time) : undefined;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A time inside requestParameters / responseElements, as AWS writes them there (unlike eventTime):
 * "Aug 10, 2022, 10:38:27 PM", in UTC (the KMS guide's CreateKey record; older records lack the
 * comma after the year).
 */
export function formatParameterTime(ms: number): string {
  const d = new Date(ms);
  const hours = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${hours % 12 === 0 ? 12 : hours % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${hours < 12 ? "AM" : "PM"}`;
}

/**
 * `KmsKeyId` → `kmsKeyId`; an all-capitals name such as `ARN` → `arn` (§6.4 casing note); a name
 * that starts with two capitals keeps them, as Java's bean naming does (`AWSAccountId` in KMS's
 * keyMetadata, the KMS guide's CreateKey record).
 */
export function lowerCamel(name: string): string {
  if (name === name.toUpperCase()) return name.toLowerCase();
  if (name.length > 1 && name.charAt(1) !== name.charAt(1).toLowerCase()) return name;
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
