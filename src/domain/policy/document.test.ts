import { test } from "node:test";
import assert from "node:assert/strict";
import { parseConditionOperator, parsePolicyDocument, policyMessages } from "./document.js";
import type { PolicyKind } from "./document.js";
import { messages } from "../errors.js";

const ACCOUNT = "111122223333";
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/db-AbCdEf`;

/** A resource policy with one statement; `overrides` replace (or, with undefined, remove) statement fields. */
const resourcePolicy = (overrides: Record<string, unknown> = {}, top: Record<string, unknown> = {}): string => {
  const statement: Record<string, unknown> = {
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
    Action: "secretsmanager:GetSecretValue",
    Resource: "*",
    ...overrides,
  };
  for (const key of Object.keys(statement)) if (statement[key] === undefined) delete statement[key];
  return JSON.stringify({ Version: "2012-10-17", Statement: statement, ...top });
};

const identityPolicy = (overrides: Record<string, unknown> = {}): string =>
  resourcePolicy({ Principal: undefined, ...overrides });

const rejects = (text: string, message: string, kind: PolicyKind = "resource"): void => {
  assert.throws(() => parsePolicyDocument(text, kind), { code: "MalformedPolicyDocumentException", status: 400, message });
};

// ---- valid documents ----

test("single statement object is normalised to a one-element array of typed statements", () => {
  const doc = parsePolicyDocument(resourcePolicy(), "resource");
  assert.equal(doc.version, "2012-10-17");
  assert.equal(doc.id, undefined);
  assert.equal(doc.statements.length, 1);
  const [s] = doc.statements;
  assert.ok(s);
  assert.equal(s.effect, "Allow");
  assert.deepEqual(s.principal, { negated: false, value: { AWS: [`arn:aws:iam::${ACCOUNT}:root`] } });
  assert.deepEqual(s.action, { negated: false, value: ["secretsmanager:GetSecretValue"] });
  assert.deepEqual(s.resource, { negated: false, value: ["*"] });
  assert.equal(s.condition.size, 0);
  assert.equal(s.sid, undefined);
});

test("statement arrays, Id and Sid are kept in order", () => {
  const text = JSON.stringify({
    Version: "2012-10-17",
    Id: "policy-1",
    Statement: [
      { Sid: "Read access for the app", Effect: "Allow", Principal: { AWS: ACCOUNT }, Action: "secretsmanager:Get*" },
      { Sid: "NoDelete", Effect: "Deny", Principal: "*", Action: ["secretsmanager:DeleteSecret"], Resource: SECRET },
    ],
  });
  const doc = parsePolicyDocument(text, "resource");
  assert.equal(doc.id, "policy-1");
  assert.deepEqual(
    doc.statements.map((s) => [s.sid, s.effect]),
    [
      ["Read access for the app", "Allow"],
      ["NoDelete", "Deny"],
    ],
  );
  assert.equal(doc.statements[0]?.resource, undefined, "Resource is optional in resource policies");
  assert.deepEqual(doc.statements[1]?.principal, { negated: false, value: "*" });
});

test("missing Version defaults to 2008-10-17 and 2008-10-17 is accepted", () => {
  const noVersion = JSON.stringify({ Statement: JSON.parse(resourcePolicy()).Statement });
  assert.equal(parsePolicyDocument(noVersion, "resource").version, "2008-10-17");
  assert.equal(parsePolicyDocument(resourcePolicy({}, { Version: "2008-10-17" }), "resource").version, "2008-10-17");
});

test("string and array forms of Action and Resource normalise identically", () => {
  const a = parsePolicyDocument(resourcePolicy({ Action: "secretsmanager:*", Resource: SECRET }), "resource");
  const b = parsePolicyDocument(resourcePolicy({ Action: ["secretsmanager:*"], Resource: [SECRET] }), "resource");
  assert.deepEqual(a, b);
});

test("NotAction, NotResource and NotPrincipal set the negated flag", () => {
  const doc = parsePolicyDocument(
    resourcePolicy({
      Effect: "Deny",
      Principal: undefined,
      NotPrincipal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/admin`, ACCOUNT] },
      Action: undefined,
      NotAction: "secretsmanager:Describe*",
      Resource: undefined,
      NotResource: SECRET,
    }),
    "resource",
  );
  const [s] = doc.statements;
  assert.deepEqual(s?.principal, { negated: true, value: { AWS: [`arn:aws:iam::${ACCOUNT}:role/admin`, ACCOUNT] } });
  assert.deepEqual(s?.action, { negated: true, value: ["secretsmanager:Describe*"] });
  assert.deepEqual(s?.resource, { negated: true, value: [SECRET] });
});

