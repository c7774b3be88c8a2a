// AWS Query protocol (IAM 2010-05-08, STS 2011-06-15), request side: the form-encoded
// parameters of a POST body or GET query string, and their translation into the JSON-shaped
// input object that validateInput checks against the model's constraints (security spec §4.1).
//
// Parameter names follow botocore's QuerySerializer, which the AWS CLI and SDKs share:
//   scalars            Name=value
//   nested structures  Outer.Inner=value
//   lists              Name.member.N=value (1-based; the model may rename "member" or flatten
//                      the list to Name.N); an empty list is sent as "Name=" alone
//   maps               Name.entry.N.key=k & Name.entry.N.value=v (renamable, flattenable)
//   booleans "true"/"false", timestamps ISO 8601 unless the model says otherwise, blobs base64.
// Parameters the model does not know (X-Amz-* of presigned URLs, typos) are ignored; element
// indexes need not be contiguous, elements are taken in index order.
//
// The response side is in query-xml.ts.

import {
  InvalidAction,
  InvalidParameterValue,
  MalformedQueryString,
  MissingAction,
  MissingParameter,
  SerializationException,
  ValidationError,
  ValidationException,
  messages,
} from "../domain/errors.js";
import type {
  QueryListShape,
  QueryMapShape,
  QueryServiceModel,
  QueryShape,
  QueryStructureShape,
  TimestampFormat,
} from "./query-model.js";
import { validateInput } from "./validate.js";

export { encodeQueryError, encodeQueryResponse, queryErrorResponse, QUERY_CONTENT_TYPE } from "./query-xml.js";

export interface QueryRequest {
  /** The Action parameter (the operation name). */
  readonly action: string;
  /** The Version parameter, "" when absent (resolveQueryOperation rejects that). */
  readonly version: string;
  /** Every other parameter, decoded. */
  readonly params: Map<string, string>;
}

/**
 * Reads the parameters of a query request: the form body of a POST and the query string (the
 * parameters of a GET; a POST's is normally empty). Throws MalformedQueryString for a broken
 * percent escape, invalid UTF-8 or a parameter given twice, MissingAction without an Action.
 */
export function decodeQueryRequest(body: Buffer, rawQuery: string): QueryRequest {
  const params = new Map<string, string>();
  const query = rawQuery.startsWith("?") ? rawQuery.slice(1) : rawQuery;
  readForm(Buffer.from(query, "utf8"), params);
  readForm(body, params);
  const action = params.get("Action");
  const version = params.get("Version") ?? "";
  params.delete("Action");
  params.delete("Version");
  if (action === undefined || action === "") throw new MissingAction(messages.queryMissingAction);
  return { action, version, params };
}

/**
 * Checks Action and Version against the model and returns the operation name. Like AWS, an
 * operation is looked up per API version: a wrong Version is an unknown operation.
 */
export function resolveQueryOperation(model: QueryServiceModel, request: QueryRequest): string {
  if (request.version === "") throw new MissingParameter(messages.queryMissingVersion);
  if (request.version !== model.apiVersion || !Object.hasOwn(model.operations, request.action)) {
    throw new InvalidAction(messages.queryUnknownAction(request.action, request.version));
  }
  return request.action;
}

/**
 * Turns the decoded parameters into the operation's input as JSON 1.1 would carry it (numbers,
 * booleans, timestamps as epoch seconds, blobs as base64 text), ready for validateInput.
 * Throws InvalidParameterValue for a value that cannot be read as its shape's type.
 */
export function queryParamsToInput(
  model: QueryServiceModel,
  operation: string,
  params: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const op = Object.hasOwn(model.operations, operation) ? model.operations[operation] : undefined;
  if (op === undefined) throw new InvalidAction(messages.queryUnknownAction(operation, model.apiVersion));
  if (op.input === undefined) return {};
  const root = buildTree(params);
  const input = new Reader(model).read(op.input, root, "");
  return (input ?? {}) as Record<string, unknown>;
}

/**
 * queryParamsToInput followed by validateInput, with the JSON services' error codes replaced by
 * the query ones (ValidationException → ValidationError, same message).
 */
