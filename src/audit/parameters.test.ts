import { test } from "node:test";
import assert from "node:assert/strict";
import { model as kmsModel } from "../generated/kms-model.js";
import { model as secretsManagerModel } from "../generated/secretsmanager-model.js";
import { formatEventTime, loggableMembers, lowerCamel, type ServiceModelTables } from "./parameters.js";

const PLANTED = "PLANTED-value-from-a-sensitive-shape";

test("a member is dropped because its shape is marked sensitive, whatever its name", () => {
  const model: ServiceModelTables = {
    targetPrefix: "test",
    operations: { Op: { input: "OpRequest" } },
    shapes: {
      OpRequest: { type: "structure", members: { Harmless: "Hidden", Visible: "Plain", Nested: "Inner", Many: "InnerList" } },
      Inner: { type: "structure", members: { Deep: "Hidden", Shown: "Plain" } },
      InnerList: { type: "list", member: "Inner" },
      Hidden: { type: "string", sensitive: true },
      Plain: { type: "string" },
    },
  };
  const out = loggableMembers(model, "OpRequest", {
    Harmless: PLANTED,
    Visible: "v",
    Nested: { Deep: PLANTED, Shown: "s" },
    Many: [{ Deep: PLANTED, Shown: "t" }],
  });
  assert.deepEqual(out, { visible: "v", nested: { shown: "s" }, many: [{ shown: "t" }] });
  assert.ok(!JSON.stringify(out).includes(PLANTED));
});

// Fills every member of a structure whose shape is sensitive with PLANTED, recursing into
// structures, so the check follows the model rather than a list of names.
function plantedInput(model: ServiceModelTables, shapeName: string, depth = 0): Record<string, unknown> {
  const shape = model.shapes[shapeName];
  const out: Record<string, unknown> = {};
  if (shape?.type !== "structure" || depth > 4) return out;
  for (const [member, target] of Object.entries(shape.members)) {
    const targetShape = model.shapes[target];
    if (targetShape?.sensitive) out[member] = targetShape.type === "blob" ? Buffer.from(PLANTED) : PLANTED;
    else if (targetShape?.type === "structure") out[member] = plantedInput(model, target, depth + 1);
  }
  return out;
}

test("no sensitive shape of the Secrets Manager or KMS model survives, in any request or response", () => {
  let planted = 0;
  for (const model of [secretsManagerModel, kmsModel]) {
    for (const [operation, shapes] of Object.entries(model.operations)) {
      for (const shapeName of [shapes.input, shapes.output]) {
        if (shapeName === undefined) continue;
        const value = plantedInput(model, shapeName);
        if (JSON.stringify(value).includes(PLANTED) || Object.values(value).some(Buffer.isBuffer)) planted++;
        const out = loggableMembers(model, shapeName, value);
        const json = JSON.stringify(out);
        assert.ok(!json.includes(PLANTED), `${operation} ${shapeName}`);
        assert.ok(!json.includes(Buffer.from(PLANTED).toString("base64")), `${operation} ${shapeName}`);
      }
    }
  }
  assert.ok(planted >= 8, `the check planted values in ${planted} shapes`);
});

test("blobs are left out even when not sensitive; times inside parameters render as AWS writes them there", () => {
  const out = loggableMembers(kmsModel, "ReEncryptRequest", {
    CiphertextBlob: Buffer.from("blob"),
    DestinationKeyId: "alias/b",
  });
  assert.deepEqual(out, { destinationKeyId: "alias/b" });
  const withTime = loggableMembers(secretsManagerModel, "DeleteSecretResponse", {
    ARN: "arn:aws:secretsmanager:us-east-1:111122223333:secret:a-AbCdEf",
    DeletionDate: new Date("2024-01-22T00:00:00.250Z"),
  });
  assert.deepEqual(withTime, {
    arn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:a-AbCdEf",
    deletionDate: "Jan 22, 2024, 12:00:00 AM",
  });
  assert.deepEqual(loggableMembers(secretsManagerModel, "DeleteSecretResponse", { DeletionDate: 1705929127 }), {
    deletionDate: "Jan 22, 2024, 1:12:07 PM",
  });
  // Epoch seconds no date can hold (a raw request may send any number) are left out, not thrown on.
  for (const far of [-9223372036854776000, 1e300, 8.64e12 + 1]) {
    assert.equal(loggableMembers(secretsManagerModel, "DeleteSecretResponse", { DeletionDate: far }), null);
  }
});

test("without a model, credential names and binary are dropped and names become lowerCamelCase", () => {
  const out = loggableMembers(undefined, undefined, {
    RoleArn: "arn:aws:iam::1:role/r",
    SAMLAssertion: PLANTED,
    WebIdentityToken: PLANTED,
    NewPassword: PLANTED,
    OldPassword: PLANTED,
    Blob: new Uint8Array([1, 2]),
    PasswordLength: 3,
    Tags: [{ Key: "k", Value: "v" }],
  });
  assert.deepEqual(out, { roleArn: "arn:aws:iam::1:role/r", passwordLength: 3, tags: [{ key: "k", value: "v" }] });
});

test("lowerCamel: first letter lowered, all-capital names lowered whole, two leading capitals kept", () => {
  assert.equal(lowerCamel("KmsKeyId"), "kmsKeyId");
  assert.equal(lowerCamel("AWSAccountId"), "AWSAccountId");
  assert.equal(lowerCamel("ARN"), "arn");
  assert.equal(lowerCamel("RotationLambdaARN"), "rotationLambdaARN");
  assert.equal(lowerCamel("secretId"), "secretId");
});

test("formatEventTime drops milliseconds", () => {
  assert.equal(formatEventTime(Date.UTC(2024, 0, 15, 12, 0, 0, 999)), "2024-01-15T12:00:00Z");
});
