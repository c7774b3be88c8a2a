// AWS Query protocol, response side: the XML documents of security spec §1.2 and §1.3.
//
//   <{Op}Response xmlns="…"><{Op}Result>…</{Op}Result>
//     <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></{Op}Response>
//   <ErrorResponse xmlns="…"><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>
//     <RequestId>…</RequestId></ErrorResponse>
//
// Element names and nesting follow the model as botocore's QueryParser and the JS SDK's XML
// deserializer read them: members in model order under their (location) names, lists as
// <member> children unless renamed or flattened, maps as <entry><key/><value/></entry>.
// Nothing is indented: whitespace-only text is dropped by the SDKs' parsers, so compact output
// is what survives a round trip unchanged. Timestamps are ISO 8601 UTC with milliseconds only
// when there are some (IAM sends whole seconds, STS samples show milliseconds; both parse).

import type { ServiceError } from "../domain/errors.js";
import type { WireResponse } from "./json-errors.js";
import type { QueryServiceModel, QueryShape, QueryStructureShape, TimestampFormat } from "./query-model.js";

export const QUERY_CONTENT_TYPE = "text/xml";

/**
 * The success document for `operation`. `output` holds the output shape's members by member
 * name: strings, numbers, booleans, Dates (or epoch seconds) for timestamps, Buffers for blobs,
 * arrays for lists, plain objects or Maps for maps. Members the model lacks are ignored; a value
 * of the wrong type is a programming error and throws a TypeError.
 */
export function encodeQueryResponse(
  model: QueryServiceModel,
  operation: string,
  output: Record<string, unknown>,
  requestId: string,
): string {
  const op = Object.hasOwn(model.operations, operation) ? model.operations[operation] : undefined;
  if (op === undefined) throw new Error(`the model has no operation ${operation}`);
  const parts = [`<${operation}Response xmlns="${escapeXml(model.xmlNamespace)}">`];
  if (op.output !== undefined) {
    const wrapper = op.resultWrapper ?? `${operation}Result`;
    const shape = model.shapes[op.output];
    if (shape?.type !== "structure") throw new Error(`output shape ${op.output} is not a structure`);
    parts.push(`<${wrapper}>`);
    new Writer(model, parts).members(shape, output, wrapper);
    parts.push(`</${wrapper}>`);
  }
  parts.push(`<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${operation}Response>`);
  return parts.join("");
}

/**
 * The error document. <Type> is Sender for 4xx and Receiver for 5xx; an empty message leaves
 * <Message> out (the SDKs then report "Unknown"), as the JSON envelope omits it.
 */
