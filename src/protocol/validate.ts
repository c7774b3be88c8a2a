// Request validation against the generated service model, in the two stages AWS JSON services
// use: first the body is read into the operation's input shape (a JSON type that does not fit
// the shape is a SerializationException and stops at once), then the model constraints are
// checked and every violation is reported in one ValidationException:
//
//   2 validation errors detected: Value null at 'secretId' failed to satisfy constraint: Member
//   must not be null; Value '0' at 'passwordLength' failed to satisfy constraint: Member must
//   have value greater than or equal to 1
//
// What is known about that format (from real AWS responses quoted in public bug reports and
// emulator tests recorded against AWS):
// - member paths are lower-camel member names joined by ".", list elements as
//   "<list>.<n>.member" (1-based), map values of structure type as "<map>.<key>.member";
// - values are quoted with single quotes, numbers too (Value '0'), a missing value is Value null,
//   a value of a sensitive shape is not echoed at all (Value at 'password');
// - lists and maps render like Java collections ('[a, b]', '{k=v}');
// - entries are joined with "; ";
// - a list of scalars whose elements break their shape's rules gets a single entry at the list's
//   path, "Member must satisfy constraint: [<all rules of the element shape>]", and maps get
//   "Map keys must satisfy constraint: [...]" / "Map value must satisfy constraint: [...]";
// - rule lists run "length <= max, length >= min, pattern" and "value <= max, value >= min".
// Decided here without an observation (may differ from AWS): entries follow the model's member
// order depth-first (AWS's order looks hash-based), enum values are listed in model order,
// string length counts Unicode code points, a list's own length entry precedes its elements',
// structures inside a rendered list print as "<Shape>@<hash>" (AWS prints a Java object id).
//
// Patterns are Java regular expressions matched against the whole value (Java's matches():
// AWS rejects "_X" for "[a-zA-Z]([a-zA-Z0-9_])+", which a substring search would accept).

import {
  type ServiceError,
  SerializationException,
  UnknownOperationException,
  ValidationException,
} from "../domain/errors.js";

// ---------------------------------------------------------------------------------------------
// Model types (the generated src/generated/<service>-model.ts modules conform to these).

export interface OperationShapes {
  readonly input?: string;
  readonly output?: string;
}

interface Traits {
  readonly sensitive?: true;
}

interface Bounded extends Traits {
  readonly min?: number;
  readonly max?: number;
}

export interface StructureShape extends Traits {
  readonly type: "structure";
  readonly members: { readonly [member: string]: string };
  readonly required?: readonly string[];
  readonly idempotencyToken?: readonly string[];
}

export interface StringShape extends Bounded {
  readonly type: "string";
  readonly pattern?: string;
  readonly enum?: readonly string[];
}

export interface NumberShape extends Bounded {
  readonly type: "integer" | "long" | "double" | "float";
}

export interface BlobShape extends Bounded {
  readonly type: "blob";
}

export interface PlainShape extends Traits {
  readonly type: "boolean" | "timestamp";
}

export interface ListShape extends Bounded {
  readonly type: "list";
  readonly member: string;
}

export interface MapShape extends Bounded {
  readonly type: "map";
  readonly key: string;
  readonly value: string;
}

export type Shape = StructureShape | StringShape | NumberShape | BlobShape | PlainShape | ListShape | MapShape;

export interface ServiceModel {
  readonly targetPrefix: string;
  readonly operations: { readonly [operation: string]: OperationShapes };
  readonly shapes: { readonly [name: string]: Shape };
}

/**
 * `beforeConstraints`, when given, sees the coerced input after the JSON types were found to fit
 * and before constraint violations are reported: a service's own request rule that AWS checks
 * between the two stages goes there.
 */
export type InputValidator = (
  operation: string,
  input: Record<string, unknown>,
  beforeConstraints?: (operation: string, coerced: Record<string, unknown>) => void,
) => Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Public entry points.

const validators = new WeakMap<ServiceModel, InputValidator>();

