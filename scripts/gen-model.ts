// Turns an AWS service model (botocore JSON, documentation already stripped) into a compact
// TypeScript module: operation names, per-operation input/output shapes, the JSON target prefix
// and the constraint table the request validator walks. Only shapes reachable from an
// operation's input or output are emitted; error shapes are not needed for validation.
// Query-protocol models (IAM, STS) additionally carry what the XML codec needs: API version,
// XML namespace, result wrappers, serialization names, timestamp formats and the error table
// (wire code, HTTP status, fault) of every error an operation lists.
//
// Usage (from the repository root, after tsc):
//   node dist/scripts/gen-model.js            regenerate every service in SERVICES
//   node dist/scripts/gen-model.js kms        regenerate one service
//   node dist/scripts/gen-model.js --check    exit 1 if a checked-in module differs from the model

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Services Coffer speaks (JSON 1.1, then Query); each gets src/generated/<name>-model.ts. */
export const SERVICES = ["secretsmanager", "kms", "cloudtrail", "iam", "sts"] as const;

export const modelPath = (root: string, service: string): string =>
  join(root, "..", "shared", "model", `${service}.json`);

export const generatedPath = (root: string, service: string): string =>
  join(root, "src", "generated", `${service}-model.ts`);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const SCALARS = new Set(["string", "integer", "long", "double", "float", "boolean", "timestamp", "blob"]);

// Traits that do not change how a JSON 1.1 request or response looks on the wire. Anything
// else (jsonName, timestampFormat, location, union, document, ...) would change the codec's
// job, so the generator refuses it instead of silently dropping it.
const IGNORED_SHAPE_KEYS = new Set(["documentation", "box", "deprecated", "deprecatedMessage", "exception", "fault", "error", "retryable", "synthetic", "wrapper"]);
const SHAPE_KEYS = new Set(["type", "min", "max", "pattern", "enum", "sensitive", "members", "required", "member", "key", "value"]);
const IGNORED_MEMBER_KEYS = new Set(["documentation", "box", "deprecated", "deprecatedMessage"]);
// Serialization traits only the query codec understands (botocore names). Other XML traits
// (xmlAttribute, xmlNamespace on members, queryName) are still refused.
const QUERY_SHAPE_KEYS = new Set(["flattened", "timestampFormat"]);
const TIMESTAMP_FORMATS = new Set(["iso8601", "unixTimestamp", "rfc822"]);
const STRUCTURE_MEMBER_KEYS = new Set(["idempotencyToken", ...IGNORED_MEMBER_KEYS]);

