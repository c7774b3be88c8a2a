import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generate, generatedPath, renderModelModule, SERVICES } from "./gen-model.js";

/** The repository root: the nearest directory holding package.json and src/generated. */
function repositoryRoot(): string {
  for (const start of [process.cwd(), dirname(fileURLToPath(import.meta.url))]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "src", "generated"))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error("cannot find the repository root (run the tests from inside the repository)");
}

const root = repositoryRoot();

for (const service of SERVICES) {
  test(`src/generated/${service}-model.ts matches the service model`, () => {
    const expected = generate(root, service);
    const actual = readFileSync(generatedPath(root, service), "utf8");
    assert.ok(actual === expected, `${service}-model.ts is out of date: run node dist/scripts/gen-model.js`);
  });
}

test("generation is deterministic and documentation-free", () => {
  const text = generate(root, "secretsmanager");
  assert.equal(generate(root, "secretsmanager"), text);
  assert.ok(text.startsWith("// Generated from the AWS service model secretsmanager.json"));
  assert.match(text, /Do not edit by hand/);
  assert.doesNotMatch(text, /documentation/i);
});

test("the secretsmanager module carries operations, target prefix and constraints", () => {
  const text = generate(root, "secretsmanager");
  assert.match(text, /export const targetPrefix = "secretsmanager";/);
  assert.match(text, /"GetSecretValue",\n/);
  assert.match(text, /GetSecretValue: \{ input: "GetSecretValueRequest", output: "GetSecretValueResponse" \},/);
  assert.match(text, /TagResource: \{ input: "TagResourceRequest" \},/);
  assert.match(text, /SecretBinaryType: \{ type: "blob", min: 1, max: 65536, sensitive: true \},/);
  assert.match(text, /idempotencyToken: \["ClientRequestToken"\]/);
});

const minimal = (shapes: Record<string, unknown>, operation: Record<string, unknown> = { input: { shape: "In" } }) => ({
  metadata: { protocol: "json", jsonVersion: "1.1", targetPrefix: "Svc", apiVersion: "2020-01-01", signingName: "svc" },
  operations: { Op: { name: "Op", ...operation } },
  shapes,
});

test("only shapes reachable from inputs and outputs are emitted", () => {
  const text = renderModelModule("svc", minimal({
    In: { type: "structure", members: { A: { shape: "S" } }, required: ["A"] },
    S: { type: "string", min: 1, documentation: "ignored" },
    Unused: { type: "string" },
    Oops: { type: "structure", members: {}, exception: true },
  }));
  assert.match(text, /In: \{ type: "structure", members: \{ A: "S" \}, required: \["A"\] \},/);
  assert.match(text, /S: \{ type: "string", min: 1 \},/);
  assert.doesNotMatch(text, /Unused|Oops/);
});

test("traits that change the wire format are refused", () => {
  assert.throws(() => renderModelModule("svc", minimal({ In: { type: "timestamp", timestampFormat: "iso8601" } })), /unsupported key "timestampFormat"/);
  assert.throws(
    () => renderModelModule("svc", minimal({ In: { type: "structure", members: { A: { shape: "In", jsonName: "a" } } } })),
    /unsupported key "jsonName"/,
  );
  assert.throws(() => renderModelModule("svc", minimal({ In: { type: "document" } })), /unsupported type "document"/);
  assert.throws(
    () => renderModelModule("svc", { ...minimal({ In: { type: "structure", members: {} } }), metadata: { protocol: "rest-xml", apiVersion: "1", signingName: "x" } }),
    /only "json" and "query" are supported/,
  );
  assert.throws(
    () => renderModelModule("svc", minimal({ In: { type: "structure", members: { A: { shape: "S", locationName: "a" } } }, S: { type: "string" } })),
    /unsupported key "locationName"/,
  );
  assert.throws(() => renderModelModule("svc", minimal({ In: { type: "list", member: { shape: "In" }, flattened: true } })), /unsupported key "flattened"/);
  assert.throws(() => renderModelModule("svc", minimal({ In: { type: "structure", members: { A: { shape: "Missing" } } } })), /unknown shape Missing/);
});