/**
 * Checks `input` (a decoded JSON 1.1 body) against the operation's input shape and returns a new
 * object holding only modeled members, with blobs decoded to Buffer and timestamps to Date.
 * Throws SerializationException for JSON types that do not fit, ValidationException for model
 * constraint violations, UnknownOperationException for an operation the model lacks.
 */
export function validateInput(
  model: ServiceModel,
  operation: string,
  input: Record<string, unknown>,
  beforeConstraints?: (operation: string, coerced: Record<string, unknown>) => void,
): Record<string, unknown> {
  let validator = validators.get(model);
  if (validator === undefined) {
    validator = createValidator(model);
    validators.set(model, validator);
  }
  return validator(operation, input, beforeConstraints);
}

/** Compiles every operation of `model` up front (a bad pattern fails here, not on a request). */
export function createValidator(model: ServiceModel): InputValidator {
  const compiler = new Compiler(model);
  const byOperation = new Map<string, Compiled>();
  for (const [operation, shapes] of Object.entries(model.operations)) {
    if (shapes.input !== undefined) byOperation.set(operation, compiler.compile(shapes.input));
  }
  return (operation, input, beforeConstraints) => {
    const compiled = byOperation.get(operation);
    if (compiled === undefined) {
      if (Object.hasOwn(model.operations, operation)) return {}; // operation without input
      throw new UnknownOperationException("");
    }
    const errors: string[] = [];
    const output = compiled.coerce(input, "", errors) as Record<string, unknown>;
    beforeConstraints?.(operation, output);
    if (errors.length > 0) {
      const count = errors.length === 1 ? "1 validation error" : `${errors.length} validation errors`;
      throw new ValidationException(`${count} detected: ${errors.join("; ")}`);
    }
    return output;
  };
}

/**
 * A Java regular expression as a JavaScript RegExp that, like Java's matches(), must match the
 * whole string. Supports the constructs AWS models use; anything whose meaning would differ is
 * refused with an Error rather than translated loosely.
 */
