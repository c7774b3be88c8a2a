// Action, resource and principal matching (security spec §3.1, §3.2; IAM User Guide, "Action", "Resource",
// "Principal" elements): table rows through the evaluator, then the matchers directly.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ACCOUNT,
  GET,
  OTHER_ACCOUNT,
  SECRET,
  allowAll,
  allowStatement,
  anonymous,
  denyStatement,
  grant,
  holds,
  identityPolicy,
  resourcePolicy,
  root,
  roleArn,
  rootArn,
  runRows,
  secretArn,
  service,
  session,
  sessionArn,
  user,
  userArn,
} from "./evaluation-fixtures.js";
import type { Row } from "./evaluation-fixtures.js";
import { compileActionPattern, compileArnPattern, compileGlob } from "./matching.js";
import type { Principal } from "./request.js";

const NO_VARS = { scalar: () => undefined };

const actionRow = (name: string, cite: string, action: unknown, yes: boolean, requested = GET): Row => ({
  name,
  cite,
  expect: holds(yes),
  request: { action: requested, identityPolicies: [identityPolicy(allowStatement({ Action: action }))] },
});

const notActionRow = (name: string, cite: string, notAction: unknown, yes: boolean, requested = GET): Row => ({
  name,
  cite,
  expect: holds(yes),
  request: { action: requested, identityPolicies: [identityPolicy({ Effect: "Allow", NotAction: notAction, Resource: "*" })] },
});

const actionRows: Row[] = [
  actionRow("exact action", "§3.2 Action", GET, true),
  actionRow("action is case-insensitive", "§3.4 truth table", "SecretsManager:getsecretvalue", true),
  actionRow("request action in another case", "§3.2 Action case-insensitive", GET, true, "SECRETSMANAGER:GETSECRETVALUE"),
  actionRow("service wildcard", "§3.2 Action", "secretsmanager:*", true),
  actionRow("all actions", "§3.2 \"*\" = all actions", "*", true),
  actionRow("prefix wildcard", "§3.2 Action *", "secretsmanager:Get*", true),
  actionRow("inner wildcard", "§3.2 Action *", "secretsmanager:Get*Value", true),
  actionRow("single-character wildcard", "§3.2 Action ?", "secretsmanager:GetSecret?alue", true),
  actionRow("two ? need two characters", "§3.2 Action ?", "secretsmanager:GetSecret??alue", false),
  actionRow("other action family", "§3.2 Action", "secretsmanager:Describe*", false),
  actionRow("other service", "§3.2 Action", "kms:*", false),
  actionRow("wildcard in the service prefix", "§3.2 Action *", "secrets*:GetSecretValue", true),
  actionRow("trailing * may match nothing", "§3.2 Action *", "secretsmanager:GetSecretValue*", true),
  actionRow("a prefix is not a match", "§3.2 Action", "secretsmanager:GetSecret", false),
  actionRow("list of actions is OR", "§3.2 Action list", ["kms:Decrypt", GET], true),
  actionRow("kms action requested", "§3.2 Action", "kms:Decrypt", true, "kms:Decrypt"),
  actionRow("kms:ReEncrypt* covers ReEncryptFrom", "§3.7 ReEncrypt*", "kms:ReEncrypt*", true, "kms:ReEncryptFrom"),
  notActionRow("NotAction on another action", "§3.2 NotAction", "secretsmanager:DeleteSecret", true),
  notActionRow("NotAction on this service", "§3.2 NotAction", "secretsmanager:*", false),
  notActionRow("NotAction grants other services too", "§3.2 NotAction with Allow", "kms:*", true),
  notActionRow("NotAction list containing the action", "§3.2 NotAction", ["kms:*", "secretsmanager:Get*"], false),
  notActionRow("NotAction is case-insensitive", "§3.2 NotAction", "SECRETSMANAGER:GETSECRETVALUE", false),
  {
    name: "Deny with NotAction covers every other action",
    cite: "§3.2 NotAction + §3.8 explicit deny",
    expect: "ExplicitDeny",
    request: { identityPolicies: [allowAll(), identityPolicy({ Effect: "Deny", NotAction: "secretsmanager:Describe*", Resource: "*" })] },
  },
  {
    name: "Deny with NotAction spares the listed actions",
    cite: "§3.2 NotAction + §3.8 explicit deny",
    expect: "Allow",
    request: {
      action: "secretsmanager:DescribeSecret",
      identityPolicies: [allowAll(), identityPolicy({ Effect: "Deny", NotAction: "secretsmanager:Describe*", Resource: "*" })],
    },
  },
];

