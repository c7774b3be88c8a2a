// Policy variables (security spec §3.3, §3.5; IAM User Guide, "IAM policy elements: Variables and tags"):
// table rows through the evaluator, then the tokenizer itself.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ACCOUNT,
  OTHER_ACCOUNT,
  SECRET,
  allowAll,
  allowStatement,
  denyStatement,
  grant,
  holds,
  identityPolicy,
  identityPolicy2008,
  resourcePolicy,
  root,
  runRows,
  secretArn,
  session,
  user,
  userArn,
} from "./evaluation-fixtures.js";
import type { Row } from "./evaluation-fixtures.js";
import type { Principal } from "./request.js";
import { literalText, substitute, tokenize } from "./variables.js";
import type { Token } from "./variables.js";

type Context = Record<string, string | string[]>;

const T = "aws:ResourceTag/team";
const SA = "aws:SourceArn";
const LAMBDA = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:rotator`;
const SECRET_PREFIX = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:`;

const tagged = (tags: Record<string, string>, base: Principal = user()): Principal => ({ ...base, tags });

/** Identity policy allowing GetSecretValue on `pattern`; the request targets `resource`. */
const onResource = (name: string, cite: string, pattern: string, principal: Principal, resource: string, yes: boolean): Row => ({
  name,
  cite,
  expect: holds(yes),
  request: { principal, resource, identityPolicies: [identityPolicy(allowStatement({ Resource: pattern }))] },
});

const withCondition = (
  name: string,
  cite: string,
  condition: Record<string, unknown>,
  principal: Principal,
  context: Context,
  yes: boolean,
): Row => ({
  name,
  cite,
  expect: holds(yes),
  request: { principal, context, identityPolicies: [identityPolicy(allowStatement({ Condition: condition }))] },
});

const op = (operator: string, key: string, values: unknown): Record<string, unknown> => ({ [operator]: { [key]: values } });

const prod = user("prod");
const alice = user("alice");

