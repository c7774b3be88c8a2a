import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePolicyDocument } from "../domain/policy/document.js";
import { policiesReadRequest, readsRequest } from "./authorize-keys.js";

const doc = (statement: Record<string, unknown>, kind: "identity" | "resource" = "identity") =>
  parsePolicyDocument(JSON.stringify({ Version: "2012-10-17", Statement: statement }), kind);

describe("readsRequest", () => {
  it("is false for policies without conditions or with only the caller's own keys", () => {
    assert.equal(readsRequest(doc({ Effect: "Allow", Action: "*", Resource: "*" })), false);
    assert.equal(readsRequest(doc({ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b/${aws:username}/*" })), false);
    assert.equal(
      readsRequest(doc({ Effect: "Allow", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalTag/team": "a", "AWS:PRINCIPALACCOUNT": "111122223333" } } })),
      false,
    );
    assert.equal(readsRequest(doc({ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b/${*}" })), false);
  });

  it("is true when a condition or a variable reads a request value", () => {
    assert.equal(readsRequest(doc({ Effect: "Allow", Action: "*", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } })), true);
    assert.equal(readsRequest(doc({ Effect: "Allow", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalTag/t": "${aws:ResourceTag/t}" } } })), true);
    assert.equal(readsRequest(doc({ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b/${aws:SourceIp, 'x'}" })), true);
    assert.equal(readsRequest(doc({ Effect: "Deny", Principal: "*", Action: "*", Condition: { Null: { "secretsmanager:VersionStage": "true" } } }, "resource")), true);
  });

  it("is worked out once per set of caller policies", () => {
    const plain = { id: "p", document: doc({ Effect: "Allow", Action: "*", Resource: "*" }) };
    const reading = { id: "r", document: doc({ Effect: "Allow", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } }) };
    assert.equal(policiesReadRequest(undefined), false);
    assert.equal(policiesReadRequest({ identity: [plain] }), false);
    assert.equal(policiesReadRequest({ identity: [plain], boundary: reading }), true);
    assert.equal(policiesReadRequest({ identity: [plain], session: [reading] }), true);
  });
});
