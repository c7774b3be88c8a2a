import { test } from "node:test";
import assert from "node:assert/strict";
import { parsePolicyDocument, policyMessages } from "./document.js";
import type { PolicyDocument } from "./document.js";
import { CHECK_BROAD_ACCESS, CHECK_LOCKOUT, isPublicPolicy, validateResourcePolicy, validationMessages } from "./public-access.js";

const ACCOUNT = "111122223333";

const policy = (...statements: Record<string, unknown>[]): string => JSON.stringify({ Version: "2012-10-17", Statement: statements });

const allow = (principal: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Effect: "Allow",
  Principal: principal,
  Action: "secretsmanager:GetSecretValue",
  Resource: "*",
  ...extra,
});

const isPublic = (...statements: Record<string, unknown>[]): boolean =>
  isPublicPolicy(parsePolicyDocument(policy(...statements), "resource"));

/** Principal "*" plus one condition operator/key/value. */
const starWith = (operator: string, key: string, value: unknown): boolean =>
  isPublic(allow("*", { Condition: { [operator]: { [key]: value } } }));

// ---- isPublicPolicy: who is reached ----

test("Principal '*' without conditions is public", () => {
  assert.equal(isPublic(allow("*")), true);
});

test("{AWS:'*'} and AWS lists containing '*' are public", () => {
  assert.equal(isPublic(allow({ AWS: "*" })), true);
  assert.equal(isPublic(allow({ AWS: [`arn:aws:iam::${ACCOUNT}:root`, "*"] })), true);
});

test("named accounts, users, roles and sessions are not public", () => {
  for (const aws of [
    ACCOUNT,
    `arn:aws:iam::${ACCOUNT}:root`,
    ["444455556666", `arn:aws:iam::${ACCOUNT}:user/alice`],
    `arn:aws:iam::${ACCOUNT}:role/app`,
    `arn:aws:sts::${ACCOUNT}:assumed-role/app/s1`,
  ]) {
    assert.equal(isPublic(allow({ AWS: aws })), false, JSON.stringify(aws));
  }
});

test("Service principals are not public", () => {
  assert.equal(isPublic(allow({ Service: "secretsmanager.amazonaws.com" })), false);
});