const resourceRows: Row[] = [
  onResource("${aws:username} in Resource", "§3.4 truth table", `${SECRET_PREFIX}\${aws:username}/*`, prod, SECRET, true),
  onResource("${aws:username} of another user", "§3.3", `${SECRET_PREFIX}\${aws:username}/*`, alice, SECRET, false),
  onResource("${aws:username} for a role session (absent)", "§3.3 absent key → unmatchable; §3.5 no username for sessions", `${SECRET_PREFIX}\${aws:username}/*`, session(), SECRET, false),
  onResource("variable key names are case-insensitive", "§3.3 key names case-insensitive", `${SECRET_PREFIX}\${AWS:UserName}/*`, prod, SECRET, true),
  onResource("${aws:userid} of a user", "§3.5 aws:userid", `${SECRET_PREFIX}\${aws:userid}-??????`, alice, secretArn("AIDAALICEEXAMPLE-AbCdEf"), true),
  onResource("${aws:PrincipalTag/team} present", "§3.3 aws:PrincipalTag", `${SECRET_PREFIX}\${aws:PrincipalTag/team}/*`, tagged({ team: "prod" }), SECRET, true),
  onResource("${aws:PrincipalTag/team} absent", "§3.3 absent key → unmatchable", `${SECRET_PREFIX}\${aws:PrincipalTag/team}/*`, alice, SECRET, false),
  onResource("principal tag key is case-insensitive", "§3.4 tag keys case-insensitive", `${SECRET_PREFIX}\${aws:principaltag/TEAM}/*`, tagged({ team: "prod" }), SECRET, true),
  onResource("default used when the tag is absent", "§3.3 default value", `${SECRET_PREFIX}\${aws:PrincipalTag/team, 'prod'}/*`, alice, SECRET, true),
  onResource("tag value wins over the default", "§3.3 default value", `${SECRET_PREFIX}\${aws:PrincipalTag/team, 'shared'}/*`, tagged({ team: "prod" }), SECRET, true),
  onResource("default that does not fit", "§3.3 default value", `${SECRET_PREFIX}\${aws:PrincipalTag/team, 'shared'}/*`, alice, SECRET, false),
  onResource("default without a space after the comma", "§3.3 default value", `${SECRET_PREFIX}\${aws:PrincipalTag/team,'prod'}/*`, alice, SECRET, true),
  onResource("variable in the account component", "§3.2 variables substituted before matching", `arn:aws:secretsmanager:us-east-1:\${aws:PrincipalAccount}:secret:*`, alice, SECRET, true),
  onResource("${*} is a literal star in Resource", "§3.2 ${*} literal", `${SECRET_PREFIX}a\${*}b-*`, alice, secretArn("a*b-AbCdEf"), true),
  onResource("${*} is not a wildcard in Resource", "§3.2 ${*} literal", `${SECRET_PREFIX}a\${*}b-*`, alice, secretArn("axb-AbCdEf"), false),
  onResource("${?} is a literal question mark", "§3.2 ${?} literal", `${SECRET_PREFIX}a\${?}b`, alice, secretArn("a?b"), true),
  onResource("${?} is not a wildcard", "§3.2 ${?} literal", `${SECRET_PREFIX}a\${?}b`, alice, secretArn("axb"), false),
  onResource("${$} is a literal dollar", "§3.2 ${$} literal", `${SECRET_PREFIX}cost\${$}`, alice, secretArn("cost$"), true),
  {
    name: "NotResource with ${aws:username}: other prefix",
    cite: "§3.2 NotResource + §3.3",
    expect: "Allow",
    request: { principal: alice, identityPolicies: [identityPolicy({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", NotResource: `${SECRET_PREFIX}\${aws:username}/*` })] },
  },
  {
    name: "NotResource with ${aws:username}: own prefix",
    cite: "§3.2 NotResource + §3.3",
    expect: "ImplicitDeny",
    request: { principal: prod, identityPolicies: [identityPolicy({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", NotResource: `${SECRET_PREFIX}\${aws:username}/*` })] },
  },
  {
    name: "variable resolves to the caller's account, not the secret's",
    cite: "§3.3 + §3.8 cross account",
    expect: "ImplicitDeny",
    reason: "because no identity-based policy allows the secretsmanager:GetSecretValue action",
    request: {
      principal: user("alice", OTHER_ACCOUNT),
      identityPolicies: [identityPolicy(allowStatement({ Resource: "arn:aws:secretsmanager:*:${aws:PrincipalAccount}:secret:*" }))],
      resourcePolicy: resourcePolicy(grant({ AWS: OTHER_ACCOUNT })),
    },
  },
];

const version2008Rows: Row[] = [
  {
    name: "Version 2008-10-17: ${aws:username} is literal text",
    cite: "§3.3 only honoured with 2012-10-17",
    expect: "ImplicitDeny",
    request: { principal: prod, identityPolicies: [identityPolicy2008(allowStatement({ Resource: `${SECRET_PREFIX}\${aws:username}/*` }))] },
  },
  {
    name: "Version 2008-10-17: the literal text matches itself",
    cite: "§3.3 only honoured with 2012-10-17",
    expect: "Allow",
    request: {
      principal: prod,
      resource: secretArn("${aws:username}/db"),
      identityPolicies: [identityPolicy2008(allowStatement({ Resource: `${SECRET_PREFIX}\${aws:username}/*` }))],
    },
  },
  {
    name: "Version 2008-10-17: condition value is literal",
    cite: "§3.3 only honoured with 2012-10-17",
    expect: "ImplicitDeny",
    request: {
      principal: tagged({ team: "blue" }),
      context: { [T]: "blue" },
      identityPolicies: [identityPolicy2008(allowStatement({ Condition: op("StringEquals", T, "${aws:PrincipalTag/team}") }))],
    },
  },
  {
    name: "Version 2008-10-17: condition literal matches itself",
    cite: "§3.3 only honoured with 2012-10-17",
    expect: "Allow",
    request: {
      context: { [T]: "${aws:PrincipalTag/team}" },
      identityPolicies: [identityPolicy2008(allowStatement({ Condition: op("StringEquals", T, "${aws:PrincipalTag/team}") }))],
    },
  },
];

const conditionRows: Row[] = [
  withCondition("ResourceTag equals PrincipalTag", "IAM UG ABAC with policy variables", op("StringEquals", T, "${aws:PrincipalTag/team}"), tagged({ team: "blue" }), { [T]: "blue" }, true),
  withCondition("ResourceTag differs from PrincipalTag", "IAM UG ABAC with policy variables", op("StringEquals", T, "${aws:PrincipalTag/team}"), tagged({ team: "blue" }), { [T]: "red" }, false),
  withCondition("principal tag missing", "§3.3 absent key → unmatchable", op("StringEquals", T, "${aws:PrincipalTag/team}"), alice, { [T]: "blue" }, false),
  withCondition("principal tag missing, default fits", "§3.4 truth table", op("StringEquals", T, "${aws:PrincipalTag/team, 'none'}"), alice, { [T]: "none" }, true),
  withCondition("principal tag missing is not the empty string", "§3.4 truth table", op("StringEquals", T, "${aws:PrincipalTag/team}"), alice, { [T]: "" }, false),
  withCondition("StringNotEquals against a variable without value", "IAM UG: a variable with no value has no equal value", op("StringNotEquals", T, "${aws:PrincipalTag/team}"), alice, { [T]: "blue" }, true),
  withCondition("StringLike with ${aws:username} prefix", "IAM UG variables in condition values", op("StringLike", "secretsmanager:Name", "${aws:username}/*"), alice, { "secretsmanager:Name": "alice/db" }, true),
  withCondition("StringLike with someone else's prefix", "IAM UG variables in condition values", op("StringLike", "secretsmanager:Name", "${aws:username}/*"), alice, { "secretsmanager:Name": "bob/db" }, false),
  withCondition("variable from a resource tag", "§3.3 aws:ResourceTag variable", op("StringEquals", "aws:PrincipalTag/team", "${aws:ResourceTag/team}"), tagged({ team: "blue" }), { [T]: "blue" }, true),
  withCondition("StringEqualsIgnoreCase with a variable", "§3.3 String operators", op("StringEqualsIgnoreCase", T, "${aws:PrincipalTag/team}"), tagged({ team: "BLUE" }), { [T]: "blue" }, true),
  withCondition("${*} in StringLike matches a literal star", "§3.4 truth table", op("StringLike", T, "a${*}b"), alice, { [T]: "a*b" }, true),
  withCondition("${*} in StringLike is not a wildcard", "§3.4 truth table", op("StringLike", T, "a${*}b"), alice, { [T]: "axb" }, false),
  withCondition("${?} in StringLike matches a literal ?", "§3.2 ${?} literal", op("StringLike", T, "a${?}b"), alice, { [T]: "a?b" }, true),
  withCondition("${?} in StringLike is not a wildcard", "§3.2 ${?} literal", op("StringLike", T, "a${?}b"), alice, { [T]: "axb" }, false),
  withCondition("${$} in StringEquals", "§3.2 ${$} literal", op("StringEquals", T, "cost${$}"), alice, { [T]: "cost$" }, true),
  withCondition("not substituted in Numeric values", "§3.3 not in Numeric", op("NumericEquals", "secretsmanager:RecoveryWindowInDays", "${aws:PrincipalTag/days}"), tagged({ days: "7" }), { "secretsmanager:RecoveryWindowInDays": "7" }, false),
  withCondition("not substituted in IpAddress values", "§3.3 not in IpAddress", op("IpAddress", "aws:SourceIp", "${aws:PrincipalTag/cidr}"), tagged({ cidr: "10.0.0.0/8" }), { "aws:SourceIp": "10.1.1.1" }, false),
  withCondition("not substituted in Date values", "§3.3 not in Date", op("DateLessThan", "aws:CurrentTime", "${aws:PrincipalTag/until}"), tagged({ until: "2030-01-01T00:00:00Z" }), { "aws:CurrentTime": "2024-01-01T00:00:00Z" }, false),
  withCondition("substituted in Bool values", "§3.3 Bool allowed", op("Bool", "aws:MultiFactorAuthPresent", "${aws:PrincipalTag/mfa}"), tagged({ mfa: "true" }), { "aws:MultiFactorAuthPresent": "true" }, true),
  withCondition("ArnLike with ${aws:PrincipalAccount}", "§3.3 ARN operators", op("ArnLike", SA, "arn:aws:lambda:*:${aws:PrincipalAccount}:function:*"), alice, { [SA]: LAMBDA }, true),
  withCondition("ArnLike with ${aws:PrincipalAccount}, other account", "§3.3 ARN operators", op("ArnLike", SA, "arn:aws:lambda:*:${aws:PrincipalAccount}:function:*"), alice, { [SA]: LAMBDA.replace(ACCOUNT, OTHER_ACCOUNT) }, false),
  withCondition("ArnEquals a whole-ARN variable", "§3.3 ARN operators", op("ArnEquals", SA, "${aws:PrincipalArn}"), alice, { [SA]: userArn("alice") }, true),
  withCondition("ArnEquals a whole-ARN variable, other ARN", "§3.3 ARN operators", op("ArnEquals", SA, "${aws:PrincipalArn}"), alice, { [SA]: userArn("bob") }, false),
  {
    name: "Deny unless ResourceTag equals PrincipalTag: untagged principal",
    cite: "IAM UG: a variable with no value has no equal value",
    expect: "ExplicitDeny",
    request: {
      context: { [T]: "blue" },
      identityPolicies: [allowAll(), identityPolicy(denyStatement({ Condition: op("StringNotEquals", T, "${aws:PrincipalTag/team}") }))],
    },
  },
];

/** §3.5: principal-dependent keys exist without being put in the context. */
const principalKeyRows: Row[] = [
  withCondition("aws:username of a user", "§3.5", op("StringEquals", "aws:username", "alice"), alice, {}, true),
  withCondition("aws:username is absent for sessions", "§3.5", op("Null", "aws:username", "true"), session(), {}, true),
  withCondition("aws:PrincipalType of a user", "§3.5", op("StringEquals", "aws:PrincipalType", "User"), alice, {}, true),
  withCondition("aws:PrincipalType of a session", "§3.5", op("StringEquals", "aws:PrincipalType", "AssumedRole"), session(), {}, true),
  withCondition("aws:PrincipalArn of a session is the role ARN", "§3.5", op("ArnLike", "aws:PrincipalArn", "arn:aws:iam::${aws:PrincipalAccount}:role/*"), session(), {}, true),
  withCondition("aws:PrincipalArn of a session is not the session ARN", "§3.5", op("ArnLike", "aws:PrincipalArn", "arn:aws:sts::*:assumed-role/*"), session(), {}, false),
  withCondition("aws:userid of a session", "§3.5", op("StringLike", "aws:userid", "AROA*:s1"), session(), {}, true),
  withCondition("aws:PrincipalAccount", "§3.5", op("StringEquals", "aws:PrincipalAccount", ACCOUNT), alice, {}, true),
  withCondition("aws:PrincipalTag from the principal", "§3.5", op("StringEquals", "aws:PrincipalTag/team", "blue"), tagged({ team: "blue" }), {}, true),
  withCondition("a context value wins over the derived one", "§3.5 (context built by the caller)", op("StringEquals", "aws:PrincipalTag/team", "red"), tagged({ team: "blue" }), { "aws:PrincipalTag/team": "red" }, true),
  {
    name: "aws:PrincipalType of root is Account",
    cite: "§3.5",
    expect: "ExplicitDeny",
    request: { principal: root(), identityPolicies: [], resourcePolicy: resourcePolicy({ ...denyStatement(), Principal: "*", Condition: op("StringEquals", "aws:PrincipalType", "Account") }) },
  },
  {
    name: "aws:userid of root is the account id",
    cite: "§3.5",
    expect: "ExplicitDeny",
    request: { principal: root(), identityPolicies: [], resourcePolicy: resourcePolicy({ ...denyStatement(), Principal: "*", Condition: op("StringEquals", "aws:userid", ACCOUNT) }) },
  },
];

runRows("variables: Resource", resourceRows);
runRows("variables: Version", version2008Rows);
runRows("variables: Condition values", conditionRows);
runRows("variables: principal keys", principalKeyRows);

// ---- tokenizer ----

const FULL = { variables: true, wildcards: true };
const text = (value: string): Token => ({ kind: "text", text: value });

test("tokenize splits text, wildcards and references", () => {
  assert.deepEqual(tokenize("a*b?${aws:username}", FULL), [
    text("a"),
    { kind: "star" },
    text("b"),
    { kind: "one" },
    { kind: "var", key: "aws:username", fallback: undefined },
  ]);
});

test("tokenize reads defaults and lower-cases keys", () => {
  assert.deepEqual(tokenize("${aws:PrincipalTag/Team, 'company-wide'}", FULL), [
    { kind: "var", key: "aws:principaltag/team", fallback: "company-wide" },
  ]);
});

test("tokenize turns the escapes into literal text merged with neighbours", () => {
  assert.deepEqual(tokenize("a${*}b${?}c${$}", FULL), [text("a*b?c$")]);
});

test("tokenize without variables keeps ${…} as text and its star as a wildcard", () => {
  assert.deepEqual(tokenize("${*}", { variables: false, wildcards: true }), [text("${"), { kind: "star" }, text("}")]);
});

test("tokenize without wildcards keeps * and ? as text", () => {
  assert.deepEqual(tokenize("a*?", { variables: true, wildcards: false }), [text("a*?")]);
});

test("tokenize leaves malformed references as text", () => {
  assert.deepEqual(tokenize("${aws:username", { variables: true, wildcards: false }), [text("${aws:username")]);
  assert.deepEqual(tokenize("${}", { variables: true, wildcards: false }), [text("${}")]);
  assert.deepEqual(tokenize("${a, unquoted}", { variables: true, wildcards: false }), [text("${a, unquoted}")]);
});

test("substitute inlines values and fails on a reference without value", () => {
  const source = { scalar: (key: string) => (key === "aws:username" ? "alice" : undefined) };
  const tokens = tokenize("home/${aws:username}/*", FULL);
  assert.deepEqual(substitute(tokens, source), [text("home/alice/"), { kind: "star" }]);
  assert.equal(substitute(tokenize("${aws:userid}", FULL), source), undefined);
  assert.deepEqual(substitute(tokenize("${aws:userid, 'x'}", FULL), source), [text("x")]);
});

test("literalText is the plain value only without references or wildcards", () => {
  assert.equal(literalText(tokenize("abc", FULL)), "abc");
  assert.equal(literalText(tokenize("", FULL)), "");
  assert.equal(literalText(tokenize("a*", FULL)), undefined);
  assert.equal(literalText(tokenize("${aws:username}", FULL)), undefined);
});
