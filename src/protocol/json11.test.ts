import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeJsonBody, encodeJsonBody, MAX_JSON_DEPTH } from "./json11.js";

const decode = (text: string | Buffer): Record<string, unknown> =>
  decodeJsonBody(typeof text === "string" ? Buffer.from(text, "utf8") : text);

/** Asserts a SerializationException (400) with the given message. */
function assertSerialization(fn: () => unknown, message = ""): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.equal((error as { code?: string }).code, "SerializationException");
    assert.equal((error as { status?: number }).status, 400);
    assert.equal(error.message, message);
    return true;
  });
}

/** Plain-object view of a decoded value (decoded objects have a null prototype). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

test("empty body decodes to an empty object", () => {
  const out = decode("");
  assert.deepEqual(Object.keys(out), []);
  assert.equal(Object.getPrototypeOf(out), null);
});

test("whitespace-only body decodes to an empty object", () => {
  assert.deepEqual(Object.keys(decode(" \r\n\t ")), []);
});

test("an object body decodes with its members", () => {
  const out = decode('{"SecretId":"prod/db","Tags":[{"Key":"a","Value":"b"}],"N":1.5,"B":true,"Z":null}');
  assert.deepEqual(plain(out), { SecretId: "prod/db", Tags: [{ Key: "a", Value: "b" }], N: 1.5, B: true, Z: null });
});

test("a UTF-8 byte order mark is tolerated", () => {
  assert.deepEqual(plain(decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]))), { a: 1 });
});

test("non-ASCII strings survive decoding", () => {
  assert.deepEqual(plain(decode('{"Name":"pässwört-🔑"}')), { Name: "pässwört-🔑" });
});

test("malformed JSON is a SerializationException without a message", () => {
  for (const body of ["{", '{"a":1,}', "{'a':1}", '{"a":1} {}', "nul", '{"a":"\\x"}']) {
    assertSerialization(() => decode(body));
  }
});

test("a top-level array is 'Start of list found where not expected'", () => {
  assertSerialization(() => decode("[]"), "Start of list found where not expected");
  assertSerialization(() => decode('[{"SecretId":"x"}]'), "Start of list found where not expected");
});

test("top-level scalars are a SerializationException without a message", () => {
  for (const body of ["null", "1", '"x"', "true", "false"]) assertSerialization(() => decode(body));
});

test("invalid UTF-8 is a SerializationException", () => {
  assertSerialization(() => decode(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]))); // {"a":"\xff\xfe"}
  assertSerialization(() => decode(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d]))); // truncated sequence
  assertSerialization(() => decode(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]))); // encoded surrogate
});

test("nesting up to the limit is accepted", () => {
  const body = `${'{"a":'.repeat(MAX_JSON_DEPTH - 1)}{}${"}".repeat(MAX_JSON_DEPTH - 1)}`;
  let node: unknown = decode(body);
  let depth = 1;
  while (typeof node === "object" && node !== null && "a" in node) {
    node = (node as { a: unknown }).a;
    depth++;
  }
  assert.equal(depth, MAX_JSON_DEPTH);
});

test("nesting beyond the limit is refused", () => {
  assertSerialization(() => decode(`{"a":${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}}`));
});

test("a nesting bomb is refused quickly and without recursion", () => {
  const n = 2_000_000;
  const started = process.hrtime.bigint();
  assertSerialization(() => decode(`{"a":${"[".repeat(n)}${"]".repeat(n)}}`));
  assertSerialization(() => decode(`{"a":${"[".repeat(n)}`)); // unterminated
  assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 500, "depth check should stop early");
});

test("brackets inside strings do not count as nesting", () => {
  const deepText = "[{".repeat(200);
  const out = decode(JSON.stringify({ SecretString: deepText, Quoted: `\\"${deepText}`, Escaped: 'a\\"[[[' }));
  assert.equal(out["SecretString"], deepText);
  assert.equal(out["Quoted"], `\\"${deepText}`);
});

test("__proto__ keys stay data and do not touch any prototype", () => {
  const out = decode('{"__proto__":{"polluted":true},"a":{"__proto__":{"polluted":true}},"constructor":{"prototype":{"polluted":true}}}');
  assert.equal(Object.getPrototypeOf(out), null);
  assert.ok(Object.hasOwn(out, "__proto__"));
  assert.deepEqual(plain(out["__proto__"]), { polluted: true });
  const inner = out["a"] as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(inner), null);
  assert.ok(Object.hasOwn(inner, "__proto__"));
  assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
  assert.equal((Object.prototype as Record<string, unknown>)["polluted"], undefined);
});

test("objects inside arrays also get a null prototype", () => {
  const out = decode('{"Tags":[{"Key":"k"}]}');
  const tags = out["Tags"] as Record<string, unknown>[];
  assert.ok(Array.isArray(tags));
  assert.equal(Object.getPrototypeOf(tags[0]), null);
});

test("duplicate keys keep the last value", () => {
  assert.deepEqual(plain(decode('{"a":1,"a":2}')), { a: 2 });
});

test("dates encode as epoch seconds with millisecond precision", () => {
  assert.equal(encodeJsonBody({ CreatedDate: new Date(1523477145729) }), '{"CreatedDate":1523477145.729}');
  assert.equal(encodeJsonBody({ CreatedDate: new Date(1735689600000) }), '{"CreatedDate":1735689600}');
  assert.equal(encodeJsonBody({ D: new Date(1523477145001) }), '{"D":1523477145.001}');
  assert.equal(encodeJsonBody({ D: new Date(-1500) }), '{"D":-1.5}');
  assert.throws(() => encodeJsonBody({ D: new Date(Number.NaN) }), TypeError);
});

test("millisecond dates always print with at most three decimals", () => {
  for (let ms = 1700000000000; ms < 1700000000000 + 2000; ms += 7) {
    const text = encodeJsonBody({ D: new Date(ms) });
    assert.match(text, /^\{"D":\d+(\.\d{1,3})?\}$/);
    assert.equal((JSON.parse(text) as { D: number }).D * 1000, ms);
  }
});

test("buffers and byte arrays encode as base64", () => {
  assert.equal(encodeJsonBody({ SecretBinary: Buffer.from("footest") }), '{"SecretBinary":"Zm9vdGVzdA=="}');
  assert.equal(encodeJsonBody({ B: new Uint8Array([0, 255, 1]) }), '{"B":"AP8B"}');
  const shared = new Uint8Array([9, 9, 1, 2, 3, 9]).subarray(2, 5);
  assert.equal(encodeJsonBody({ B: shared }), '{"B":"AQID"}');
  assert.equal(encodeJsonBody({ B: Buffer.alloc(0) }), '{"B":""}');
});

test("null and undefined members and list entries are omitted", () => {
  assert.equal(encodeJsonBody({ A: null, B: undefined, C: "x", D: [null, 1, undefined, 2] }), '{"C":"x","D":[1,2]}');
  assert.equal(encodeJsonBody({}), "{}");
  assert.equal(encodeJsonBody(undefined), "{}");
});

test("nested structures, maps and lists encode recursively", () => {
  const value = {
    ARN: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-Xy3k9Q",
    VersionIdsToStages: { "6f3c2a1e-8d4b-4c7a-9e2f-1b0a9c8d7e6f": ["AWSCURRENT"] },
    Tags: [{ Key: "team", Value: "core" }],
    RotationEnabled: false,
    Count: 0,
    Versions: [{ CreatedDate: new Date(1000), KmsKeyIds: [] }],
  };
  assert.equal(
    encodeJsonBody(value),
    '{"ARN":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-Xy3k9Q",' +
      '"VersionIdsToStages":{"6f3c2a1e-8d4b-4c7a-9e2f-1b0a9c8d7e6f":["AWSCURRENT"]},' +
      '"Tags":[{"Key":"team","Value":"core"}],"RotationEnabled":false,"Count":0,' +
      '"Versions":[{"CreatedDate":1,"KmsKeyIds":[]}]}',
  );
});

test("strings and keys are escaped like JSON.stringify", () => {
  const tricky = 'quote " backslash \\ newline \n tab \t nul \u0000 line-sep \u2028 emoji 🔑 lone \ud800';
  const text = encodeJsonBody({ [tricky]: tricky });
  assert.equal(text, JSON.stringify({ [tricky]: tricky }));
  assert.deepEqual(JSON.parse(text), { [tricky]: tricky });
});

test("plain JSON values encode exactly as JSON.stringify does", () => {
  const value = { a: [1, -0, 1.5e-7, 12345678901234567890, "s", true, { b: {} }], c: "" };
  assert.equal(encodeJsonBody(value), JSON.stringify(value));
});

test("non-finite numbers are a programming error", () => {
  assert.throws(() => encodeJsonBody({ N: Number.NaN }), TypeError);
  assert.throws(() => encodeJsonBody({ N: Number.POSITIVE_INFINITY }), TypeError);
});

test("decoded request objects re-encode unchanged", () => {
  const body = '{"Filters":[{"Key":"name","Values":["a","!b"]}],"MaxResults":10}';
  assert.equal(encodeJsonBody(decode(body)), body);
});