test("Allow with NotPrincipal reaches everyone else and is public", () => {
  assert.equal(isPublic({ ...allow(undefined), Principal: undefined, NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:user/mallory` } }), true);
});

test("NotPrincipal '*' excludes everyone and is not public", () => {
  assert.equal(isPublic({ ...allow(undefined), Principal: undefined, NotPrincipal: "*" }), false);
});

test("Deny statements are never public, whatever their principal", () => {
  assert.equal(isPublic({ ...allow("*"), Effect: "Deny" }), false);
  assert.equal(isPublic({ ...allow(undefined), Principal: undefined, NotPrincipal: { AWS: ACCOUNT }, Effect: "Deny" }), false);
});

test("one public Allow among restricted statements makes the policy public", () => {
  assert.equal(isPublic(allow({ AWS: ACCOUNT }), { ...allow("*"), Effect: "Deny" }), false);
  assert.equal(isPublic(allow({ AWS: ACCOUNT }), allow("*", { Action: "secretsmanager:DescribeSecret" })), true);
});

test("partial wildcard principals (invalid, so only in hand-built documents) count as public", () => {
  const doc: PolicyDocument = {
    version: "2012-10-17",
    statements: [
      {
        effect: "Allow",
        principal: { negated: false, value: { AWS: ["arn:aws:iam::*:root"] } },
        action: { negated: false, value: ["secretsmanager:GetSecretValue"] },
        condition: new Map([["StringEquals", new Map([["aws:PrincipalAccount", [ACCOUNT]]])]]),
      },
    ],
  };
  assert.equal(isPublicPolicy(doc), true);
});

// ---- isPublicPolicy: conditions that pin the caller ----

test("each fixed-value key with a literal value makes Principal '*' non-public", () => {
  for (const [key, value] of [
    ["aws:SourceAccount", ACCOUNT],
    ["aws:SourceArn", `arn:aws:lambda:us-east-1:${ACCOUNT}:function:rotate`],
    ["aws:SourceOwner", ACCOUNT],
    ["aws:SourceVpc", "vpc-1a2b3c4d"],
    ["aws:SourceVpce", "vpce-1a2b3c4d"],
    ["aws:PrincipalAccount", [ACCOUNT, "444455556666"]],
    ["aws:PrincipalArn", `arn:aws:iam::${ACCOUNT}:role/app`],
    ["aws:PrincipalOrgID", "o-a1b2c3d4e5"],
    ["aws:PrincipalOrgPaths", "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"],
    ["aws:userid", "AIDAEXAMPLEUSERID"],
  ] as const) {
    assert.equal(starWith("StringEquals", key, value), false, key);
  }
});

test("condition keys are compared case-insensitively", () => {
  assert.equal(starWith("StringEquals", "AWS:SOURCEACCOUNT", ACCOUNT), false);
});

test("wildcards or policy variables in the pinned value leave it public", () => {
  assert.equal(starWith("StringLike", "aws:PrincipalArn", "arn:aws:iam::*:role/app"), true);
  assert.equal(starWith("StringLike", "aws:SourceAccount", "1111????3333"), true);
  assert.equal(starWith("StringEquals", "aws:PrincipalAccount", "*"), true);
  assert.equal(starWith("StringEquals", "aws:PrincipalArn", "${aws:PrincipalArn}"), true);
  assert.equal(starWith("StringEquals", "aws:SourceAccount", [ACCOUNT, "*"]), true, "every value must be literal");
});

test("Like and Arn operators with literal values pin the caller", () => {
  assert.equal(starWith("ArnEquals", "aws:SourceArn", `arn:aws:sns:us-east-1:${ACCOUNT}:topic`), false);
  assert.equal(starWith("ArnLike", "aws:PrincipalArn", `arn:aws:iam::${ACCOUNT}:role/app`), false);
  assert.equal(starWith("StringLike", "aws:SourceVpce", "vpce-1a2b3c4d"), false);
  assert.equal(starWith("StringEqualsIgnoreCase", "aws:PrincipalOrgID", "O-A1B2C3D4E5"), false);
  assert.equal(starWith("ForAnyValue:StringEquals", "aws:PrincipalOrgPaths", "o-a1b2c3d4e5/r-ab12/"), false);
});

test("negated, IfExists and ForAllValues operators do not pin the caller", () => {
  assert.equal(starWith("StringNotEquals", "aws:PrincipalAccount", ACCOUNT), true);
  assert.equal(starWith("StringEqualsIfExists", "aws:SourceAccount", ACCOUNT), true);
  assert.equal(starWith("ForAllValues:StringEquals", "aws:PrincipalOrgPaths", "o-a1b2c3d4e5/r-ab12/"), true);
  assert.equal(starWith("ArnNotLike", "aws:PrincipalArn", `arn:aws:iam::${ACCOUNT}:role/app`), true);
});

test("secretsmanager: and other non-identity keys do not count", () => {
  assert.equal(starWith("ForAnyValue:StringEquals", "secretsmanager:VersionStage", "AWSCURRENT"), true);
  assert.equal(starWith("StringEquals", "secretsmanager:ResourceTag/team", "blue"), true);
  assert.equal(starWith("StringEquals", "aws:ResourceTag/team", "blue"), true);
  assert.equal(starWith("Bool", "aws:SecureTransport", true), true);
});

test("aws:SourceIp pins only with IpAddress and bounded CIDRs", () => {
  assert.equal(starWith("IpAddress", "aws:SourceIp", "203.0.113.0/24"), false);
  assert.equal(starWith("IpAddress", "aws:SourceIp", ["203.0.113.7", "2001:db8::/32"]), false);
  assert.equal(starWith("IpAddress", "aws:SourceIp", "0.0.0.0/0"), true);
  assert.equal(starWith("IpAddress", "aws:SourceIp", ["203.0.113.0/24", "::/0"]), true);
  assert.equal(starWith("NotIpAddress", "aws:SourceIp", "203.0.113.0/24"), true);
  assert.equal(starWith("IpAddress", "aws:SourceIp", "not-an-address"), true);
  assert.equal(starWith("StringEquals", "aws:SourceIp", "203.0.113.7"), true);
});

test("aws:userid 'ROLEID:*' pins to one role's sessions; other wildcards do not", () => {
  assert.equal(starWith("StringLike", "aws:userid", "AROAEXAMPLEROLEID:*"), false);
  assert.equal(starWith("StringLike", "aws:userid", "AROA*:*"), true);
  assert.equal(starWith("StringLike", "aws:userid", "*"), true);
});

test("one pinning key among other conditions is enough; NotPrincipal can be pinned too", () => {
  assert.equal(
    isPublic(
      allow("*", {
        Condition: {
          StringEquals: { "secretsmanager:VersionStage": "AWSCURRENT", "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
          Bool: { "aws:SecureTransport": "true" },
        },
      }),
    ),
    false,
  );
  assert.equal(
    isPublic({
      ...allow(undefined),
      Principal: undefined,
      NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:user/mallory` },
      Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } },
    }),
    false,
  );
});