test("Service principals and mixed principal maps are accepted", () => {
  const doc = parsePolicyDocument(
    resourcePolicy({
      Principal: {
        Service: ["secretsmanager.amazonaws.com", "logs.us-east-1.amazonaws.com"],
        AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/app/session-1`,
      },
    }),
    "resource",
  );
  assert.deepEqual(doc.statements[0]?.principal?.value, {
    Service: ["secretsmanager.amazonaws.com", "logs.us-east-1.amazonaws.com"],
    AWS: [`arn:aws:sts::${ACCOUNT}:assumed-role/app/session-1`],
  });
});

test("account ids, user/role ARNs of other partitions and {AWS:'*'} are valid AWS principals", () => {
  for (const aws of [
    ACCOUNT,
    "*",
    [`arn:aws-cn:iam::${ACCOUNT}:user/path/alice`, `arn:aws-us-gov:iam::${ACCOUNT}:role/app`],
    `arn:aws:sts::${ACCOUNT}:federated-user/bob`,
  ]) {
    assert.doesNotThrow(() => parsePolicyDocument(resourcePolicy({ Principal: { AWS: aws } }), "resource"), String(aws));
  }
});

test("wildcard actions and resources are accepted as written", () => {
  const doc = parsePolicyDocument(
    resourcePolicy({ Action: ["*", "secretsmanager:*", "SecretsManager:get?ecret*"], Resource: `arn:aws:secretsmanager:*:${ACCOUNT}:secret:prod/*` }),
    "resource",
  );
  assert.deepEqual(doc.statements[0]?.action.value, ["*", "secretsmanager:*", "SecretsManager:get?ecret*"]);
});

test("Condition becomes operator → key → string[], with numbers and booleans as strings", () => {
  const doc = parsePolicyDocument(
    resourcePolicy({
      Condition: {
        "ForAnyValue:StringEquals": { "secretsmanager:VersionStage": "AWSCURRENT" },
        Bool: { "aws:SecureTransport": true },
        NumericLessThan: { "secretsmanager:RecoveryWindowInDays": [30, "15"] },
        StringEquals: { "aws:ResourceTag/aws:cloudformation:stack-name": "s" },
      },
    }),
    "resource",
  );
  const condition = doc.statements[0]?.condition;
  assert.ok(condition);
  assert.deepEqual([...condition.keys()], ["ForAnyValue:StringEquals", "Bool", "NumericLessThan", "StringEquals"]);
  assert.deepEqual(condition.get("ForAnyValue:StringEquals")?.get("secretsmanager:VersionStage"), ["AWSCURRENT"]);
  assert.deepEqual(condition.get("Bool")?.get("aws:SecureTransport"), ["true"]);
  assert.deepEqual(condition.get("NumericLessThan")?.get("secretsmanager:RecoveryWindowInDays"), ["30", "15"]);
});

test("condition operator names are canonicalised", () => {
  const doc = parsePolicyDocument(resourcePolicy({ Condition: { "forallvalues:stringlikeifexists": { "aws:TagKeys": ["a*"] } } }), "resource");
  assert.deepEqual([...(doc.statements[0]?.condition.keys() ?? [])], ["ForAllValues:StringLikeIfExists"]);
});

test("parseConditionOperator splits qualifier, base and IfExists", () => {
  assert.deepEqual(parseConditionOperator("StringEquals"), { name: "StringEquals", base: "StringEquals", ifExists: false });
  assert.deepEqual(parseConditionOperator("ForAnyValue:ArnLikeIfExists"), {
    name: "ForAnyValue:ArnLikeIfExists",
    base: "ArnLike",
    set: "ForAnyValue",
    ifExists: true,
  });
  for (const bad of ["StringEqual", "NullIfExists", "Sometimes:StringEquals", "IfExists", "StringEqualsIfExistsIfExists", ""]) {
    assert.equal(parseConditionOperator(bad), undefined, bad);
  }
});

test("identity policies: no Principal, Resource required, Sids alphanumeric", () => {
  const doc = parsePolicyDocument(identityPolicy({ Sid: "AllowRead1" }), "identity");
  assert.equal(doc.statements[0]?.principal, undefined);
  assert.deepEqual(doc.statements[0]?.resource?.value, ["*"]);
});

test("empty Sids may repeat; distinct Sids are fine", () => {
  const text = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "", Effect: "Allow", Principal: "*", Action: "secretsmanager:GetSecretValue" },
      { Sid: "", Effect: "Allow", Principal: "*", Action: "secretsmanager:DescribeSecret" },
      { Sid: "A", Effect: "Deny", Principal: "*", Action: "secretsmanager:DeleteSecret" },
    ],
  });
  assert.equal(parsePolicyDocument(text, "resource").statements.length, 3);
});

test("surrounding whitespace and an empty Condition object are accepted", () => {
  const doc = parsePolicyDocument(`\n  ${resourcePolicy({ Condition: {} })}  \n`, "resource");
  assert.equal(doc.statements[0]?.condition.size, 0);
});

// ---- grammar errors ----

test("not JSON", () => {
  rejects("{not json", policyMessages.invalidJson);
  rejects("", policyMessages.invalidJson);
});

test("JSON that is not an object", () => {
  for (const text of ["[]", "null", '"policy"', "42", "[{}]"]) rejects(text, policyMessages.invalidJson);
});

test("unknown top-level keys", () => {
  rejects(resourcePolicy({}, { Comment: "x" }), policyMessages.unknownField("Comment"));
  rejects(resourcePolicy({}, { version: "2012-10-17" }), policyMessages.unknownField("version"));
});

test("bad Version values use Secrets Manager's observed text", () => {
  for (const version of ["2019-10-19", "2012-10-18", 20121017, null, ["2012-10-17"]]) {
    rejects(resourcePolicy({}, { Version: version }), messages.policyInvalidSyntax);
  }
});

test("missing or empty Statement", () => {
  rejects(JSON.stringify({ Version: "2012-10-17" }), policyMessages.missingField("Statement"));
  rejects(JSON.stringify({ Version: "2012-10-17", Statement: [] }), policyMessages.missingField("Statement"));
});

test("statements that are not objects", () => {
  const expected = policyMessages.wrongType("Statement", "an object or an array of objects");
  rejects(JSON.stringify({ Version: "2012-10-17", Statement: "Allow" }), expected);
  rejects(JSON.stringify({ Version: "2012-10-17", Statement: [JSON.parse(resourcePolicy()).Statement, null] }), expected);
});

test("statement without Effect", () => {
  rejects(resourcePolicy({ Effect: undefined }), policyMessages.missingField("Effect"));
});

test("Effect is case-sensitive and must be Allow or Deny", () => {
  rejects(resourcePolicy({ Effect: "allow" }), policyMessages.invalidEffect("allow"));
  rejects(resourcePolicy({ Effect: "AllowSomething" }), policyMessages.invalidEffect("AllowSomething"));
  rejects(resourcePolicy({ Effect: true }), policyMessages.wrongType("Effect", "a string"));
});

test("both Action and NotAction", () => {
  rejects(resourcePolicy({ NotAction: "secretsmanager:DeleteSecret" }), policyMessages.bothElements("Action"));
});

test("neither Action nor NotAction, or an empty action list", () => {
  rejects(resourcePolicy({ Action: undefined }), policyMessages.missingActions);
  rejects(resourcePolicy({ Action: [] }), policyMessages.missingActions);
});

test("actions need a vendor prefix and exactly one colon", () => {
  rejects(resourcePolicy({ Action: "GetSecretValue" }), policyMessages.missingVendor);
  rejects(resourcePolicy({ Action: ":GetSecretValue" }), policyMessages.missingVendor);
  rejects(resourcePolicy({ Action: ["secretsmanager:Get", ""] }), policyMessages.missingVendor);
  rejects(resourcePolicy({ Action: "secretsmanager:Get:SecretValue" }), policyMessages.tooManyColons);
});

test("both Resource and NotResource", () => {
  rejects(resourcePolicy({ NotResource: SECRET }), policyMessages.bothElements("Resource"));
});

test("resources must be ARNs or '*'", () => {
  rejects(resourcePolicy({ Resource: "prod/db" }), policyMessages.resourceFormat("prod/db"));
  rejects(resourcePolicy({ Resource: ["*", "arn:aws:secretsmanager"] }), policyMessages.resourceFormat("arn:aws:secretsmanager"));
  rejects(resourcePolicy({ Resource: [] }), policyMessages.missingResources);
});

test("identity policies require Resource or NotResource", () => {
  rejects(identityPolicy({ Resource: undefined }), policyMessages.missingResources, "identity");
});

test("resource policies require Principal or NotPrincipal", () => {
  rejects(resourcePolicy({ Principal: undefined }), policyMessages.missingField("Principal"));
});

test("identity policies must not specify a principal", () => {
  rejects(resourcePolicy(), policyMessages.principalNotAllowed, "identity");
  rejects(identityPolicy({ NotPrincipal: { AWS: ACCOUNT } }), policyMessages.principalNotAllowed, "identity");
});

test("both Principal and NotPrincipal", () => {
  rejects(resourcePolicy({ NotPrincipal: { AWS: ACCOUNT } }), policyMessages.bothElements("Principal"));
});

test("malformed principal objects are unsupported principals", () => {
  for (const principal of [
    "arn:aws:iam::111122223333:root", // only "*" may be a bare string
    {},
    { aws: ACCOUNT }, // element names are case-sensitive
    { Group: "admins" },
    { AWS: [] },
    { AWS: "alice" },
    { AWS: "11112222333" }, // 11 digits
    { AWS: "arn:aws:iam::111122223333:user/a*" }, // no partial wildcards
    { AWS: "arn:aws:iam::*:root" },
    { AWS: "arn:aws:s3:::bucket" },
    { Federated: "" },
  ]) {
    rejects(resourcePolicy({ Principal: principal }), messages.policyUnsupportedPrincipal);
  }
});

test("malformed service principals", () => {
  for (const service of ["secretsmanager", "*", "*.amazonaws.com", "Secrets Manager.amazonaws.com", ""]) {
    rejects(resourcePolicy({ Principal: { Service: service } }), messages.policyInvalidServicePrincipal);
  }
});

test("principal values of the wrong type", () => {
  rejects(resourcePolicy({ Principal: { AWS: 111122223333 } }), policyMessages.wrongType("Principal.AWS", "a string or an array of strings"));
  rejects(resourcePolicy({ Principal: undefined, NotPrincipal: { AWS: [ACCOUNT, 1] } }), policyMessages.wrongType("NotPrincipal.AWS", "a string or an array of strings"));
});

test("wrong value types for Action, Resource, Sid and Id", () => {
  const list = "a string or an array of strings";
  rejects(resourcePolicy({ Action: { secretsmanager: "GetSecretValue" } }), policyMessages.wrongType("Action", list));
  rejects(resourcePolicy({ Action: undefined, NotAction: 7 }), policyMessages.wrongType("NotAction", list));
  rejects(resourcePolicy({ Resource: [SECRET, null] }), policyMessages.wrongType("Resource", list));
  rejects(resourcePolicy({ Sid: 1 }), policyMessages.wrongType("Sid", "a string"));
  rejects(resourcePolicy({}, { Id: ["x"] }), policyMessages.wrongType("Id", "a string"));
});

test("malformed Condition blocks", () => {
  rejects(resourcePolicy({ Condition: "aws:SourceIp" }), policyMessages.wrongType("Condition", "an object"));
  rejects(resourcePolicy({ Condition: { StringEquals: "x" } }), policyMessages.wrongType("Condition.StringEquals", "an object"));
  rejects(
    resourcePolicy({ Condition: { StringEquals: { "aws:SourceAccount": { nested: true } } } }),
    policyMessages.wrongType("Condition.StringEquals.aws:SourceAccount", "a string, number or boolean, or an array of them"),
  );
  rejects(
    resourcePolicy({ Condition: { StringEquals: { "aws:SourceAccount": [ACCOUNT, null] } } }),
    policyMessages.wrongType("Condition.StringEquals.aws:SourceAccount", "a string, number or boolean, or an array of them"),
  );
});

test("unknown condition operators and keys without a vendor", () => {
  rejects(resourcePolicy({ Condition: { StringEqual: { "aws:SourceAccount": ACCOUNT } } }), policyMessages.invalidConditionOperator("StringEqual"));
  rejects(resourcePolicy({ Condition: { NullIfExists: { "aws:SourceAccount": "true" } } }), policyMessages.invalidConditionOperator("NullIfExists"));
  rejects(resourcePolicy({ Condition: { StringEquals: { SourceAccount: ACCOUNT } } }), policyMessages.missingVendor);
});

test("the same operator spelled twice is refused", () => {
  rejects(
    resourcePolicy({ Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, stringequals: { "aws:SourceVpc": "vpc-1" } } }),
    policyMessages.syntaxErrors,
  );
});

test("unknown statement keys", () => {
  rejects(resourcePolicy({ effect: "Allow" }), policyMessages.unknownField("effect"));
  rejects(resourcePolicy({ Comment: "why" }), policyMessages.unknownField("Comment"));
});

test("duplicate Sid", () => {
  const statement = JSON.parse(resourcePolicy({ Sid: "Same" })).Statement;
  rejects(JSON.stringify({ Version: "2012-10-17", Statement: [statement, { ...statement, Effect: "Deny" }] }), policyMessages.duplicateSid);
});

test("identity policies reject non-alphanumeric Sids; resource policies allow them", () => {
  rejects(identityPolicy({ Sid: "read access" }), policyMessages.sidNotAlphanumeric, "identity");
  assert.doesNotThrow(() => parsePolicyDocument(resourcePolicy({ Sid: "read access" }), "resource"));
});
