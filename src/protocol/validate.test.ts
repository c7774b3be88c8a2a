import { test } from "node:test";
import assert from "node:assert/strict";
import { createValidator, javaPatternToRegExp, validateInput } from "./validate.js";
import { model as secretsmanager } from "../generated/secretsmanager-model.js";
import { model as kms } from "../generated/kms-model.js";
import { model as cloudtrail } from "../generated/cloudtrail-model.js";
import { decodeJsonBody } from "./json11.js";

const sm = (operation: string, input: Record<string, unknown>): Record<string, unknown> =>
  validateInput(secretsmanager, operation, input);

function failure(fn: () => unknown): { code: string; message: string; status: number } {
  try {
    fn();
  } catch (error) {
    const e = error as { code: string; message: string; status: number };
    return { code: e.code, message: e.message, status: e.status };
  }
  assert.fail("expected an error");
}

/** Asserts a ValidationException (400) whose message lists exactly `entries`. */
function assertValidation(fn: () => unknown, ...entries: string[]): void {
  const count = entries.length === 1 ? "1 validation error" : `${entries.length} validation errors`;
  assert.deepEqual(failure(fn), {
    code: "ValidationException",
    status: 400,
    message: `${count} detected: ${entries.join("; ")}`,
  });
}

function assertSerialization(fn: () => unknown, message: string): void {
  assert.deepEqual(failure(fn), { code: "SerializationException", status: 400, message });
}

const TOKEN = "6f3c2a1e-8d4b-4c7a-9e2f-1b0a9c8d7e6f";

// --- required members ------------------------------------------------------------------------

test("GetSecretValue without SecretId: the AWS-observed message", () => {
  assert.deepEqual(failure(() => sm("GetSecretValue", {})), {
    code: "ValidationException",
    status: 400,
    message:
      "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null",
  });
});

test("JSON null is read as an absent member", () => {
  assertValidation(
    () => sm("GetSecretValue", { SecretId: null }),
    "Value null at 'secretId' failed to satisfy constraint: Member must not be null",
  );
  assert.deepEqual(sm("GetSecretValue", { SecretId: "s", VersionStage: null }), { SecretId: "s" });
});

test("several required members are all reported, joined with '; '", () => {
  assertValidation(
    () => sm("PutResourcePolicy", {}),
    "Value null at 'resourcePolicy' failed to satisfy constraint: Member must not be null",
    "Value null at 'secretId' failed to satisfy constraint: Member must not be null",
  );
});

// --- lengths -----------------------------------------------------------------------------------

test("CreateSecret Name of 513 characters", () => {
  const name = "n".repeat(513);
  assertValidation(
    () => sm("CreateSecret", { Name: name }),
    `Value '${name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 512`,
  );
  assert.deepEqual(sm("CreateSecret", { Name: "n".repeat(512) }), { Name: "n".repeat(512) });
});