const P = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:`;

const resourceRow = (name: string, cite: string, pattern: unknown, yes: boolean, target = SECRET, action = GET): Row => ({
  name,
  cite,
  expect: holds(yes),
  request: { action, resource: target, identityPolicies: [identityPolicy({ Effect: "Allow", Action: action, Resource: pattern })] },
});

const notResourceRow = (name: string, cite: string, pattern: unknown, yes: boolean): Row => ({
  name,
  cite,
  expect: holds(yes),
  request: { identityPolicies: [identityPolicy({ Effect: "Allow", Action: GET, NotResource: pattern })] },
});

const resourceRows: Row[] = [
  resourceRow("Resource *", "§3.2 \"*\" matches everything", "*", true),
  resourceRow("exact ARN", "§3.2 Resource", SECRET, true),
  resourceRow("six ? for the random suffix", "§3.4 truth table", `${P}prod/db-??????`, true),
  resourceRow("five ? are too few", "§3.2 ? one character", `${P}prod/db-?????`, false),
  resourceRow("resources are case-sensitive", "§3.4 truth table", `${P}PROD/*`, false),
  resourceRow("suffix case matters", "§3.2 Resource case-sensitive", `${P}prod/db-AbCdEF`, false),
  resourceRow("name without the suffix", "§3.2 Resource", `${P}prod/db`, false),
  resourceRow("prefix with *", "§3.2 Resource", `${P}prod/*`, true),
  resourceRow("* spans slashes in the resource part", "§3.2 may span '/'", `${P}prod*`, true),
  resourceRow("* in the middle of the name", "§3.2 Resource", `${P}*/db-*`, true),
  resourceRow("* on both sides of the name", "§3.2 Resource", `${P}*db*`, true),
  resourceRow("any region", "IAM UG Resource: wildcards within segments", `arn:aws:secretsmanager:*:${ACCOUNT}:secret:prod/*`, true),
  resourceRow("any account", "IAM UG Resource: wildcards within segments", "arn:aws:secretsmanager:us-east-1:*:secret:*", true),
  resourceRow("? in the region", "IAM UG Resource: wildcards within segments", `arn:aws:secretsmanager:us-?ast-1:${ACCOUNT}:secret:*`, true),
  resourceRow("trailing ? in the region", "IAM UG Resource: wildcards within segments", `arn:aws:secretsmanager:us-east-?:${ACCOUNT}:secret:*`, true),
  resourceRow("other region", "§3.2 Resource", `arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:*`, false),
  resourceRow("other account", "§3.2 Resource", `arn:aws:secretsmanager:us-east-1:${OTHER_ACCOUNT}:secret:*`, false),
  resourceRow("other partition", "§3.2 Resource", `arn:aws-cn:secretsmanager:us-east-1:${ACCOUNT}:secret:*`, false),
  resourceRow("resource part * spans the colon after secret", "§3.2 may span ':'", "arn:aws:secretsmanager:*:*:*", true),
  resourceRow("wildcards in every component", "IAM UG Resource: wildcards within segments", "arn:aws:*:*:*:secret:*", true),
  resourceRow("region * does not swallow the account", "IAM UG Resource: wildcards within segments", "arn:aws:secretsmanager:*:secret:*", false),
  resourceRow("a KMS key pattern does not cover a secret", "§3.2 Resource", `arn:aws:kms:us-east-1:${ACCOUNT}:key/*`, false),
  resourceRow("list of resources is OR", "§3.2 Resource list", [`arn:aws:kms:us-east-1:${ACCOUNT}:key/*`, `${P}prod/*`], true),
  resourceRow("ListSecrets is authorised against *", "§3.2 actions without resource → *", "*", true, "*", "secretsmanager:ListSecrets"),
  resourceRow("ListSecrets needs Resource *", "§3.2 actions without resource → *", `${P}*`, false, "*", "secretsmanager:ListSecrets"),
  resourceRow("a secret ARN with an unusual name", "§3.2 Resource", `${P}team:a/*`, true, secretArn("team:a/b-AbCdEf")),
  notResourceRow("NotResource naming this secret", "§3.2 NotResource", SECRET, false),
  notResourceRow("NotResource naming another secret", "§3.2 NotResource", `${P}other-??????`, true),
  notResourceRow("NotResource pattern covering this secret", "§3.2 NotResource", `${P}prod/*`, false),
  notResourceRow("NotResource list, none covering", "§3.2 NotResource", [`${P}a/*`, `${P}b/*`], true),
  {
    name: "Deny with NotResource protects everything else",
    cite: "§3.2 NotResource + §3.8 explicit deny",
    expect: "ExplicitDeny",
    request: { identityPolicies: [allowAll(), identityPolicy({ Effect: "Deny", Action: "*", NotResource: `${P}sandbox/*` })] },
  },
  {
    name: "resource policy statement without Resource covers its secret",
    cite: "§3.1 Resource optional in resource policies",
    expect: "Allow",
    request: { resourcePolicy: resourcePolicy({ Effect: "Allow", Principal: { AWS: userArn("alice") }, Action: GET }) },
  },
];

/** Same-account resource policy only, no identity policy: Allow means the principal element granted directly. */
const principalRow = (name: string, cite: string, principal: unknown, caller: Principal, expect: Row["expect"], extra: Partial<Row["request"]> = {}): Row => ({
  name,
  cite,
  expect,
  request: { principal: caller, resourcePolicy: resourcePolicy(grant(principal)), ...extra },
});

