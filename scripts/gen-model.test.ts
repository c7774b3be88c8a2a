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
    () => renderModelModule("svc", { ...minimal({ In: { type: "structure", members: {} } }), metadata: { protocol: "query", jsonVersion: "1.0", targetPrefix: "x", apiVersion: "1", signingName: "x" } }),
    /only "json" is supported/,
  );
  assert.throws(() => renderModelModule("svc", minimal({ In: { type: "structure", members: { A: { shape: "Missing" } } } })), /unknown shape Missing/);
});