const isObject = (v: Json | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

function fail(message: string): never {
  throw new Error(`gen-model: ${message}`);
}

function obj(v: Json | undefined, where: string): JsonObject {
  if (!isObject(v)) fail(`${where} is not an object`);
  return v;
}

function str(v: Json | undefined, where: string): string {
  if (typeof v !== "string") fail(`${where} is not a string`);
  return v;
}

function num(v: Json | undefined, where: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(`${where} is not a number`);
  return v;
}

const literal = (s: string): string => JSON.stringify(s);
const key = (s: string): string => (/^[A-Za-z_$][\w$]*$/.test(s) ? s : literal(s));
const list = (items: readonly string[]): string => `[${items.map(literal).join(", ")}]`;

/** The `locationName` of a member reference (query models only), refusing other XML traits. */
function refName(ref: JsonObject, where: string, allowed: ReadonlySet<string>): string | undefined {
  for (const k of Object.keys(ref)) {
    if (k !== "shape" && k !== "locationName" && !allowed.has(k)) fail(`member ${where} has unsupported key "${k}"`);
  }
  return ref["locationName"] === undefined ? undefined : str(ref["locationName"], `${where}.locationName`);
}

/** Query-only properties of a shape, appended after the shared ones. */
function queryParts(name: string, type: string, shape: JsonObject): string[] {
  const parts: string[] = [];
  if (type === "structure") {
    const renamed: string[] = [];
    for (const [member, def] of Object.entries(obj(shape["members"] ?? {}, `${name}.members`))) {
      const wire = refName(obj(def, `${name}.${member}`), `${name}.${member}`, STRUCTURE_MEMBER_KEYS);
      if (wire !== undefined && wire !== member) renamed.push(`${key(member)}: ${literal(wire)}`);
    }
    if (renamed.length > 0) parts.push(`locationNames: { ${renamed.join(", ")} }`);
  } else if (type === "list") {
    const wire = refName(obj(shape["member"], `${name}.member`), `${name}.member`, IGNORED_MEMBER_KEYS);
    if (wire !== undefined) parts.push(`memberName: ${literal(wire)}`);
  } else if (type === "map") {
    const keyName = refName(obj(shape["key"], `${name}.key`), `${name}.key`, IGNORED_MEMBER_KEYS);
    const valueName = refName(obj(shape["value"], `${name}.value`), `${name}.value`, IGNORED_MEMBER_KEYS);
    if (keyName !== undefined) parts.push(`keyName: ${literal(keyName)}`);
    if (valueName !== undefined) parts.push(`valueName: ${literal(valueName)}`);
  }
  if (shape["flattened"] !== undefined) {
    if (type !== "list" && type !== "map") fail(`${name} is flattened but is a ${type}`);
    if (shape["flattened"] === true) parts.push("flattened: true");
  }
  if (shape["timestampFormat"] !== undefined) {
    const format = str(shape["timestampFormat"], `${name}.timestampFormat`);
    if (type !== "timestamp" || !TIMESTAMP_FORMATS.has(format)) fail(`${name} has unsupported timestampFormat "${format}"`);
    parts.push(`timestampFormat: ${literal(format)}`);
  }
  return parts;
}

/** Renders one shape as a single-line object literal in a fixed property order. */
function renderShape(name: string, shape: JsonObject, shapes: JsonObject, query = false): string {
  const type = str(shape["type"], `${name}.type`);
  for (const k of Object.keys(shape)) {
    if (!SHAPE_KEYS.has(k) && !IGNORED_SHAPE_KEYS.has(k) && !(query && QUERY_SHAPE_KEYS.has(k))) {
      fail(`shape ${name} has unsupported key "${k}"`);
    }
  }
  if (type !== "structure" && type !== "list" && type !== "map" && !SCALARS.has(type)) {
    fail(`shape ${name} has unsupported type "${type}"`);
  }
  const parts = [`type: ${literal(type)}`];
  if (type === "structure") {
    const members = obj(shape["members"] ?? {}, `${name}.members`);
    const entries: string[] = [];
    const tokens: string[] = [];
    for (const [member, def] of Object.entries(members)) {
      const m = obj(def, `${name}.${member}`);
      for (const k of Object.keys(m)) {
        if (k !== "shape" && k !== "idempotencyToken" && !IGNORED_MEMBER_KEYS.has(k) && !(query && k === "locationName")) {
          fail(`member ${name}.${member} has unsupported key "${k}"`);
        }
      }
      const target = str(m["shape"], `${name}.${member}.shape`);
      if (!isObject(shapes[target])) fail(`member ${name}.${member} targets unknown shape ${target}`);
      entries.push(`${key(member)}: ${literal(target)}`);
      if (m["idempotencyToken"] === true) tokens.push(member);
    }
    parts.push(`members: { ${entries.join(", ")} }`);
    const required = shape["required"];
    if (required !== undefined) {
      if (!Array.isArray(required)) fail(`${name}.required is not a list`);
      const names = required.map((r, i) => str(r, `${name}.required[${i}]`));
      for (const r of names) if (!(r in members)) fail(`${name} requires unknown member ${r}`);
      if (names.length > 0) parts.push(`required: ${list(names)}`);
    }
    if (tokens.length > 0) parts.push(`idempotencyToken: ${list(tokens)}`);
  } else if (type === "list") {
    parts.push(`member: ${literal(str(obj(shape["member"], `${name}.member`)["shape"], `${name}.member.shape`))}`);
  } else if (type === "map") {
    parts.push(`key: ${literal(str(obj(shape["key"], `${name}.key`)["shape"], `${name}.key.shape`))}`);
    parts.push(`value: ${literal(str(obj(shape["value"], `${name}.value`)["shape"], `${name}.value.shape`))}`);
  }
  if (shape["min"] !== undefined) parts.push(`min: ${num(shape["min"], `${name}.min`)}`);
  if (shape["max"] !== undefined) parts.push(`max: ${num(shape["max"], `${name}.max`)}`);
  if (shape["pattern"] !== undefined) {
    if (type !== "string") fail(`${name} has a pattern but is a ${type}`);
    parts.push(`pattern: ${literal(str(shape["pattern"], `${name}.pattern`))}`);
  }
  if (shape["enum"] !== undefined) {
    const values = shape["enum"];
    if (type !== "string" || !Array.isArray(values)) fail(`${name}.enum is not a string enum`);
    parts.push(`enum: ${list(values.map((v, i) => str(v, `${name}.enum[${i}]`)))}`);
  }
  if (shape["sensitive"] === true) parts.push("sensitive: true");
  if (query) parts.push(...queryParts(name, type, shape));
  return `{ ${parts.join(", ")} }`;
}

/** Shape names reachable from the given roots, walking members, list members and map keys/values. */
function reachable(roots: readonly string[], shapes: JsonObject): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (seen.has(name)) continue;
    const shape = shapes[name];
    if (!isObject(shape)) fail(`unknown shape ${name}`);
    seen.add(name);
    const members = shape["members"];
    if (isObject(members)) {
      for (const m of Object.values(members)) if (isObject(m) && typeof m["shape"] === "string") stack.push(m["shape"]);
    }
    for (const k of ["member", "key", "value"]) {
      const ref = shape[k];
      if (isObject(ref) && typeof ref["shape"] === "string") stack.push(ref["shape"]);
    }
  }
  return [...seen].sort(byCodeUnit);
}