const alice = user("alice");
const appSession = session("app", "s1");

const principalRows: Row[] = [
  principalRow("Principal \"*\"", "§3.8 note: \"*\" is a direct grant", "*", alice, "Allow"),
  principalRow("{AWS:\"*\"}", "§3.1 principal table", { AWS: "*" }, alice, "Allow"),
  principalRow("user ARN, that user", "§3.8 iam-simulate table", { AWS: userArn("alice") }, alice, "Allow"),
  principalRow("user ARN, another user", "§3.1 principal table", { AWS: userArn("alice") }, user("bob"), "ImplicitDeny"),
  principalRow("user ARN with a path", "§3.1 principal table", { AWS: `arn:aws:iam::${ACCOUNT}:user/dev/alice` }, user("alice", ACCOUNT, { arn: `arn:aws:iam::${ACCOUNT}:user/dev/alice` }), "Allow"),
  principalRow("user name is case-sensitive", "§3.1 user-name part case-sensitive", { AWS: userArn("Alice") }, alice, "ImplicitDeny"),
  principalRow("account id alone grants nothing", "§3.8 note: account root delegates to IAM", { AWS: ACCOUNT }, alice, "ImplicitDeny"),
  principalRow("account id plus identity allow", "§3.8 step 6", { AWS: ACCOUNT }, alice, "Allow", { identityPolicies: [identityPolicy(allowStatement())] }),
  principalRow("root ARN alone grants nothing", "§3.8 iam-simulate table", { AWS: rootArn() }, alice, "ImplicitDeny"),
  principalRow("root ARN plus identity allow", "§3.8 step 6", { AWS: rootArn() }, alice, "Allow", { identityPolicies: [identityPolicy(allowStatement())] }),
  principalRow("role ARN, a session of the role", "§3.8 step 6: role ARN grant", { AWS: roleArn("app") }, appSession, "Allow"),
  principalRow("role ARN, a session of another role", "§3.1 principal table", { AWS: roleArn("app") }, session("other", "s1"), "ImplicitDeny"),
  principalRow("role ARN with a path", "§3.1 principal table", { AWS: `arn:aws:iam::${ACCOUNT}:role/svc/app` }, session("app", "s1", ACCOUNT, { roleArn: `arn:aws:iam::${ACCOUNT}:role/svc/app` }), "Allow"),
  principalRow("session ARN, that session", "§3.1 principal table", { AWS: sessionArn("app", "s1") }, appSession, "Allow"),
  principalRow("session ARN, another session", "§3.1 principal table", { AWS: sessionArn("app", "s1") }, session("app", "s2"), "ImplicitDeny"),
  principalRow("role ARN does not name an IAM user", "§3.1 principal table", { AWS: roleArn("alice") }, alice, "ImplicitDeny"),
  principalRow("another account grants nothing to this account's users", "§3.1 principal table", { AWS: OTHER_ACCOUNT }, alice, "ImplicitDeny"),
  principalRow("identity allow needs no resource policy in the same account", "§3.8 step 6", { AWS: OTHER_ACCOUNT }, alice, "Allow", { identityPolicies: [identityPolicy(allowStatement())] }),
  principalRow("list of principals is OR", "§3.1 principal table", { AWS: [userArn("bob"), userArn("alice")] }, alice, "Allow"),
  principalRow("service principal, that service", "§3.1 Service principal", { Service: "secretsmanager.amazonaws.com" }, service("secretsmanager.amazonaws.com"), "Allow"),
  principalRow("service principal, another service", "§3.1 Service principal", { Service: "secretsmanager.amazonaws.com" }, service("lambda.amazonaws.com"), "ImplicitDeny"),
  principalRow("service principal does not name users", "§3.1 Service principal", { Service: "secretsmanager.amazonaws.com" }, alice, "ImplicitDeny"),
  principalRow("\"*\" covers service principals", "§3.1 \"*\" = everyone", "*", service("lambda.amazonaws.com"), "Allow"),
  principalRow("\"*\" covers anonymous callers", "§3.1 \"*\" includes anonymous", "*", anonymous(), "Allow"),
  principalRow("{AWS:\"*\"} does not cover anonymous callers", "§3.1 only bare \"*\" covers anonymous", { AWS: "*" }, anonymous(), "ImplicitDeny"),
  principalRow("anonymous callers are not an account", "§3.1 principal table", { AWS: ACCOUNT }, anonymous(), "ImplicitDeny"),
  principalRow("root in its own account needs no policy", "§3.8 note: root", { AWS: userArn("bob") }, root(), "Allow"),
  {
    name: "root is stopped by an explicit resource-policy deny",
    cite: "§3.8 note: root unless explicit deny",
    expect: "ExplicitDeny",
    request: { principal: root(), resourcePolicy: resourcePolicy({ ...denyStatement(), Principal: "*" }) },
  },
  {
    name: "root of another account needs the resource policy",
    cite: "§3.8 cross account",
    expect: "ImplicitDeny",
    request: { principal: root(OTHER_ACCOUNT), resourcePolicy: resourcePolicy(grant({ AWS: userArn("bob") })) },
  },
  {
    name: "root of another account named by the resource policy",
    cite: "§3.8 cross account",
    expect: "Allow",
    request: { principal: root(OTHER_ACCOUNT), resourcePolicy: resourcePolicy(grant({ AWS: OTHER_ACCOUNT })) },
  },
  {
    name: "Deny naming the account applies to its users",
    cite: "§3.1 account principal covers its principals",
    expect: "ExplicitDeny",
    request: { identityPolicies: [allowAll()], resourcePolicy: resourcePolicy({ ...denyStatement(), Principal: { AWS: ACCOUNT } }) },
  },
  {
    name: "Deny naming another user does not apply",
    cite: "§3.2 Principal: statement does not apply if principal does not match",
    expect: "Allow",
    request: { identityPolicies: [allowAll()], resourcePolicy: resourcePolicy({ ...denyStatement(), Principal: { AWS: userArn("bob") } }) },
  },
];