export function encodeQueryError(code: string, message: string, status: number, requestId: string, xmlns: string): string {
  const type = status >= 500 ? "Receiver" : "Sender";
  const text = message === "" ? "" : `<Message>${escapeXml(message)}</Message>`;
  return (
    `<ErrorResponse xmlns="${escapeXml(xmlns)}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>${text}</Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}

/** A complete error response for a ServiceError, headers included (cf. encodeJsonError). */
export function queryErrorResponse(err: ServiceError, requestId: string, xmlns: string): WireResponse {
  return {
    status: err.status,
    headers: { "content-type": QUERY_CONTENT_TYPE, "x-amzn-requestid": requestId },
    body: encodeQueryError(err.code, err.message, err.status, requestId, xmlns),
  };
}

// ---------------------------------------------------------------------------------------------

class Writer {
  constructor(
    private readonly model: QueryServiceModel,
    private readonly out: string[],
  ) {}

  members(shape: QueryStructureShape, value: Record<string, unknown>, path: string): void {
    for (const [member, target] of Object.entries(shape.members)) {
      const v = Object.hasOwn(value, member) ? value[member] : undefined;
      if (v === undefined || v === null) continue;
      this.element(shape.locationNames?.[member] ?? member, target, v, `${path}.${member}`);
    }
  }

  private element(name: string, shapeName: string, value: unknown, path: string): void {
    const shape = this.model.shapes[shapeName];
    if (shape === undefined) throw new Error(`the model has no shape ${shapeName}`);
    const out = this.out;
    switch (shape.type) {
      case "structure":
        if (typeof value !== "object" || value === null || Array.isArray(value)) mismatch(path, shape.type, value);
        out.push(`<${name}>`);
        this.members(shape, value as Record<string, unknown>, path);
        out.push(`</${name}>`);
        return;
      case "list": {
        if (!Array.isArray(value)) mismatch(path, shape.type, value);
        const items = (value as unknown[]).filter((v) => v !== undefined && v !== null);
        if (shape.flattened === true) {
          items.forEach((v, i) => this.element(shape.memberName ?? name, shape.member, v, `${path}.${i + 1}`));
          return;
        }
        out.push(`<${name}>`);
        items.forEach((v, i) => this.element(shape.memberName ?? "member", shape.member, v, `${path}.${i + 1}`));
        out.push(`</${name}>`);
        return;
      }
      case "map": {
        const entries = mapEntries(value, path);
        const keyName = shape.keyName ?? "key";
        const valueName = shape.valueName ?? "value";
        const entryName = shape.flattened === true ? name : "entry";
        if (shape.flattened !== true) out.push(`<${name}>`);
        for (const [k, v] of entries) {
          if (v === undefined || v === null) continue;
          out.push(`<${entryName}>`);
          this.element(keyName, shape.key, k, `${path}.${k}`);
          this.element(valueName, shape.value, v, `${path}.${k}`);
          out.push(`</${entryName}>`);
        }
        if (shape.flattened !== true) out.push(`</${name}>`);
        return;
      }
      default:
        out.push(`<${name}>${scalarText(shape, value, path)}</${name}>`);
    }
  }
}

function mapEntries(value: unknown, path: string): Iterable<[string, unknown]> {
  if (value instanceof Map) return value as Map<string, unknown>;
  if (typeof value !== "object" || value === null || Array.isArray(value)) mismatch(path, "map", value);
  return Object.entries(value as Record<string, unknown>);
}

function mismatch(path: string, type: string, value: unknown): never {
  const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  throw new TypeError(`cannot write ${kind} at ${path} as a ${type}`);
}

function scalarText(shape: Exclude<QueryShape, { type: "structure" | "list" | "map" }>, value: unknown, path: string): string {
  switch (shape.type) {
    case "string":
      if (typeof value !== "string") mismatch(path, shape.type, value);
      return escapeXml(value as string);
    case "boolean":
      if (typeof value !== "boolean") mismatch(path, shape.type, value);
      return value ? "true" : "false";
    case "integer":
    case "long":
      if (typeof value === "bigint") return String(value);
      if (typeof value !== "number" || !Number.isInteger(value)) mismatch(path, shape.type, value);
      return String(value);
    case "double":
    case "float":
      if (typeof value !== "number") mismatch(path, shape.type, value);
      return String(value); // NaN, Infinity and -Infinity are also what botocore reads
    case "timestamp":
      return formatTimestamp(toDate(value, path), shape.timestampFormat ?? "iso8601");
    case "blob":
      if (typeof value === "string") return Buffer.from(value, "utf8").toString("base64");
      if (!(value instanceof Uint8Array)) mismatch(path, shape.type, value);
      return Buffer.from(value as Uint8Array).toString("base64");
  }
}

function toDate(value: unknown, path: string): Date {
  const date = typeof value === "number" ? new Date(value * 1000) : value;
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) return mismatch(path, "timestamp", value);
  return date;
}

/** A timestamp as the model's format writes it: "2024-01-15T12:00:00Z", "...:00.123Z", epoch seconds, or an HTTP date. */
export function formatTimestamp(date: Date, format: TimestampFormat = "iso8601"): string {
  if (format === "unixTimestamp") return String(date.getTime() / 1000);
  if (format === "rfc822") return date.toUTCString();
  const iso = date.toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

// Characters XML 1.0 cannot carry at all, not even as character references: C0 controls other
// than tab, newline and carriage return, U+FFFE/U+FFFF and unpaired surrogates. They become
// U+FFFD, since a document a strict parser (botocore's) rejects would lose the whole response.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SPECIAL = /[&<>"\r]/g;
const ESCAPES: { readonly [c: string]: string } = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#xD;" };
const NEEDS_WORK = /[&<>"\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/;

/**
 * Text or attribute content. A carriage return is written as a reference because parsers
 * normalise a literal one (and CRLF) to a newline.
 */
export function escapeXml(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return text.replace(NOT_XML, "\uFFFD").replace(SPECIAL, (c) => ESCAPES[c] ?? c);
}