// Plain code-unit order so the output does not depend on the machine's locale.
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Renders the TypeScript module for one service model. Pure: same input, same text. */
export function renderModelModule(service: string, model: unknown): string {
  const root = obj(model as Json, "model");
  const metadata = obj(root["metadata"], "metadata");
  const protocol = str(metadata["protocol"], "metadata.protocol");
  if (protocol === "query") return renderQueryModule(service, root, metadata);
  if (protocol !== "json") fail(`${service} uses protocol "${protocol}", only "json" and "query" are supported`);
  const jsonVersion = str(metadata["jsonVersion"], "metadata.jsonVersion");
  const targetPrefix = str(metadata["targetPrefix"], "metadata.targetPrefix");
  const apiVersion = str(metadata["apiVersion"], "metadata.apiVersion");
  const signingName = str(metadata["signingName"] ?? metadata["endpointPrefix"], "metadata.signingName");
  const uid = str(metadata["uid"] ?? `${service}-${apiVersion}`, "metadata.uid");
  const operations = obj(root["operations"], "operations");
  const shapes = obj(root["shapes"], "shapes");

  const names = Object.keys(operations).sort(byCodeUnit);
  const roots: string[] = [];
  const opLines: string[] = [];
  for (const name of names) {
    const op = obj(operations[name], `operations.${name}`);
    const parts: string[] = [];
    for (const dir of ["input", "output"] as const) {
      const ref = op[dir];
      if (ref === undefined) continue;
      const shape = str(obj(ref, `${name}.${dir}`)["shape"], `${name}.${dir}.shape`);
      roots.push(shape);
      parts.push(`${dir}: ${literal(shape)}`);
    }
    opLines.push(`  ${key(name)}: { ${parts.join(", ")} },`);
  }
  const shapeLines = reachable(roots, shapes).map(
    (name) => `  ${key(name)}: ${renderShape(name, obj(shapes[name], name), shapes)},`,
  );

  return [
    `// Generated from the AWS service model ${service}.json (${uid}) by scripts/gen-model.`,
    "// Do not edit by hand: change the model or the generator and regenerate.",
    "",
    'import type { OperationShapes, ServiceModel, Shape } from "../protocol/validate.js";',
    "",
    `export const targetPrefix = ${literal(targetPrefix)};`,
    `export const signingName = ${literal(signingName)};`,
    `export const apiVersion = ${literal(apiVersion)};`,
    `export const jsonVersion = ${literal(jsonVersion)};`,
    "",
    "export const operationNames = [",
    ...names.map((n) => `  ${literal(n)},`),
    "] as const;",
    "",
    "export type OperationName = (typeof operationNames)[number];",
    "",
    "export const operations: { readonly [K in OperationName]: OperationShapes } = {",
    ...opLines,
    "};",
    "",
    "export const shapes: { readonly [name: string]: Shape } = {",
    ...shapeLines,
    "};",
    "",
    "export const model: ServiceModel = { targetPrefix, operations, shapes };",
    "",
  ].join("\n");
}