runRows("matching: Action", actionRows);
runRows("matching: Resource", resourceRows);
runRows("matching: Principal", principalRows);

// ---- the matchers directly ----

test("glob: exact, any, prefix and general shapes", () => {
  const glob = (pattern: string) => compileGlob(pattern, { variables: false, wildcards: true, fold: false });
  assert.equal(glob("abc").test("abc", NO_VARS), true);
  assert.equal(glob("abc").test("abcd", NO_VARS), false);
  assert.equal(glob("*").test("", NO_VARS), true);
  assert.equal(glob("**").test("x", NO_VARS), true);
  assert.equal(glob("ab*").test("ab", NO_VARS), true);
  assert.equal(glob("ab*").test("a", NO_VARS), false);
  assert.equal(glob("*a*a*a").test("aaaa", NO_VARS), true);
  assert.equal(glob("*a*a*a").test("aab", NO_VARS), false);
  assert.equal(glob("a?c*").test("abcd", NO_VARS), true);
  assert.equal(glob("").test("", NO_VARS), true);
  assert.equal(glob("").test("a", NO_VARS), false);
});

test("glob: matching a range of a longer string", () => {
  const glob = compileGlob("b*d", { variables: false, wildcards: true, fold: false });
  assert.equal(glob.test("abcde", NO_VARS, 1, 4), true);
  assert.equal(glob.test("abcde", NO_VARS, 1, 5), false);
});

test("action patterns fold case on both sides (callers lower-case the action)", () => {
  const pattern = compileActionPattern("SecretsManager:Get*");
  assert.equal(pattern.test("secretsmanager:getsecretvalue", NO_VARS), true);
  assert.equal(pattern.test("kms:getkeypolicy", NO_VARS), false);
});

test("ARN patterns: components, shorter patterns and the resource part", () => {
  const arn = (pattern: string) => compileArnPattern(pattern, true);
  assert.equal(arn("arn:*").test(SECRET, NO_VARS), true);
  assert.equal(arn("arn:aws:secretsmanager:*").test(SECRET, NO_VARS), true);
  assert.equal(arn("arn:aws:kms:*").test(SECRET, NO_VARS), false);
  assert.equal(arn("*").test("anything at all", NO_VARS), true);
  assert.equal(arn("arn:aws:lambda:us-east-1:1:function:f:*").test("arn:aws:lambda:us-east-1:1:function:f:live", NO_VARS), true);
  assert.equal(arn("arn:aws:iam::*:root").test("arn:aws:iam::1:role/x", NO_VARS), false);
  assert.equal(arn("arn:aws:iam::*:root").test("arn:aws:iam:1:root", NO_VARS), false);
});

test("ARN patterns: a whole-ARN variable is split after substitution", () => {
  const pattern = compileArnPattern("${aws:sourcearn}", true);
  const vars = { scalar: (key: string) => (key === "aws:sourcearn" ? "arn:aws:s3:::bucket" : undefined) };
  assert.equal(pattern.test("arn:aws:s3:::bucket", vars), true);
  assert.equal(pattern.test("arn:aws:s3:::other", vars), false);
  assert.equal(pattern.test("arn:aws:s3:::bucket", NO_VARS), false);
});