test("the query modules carry version, namespace, result wrappers, errors and unsigned operations", () => {
  const text = generate(root, "sts");
  assert.ok(text.startsWith("// Generated from the AWS service model sts.json (sts-2011-06-15)"));
  assert.doesNotMatch(text, /documentation|targetPrefix = /i);
  assert.match(text, /export const apiVersion = "2011-06-15";/);
  assert.match(text, /export const xmlNamespace = "https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/";/);
  assert.match(text, /GetCallerIdentity: \{ input: "GetCallerIdentityRequest", output: "GetCallerIdentityResponse", resultWrapper: "GetCallerIdentityResult" \},/);
  assert.match(text, /AssumeRole: \{ [^\n]*errors: \["MalformedPolicyDocumentException", "PackedPolicyTooLargeException", "RegionDisabledException", "ExpiredTokenException"\] \},/);
  assert.match(text, /AssumeRoleWithWebIdentity: \{ [^\n]*, unsigned: true \},/);
  assert.match(text, /PackedPolicyTooLargeException: \{ code: "PackedPolicyTooLarge", status: 400, fault: "client" \},/);
  assert.match(text, /tagListType: \{ type: "list", member: "Tag", max: 50 \},/);
  assert.match(text, /export const model: QueryServiceModel = \{ targetPrefix: "", apiVersion, xmlNamespace, operations, shapes, errorShapes \};/);

  const iam = generate(root, "iam");
  assert.match(iam, /NoSuchEntityException: \{ code: "NoSuchEntity", status: 404, fault: "client" \},/);
  assert.match(iam, /ServiceFailureException: \{ code: "ServiceFailure", status: 500, fault: "server" \},/);
  assert.match(iam, /AttachRolePolicy: \{ input: "AttachRolePolicyRequest", errors: \[/);
});

const query = (shapes: Record<string, unknown>, operations: Record<string, unknown> = { Op: { input: { shape: "In" }, output: { shape: "Out", resultWrapper: "OpResult" } } }) => ({
  metadata: { protocol: "query", apiVersion: "2020-01-01", xmlNamespace: "https://svc.example/doc/2020-01-01/", signingName: "svc", uid: "svc-2020-01-01" },
  operations,
  shapes: { Out: { type: "structure", members: {} }, ...shapes },
});

test("query serialization traits are rendered", () => {
  const text = renderModelModule("svc", query({
    In: { type: "structure", members: { A: { shape: "L", locationName: "a" }, B: { shape: "M" }, C: { shape: "T" }, D: { shape: "F", locationName: "D" } } },
    L: { type: "list", member: { shape: "S", locationName: "item" }, flattened: true },
    M: { type: "map", key: { shape: "S", locationName: "Name" }, value: { shape: "S", locationName: "Value" }, flattened: true },
    T: { type: "timestamp", timestampFormat: "unixTimestamp" },
    F: { type: "list", member: { shape: "S" }, flattened: false },
    S: { type: "string" },
    Bad: { type: "structure", members: {}, exception: true, error: { code: "Bad", httpStatusCode: 409, senderFault: true } },
    Worse: { type: "structure", members: {}, exception: true, fault: true },
  }, {
    Op: { input: { shape: "In" }, output: { shape: "Out", resultWrapper: "OpResult" }, errors: [{ shape: "Bad" }, { shape: "Worse" }] },
  }));
  assert.match(text, /In: \{ type: "structure", members: \{ A: "L", B: "M", C: "T", D: "F" \}, locationNames: \{ A: "a" \} \},/);
  assert.match(text, /L: \{ type: "list", member: "S", memberName: "item", flattened: true \},/);
  assert.match(text, /M: \{ type: "map", key: "S", value: "S", keyName: "Name", valueName: "Value", flattened: true \},/);
  assert.match(text, /T: \{ type: "timestamp", timestampFormat: "unixTimestamp" \},/);
  assert.match(text, /F: \{ type: "list", member: "S" \},/);
  assert.match(text, /Bad: \{ code: "Bad", status: 409, fault: "client" \},/);
  assert.match(text, /Worse: \{ code: "Worse", status: 400, fault: "server" \},/);
});

test("XML traits the query codec does not implement are refused", () => {
  const withIn = (inShape: Record<string, unknown>, extra: Record<string, unknown> = {}) => () =>
    renderModelModule("svc", query({ In: inShape, S: { type: "string" }, ...extra }));
  assert.throws(withIn({ type: "structure", members: { A: { shape: "S", xmlAttribute: true } } }), /member In\.A has unsupported key "xmlAttribute"/);
  assert.throws(withIn({ type: "structure", members: { A: { shape: "S", queryName: "a" } } }), /unsupported key "queryName"/);
  assert.throws(withIn({ type: "structure", members: { A: { shape: "S", timestampFormat: "iso8601" } } }), /unsupported key "timestampFormat"/);
  assert.throws(withIn({ type: "list", member: { shape: "S", xmlNamespace: "x" } }), /member In\.member has unsupported key "xmlNamespace"/);
  assert.throws(withIn({ type: "timestamp", timestampFormat: "epoch" }), /unsupported timestampFormat "epoch"/);
  assert.throws(withIn({ type: "string", timestampFormat: "iso8601" }), /unsupported timestampFormat/);
  assert.throws(withIn({ type: "string", flattened: true }), /In is flattened but is a string/);
  assert.throws(withIn({ type: "structure", members: {}, xmlNamespace: { uri: "x" } }), /shape In has unsupported key "xmlNamespace"/);
  assert.throws(() => renderModelModule("svc", { ...query({ In: { type: "structure", members: {} } }), metadata: { protocol: "query", apiVersion: "1" } }), /metadata\.xmlNamespace is not a string/);
});