/** The query-protocol variant of renderModelModule (see query-model.ts for the emitted types). */
function renderQueryModule(service: string, root: JsonObject, metadata: JsonObject): string {
  const apiVersion = str(metadata["apiVersion"], "metadata.apiVersion");
  const xmlNamespace = str(metadata["xmlNamespace"], "metadata.xmlNamespace");
  const signingName = str(metadata["signingName"] ?? metadata["endpointPrefix"], "metadata.signingName");
  const uid = str(metadata["uid"] ?? `${service}-${apiVersion}`, "metadata.uid");
  const operations = obj(root["operations"], "operations");
  const shapes = obj(root["shapes"], "shapes");

  const names = Object.keys(operations).sort(byCodeUnit);
  const roots: string[] = [];
  const errorNames = new Set<string>();
  const opLines: string[] = [];
  for (const name of names) {
    const op = obj(operations[name], `operations.${name}`);
    const parts: string[] = [];
    for (const dir of ["input", "output"] as const) {
      const ref = op[dir];
      if (ref === undefined) continue;
      const shape = str(obj(ref, `${name}.${dir}`)["shape"], `${name}.${dir}.shape`);
      roots.push(shape);
      parts.push(`${dir}: ${literal(shape)}`);
    }
    const output = op["output"];
    if (isObject(output) && output["resultWrapper"] !== undefined) {
      parts.push(`resultWrapper: ${literal(str(output["resultWrapper"], `${name}.output.resultWrapper`))}`);
    }
    const errors = op["errors"] ?? [];
    if (!Array.isArray(errors)) fail(`${name}.errors is not a list`);
    const errorRefs = errors.map((e, i) => str(obj(e, `${name}.errors[${i}]`)["shape"], `${name}.errors[${i}].shape`));
    for (const e of errorRefs) errorNames.add(e);
    if (errorRefs.length > 0) parts.push(`errors: ${list(errorRefs)}`);
    if (op["authtype"] === "none") parts.push("unsigned: true");
    opLines.push(`  ${key(name)}: { ${parts.join(", ")} },`);
  }
  const shapeLines = reachable(roots, shapes).map(
    (name) => `  ${key(name)}: ${renderShape(name, obj(shapes[name], name), shapes, true)},`,
  );
  const errorLines = [...errorNames].sort(byCodeUnit).map((name) => `  ${key(name)}: ${renderErrorShape(name, shapes)},`);

  return [
    `// Generated from the AWS service model ${service}.json (${uid}) by scripts/gen-model.`,
    "// Do not edit by hand: change the model or the generator and regenerate.",
    "",
    'import type { QueryErrorShape, QueryOperation, QueryServiceModel, QueryShape } from "../protocol/query-model.js";',
    "",
    `export const signingName = ${literal(signingName)};`,
    `export const apiVersion = ${literal(apiVersion)};`,
    `export const xmlNamespace = ${literal(xmlNamespace)};`,
    "",
    "export const operationNames = [",
    ...names.map((n) => `  ${literal(n)},`),
    "] as const;",
    "",
    "export type OperationName = (typeof operationNames)[number];",
    "",
    "export const operations: { readonly [K in OperationName]: QueryOperation } = {",
    ...opLines,
    "};",
    "",
    "export const shapes: { readonly [name: string]: QueryShape } = {",
    ...shapeLines,
    "};",
    "",
    "export const errorShapes: { readonly [name: string]: QueryErrorShape } = {",
    ...errorLines,
    "};",
    "",
    'export const model: QueryServiceModel = { targetPrefix: "", apiVersion, xmlNamespace, operations, shapes, errorShapes };',
    "",
  ].join("\n");
}

/**
 * An error shape's wire identity. botocore's defaults apply when the `error` trait is partial:
 * the code is the shape name, the status 400, and a fault not marked senderFault is the server's.
 */
function renderErrorShape(name: string, shapes: JsonObject): string {
  const shape = obj(shapes[name], `error shape ${name}`);
  const trait = shape["error"] === undefined ? {} : obj(shape["error"], `${name}.error`);
  const code = trait["code"] === undefined ? name : str(trait["code"], `${name}.error.code`);
  const status = trait["httpStatusCode"] === undefined ? 400 : num(trait["httpStatusCode"], `${name}.error.httpStatusCode`);
  const fault = trait["senderFault"] === true || (shape["error"] === undefined && shape["fault"] !== true) ? "client" : "server";
  return `{ code: ${literal(code)}, status: ${status}, fault: ${literal(fault)} }`;
}

export function generate(root: string, service: string): string {
  return renderModelModule(service, JSON.parse(readFileSync(modelPath(root, service), "utf8")));
}

function main(argv: readonly string[]): number {
  const check = argv.includes("--check");
  const rootArg = argv.find((a) => a.startsWith("--root="));
  const root = resolve(rootArg ? rootArg.slice("--root=".length) : process.cwd());
  const requested = argv.filter((a) => !a.startsWith("--"));
  const services = requested.length > 0 ? requested : [...SERVICES];
  let drift = 0;
  for (const service of services) {
    const text = generate(root, service);
    const target = generatedPath(root, service);
    const current = existsSync(target) ? readFileSync(target, "utf8") : undefined;
    if (check) {
      if (current !== text) {
        drift++;
        process.stderr.write(`${target} is out of date; run node dist/scripts/gen-model.js\n`);
      }
    } else if (current !== text) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
      process.stdout.write(`wrote ${target}\n`);
    }
  }
  return drift > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
