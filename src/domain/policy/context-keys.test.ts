import assert from "node:assert/strict";
import { test } from "node:test";
import { contextKeysOf } from "./context-keys.js";
import { parsePolicyDocument } from "./document.js";

const identity = (document: unknown) => parsePolicyDocument(JSON.stringify(document), "identity");

test("the IAM CLI example: a variable in the resource, then a condition key", () => {
  const document = identity({
    Version: "2012-10-17",
    Statement: {
      Effect: "Allow",
      Action: "dynamodb:*",
      Resource: "arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}",
      Condition: { DateGreaterThan: { "aws:CurrentTime": "2015-08-16T12:00:00Z" } },
    },
  });
  assert.deepEqual(contextKeysOf([document]), ["aws:username", "aws:CurrentTime"]);
});

test("every key once (without regard to case), defaults and escapes left out, across documents", () => {
  const first = identity({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: ["arn:aws:secretsmanager:*:*:secret:${aws:PrincipalTag/team, 'shared'}/*", "arn:aws:secretsmanager:*:*:secret:a${*}b"],
        Condition: {
          StringEquals: { "secretsmanager:ResourceTag/owner": "${aws:username}", "aws:PrincipalTag/team": "x" },
          "ForAnyValue:StringLike": { "aws:TagKeys": ["env*"] },
        },
      },
      { Effect: "Deny", NotAction: "kms:*", NotResource: "*", Condition: { Bool: { "AWS:SecureTransport": "false" } } },
    ],
  });
  const second = identity({
    Version: "2012-10-17",
    Statement: { Effect: "Allow", Action: "*", Resource: "*", Condition: { IpAddress: { "aws:sourceip": "10.0.0.0/8" }, Bool: { "aws:securetransport": "true" } } },
  });
  assert.deepEqual(contextKeysOf([first, second]), [
    "aws:PrincipalTag/team",
    "secretsmanager:ResourceTag/owner",
    "aws:username",
    "aws:TagKeys",
    "AWS:SecureTransport",
    "aws:sourceip",
  ]);
});

test("a 2008-10-17 document has no variables: only its condition keys count", () => {
  const document = identity({
    Version: "2008-10-17",
    Statement: { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::${aws:username}", Condition: { StringEquals: { "aws:RequestedRegion": "${aws:userid}" } } },
  });
  assert.deepEqual(contextKeysOf([document]), ["aws:RequestedRegion"]);
});