test("empty strings break a minimum length", () => {
  assertValidation(
    () => sm("DescribeSecret", { SecretId: "" }),
    "Value '' at 'secretId' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
});

test("string length counts code points, not UTF-16 units", () => {
  const key = "🔑".repeat(512); // 1024 UTF-16 units
  assert.deepEqual(sm("CreateSecret", { Name: key }), { Name: key });
  assertValidation(
    () => sm("CreateSecret", { Name: `${key}🔑` }),
    `Value '${key}🔑' at 'name' failed to satisfy constraint: Member must have length less than or equal to 512`,
  );
  // 16 astral characters are 32 UTF-16 units but only 16 code points.
  assertValidation(
    () => sm("CreateSecret", { Name: "n", ClientRequestToken: "🔑".repeat(16) }),
    `Value '${"🔑".repeat(16)}' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 32`,
  );
});

test("ClientRequestToken of 31 characters", () => {
  const token = "a".repeat(31);
  assertValidation(
    () => sm("CreateSecret", { Name: "n", ClientRequestToken: token }),
    `Value '${token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 32`,
  );
  assertValidation(
    () => sm("PutSecretValue", { SecretId: "s", ClientRequestToken: "b".repeat(65) }),
    `Value '${"b".repeat(65)}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 64`,
  );
});

// --- sensitive values ---------------------------------------------------------------------------

test("sensitive values are not echoed", () => {
  assertValidation(
    () => sm("CreateSecret", { Name: "n", SecretString: "" }),
    "Value at 'secretString' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
  assertValidation(
    () => sm("PutSecretValue", { SecretId: "s", SecretString: "x".repeat(65537) }),
    "Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536",
  );
  assertValidation(
    () => sm("PutSecretValue", { SecretId: "s", RotationToken: "short!" }),
    "Value at 'rotationToken' failed to satisfy constraint: Member must have length greater than or equal to 36",
    "Value at 'rotationToken' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-]+$",
  );
});

test("a missing sensitive member still reads Value null", () => {
  assertValidation(
    () => validateInput(kms, "Encrypt", { KeyId: "alias/x" }),
    "Value null at 'plaintext' failed to satisfy constraint: Member must not be null",
  );
});

// --- numbers -----------------------------------------------------------------------------------

test("GetRandomPassword PasswordLength 0 and 4097", () => {
  assertValidation(
    () => sm("GetRandomPassword", { PasswordLength: 0 }),
    "Value '0' at 'passwordLength' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
  assertValidation(
    () => sm("GetRandomPassword", { PasswordLength: 4097 }),
    "Value '4097' at 'passwordLength' failed to satisfy constraint: Member must have value less than or equal to 4096",
  );
  assert.deepEqual(sm("GetRandomPassword", { PasswordLength: 4096, ExcludeNumbers: true }), {
    ExcludeNumbers: true,
    PasswordLength: 4096,
  });
});

test("ListSecrets MaxResults 101", () => {
  assertValidation(
    () => sm("ListSecrets", { MaxResults: 101 }),
    "Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
  );
});

test("fractional numbers for integer members are truncated", () => {
  assert.deepEqual(sm("ListSecrets", { MaxResults: 10.7 }), { MaxResults: 10 });
  assertValidation(
    () => sm("ListSecrets", { MaxResults: 0.5 }),
    "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
});

test("numbers outside the Java type's range are a SerializationException", () => {
  assertSerialization(() => sm("ListSecrets", { MaxResults: 2147483648 }), "");
  assert.deepEqual(sm("DeleteSecret", { SecretId: "s", RecoveryWindowInDays: 2147483648 }), {
    RecoveryWindowInDays: 2147483648,
    SecretId: "s",
  });
});

// --- enums, patterns, lists ----------------------------------------------------------------------

test("ListSecrets filter with a bad key and a bad value, plus MaxResults 101", () => {
  assertValidation(
    () => sm("ListSecrets", { Filters: [{ Key: "colour", Values: ["ok", "bad*value"] }], MaxResults: 101 }),
    "Value 'colour' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: " +
      "[description, name, tag-key, tag-value, primary-region, owning-service, all]",
    "Value '[ok, bad*value]' at 'filters.1.member.values' failed to satisfy constraint: Member must satisfy constraint: " +
      "[Member must have length less than or equal to 512, Member must satisfy regular expression pattern: ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$]",
    "Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
  );
});

test("list element paths are 1-based", () => {
  assertValidation(
    () => sm("ListSecrets", { Filters: [{ Key: "name", Values: ["a"] }, { Key: "nope", Values: [] }] }),
    "Value 'nope' at 'filters.2.member.key' failed to satisfy constraint: Member must satisfy enum value set: " +
      "[description, name, tag-key, tag-value, primary-region, owning-service, all]",
    "Value '[]' at 'filters.2.member.values' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
});

test("negated filter values and valid filters pass", () => {
  const input = { Filters: [{ Key: "tag-key", Values: ["!team", "env"] }], SortOrder: "asc" };
  assert.deepEqual(sm("ListSecrets", input), input);
});

test("too many filters: the list's own length, structures rendered as objects", () => {
  const filters = Array.from({ length: 11 }, () => ({ Key: "name", Values: ["a"] }));
  const { message } = failure(() => sm("ListSecrets", { Filters: filters }));
  assert.match(
    message,
    /^1 validation error detected: Value '\[(Filter@[0-9a-f]{8}(, )?){11}\]' at 'filters' failed to satisfy constraint: Member must have length less than or equal to 10$/,
  );
});

test("a list of scalars is reported once, with every rule of the element shape", () => {
  assertValidation(
    () => sm("UntagResource", { SecretId: "s", TagKeys: ["", "ok", "k".repeat(129)] }),
    `Value '[, ok, ${"k".repeat(129)}]' at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: ` +
      "[Member must have length less than or equal to 128, Member must have length greater than or equal to 1]",
  );
});

test("an empty list below its minimum", () => {
  assertValidation(
    () => sm("RemoveRegionsFromReplication", { SecretId: "s", RemoveReplicaRegions: [] }),
    "Value '[]' at 'removeReplicaRegions' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
});

test("enum values must match exactly", () => {
  assertValidation(
    () => sm("ListSecrets", { SortOrder: "ASC" }),
    "Value 'ASC' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [asc, desc]",
  );
});

test("patterns must match the whole value and nested paths use lower camel case", () => {
  assertValidation(
    () => sm("RotateSecret", { SecretId: "s", RotationRules: { Duration: "x3h", ScheduleExpression: "rate(10 days)" } }),
    "Value 'x3h' at 'rotationRules.duration' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]+h",
  );
  assert.deepEqual(sm("RotateSecret", { SecretId: "s", RotationRules: { Duration: "3h" } }), {
    RotationRules: { Duration: "3h" },
    SecretId: "s",
  });
});

test("one value breaking two rules gets two entries, length first", () => {
  assertValidation(
    () => sm("RotateSecret", { SecretId: "s", RotationRules: { Duration: "24hx" } }),
    "Value '24hx' at 'rotationRules.duration' failed to satisfy constraint: Member must have length less than or equal to 3",
    "Value '24hx' at 'rotationRules.duration' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]+h",
  );
});

test("errors across members follow model order, nested entries in place", () => {
  assertValidation(
    () =>
      sm("CreateSecret", {
        Tags: [{ Key: "", Value: "v" }],
        Name: "",
        ClientRequestToken: "short",
        AddReplicaRegions: [{ Region: "Mars" }],
      }),
    "Value 'Mars' at 'addReplicaRegions.1.member.region' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([a-z]+-)+\\d+$",
    "Value 'short' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 32",
    "Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1",
    "Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
});

// --- maps --------------------------------------------------------------------------------------

test("map keys and values are reported once each, keys first", () => {
  const base = { InsightSource: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/t", DataType: "InsightsEvents" };
  assertValidation(
    () => validateInput(cloudtrail, "ListInsightsData", { ...base, Dimensions: { Colour: "" } }),
    "Value '{Colour=}' at 'dimensions' failed to satisfy constraint: Map keys must satisfy constraint: " +
      "[Member must satisfy enum value set: [EventId, EventName, EventSource]]",
    "Value '{Colour=}' at 'dimensions' failed to satisfy constraint: Map value must satisfy constraint: " +
      "[Member must have length less than or equal to 2000, Member must have length greater than or equal to 1]",
  );
  assertValidation(
    () => validateInput(cloudtrail, "ListInsightsData", { ...base, Dimensions: { EventId: "a", EventName: "b" } }),
    "Value '{EventId=a, EventName=b}' at 'dimensions' failed to satisfy constraint: Member must have length less than or equal to 1",
  );
  const ok = validateInput(cloudtrail, "ListInsightsData", { ...base, Dimensions: { EventName: "x" } });
  assert.equal((ok["Dimensions"] as Record<string, unknown>)["EventName"], "x");
});

test("map output has a null prototype so user keys stay data", () => {
  const input = decodeJsonBody(Buffer.from('{"KeyId":"k","Plaintext":"AA==","EncryptionContext":{"__proto__":"x","a":"b"}}'));
  const out = validateInput(kms, "Encrypt", input);
  const context = out["EncryptionContext"] as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(context), null);
  assert.equal(context["__proto__"], "x");
  assert.equal(context["a"], "b");
});

// --- blobs and timestamps ------------------------------------------------------------------------

test("SecretBinary is base64-decoded into a Buffer", () => {
  const out = sm("CreateSecret", { Name: "n", SecretBinary: "Zm9vdGVzdA==" });
  assert.ok(Buffer.isBuffer(out["SecretBinary"]));
  assert.equal((out["SecretBinary"] as Buffer).toString(), "footest");
  assert.equal((sm("CreateSecret", { Name: "n", SecretBinary: "Zm9vdGVzdA" })["SecretBinary"] as Buffer).toString(), "footest");
});

test("SecretBinary that is not base64 is a SerializationException", () => {
  for (const bad of ["!!!!", "Zm9v dGVzdA==", "Zm9vdGVzdA===", "Z", "Zm9vdGVzd-_=", "Zm9v\n"]) {
    assertSerialization(() => sm("CreateSecret", { Name: "n", SecretBinary: bad }), "");
  }
});

test("blob lengths count decoded bytes and the value is not echoed", () => {
  assertValidation(
    () => sm("PutSecretValue", { SecretId: "s", SecretBinary: "" }),
    "Value at 'secretBinary' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
  const max = Buffer.alloc(65536, 1).toString("base64");
  assert.equal((sm("PutSecretValue", { SecretId: "s", SecretBinary: max })["SecretBinary"] as Buffer).length, 65536);
  assertValidation(
    () => sm("PutSecretValue", { SecretId: "s", SecretBinary: Buffer.alloc(65537).toString("base64") }),
    "Value at 'secretBinary' failed to satisfy constraint: Member must have length less than or equal to 65536",
  );
});

test("non-sensitive blobs render like a Java ByteBuffer", () => {
  assertValidation(
    () => validateInput(kms, "Decrypt", { CiphertextBlob: "" }),
    "Value 'java.nio.HeapByteBuffer[pos=0 lim=0 cap=0]' at 'ciphertextBlob' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
});

test("timestamps are epoch seconds and become Dates", () => {
  const out = validateInput(kms, "ImportKeyMaterial", {
    KeyId: "k",
    ImportToken: "AA==",
    EncryptedKeyMaterial: "AA==",
    ValidTo: 1523477145.729,
  });
  assert.ok(out["ValidTo"] instanceof Date);
  assert.equal((out["ValidTo"] as Date).getTime(), 1523477145729);
  assertSerialization(
    () => validateInput(kms, "ImportKeyMaterial", { KeyId: "k", ImportToken: "AA==", EncryptedKeyMaterial: "AA==", ValidTo: "2018-04-11" }),
    "STRING_VALUE can not be converted to a Date",
  );
});

// --- JSON type mismatches ------------------------------------------------------------------------

test("wrong JSON types are SerializationExceptions with Coral-style messages", () => {
  assertSerialization(() => sm("GetSecretValue", { SecretId: 1 }), "NUMBER_VALUE can not be converted to a String");
  assertSerialization(() => sm("GetSecretValue", { SecretId: 1.5 }), "NUMBER_VALUE can not be converted to a String");
  assertSerialization(() => sm("GetSecretValue", { SecretId: true }), "TRUE_VALUE can not be converted to a String");
  assertSerialization(() => sm("GetSecretValue", { SecretId: false }), "FALSE_VALUE can not be converted to a String");
  assertSerialization(() => sm("GetSecretValue", { SecretId: ["x"] }), "Start of list found where not expected");
  assertSerialization(() => sm("GetSecretValue", { SecretId: { a: 1 } }), "Start of structure or map found where not expected.");
  assertSerialization(() => sm("ListSecrets", { MaxResults: "10" }), "STRING_VALUE can not be converted to an Integer");
  assertSerialization(() => sm("ListSecrets", { MaxResults: true }), "TRUE_VALUE can not be converted to an Integer");
  assertSerialization(() => sm("GetRandomPassword", { PasswordLength: "12" }), "STRING_VALUE can not be converted to a Long");
  assertSerialization(() => sm("GetRandomPassword", { ExcludeNumbers: "true" }), "STRING_VALUE can not be converted to a Boolean");
  assertSerialization(() => sm("GetRandomPassword", { ExcludeNumbers: 1 }), "NUMBER_VALUE can not be converted to a Boolean");
  assertSerialization(() => sm("CreateSecret", { Name: "n", SecretBinary: 5 }), "NUMBER_VALUE can not be converted to a ByteBuffer");
});

test("wrong container types", () => {
  assertSerialization(() => sm("ListSecrets", { Filters: "name" }), "Expected list or null");
  assertSerialization(() => sm("ListSecrets", { Filters: { Key: "name" } }), "Start of structure or map found where not expected.");
  assertSerialization(() => sm("ListSecrets", { Filters: ["name"] }), "Expected null");
  assertSerialization(() => sm("ListSecrets", { Filters: [["name"]] }), "Start of list found where not expected");
  assertSerialization(() => sm("ListSecrets", { Filters: [{ Values: "a" }] }), "Expected list or null");
  assertSerialization(() => sm("ListSecrets", { Filters: [{ Values: [1] }] }), "NUMBER_VALUE can not be converted to a String");
  assertSerialization(() => sm("RotateSecret", { SecretId: "s", RotationRules: 7 }), "Expected null");
  assertSerialization(() => validateInput(kms, "Encrypt", { KeyId: "k", Plaintext: "AA==", EncryptionContext: [] }), "Start of list found where not expected");
  assertSerialization(() => validateInput(kms, "Encrypt", { KeyId: "k", Plaintext: "AA==", EncryptionContext: "a=b" }), "Expected map or null");
});

test("a type mismatch wins over constraint violations found earlier", () => {
  assertSerialization(() => sm("CreateSecret", { ClientRequestToken: "short", Name: 5 }), "NUMBER_VALUE can not be converted to a String");
});

// --- output object -------------------------------------------------------------------------------

test("unknown members are dropped and the result is a new object", () => {
  const input = { SecretId: "s", Unknown: { deep: [1] }, secretId: "lower", VersionStage: "AWSCURRENT" };
  const out = sm("GetSecretValue", input);
  assert.notEqual(out, input);
  assert.deepEqual(out, { SecretId: "s", VersionStage: "AWSCURRENT" });
});

test("null list entries are dropped", () => {
  assert.deepEqual(sm("UntagResource", { SecretId: "s", TagKeys: ["a", null, "b"] }), { SecretId: "s", TagKeys: ["a", "b"] });
});

test("inherited object properties are never read as members", () => {
  const input = Object.create({ SecretId: "inherited" }) as Record<string, unknown>;
  assertValidation(
    () => sm("GetSecretValue", input),
    "Value null at 'secretId' failed to satisfy constraint: Member must not be null",
  );
});

test("works on decoded bodies end to end", () => {
  const input = decodeJsonBody(Buffer.from('{"SecretId":"prod/db","VersionStage":"AWSPREVIOUS","Extra":[1,2]}'));
  assert.deepEqual(sm("GetSecretValue", input), { SecretId: "prod/db", VersionStage: "AWSPREVIOUS" });
});

test("an operation the model lacks is an UnknownOperationException", () => {
  assert.equal(failure(() => sm("GetSecretValues", {})).code, "UnknownOperationException");
  assert.equal(failure(() => sm("constructor", {})).code, "UnknownOperationException");
  assert.equal(failure(() => sm("toString", {})).code, "UnknownOperationException");
});

// --- models and patterns -------------------------------------------------------------------------

test("every generated model compiles, patterns included", () => {
  for (const model of [secretsmanager, kms, cloudtrail]) assert.equal(typeof createValidator(model), "function");
});

test("Java patterns match whole values", () => {
  const envKey = javaPatternToRegExp("[a-zA-Z]([a-zA-Z0-9_])+");
  assert.equal(envKey.test("_X_AMZN_TRACE_ID"), false);
  assert.equal(envKey.test("X_AMZN"), true);
  const alternatives = javaPatternToRegExp("a|b");
  assert.equal(alternatives.test("a"), true);
  assert.equal(alternatives.test("ab"), false);
});

test("Java escapes translate to their Java meaning", () => {
  const filter = javaPatternToRegExp("^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$");
  assert.equal(filter.test("!prod/db-1"), true);
  assert.equal(filter.test("prod*"), false);
  const space = javaPatternToRegExp("[\\s]+");
  assert.equal(space.test(" \t\n"), true);
  assert.equal(space.test("\u00a0"), false, "Java's \\s is ASCII only");
  assert.equal(javaPatternToRegExp("\\S+").test("a\u00a0b"), true);
  const tag = javaPatternToRegExp("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
  assert.equal(tag.test("Größe 1"), true);
  assert.equal(tag.test("a*b"), false);
  const astral = javaPatternToRegExp("[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*");
  assert.equal(astral.test("key 🔑"), true);
  assert.equal(astral.test("\u0001"), false);
  const dotAll = javaPatternToRegExp("(?s).*");
  assert.equal(dotAll.test("line\nline"), true);
  assert.equal(javaPatternToRegExp(".*").test("line\nline"), false);
});

test("Java-only constructs are refused rather than mistranslated", () => {
  for (const pattern of ["a++", "(?>a)", "\\Qa\\E", "[a-z&&[^q]]", "[a[b]]", "\\p{Alpha}", "\\Aabc\\z", "(?x)a", "[\\S]"]) {
    assert.throws(() => javaPatternToRegExp(pattern), /unsupported/, pattern);
  }
});