// ---- validateResourcePolicy ----

test("a restricted policy passes validation", () => {
  assert.deepEqual(validateResourcePolicy(policy(allow({ AWS: ACCOUNT }))), { PolicyValidationPassed: true, ValidationErrors: [] });
});

test("a public policy fails the broad-access check", () => {
  assert.deepEqual(validateResourcePolicy(policy(allow("*"))), {
    PolicyValidationPassed: false,
    ValidationErrors: [{ CheckName: CHECK_BROAD_ACCESS, ErrorMessage: validationMessages.broadAccess }],
  });
});

test("an unconditional Deny of policy management to everyone fails the lockout check", () => {
  const deny = { Effect: "Deny", Principal: "*", Action: "secretsmanager:*", Resource: "*" };
  assert.deepEqual(validateResourcePolicy(policy(deny)), {
    PolicyValidationPassed: false,
    ValidationErrors: [{ CheckName: CHECK_LOCKOUT, ErrorMessage: validationMessages.lockout }],
  });
  for (const action of ["secretsmanager:PutResourcePolicy", "SecretsManager:delete*", "*", ["secretsmanager:Get*", "secretsmanager:*ResourcePolicy"]]) {
    assert.equal(validateResourcePolicy(policy({ ...deny, Action: action })).PolicyValidationPassed, false, JSON.stringify(action));
  }
  assert.equal(validateResourcePolicy(policy({ ...deny, Principal: { AWS: "*" }, Resource: undefined })).PolicyValidationPassed, false);
  assert.equal(validateResourcePolicy(policy({ ...deny, Action: undefined, NotAction: "secretsmanager:GetSecretValue" })).PolicyValidationPassed, false);
});

test("denies that leave policy management reachable are not lockouts", () => {
  const deny = { Effect: "Deny", Principal: "*", Action: "secretsmanager:*", Resource: "*" };
  for (const statement of [
    { ...deny, Action: "secretsmanager:GetSecretValue" },
    { ...deny, Action: undefined, NotAction: "secretsmanager:*ResourcePolicy" },
    { ...deny, Condition: { StringNotEquals: { "aws:PrincipalAccount": ACCOUNT } } },
    { ...deny, Principal: { AWS: "444455556666" } },
    { ...deny, Principal: undefined, NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/admin` } },
    { ...deny, Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:other-AbCdEf` },
  ]) {
    assert.equal(validateResourcePolicy(policy(statement)).PolicyValidationPassed, true, JSON.stringify(statement));
  }
});

test("both findings are reported together", () => {
  const result = validateResourcePolicy(policy(allow("*"), { Effect: "Deny", Principal: "*", Action: "secretsmanager:PutResourcePolicy" }));
  assert.deepEqual(
    result.ValidationErrors.map((e) => e.CheckName),
    [CHECK_BROAD_ACCESS, CHECK_LOCKOUT],
  );
});

test("grammar errors throw instead of becoming ValidationErrors", () => {
  assert.throws(() => validateResourcePolicy("{"), { code: "MalformedPolicyDocumentException", message: policyMessages.invalidJson });
  assert.throws(() => validateResourcePolicy(policy({ ...allow("*"), Effect: "AllowSomething" })), {
    code: "MalformedPolicyDocumentException",
  });
});