export function readQueryInput(
  model: QueryServiceModel,
  operation: string,
  params: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const input = queryParamsToInput(model, operation, params);
  try {
    return validateInput(model, operation, input);
  } catch (error) {
    if (error instanceof ValidationException) throw new ValidationError(error.message);
    if (error instanceof SerializationException) throw new InvalidParameterValue(error.message);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// application/x-www-form-urlencoded (WHATWG URL standard, "application/x-www-form-urlencoded
// parsing"), strict: a "%" not followed by two hex digits and bytes that are not UTF-8 are
// refused instead of being passed through or replaced.

const AMP = 0x26;
const EQUALS = 0x3d;
const PLUS = 0x2b;
const PERCENT = 0x25;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function readForm(bytes: Buffer, into: Map<string, string>): void {
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(AMP, start);
    if (end === -1) end = bytes.length;
    if (end > start) {
      const pair = bytes.subarray(start, end);
      const eq = pair.indexOf(EQUALS);
      const name = percentDecode(eq === -1 ? pair : pair.subarray(0, eq));
      const value = eq === -1 ? "" : percentDecode(pair.subarray(eq + 1));
      if (name !== "") {
        if (into.has(name)) throw new MalformedQueryString(messages.queryMalformed);
        into.set(name, value);
      }
    }
    start = end + 1;
  }
}

function percentDecode(bytes: Buffer): string {
  if (bytes.indexOf(PERCENT) === -1 && bytes.indexOf(PLUS) === -1) return decodeUtf8(bytes);
  const out = Buffer.allocUnsafe(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b === PLUS) out[n++] = 0x20;
    else if (b === PERCENT) {
      const hi = hexValue(bytes[i + 1]);
      const lo = hexValue(bytes[i + 2]);
      if (hi < 0 || lo < 0) throw new MalformedQueryString(messages.queryMalformed);
      out[n++] = hi * 16 + lo;
      i += 2;
    } else out[n++] = b;
  }
  return decodeUtf8(out.subarray(0, n));
}

function hexValue(b: number | undefined): number {
  if (b === undefined) return -1;
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new MalformedQueryString(messages.queryMalformed);
  }
}

// ---------------------------------------------------------------------------------------------
// Parameters to input. The dotted names become a tree ("Tags.member.1.Key" → Tags → member → 1
// → Key) that is then read along the model's shapes.

interface ParamNode {
  value?: string;
  children?: Map<string, ParamNode>;
}

function buildTree(params: ReadonlyMap<string, string>): ParamNode {
  const root: ParamNode = {};
  for (const [name, value] of params) {
    let node = root;
    for (const part of name.split(".")) {
      node.children ??= new Map();
      let child = node.children.get(part);
      if (child === undefined) {
        child = {};
        node.children.set(part, child);
      }
      node = child;
    }
    node.value = value;
  }
  return root;
}

const INDEX = /^[1-9][0-9]{0,8}$/;

/** The children of `node` named by a 1-based index, in index order. */
function indexed(node: ParamNode | undefined): [string, ParamNode][] {
  if (node?.children === undefined) return [];
  return [...node.children].filter(([k]) => INDEX.test(k)).sort(([a], [b]) => Number(a) - Number(b));
}

const join = (path: string, part: string): string => (path === "" ? part : `${path}.${part}`);