export function javaPatternToRegExp(pattern: string): RegExp {
  const cached = patternCache.get(pattern);
  if (cached !== undefined) return cached;
  const { source, flags } = translateJavaPattern(pattern);
  let regexp: RegExp;
  try {
    regexp = new RegExp(`^(?:${source})$`, flags);
  } catch (error) {
    throw new Error(`unsupported model pattern ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
  patternCache.set(pattern, regexp);
  return regexp;
}

// ---------------------------------------------------------------------------------------------
// Deserialisation errors. Texts follow what Coral-based JSON services were observed to answer
// (e.g. "STRING_VALUE can not be converted to an Integer", "Expected list or null"); the
// Long/Boolean/Double/Float/Date/ByteBuffer and map variants extend the same pattern and are
// unverified. Numbers out of the Java type's range answer without a message (unverified).

const START_OF_LIST = "Start of list found where not expected";
const START_OF_OBJECT = "Start of structure or map found where not expected.";

function jsonKind(value: unknown): string {
  switch (typeof value) {
    case "string":
      return "STRING_VALUE";
    case "number":
      return "NUMBER_VALUE";
    case "boolean":
      return value ? "TRUE_VALUE" : "FALSE_VALUE";
    default:
      return "VALUE";
  }
}

/** The error for a JSON value that cannot be read as a scalar of Java type `target` ("an Integer"). */
function scalarMismatch(value: unknown, target: string): ServiceError {
  if (Array.isArray(value)) return new SerializationException(START_OF_LIST);
  if (typeof value === "object" && value !== null) return new SerializationException(START_OF_OBJECT);
  return new SerializationException(`${jsonKind(value)} can not be converted to ${target}`);
}

function containerMismatch(value: unknown, expected: "structure" | "list" | "map"): ServiceError {
  if (Array.isArray(value)) return new SerializationException(START_OF_LIST);
  if (typeof value === "object" && value !== null) return new SerializationException(START_OF_OBJECT);
  if (expected === "list") return new SerializationException("Expected list or null");
  if (expected === "map") return new SerializationException("Expected map or null");
  return new SerializationException("Expected null");
}

// ---------------------------------------------------------------------------------------------
// Compilation. Each shape becomes a Compiled closure set, built once per model.

interface Compiled {
  /** Reads a non-null JSON value into this shape; validates nested members (pushing to errors). */
  coerce(value: unknown, path: string, errors: string[]): unknown;
  /** This shape's own rules (length/range/pattern/enum) that `value` breaks, in AWS order. */
  broken(value: unknown): readonly string[] | undefined;
  /** Every own rule, for the bracketed lists of collection entries. */
  readonly rules: readonly string[];
  /** Java-style rendering of a coerced value, for "Value '<rendering>'". */
  render(value: unknown): string;
  /** The value must not be echoed (sensitive shape, or a collection of them). */
  readonly hidden: boolean;
  readonly scalar: boolean;
}

type Rule = { readonly text: string; readonly fails: (value: never) => boolean };

function entry(rendered: string | null, hidden: boolean, path: string, rule: string): string {
  if (rendered === null) return `Value null at '${path}' failed to satisfy constraint: ${rule}`;
  if (hidden) return `Value at '${path}' failed to satisfy constraint: ${rule}`;
  return `Value '${rendered}' at '${path}' failed to satisfy constraint: ${rule}`;
}

const lowerCamel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

// Java int and long ranges: [-2^31, 2^31) and [-2^63, 2^63).
const INT_LIMIT = 2 ** 31;
const LONG_LIMIT = 2 ** 63;

class Compiler {
  private readonly cache = new Map<string, Compiled>();

  constructor(private readonly model: ServiceModel) {}

  compile(name: string): Compiled {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    const shape = this.model.shapes[name];
    if (shape === undefined) throw new Error(`model has no shape ${name}`);
    if (shape.type === "structure") {
      // Structures may be recursive: register a forwarding stub before compiling members.
      let target: Compiled | undefined;
      const stub: Compiled = {
        coerce: (v, p, e) => (target as Compiled).coerce(v, p, e),
        broken: () => undefined,
        rules: [],
        render: (v) => (target as Compiled).render(v),
        hidden: shape.sensitive === true,
        scalar: false,
      };
      this.cache.set(name, stub);
      target = this.structure(name, shape);
      this.cache.set(name, target);
      return target;
    }
    const compiled = this.nonStructure(shape);
    this.cache.set(name, compiled);
    return compiled;
  }

  private nonStructure(shape: Exclude<Shape, StructureShape>): Compiled {
    switch (shape.type) {
      case "string":
        return stringShape(shape);
      case "integer":
      case "long":
      case "double":
      case "float":
        return numberShape(shape);
      case "boolean":
        return scalar(shape, (v) => {
          if (typeof v !== "boolean") throw scalarMismatch(v, "a Boolean");
          return v;
        }, [], String);
      case "timestamp":
        return scalar(shape, coerceTimestamp, [], (v) => javaDate(v as Date));
      case "blob":
        return blobShape(shape);
      case "list":
        return this.list(shape);
      case "map":
        return this.map(shape);
    }
  }

  private structure(name: string, shape: StructureShape): Compiled {
    const required = new Set(shape.required ?? []);
    const members = Object.entries(shape.members).map(([member, target]) => ({
      name: member,
      camel: lowerCamel(member),
      required: required.has(member),
      shape: this.compile(target),
    }));
    return {
      coerce(value, path, errors) {
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
          throw containerMismatch(value, "structure");
        }
        const source = value as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const m of members) {
          let v = source[m.name];
          // Only own properties are members ("constructor", a prototype's fields... are not).
          if (v !== undefined && !Object.hasOwn(source, m.name)) v = undefined;
          const memberPath = path === "" ? m.camel : `${path}.${m.camel}`;
          if (v === undefined || v === null) {
            // JSON null is read as an absent member.
            if (m.required) errors.push(entry(null, false, memberPath, "Member must not be null"));
            continue;
          }
          out[m.name] = checked(m.shape, v, memberPath, errors);
        }
        return out;
      },
      broken: () => undefined,
      rules: [],
      render: (v) => `${name}@${hash(v)}`,
      hidden: shape.sensitive === true,
      scalar: false,
    };
  }

  private list(shape: ListShape): Compiled {
    const element = this.compile(shape.member);
    const rules = lengthRules(shape, (v: unknown[]) => v.length);
    const hidden = shape.sensitive === true || element.hidden;
    const aggregate = `Member must satisfy constraint: [${element.rules.join(", ")}]`;
    const render = (v: unknown): string => `[${(v as unknown[]).map((x) => element.render(x)).join(", ")}]`;
    return {
      coerce(value, path, errors) {
        if (!Array.isArray(value)) throw containerMismatch(value, "list");
        const out: unknown[] = [];
        let bad = false;
        for (const item of value) {
          if (item === null || item === undefined) continue; // null entries are dropped, as AWS does
          if (element.scalar) {
            const c = element.coerce(item, path, errors);
            if (!bad && element.broken(c) !== undefined) bad = true;
            out.push(c);
          } else {
            out.push(checked(element, item, `${path}.${out.length + 1}.member`, errors));
          }
        }
        if (bad) errors.push(entry(render(out), hidden, path, aggregate));
        return out;
      },
      broken: brokenBy(rules),
      rules: rules.map((r) => r.text),
      render,
      hidden,
      scalar: false,
    };
  }

  private map(shape: MapShape): Compiled {
    const key = this.compile(shape.key);
    const value = this.compile(shape.value);
    const rules = lengthRules(shape, (v: Record<string, unknown>) => Object.keys(v).length);
    const hidden = shape.sensitive === true || key.hidden || value.hidden;
    const keyRule = `Map keys must satisfy constraint: [${key.rules.join(", ")}]`;
    const valueRule = `Map value must satisfy constraint: [${value.rules.join(", ")}]`;
    const render = (v: unknown): string => {
      const parts: string[] = [];
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) parts.push(`${k}=${value.render(x)}`);
      return `{${parts.join(", ")}}`;
    };
    return {
      coerce(input, path, errors) {
        if (typeof input !== "object" || input === null || Array.isArray(input)) throw containerMismatch(input, "map");
        const source = input as Record<string, unknown>;
        // User-chosen keys: a null prototype keeps "__proto__" an ordinary key.
        const out = Object.create(null) as Record<string, unknown>;
        let badKey = false;
        let badValue = false;
        for (const k of Object.keys(source)) {
          const item = source[k];
          if (item === null || item === undefined) continue;
          const c = value.scalar ? value.coerce(item, path, errors) : value.coerce(item, `${path}.${k}.member`, errors);
          if (!badKey && key.broken(key.coerce(k, path, errors)) !== undefined) badKey = true;
          if (!badValue && value.broken(c) !== undefined) badValue = true;
          out[k] = c;
        }
        if (badKey) errors.push(entry(render(out), hidden, path, keyRule));
        if (badValue) errors.push(entry(render(out), hidden, path, valueRule));
        return out;
      },
      broken: brokenBy(rules),
      rules: rules.map((r) => r.text),
      render,
      hidden,
      scalar: false,
    };
  }
}

/** Coerces a member value and reports its own broken rules ahead of any nested entries. */
function checked(shape: Compiled, value: unknown, path: string, errors: string[]): unknown {
  const mark = errors.length;
  const c = shape.coerce(value, path, errors);
  const broken = shape.broken(c);
  if (broken !== undefined) {
    const rendered = shape.hidden ? "" : shape.render(c);
    const own = broken.map((rule) => entry(rendered, shape.hidden, path, rule));
    if (mark === errors.length) errors.push(...own);
    else errors.splice(mark, 0, ...own);
  }
  return c;
}

function brokenBy(rules: readonly Rule[]): Compiled["broken"] {
  if (rules.length === 0) return () => undefined;
  return (value) => {
    let broken: string[] | undefined;
    for (const rule of rules) {
      if ((rule.fails as (v: unknown) => boolean)(value)) (broken ??= []).push(rule.text);
    }
    return broken;
  };
}

function scalar(
  shape: Traits,
  coerce: (value: unknown) => unknown,
  rules: readonly Rule[],
  render: (value: unknown) => string,
): Compiled {
  return {
    coerce: (value) => coerce(value),
    broken: brokenBy(rules),
    rules: rules.map((r) => r.text),
    render,
    hidden: shape.sensitive === true,
    scalar: true,
  };
}

function lengthRules<T>(shape: Bounded, length: (value: T) => number): Rule[] {
  const rules: Rule[] = [];
  const { min, max } = shape;
  if (max !== undefined) {
    rules.push({ text: `Member must have length less than or equal to ${max}`, fails: (v: T) => length(v) > max });
  }
  if (min !== undefined) {
    rules.push({ text: `Member must have length greater than or equal to ${min}`, fails: (v: T) => length(v) < min });
  }
  return rules;
}

// ---------------------------------------------------------------------------------------------
// Scalars.

function stringShape(shape: StringShape): Compiled {
  const rules: Rule[] = [];
  const { min, max } = shape;
  // Lengths count code points. A string's UTF-16 length bounds its code-point count from both
  // sides (cp <= length <= 2 * cp), so the common case needs no counting loop.
  if (max !== undefined) {
    rules.push({
      text: `Member must have length less than or equal to ${max}`,
      fails: (v: string) => v.length > max && codePoints(v) > max,
    });
  }
  if (min !== undefined) {
    rules.push({
      text: `Member must have length greater than or equal to ${min}`,
      fails: (v: string) => v.length < min || (v.length < 2 * min && codePoints(v) < min),
    });
  }
  if (shape.pattern !== undefined) {
    const regexp = javaPatternToRegExp(shape.pattern);
    rules.push({
      text: `Member must satisfy regular expression pattern: ${shape.pattern}`,
      fails: (v: string) => !regexp.test(v),
    });
  }
  if (shape.enum !== undefined) {
    const values = new Set(shape.enum);
    rules.push({
      text: `Member must satisfy enum value set: [${shape.enum.join(", ")}]`,
      fails: (v: string) => !values.has(v),
    });
  }
  return scalar(shape, (v) => {
    if (typeof v !== "string") throw scalarMismatch(v, "a String");
    return v;
  }, rules, (v) => v as string);
}

function numberShape(shape: NumberShape): Compiled {
  const integral = shape.type === "integer" || shape.type === "long";
  const bound = integral ? String : javaDouble;
  const rules: Rule[] = [];
  const { min, max } = shape;
  if (max !== undefined) {
    rules.push({ text: `Member must have value less than or equal to ${bound(max)}`, fails: (v: number) => v > max });
  }
  if (min !== undefined) {
    rules.push({ text: `Member must have value greater than or equal to ${bound(min)}`, fails: (v: number) => v < min });
  }
  const target = { integer: "an Integer", long: "a Long", double: "a Double", float: "a Float" }[shape.type];
  const limit = shape.type === "integer" ? INT_LIMIT : LONG_LIMIT;
  const coerce = (v: unknown): number => {
    if (typeof v !== "number") throw scalarMismatch(v, target);
    if (!integral) return v;
    // A fractional number read as an integer is truncated, as AWS does.
    const n = Math.trunc(v);
    if (n >= limit || n < -limit) throw new SerializationException("");
    return n === 0 ? 0 : n; // no -0
  };
  return scalar(shape, coerce, rules, (v) => bound(v as number));
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

function blobShape(shape: BlobShape): Compiled {
  // Padding is optional, as for Java's standard Base64 decoder; other characters are refused.
  const rules = lengthRules(shape, (v: Buffer) => v.length);
  return scalar(shape, (v) => {
    if (typeof v !== "string") throw scalarMismatch(v, "a ByteBuffer");
    if (!BASE64.test(v)) throw new SerializationException("");
    return Buffer.from(v, "base64");
  }, rules, (v) => {
    const n = (v as Buffer).length;
    return `java.nio.HeapByteBuffer[pos=0 lim=${n} cap=${n}]`;
  });
}

function coerceTimestamp(v: unknown): Date {
  // JSON 1.1 timestamps are epoch seconds (fraction allowed); SDKs never send strings.
  if (typeof v !== "number") throw scalarMismatch(v, "a Date");
  const date = new Date(Math.round(v * 1000));
  if (Number.isNaN(date.getTime())) throw new SerializationException("");
  return date;
}

function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Java-style renderings used inside messages.

function javaDouble(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity";
  const abs = Math.abs(n);
  if (n !== 0 && (abs >= 1e7 || abs < 1e-3)) {
    const [mantissa = "", exponent = "0"] = n.toExponential().split("e");
    return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
  }
  const s = String(n);
  return s.includes(".") ? s : `${s}.0`;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad2 = (n: number): string => String(n).padStart(2, "0");

/** java.util.Date#toString in UTC, e.g. "Thu Jan 01 00:00:00 UTC 1970". */
function javaDate(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(
    d.getUTCMinutes(),
  )}:${pad2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** A stable 8-hex-digit FNV-1a hash standing in for a Java identity hash code. */
function hash(value: unknown): string {
  const text = JSON.stringify(value) ?? "";
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

// ---------------------------------------------------------------------------------------------
// Java regex → JavaScript regex.

const patternCache = new Map<string, RegExp>();

// Characters that may follow a backslash in a unicode-mode JavaScript pattern.
const SYNTAX = new Set(["^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "/"]);
// Java's \s without UNICODE_CHARACTER_CLASS is ASCII only; JavaScript's includes Unicode spaces.
const JAVA_SPACE = " \\t\\n\\x0B\\f\\r";
const UNSUPPORTED_ESCAPES = new Set(["A", "z", "Z", "G", "Q", "E", "h", "H", "v", "V", "R", "X", "K", "a", "e", "N"]);

function translateJavaPattern(pattern: string): { source: string; flags: string } {
  let flags = "u";
  let i = 0;
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(pattern);
  if (leading !== null) {
    for (const f of leading[1] ?? "") {
      if (f === "s" || f === "i" || f === "m") flags += flags.includes(f) ? "" : f;
      else throw new Error(`unsupported inline flag (?${f}) in model pattern ${JSON.stringify(pattern)}`);
    }
    i = leading[0].length;
  }
  let out = "";
  let inClass = false;
  const unsupported = (what: string): never => {
    throw new Error(`unsupported ${what} in model pattern ${JSON.stringify(pattern)}`);
  };
  for (; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === undefined) unsupported("trailing backslash");
      const n = next as string;
      i++;
      if (/[A-Za-z0-9]/.test(n)) {
        if (UNSUPPORTED_ESCAPES.has(n)) unsupported(`escape \\${n}`);
        if (n === "s") out += inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
        else if (n === "S") out += inClass ? unsupported("\\S inside a class") : `[^${JAVA_SPACE}]`;
        else if (n === "p" || n === "P") {
          const close = pattern.indexOf("}", i);
          const name = pattern[i + 1] === "{" && close !== -1 ? pattern.slice(i + 2, close) : unsupported("property escape");
          // General categories (L, Lu, N, Z, ...) mean the same in both; Java-only names do not.
          if (!/^[A-Z][a-z]?$/.test(name)) unsupported(`property \\${n}{${name}}`);
          out += `\\${n}{${name}}`;
          i = close;
        } else out += `\\${n}`;
      } else {
        // An escaped punctuation character is a literal; unicode mode only allows a few escapes.
        out += SYNTAX.has(n) || (inClass && n === "-") ? `\\${n}` : `\\u{${(n.codePointAt(0) ?? 0).toString(16)}}`;
      }
      continue;
    }
    if (inClass) {
      if (c === "[") unsupported("nested character class");
      if (c === "&" && pattern[i + 1] === "&") unsupported("class intersection");
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (pattern[i + 1] === "^") {
        out += "^";
        i++;
      }
      continue;
    }
    if (c === "(" && pattern[i + 1] === "?") {
      const kind = pattern[i + 2];
      if (kind !== ":" && kind !== "=" && kind !== "!" && kind !== "<") unsupported("group construct");
    }
    if ((c === "+" || c === "*" || c === "?" || c === "}") && pattern[i + 1] === "+") unsupported("possessive quantifier");
    out += c;
  }
  return { source: out, flags };
}