const INTEGER = /^[+-]?[0-9]+$/;
const DECIMAL = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const SPECIAL_DOUBLES = new Map([["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity]]);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const LIMITS = { integer: 2n ** 31n, long: 2n ** 63n } as const;

class Reader {
  constructor(private readonly model: QueryServiceModel) {}

  /** The value for shape `name` at `node`, or undefined when the parameters do not set it. */
  read(name: string, node: ParamNode | undefined, path: string): unknown {
    if (node === undefined) return undefined;
    const shape = this.shape(name);
    switch (shape.type) {
      case "structure":
        return this.structure(shape, node, path);
      case "list":
        return this.list(shape, node, path);
      case "map":
        return this.map(shape, node, path);
      default:
        return node.value === undefined ? undefined : scalar(shape, node.value, path);
    }
  }

  private shape(name: string): QueryShape {
    const shape = this.model.shapes[name];
    if (shape === undefined) throw new Error(`model has no shape ${name}`);
    return shape;
  }

  private structure(shape: QueryStructureShape, node: ParamNode, path: string): Record<string, unknown> | undefined {
    if (node.children === undefined) return undefined;
    const out: Record<string, unknown> = {};
    for (const [member, target] of Object.entries(shape.members)) {
      const wire = this.wireName(shape, member, target);
      const value = this.read(target, node.children.get(wire), join(path, wire));
      if (value !== undefined) out[member] = value;
    }
    return out;
  }

  /** A member's parameter name: a flattened list with a named member uses that name instead. */
  private wireName(shape: QueryStructureShape, member: string, target: string): string {
    const t = this.shape(target);
    if (t.type === "list" && t.flattened === true && t.memberName !== undefined) return t.memberName;
    return shape.locationNames?.[member] ?? member;
  }

  private list(shape: QueryListShape, node: ParamNode, path: string): unknown[] | undefined {
    const container = shape.flattened === true ? node : node.children?.get(shape.memberName ?? "member");
    const items = indexed(container);
    if (items.length === 0) return node.value === "" ? [] : undefined;
    const prefix = shape.flattened === true ? path : join(path, shape.memberName ?? "member");
    const out: unknown[] = [];
    for (const [index, child] of items) {
      const value = this.read(shape.member, child, join(prefix, index));
      if (value !== undefined) out.push(value);
    }
    return out;
  }

  private map(shape: QueryMapShape, node: ParamNode, path: string): Record<string, unknown> | undefined {
    const container = shape.flattened === true ? node : node.children?.get("entry");
    const entries = indexed(container);
    if (entries.length === 0) return node.value === "" ? {} : undefined;
    const prefix = shape.flattened === true ? path : join(path, "entry");
    const keyName = shape.keyName ?? "key";
    const valueName = shape.valueName ?? "value";
    // User-chosen keys: a null prototype keeps "__proto__" an ordinary key.
    const out = Object.create(null) as Record<string, unknown>;
    for (const [index, entry] of entries) {
      const entryPath = join(prefix, index);
      const key = this.read(shape.key, entry.children?.get(keyName), join(entryPath, keyName));
      const value = this.read(shape.value, entry.children?.get(valueName), join(entryPath, valueName));
      if (typeof key === "string" && value !== undefined) out[key] = value;
    }
    return out;
  }
}

function scalar(shape: QueryShape, raw: string, path: string): unknown {
  const invalid = (): never => {
    throw new InvalidParameterValue(messages.queryInvalidValue(raw, path));
  };
  switch (shape.type) {
    case "boolean": {
      const lower = raw.toLowerCase();
      return lower === "true" ? true : lower === "false" ? false : invalid();
    }
    case "integer":
    case "long": {
      if (!INTEGER.test(raw)) return invalid();
      const n = BigInt(raw);
      const limit = LIMITS[shape.type];
      if (n >= limit || n < -limit) return invalid();
      return Number(n);
    }
    case "double":
    case "float": {
      const special = SPECIAL_DOUBLES.get(raw);
      if (special !== undefined) return special;
      return DECIMAL.test(raw) ? Number(raw) : invalid();
    }
    case "timestamp": {
      const ms = parseTimestamp(raw, shape.timestampFormat ?? "iso8601");
      return ms === undefined ? invalid() : ms / 1000;
    }
    case "blob":
      return BASE64.test(raw) ? raw : invalid();
    default:
      return raw;
  }
}

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;
// RFC 7231 IMF-fixdate, what botocore writes for the "rfc822" format.
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Epoch milliseconds of a timestamp parameter, undefined when it is not a valid one. */
export function parseTimestamp(raw: string, format: TimestampFormat): number | undefined {
  if (format === "unixTimestamp") {
    if (!DECIMAL.test(raw)) return undefined;
    const ms = Math.round(Number(raw) * 1000);
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (format === "rfc822") {
    const ms = IMF_FIXDATE.test(raw) ? Date.parse(raw) : NaN;
    return Number.isNaN(ms) ? undefined : ms;
  }
  const m = ISO_8601.exec(raw);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  // Digits past milliseconds (botocore sends microseconds) are dropped, not rounded.
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis));
  date.setUTCFullYear(year); // Date.UTC would read years 0-99 as 1900-1999
  let ms = date.getTime();
  if (m[9] !== undefined) {
    const offset = (Number(m[10]) * 60 + Number(m[11])) * 60_000;
    ms += m[9] === "+" ? -offset : offset;
  }
  return ms;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}
