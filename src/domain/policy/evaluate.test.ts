// The evaluation algorithm (security spec §3.8), its two computed tables (§3.4 and §3.8 "Results computed with
// iam-simulate"), and the AccessDenied reason each denial carries (§3.9; the message texts themselves are in
// evaluate-explain.test.ts). Expectations follow the spec and the IAM User Guide ("Policy evaluation logic",
// "Cross-account policy evaluation logic", "Permissions boundaries", "Session policies"), not the implementation.
import {
  ACCOUNT,
  GET,
  OTHER_ACCOUNT,
  SECRET,
  allowAll,
  allowStatement,
  denyStatement,
  grant,
  identityPolicy,
  resourcePolicy,
  root,
  roleArn,
  rootArn,
  runRows,
  secretArn,
  session,
  sessionArn,
  user,
  userArn,
} from "./evaluation-fixtures.js";
import type { Row } from "./evaluation-fixtures.js";
import { explicitDenyReason, implicitDenyReason } from "./evaluate.js";

const DESCRIBE = "secretsmanager:DescribeSecret";
const NO_ID = implicitDenyReason("identity", GET);
const NO_RP = implicitDenyReason("resource", GET);
const NO_PB = implicitDenyReason("boundary", GET);
const NO_SP = implicitDenyReason("session", GET);
const DENY_ID = explicitDenyReason("identity");
const DENY_RP = explicitDenyReason("resource");
const DENY_PB = explicitDenyReason("boundary");
const DENY_SP = explicitDenyReason("session");

const allowGet = () => identityPolicy(allowStatement());
const allowSm = () => identityPolicy(allowStatement({ Action: "secretsmanager:*" }));
const allowDescribe = () => identityPolicy(allowStatement({ Action: DESCRIBE }));
const allowKms = () => identityPolicy({ Effect: "Allow", Action: "kms:*", Resource: "*" });
const denyGet = () => identityPolicy(denyStatement());

const alice = user("alice");
const app = session("app", "s1");
const crossAlice = user("alice", OTHER_ACCOUNT);
const crossApp = session("app", "s1", OTHER_ACCOUNT);

// ---- §3.8 "Results computed with iam-simulate", one row each ----

const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const DECRYPT = "kms:Decrypt";

const simulateTable: Row[] = [
  { name: "identity allows, same account", cite: "§3.8 table", expect: "Allow", request: { identityPolicies: [allowGet()] } },
  {
    name: "only same-account resource policy naming user/alice",
    cite: "§3.8 table",
    expect: "Allow",
    request: { resourcePolicy: resourcePolicy(grant({ AWS: userArn("alice") })) },
  },
  {
    name: "same-account resource policy naming account root only",
    cite: "§3.8 table",
    expect: "ImplicitDeny",
    reason: NO_ID,
    request: { resourcePolicy: resourcePolicy(grant({ AWS: rootArn() })) },
  },
  {
    name: "cross-account: identity (B) allows + resource policy (A) names account B",
    cite: "§3.8 table",
    expect: "Allow",
    request: { principal: crossAlice, identityPolicies: [allowGet()], resourcePolicy: resourcePolicy(grant({ AWS: OTHER_ACCOUNT })) },
  },
  {
    name: "cross-account: only resource policy",
    cite: "§3.8 table",
    expect: "ImplicitDeny",
    reason: NO_ID,
    request: { principal: crossAlice, resourcePolicy: resourcePolicy(grant({ AWS: OTHER_ACCOUNT })) },
  },
  {
    name: "cross-account: only identity policy",
    cite: "§3.8 table",
    expect: "ImplicitDeny",
    reason: NO_RP,
    request: { principal: crossAlice, identityPolicies: [allowGet()] },
  },
  {
    name: "identity secretsmanager:* + Deny GetSecretValue on the secret",
    cite: "§3.8 table",
    expect: "ExplicitDeny",
    reason: DENY_ID,
    request: { identityPolicies: [allowSm(), identityPolicy(denyStatement({ Resource: SECRET }))] },
  },
  {
    name: "Deny * if Bool aws:SecureTransport=false, plain HTTP",
    cite: "§3.8 table",
    expect: "ExplicitDeny",
    reason: DENY_RP,
    request: {
      context: { "aws:SecureTransport": "false" },
      identityPolicies: [allowGet()],
      resourcePolicy: resourcePolicy({ Effect: "Deny", Principal: "*", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    },
  },
  {
    name: "identity secretsmanager:*, boundary allows only DescribeSecret",
    cite: "§3.8 table",
    expect: "ImplicitDeny",
    reason: NO_PB,
    request: { identityPolicies: [allowSm()], permissionsBoundary: allowDescribe() },
  },
  {
    name: "same-account resource policy names the role, caller is a session, boundary excludes SM",
    cite: "§3.8 table",
    expect: "ImplicitDeny",
    reason: NO_PB,
    request: { principal: app, permissionsBoundary: allowKms(), resourcePolicy: resourcePolicy(grant({ AWS: roleArn("app") })) },
  },
  {
    name: "same-account resource policy names the session ARN, boundary excludes SM",
    cite: "§3.8 table",
    expect: "Allow",
    request: { principal: app, permissionsBoundary: allowKms(), resourcePolicy: resourcePolicy(grant({ AWS: sessionArn("app", "s1") })) },
  },
  {
    name: "session policy allows only DescribeSecret",
    cite: "§3.8 table",
    expect: "ImplicitDeny",
    reason: NO_SP,
    request: { principal: app, identityPolicies: [allowSm()], sessionPolicies: [allowDescribe()] },
  },
  {
    name: "resource policy Deny with NotPrincipal user/bob: caller alice",
    cite: "§3.8 table",
    expect: "ExplicitDeny",
    reason: DENY_RP,
    request: {
      identityPolicies: [allowGet()],
      resourcePolicy: resourcePolicy({ Effect: "Deny", NotPrincipal: { AWS: userArn("bob") }, Action: "*", Resource: "*" }),
    },
  },
  {
    name: "resource policy Deny with NotPrincipal user/bob: caller bob",
    cite: "§3.8 table",
    expect: "Allow",
    request: {
      principal: user("bob"),
      identityPolicies: [allowGet()],
      resourcePolicy: resourcePolicy({ Effect: "Deny", NotPrincipal: { AWS: userArn("bob") }, Action: "*", Resource: "*" }),
    },
  },
  {
    name: "resource policy Principal * + StringEquals aws:PrincipalOrgID, cross-account caller in org",
    cite: "§3.8 table",
    expect: "Allow",
    request: {
      principal: crossAlice,
      context: { "aws:PrincipalOrgID": "o-exampleorg" },
      identityPolicies: [allowGet()],
      resourcePolicy: resourcePolicy(grant("*", { Condition: { StringEquals: { "aws:PrincipalOrgID": "o-exampleorg" } } })),
    },
  },
  {
    name: "KMS: identity allows Decrypt, key policy grants account root",
    cite: "§3.8 table",
    expect: "Allow",
    request: {
      action: DECRYPT,
      resource: KEY,
      identityPolicies: [identityPolicy({ Effect: "Allow", Action: DECRYPT, Resource: "*" })],
      resourcePolicy: resourcePolicy({ Effect: "Allow", Principal: { AWS: rootArn() }, Action: "kms:*", Resource: "*" }),
      resourcePolicyMandatory: true,
    },
  },
  {
    name: "KMS: identity allows Decrypt, key policy names only another role",
    cite: "§3.8 table",
    expect: "ImplicitDeny",
    reason: implicitDenyReason("resource", DECRYPT),
    request: {
      action: DECRYPT,
      resource: KEY,
      identityPolicies: [identityPolicy({ Effect: "Allow", Action: DECRYPT, Resource: "*" })],
      resourcePolicy: resourcePolicy({ Effect: "Allow", Principal: { AWS: roleArn("admin") }, Action: "kms:*", Resource: "*" }),
      resourcePolicyMandatory: true,
    },
  },
];

// ---- §3.4 computed truth table, one row each ----

const T = "aws:ResourceTag/team";
const cond = (condition: Record<string, unknown>) => [identityPolicy(allowStatement({ Condition: condition }))];

const truthTable: Row[] = [
  { name: "Action SecretsManager:getsecretvalue", cite: "§3.4 table", expect: "Allow", request: { identityPolicies: [identityPolicy(allowStatement({ Action: "SecretsManager:getsecretvalue" }))] } },
  { name: "Resource …:secret:PROD/* vs prod/db-AbCdEf", cite: "§3.4 table", expect: "ImplicitDeny", request: { identityPolicies: [identityPolicy(allowStatement({ Resource: secretArn("PROD/*") }))] } },
  { name: "Resource …:secret:prod/db-??????", cite: "§3.4 table", expect: "Allow", request: { identityPolicies: [identityPolicy(allowStatement({ Resource: secretArn("prod/db-??????") }))] } },
  { name: "Resource …:secret:${aws:username}/* with username prod", cite: "§3.4 table", expect: "Allow", request: { principal: user("prod"), identityPolicies: [identityPolicy(allowStatement({ Resource: secretArn("${aws:username}/*") }))] } },
  { name: "StringEquals aws:ResourceTag/team = Blue, tag blue", cite: "§3.4 table", expect: "ImplicitDeny", request: { context: { [T]: "blue" }, identityPolicies: cond({ StringEquals: { [T]: "Blue" } }) } },
  { name: "StringEqualsIgnoreCase … = Blue, tag blue", cite: "§3.4 table", expect: "Allow", request: { context: { [T]: "blue" }, identityPolicies: cond({ StringEqualsIgnoreCase: { [T]: "Blue" } }) } },
  { name: "StringNotEquals aws:ResourceTag/team = red, no tag", cite: "§3.4 table", expect: "Allow", request: { identityPolicies: cond({ StringNotEquals: { [T]: "red" } }) } },
  { name: "StringEquals … = red, no tag", cite: "§3.4 table", expect: "ImplicitDeny", request: { identityPolicies: cond({ StringEquals: { [T]: "red" } }) } },
  { name: "StringEqualsIfExists … = red, no tag", cite: "§3.4 table", expect: "Allow", request: { identityPolicies: cond({ StringEqualsIfExists: { [T]: "red" } }) } },
  { name: "Null aws:ResourceTag/team = true, no tag", cite: "§3.4 table", expect: "Allow", request: { identityPolicies: cond({ Null: { [T]: "true" } }) } },
  { name: "NotIpAddress aws:SourceIp 10.0.0.0/8, key absent", cite: "§3.4 table", expect: "Allow", request: { identityPolicies: cond({ NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } }) } },
  { name: "ForAllValues:StringEquals aws:TagKeys [a,b], absent", cite: "§3.4 table", expect: "Allow", request: { identityPolicies: cond({ "ForAllValues:StringEquals": { "aws:TagKeys": ["a", "b"] } }) } },
  { name: "ForAllValues:StringEquals aws:TagKeys [a,b], [a,c]", cite: "§3.4 table", expect: "ImplicitDeny", request: { context: { "aws:TagKeys": ["a", "c"] }, identityPolicies: cond({ "ForAllValues:StringEquals": { "aws:TagKeys": ["a", "b"] } }) } },
  { name: "ForAnyValue:StringEquals aws:TagKeys [a], absent", cite: "§3.4 table", expect: "ImplicitDeny", request: { identityPolicies: cond({ "ForAnyValue:StringEquals": { "aws:TagKeys": ["a"] } }) } },
  { name: "StringEquals team=blue AND env=prod, env=dev", cite: "§3.4 table", expect: "ImplicitDeny", request: { context: { [T]: "blue", "aws:ResourceTag/env": "dev" }, identityPolicies: cond({ StringEquals: { [T]: "blue", "aws:ResourceTag/env": "prod" } }) } },
  { name: "StringEquals tag = ${aws:PrincipalTag/team, 'none'}, tag none, no principal tag", cite: "§3.4 table", expect: "Allow", request: { context: { [T]: "none" }, identityPolicies: cond({ StringEquals: { [T]: "${aws:PrincipalTag/team, 'none'}" } }) } },
  { name: "same without default, resource tag empty", cite: "§3.4 table", expect: "ImplicitDeny", request: { context: { [T]: "" }, identityPolicies: cond({ StringEquals: { [T]: "${aws:PrincipalTag/team}" } }) } },
  { name: "StringLike … = a${*}b, value a*b", cite: "§3.4 table", expect: "Allow", request: { context: { [T]: "a*b" }, identityPolicies: cond({ StringLike: { [T]: "a${*}b" } }) } },
  { name: "StringLike … = a${*}b, value axb", cite: "§3.4 table", expect: "ImplicitDeny", request: { context: { [T]: "axb" }, identityPolicies: cond({ StringLike: { [T]: "a${*}b" } }) } },
  { name: "DateLessThan aws:EpochTime 1735689600, 1717200000", cite: "§3.4 table", expect: "Allow", request: { context: { "aws:EpochTime": "1717200000" }, identityPolicies: cond({ DateLessThan: { "aws:EpochTime": "1735689600" } }) } },
  {
    name: "ForAnyValue:StringEquals secretsmanager:VersionStage AWSCURRENT, request without VersionStage",
    cite: "§3.4 table + quirk",
    expect: "ImplicitDeny",
    request: { resourcePolicy: resourcePolicy(grant({ AWS: userArn("alice") }, { Condition: { "ForAnyValue:StringEquals": { "secretsmanager:VersionStage": "AWSCURRENT" } } })) },
  },
];

// ---- same account: identity, boundary, session, resource policy ----

const sameAccount: Row[] = [
  { name: "no policies at all", cite: "§3.8 default deny", expect: "ImplicitDeny", reason: NO_ID, request: {} },
  { name: "identity allows another action only", cite: "§3.8 step 4", expect: "ImplicitDeny", reason: NO_ID, request: { identityPolicies: [allowDescribe()] } },
  { name: "identity allows in one of several policies", cite: "§3.8 step 4", expect: "Allow", request: { identityPolicies: [allowDescribe(), allowGet()] } },
  { name: "identity Deny beats identity Allow", cite: "§3.8 step 3", expect: "ExplicitDeny", reason: DENY_ID, request: { identityPolicies: [allowGet(), denyGet()] } },
  { name: "Deny and Allow in one policy", cite: "§3.8 step 3", expect: "ExplicitDeny", reason: DENY_ID, request: { identityPolicies: [identityPolicy(allowStatement(), denyStatement())] } },
  { name: "identity Deny on another action does not apply", cite: "§3.8 step 3", expect: "Allow", request: { identityPolicies: [allowGet(), identityPolicy(denyStatement({ Action: DESCRIBE }))] } },
  { name: "identity Deny beats a resource-policy user grant", cite: "§3.8 step 3", expect: "ExplicitDeny", reason: DENY_ID, request: { identityPolicies: [denyGet()], resourcePolicy: resourcePolicy(grant({ AWS: userArn("alice") })) } },
  { name: "resource Deny beats identity Allow", cite: "§3.8 step 3", expect: "ExplicitDeny", reason: DENY_RP, request: { identityPolicies: [allowGet()], resourcePolicy: resourcePolicy({ ...denyStatement(), Principal: "*" }) } },
  { name: "resource Deny beats resource Allow", cite: "§3.8 step 3", expect: "ExplicitDeny", reason: DENY_RP, request: { resourcePolicy: resourcePolicy(grant("*"), { ...denyStatement(), Principal: { AWS: userArn("alice") } }) } },
  { name: "resource Deny whose condition fails", cite: "§3.8 step 3", expect: "Allow", request: { identityPolicies: [allowGet()], resourcePolicy: resourcePolicy({ ...denyStatement(), Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }) } },
  { name: "resource policy grants user, no identity policy", cite: "§3.8 step 6", expect: "Allow", request: { resourcePolicy: resourcePolicy(grant({ AWS: userArn("alice") })) } },
  { name: "resource policy grants account, identity allows", cite: "§3.8 step 6", expect: "Allow", request: { identityPolicies: [allowGet()], resourcePolicy: resourcePolicy(grant({ AWS: ACCOUNT })) } },
  { name: "resource policy grants another action only", cite: "§3.8 step 6", expect: "ImplicitDeny", reason: NO_ID, request: { resourcePolicy: resourcePolicy(grant({ AWS: userArn("alice") }, { Action: DESCRIBE })) } },
  { name: "boundary and identity allow", cite: "IAM UG permissions boundaries", expect: "Allow", request: { identityPolicies: [allowGet()], permissionsBoundary: allowSm() } },
  { name: "boundary allows, identity does not", cite: "IAM UG: a boundary grants nothing by itself", expect: "ImplicitDeny", reason: NO_ID, request: { permissionsBoundary: allowSm() } },
  { name: "boundary Deny", cite: "§3.8 step 3", expect: "ExplicitDeny", reason: DENY_PB, request: { identityPolicies: [allowGet()], permissionsBoundary: identityPolicy({ Effect: "Allow", Action: "*", Resource: "*" }, denyStatement()) } },
  { name: "boundary allows another secret only", cite: "IAM UG permissions boundaries", expect: "ImplicitDeny", reason: NO_PB, request: { identityPolicies: [allowGet()], permissionsBoundary: identityPolicy(allowStatement({ Resource: secretArn("dev/*") })) } },
  { name: "boundary does not limit a resource-policy user grant", cite: "IAM UG: boundaries and resource-based policies (user ARN)", expect: "Allow", request: { permissionsBoundary: allowKms(), resourcePolicy: resourcePolicy(grant({ AWS: userArn("alice") })) } },
  { name: "boundary limits the account-root delegation", cite: "§3.8 step 6", expect: "ImplicitDeny", reason: NO_PB, request: { identityPolicies: [allowGet()], permissionsBoundary: allowKms(), resourcePolicy: resourcePolicy(grant({ AWS: ACCOUNT })) } },
  { name: "boundary does not limit a \"*\" grant", cite: "§3.8 note: \"*\" is a direct grant", expect: "Allow", request: { permissionsBoundary: allowKms(), resourcePolicy: resourcePolicy(grant("*")) } },
  { name: "session: identity allows, no session policy", cite: "§3.8 spOk", expect: "Allow", request: { principal: app, identityPolicies: [allowGet()] } },
  { name: "session: empty session policy list", cite: "§3.8 spOk: no session policy", expect: "Allow", request: { principal: app, identityPolicies: [allowGet()], sessionPolicies: [] } },
  { name: "session: identity and session policy allow", cite: "IAM UG session policies: intersection", expect: "Allow", request: { principal: app, identityPolicies: [allowGet()], sessionPolicies: [allowSm()] } },
  { name: "session: session policy allows, identity does not", cite: "IAM UG: session policies grant nothing by themselves", expect: "ImplicitDeny", reason: NO_ID, request: { principal: app, sessionPolicies: [allowSm()] } },
  { name: "session: one of several session policies allows", cite: "IAM UG session policies (inline + managed)", expect: "Allow", request: { principal: app, identityPolicies: [allowGet()], sessionPolicies: [allowDescribe(), allowGet()] } },
  { name: "session: session policy Deny", cite: "§3.8 step 3", expect: "ExplicitDeny", reason: DENY_SP, request: { principal: app, identityPolicies: [allowGet()], sessionPolicies: [identityPolicy(allowStatement(), denyStatement())] } },
  { name: "session: role-ARN grant limited by session policy", cite: "§3.8 step 6: role ARN", expect: "ImplicitDeny", reason: NO_SP, request: { principal: app, sessionPolicies: [allowDescribe()], resourcePolicy: resourcePolicy(grant({ AWS: roleArn("app") })) } },
  { name: "session: session-ARN grant not limited by session policy", cite: "§3.8 step 6: session ARN", expect: "Allow", request: { principal: app, sessionPolicies: [allowDescribe()], resourcePolicy: resourcePolicy(grant({ AWS: sessionArn("app", "s1") })) } },
  { name: "session: role-ARN grant within boundary and session policy", cite: "§3.8 step 6: role ARN", expect: "Allow", request: { principal: app, permissionsBoundary: allowSm(), sessionPolicies: [allowSm()], resourcePolicy: resourcePolicy(grant({ AWS: roleArn("app") })) } },
  { name: "session: account grant with identity, boundary, session all allowing", cite: "§3.8 step 6", expect: "Allow", request: { principal: app, identityPolicies: [allowGet()], permissionsBoundary: allowSm(), sessionPolicies: [allowSm()], resourcePolicy: resourcePolicy(grant({ AWS: ACCOUNT })) } },
  { name: "session: boundary and session policy both missing the action", cite: "§3.9 boundary reason first", expect: "ImplicitDeny", reason: NO_PB, request: { principal: app, identityPolicies: [allowGet()], permissionsBoundary: allowKms(), sessionPolicies: [allowKms()] } },
  { name: "session: \"*\" grant not limited by session policy", cite: "§3.8 note: \"*\" is a direct grant", expect: "Allow", request: { principal: app, sessionPolicies: [allowKms()], resourcePolicy: resourcePolicy(grant("*")) } },
  { name: "actions without a resource: identity allows", cite: "§3.2 Resource *", expect: "Allow", request: { action: "secretsmanager:ListSecrets", resource: "*", resourceAccount: undefined, identityPolicies: [allowAll()] } },
  { name: "actions without a resource: nothing allows", cite: "§3.9", expect: "ImplicitDeny", reason: implicitDenyReason("identity", "secretsmanager:ListSecrets"), request: { action: "secretsmanager:ListSecrets", resource: "*", resourceAccount: undefined } },
];

// ---- NotPrincipal ----

const denyExcept = (notPrincipal: unknown) => resourcePolicy({ Effect: "Deny", NotPrincipal: notPrincipal, Action: "*", Resource: "*" });

const notPrincipal: Row[] = [
  { name: "Deny NotPrincipal listing only the account root: a user is denied", cite: "§3.2 NotPrincipal: account entry is not a wildcard", expect: "ExplicitDeny", reason: DENY_RP, request: { identityPolicies: [allowGet()], resourcePolicy: denyExcept({ AWS: rootArn() }) } },
  { name: "Deny NotPrincipal listing user and account: that user passes", cite: "IAM UG NotPrincipal with Deny", expect: "Allow", request: { identityPolicies: [allowGet()], resourcePolicy: denyExcept({ AWS: [userArn("alice"), rootArn()] }) } },
  { name: "Deny NotPrincipal listing role, session and account: the session passes", cite: "§3.2 NotPrincipal AWS guidance", expect: "Allow", request: { principal: app, identityPolicies: [allowGet()], resourcePolicy: denyExcept({ AWS: [roleArn("app"), sessionArn("app", "s1"), rootArn()] }) } },
  { name: "Deny NotPrincipal listing another session: denied", cite: "§3.2 NotPrincipal", expect: "ExplicitDeny", reason: DENY_RP, request: { principal: session("app", "s2"), identityPolicies: [allowGet()], resourcePolicy: denyExcept({ AWS: [sessionArn("app", "s1")] }) } },
  { name: "Deny NotPrincipal listing the account root: root passes", cite: "§3.2 NotPrincipal", expect: "Allow", request: { principal: root(), resourcePolicy: denyExcept({ AWS: rootArn() }) } },
  { name: "Deny NotPrincipal: a listed user with a permissions boundary is still denied", cite: "IAM UG NotPrincipal: Deny always applies to principals with a boundary", expect: "ExplicitDeny", reason: DENY_RP, request: { principal: user("bob"), identityPolicies: [allowGet()], permissionsBoundary: allowSm(), resourcePolicy: denyExcept({ AWS: userArn("bob") }) } },
  { name: "Deny NotPrincipal: listed service passes", cite: "§3.2 NotPrincipal", expect: "Allow", request: { principal: { kind: "service", arn: "secretsmanager.amazonaws.com", accountId: "" }, resourcePolicy: resourcePolicy(grant({ Service: "secretsmanager.amazonaws.com" }), { Effect: "Deny", NotPrincipal: { Service: "secretsmanager.amazonaws.com" }, Action: "*", Resource: "*" }) } },
  { name: "Allow NotPrincipal bob: alice is granted", cite: "§3.2 NotPrincipal applies to every principal not listed", expect: "Allow", request: { resourcePolicy: resourcePolicy({ Effect: "Allow", NotPrincipal: { AWS: userArn("bob") }, Action: GET, Resource: "*" }) } },
  { name: "Allow NotPrincipal bob: bob is not granted", cite: "§3.2 NotPrincipal", expect: "ImplicitDeny", reason: NO_ID, request: { principal: user("bob"), resourcePolicy: resourcePolicy({ Effect: "Allow", NotPrincipal: { AWS: userArn("bob") }, Action: GET, Resource: "*" }) } },
];

// ---- cross account ----

const crossAccount: Row[] = [
  { name: "identity + resource policy naming the account root ARN", cite: "§3.8 step 6 cross account", expect: "Allow", request: { principal: crossAlice, identityPolicies: [allowGet()], resourcePolicy: resourcePolicy(grant({ AWS: rootArn(OTHER_ACCOUNT) })) } },
  { name: "identity + resource policy naming the user", cite: "§3.8 step 6 cross account", expect: "Allow", request: { principal: crossAlice, identityPolicies: [allowGet()], resourcePolicy: resourcePolicy(grant({ AWS: userArn("alice", OTHER_ACCOUNT) })) } },
  { name: "identity + resource policy naming \"*\"", cite: "§3.8 note: cross account needs identity too", expect: "Allow", request: { principal: crossAlice, identityPolicies: [allowGet()], resourcePolicy: resourcePolicy(grant("*")) } },
  { name: "resource policy \"*\" alone", cite: "§3.8 note: cross account needs identity too", expect: "ImplicitDeny", reason: NO_ID, request: { principal: crossAlice, resourcePolicy: resourcePolicy(grant("*")) } },
  { name: "identity + resource policy naming the owner account only", cite: "§3.8 step 6 cross account", expect: "ImplicitDeny", reason: NO_RP, request: { principal: crossAlice, identityPolicies: [allowGet()], resourcePolicy: resourcePolicy(grant({ AWS: ACCOUNT })) } },
  { name: "identity + resource policy naming another user of the caller's account", cite: "§3.8 step 6 cross account", expect: "ImplicitDeny", reason: NO_RP, request: { principal: crossAlice, identityPolicies: [allowGet()], resourcePolicy: resourcePolicy(grant({ AWS: userArn("bob", OTHER_ACCOUNT) })) } },
  { name: "identity allows, resource policy grants other action", cite: "§3.8 step 6 cross account", expect: "ImplicitDeny", reason: NO_RP, request: { principal: crossAlice, identityPolicies: [allowGet()], resourcePolicy: resourcePolicy(grant({ AWS: OTHER_ACCOUNT }, { Action: DESCRIBE })) } },
  { name: "neither allows", cite: "§3.9 identity reason first", expect: "ImplicitDeny", reason: NO_ID, request: { principal: crossAlice } },
  { name: "resource policy Deny", cite: "§3.8 step 3", expect: "ExplicitDeny", reason: DENY_RP, request: { principal: crossAlice, identityPolicies: [allowGet()], resourcePolicy: resourcePolicy(grant({ AWS: OTHER_ACCOUNT }), { ...denyStatement(), Principal: { AWS: OTHER_ACCOUNT } }) } },
  { name: "identity Deny", cite: "§3.8 step 3", expect: "ExplicitDeny", reason: DENY_ID, request: { principal: crossAlice, identityPolicies: [allowGet(), denyGet()], resourcePolicy: resourcePolicy(grant({ AWS: OTHER_ACCOUNT })) } },
  { name: "session: identity + resource policy naming the role", cite: "§3.8 step 6 cross account", expect: "Allow", request: { principal: crossApp, identityPolicies: [allowGet()], resourcePolicy: resourcePolicy(grant({ AWS: roleArn("app", OTHER_ACCOUNT) })) } },
  { name: "session: resource policy naming the session, no identity policy", cite: "§3.8 step 6 cross account", expect: "ImplicitDeny", reason: NO_ID, request: { principal: crossApp, resourcePolicy: resourcePolicy(grant({ AWS: sessionArn("app", "s1", OTHER_ACCOUNT) })) } },
  { name: "session: boundary excludes the action", cite: "§3.8 step 6 cross account", expect: "ImplicitDeny", reason: NO_PB, request: { principal: crossApp, identityPolicies: [allowGet()], permissionsBoundary: allowKms(), resourcePolicy: resourcePolicy(grant({ AWS: sessionArn("app", "s1", OTHER_ACCOUNT) })) } },
  { name: "session: session policy excludes the action", cite: "§3.8 step 6 cross account", expect: "ImplicitDeny", reason: NO_SP, request: { principal: crossApp, identityPolicies: [allowGet()], sessionPolicies: [allowKms()], resourcePolicy: resourcePolicy(grant({ AWS: OTHER_ACCOUNT })) } },
  { name: "session: everything allows", cite: "§3.8 step 6 cross account", expect: "Allow", request: { principal: crossApp, identityPolicies: [allowGet()], permissionsBoundary: allowSm(), sessionPolicies: [allowSm()], resourcePolicy: resourcePolicy(grant({ AWS: OTHER_ACCOUNT })) } },
  { name: "org condition not met", cite: "§3.4 missing key", expect: "ImplicitDeny", reason: NO_RP, request: { principal: crossAlice, identityPolicies: [allowGet()], resourcePolicy: resourcePolicy(grant("*", { Condition: { StringEquals: { "aws:PrincipalOrgID": "o-exampleorg" } } })) } },
];

// ---- rule 5: key policies and trust policies ----

const kms = (extra: Partial<Row["request"]>): Partial<Row["request"]> => ({
  action: DECRYPT,
  resource: KEY,
  resourcePolicyMandatory: true,
  ...extra,
});
const keyPolicy = (principal: unknown) => resourcePolicy({ Effect: "Allow", Principal: principal, Action: "kms:*", Resource: "*" });
const allowDecrypt = () => identityPolicy({ Effect: "Allow", Action: DECRYPT, Resource: KEY });
const NO_RP_KMS = implicitDenyReason("resource", DECRYPT);
const ASSUME = "sts:AssumeRole";
const TARGET_ROLE = roleArn("deploy");
const trust = (principal: unknown) => resourcePolicy({ Effect: "Allow", Principal: principal, Action: ASSUME });

const mandatory: Row[] = [
  { name: "KMS: key policy names the user, no identity policy", cite: "§3.8 step 6 (direct grant)", expect: "Allow", request: kms({ resourcePolicy: keyPolicy({ AWS: userArn("alice") }) }) },
  { name: "KMS: no key policy at all", cite: "§3.8 rule 5", expect: "ImplicitDeny", reason: NO_RP_KMS, request: kms({ identityPolicies: [allowDecrypt()] }) },
  { name: "KMS: key policy grants the account, no identity policy", cite: "§3.8 step 6 (account delegation)", expect: "ImplicitDeny", reason: implicitDenyReason("identity", DECRYPT), request: kms({ resourcePolicy: keyPolicy({ AWS: ACCOUNT }) }) },
  { name: "KMS: root locked out by a key policy not naming the account", cite: "§3.8 rule 5 (IAM alone never grants)", expect: "ImplicitDeny", reason: NO_RP_KMS, request: kms({ principal: root(), resourcePolicy: keyPolicy({ AWS: roleArn("admin") }) }) },
  { name: "KMS: root with a key policy granting the account", cite: "§3.8 note: root", expect: "Allow", request: kms({ principal: root(), resourcePolicy: keyPolicy({ AWS: rootArn() }) }) },
  { name: "KMS: key policy Deny", cite: "§3.8 step 3", expect: "ExplicitDeny", reason: DENY_RP, request: kms({ identityPolicies: [allowDecrypt()], resourcePolicy: resourcePolicy({ Effect: "Allow", Principal: { AWS: rootArn() }, Action: "kms:*", Resource: "*" }, { Effect: "Deny", Principal: "*", Action: DECRYPT, Resource: "*" }) }) },
  { name: "KMS: cross-account caller, key policy names the account, identity allows", cite: "§3.8 cross account", expect: "Allow", request: kms({ principal: crossAlice, identityPolicies: [allowDecrypt()], resourcePolicy: keyPolicy({ AWS: OTHER_ACCOUNT }) }) },
  { name: "KMS: cross-account caller, identity policy only", cite: "§3.8 rule 5", expect: "ImplicitDeny", reason: NO_RP_KMS, request: kms({ principal: crossAlice, identityPolicies: [allowDecrypt()], resourcePolicy: keyPolicy({ AWS: rootArn() }) }) },
  { name: "KMS: key policy grant via kms:ViaService condition", cite: "§3.6 aws/secretsmanager key policy", expect: "Allow", request: kms({ context: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com", "kms:CallerAccount": ACCOUNT }, resourcePolicy: resourcePolicy({ Effect: "Allow", Principal: { AWS: "*" }, Action: DECRYPT, Resource: "*", Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com", "kms:CallerAccount": ACCOUNT } } }) }) },
  { name: "KMS: same grant called directly", cite: "§3.6 aws/secretsmanager key policy", expect: "ImplicitDeny", reason: NO_RP_KMS, request: kms({ context: { "kms:CallerAccount": ACCOUNT }, resourcePolicy: resourcePolicy({ Effect: "Allow", Principal: { AWS: "*" }, Action: DECRYPT, Resource: "*", Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com", "kms:CallerAccount": ACCOUNT } } }) }) },
  { name: "AssumeRole: trust names the user, same account", cite: "§3.8 rule 5 + step 6", expect: "Allow", request: { action: ASSUME, resource: TARGET_ROLE, resourcePolicyMandatory: true, resourcePolicy: trust({ AWS: userArn("alice") }) } },
  { name: "AssumeRole: trust names the caller's account, identity allows", cite: "§3.8 cross account", expect: "Allow", request: { principal: crossAlice, action: ASSUME, resource: TARGET_ROLE, resourcePolicyMandatory: true, identityPolicies: [identityPolicy({ Effect: "Allow", Action: ASSUME, Resource: TARGET_ROLE })], resourcePolicy: trust({ AWS: OTHER_ACCOUNT }) } },
  { name: "AssumeRole: trust names someone else", cite: "§3.8 rule 5", expect: "ImplicitDeny", reason: implicitDenyReason("resource", ASSUME), request: { action: ASSUME, resource: TARGET_ROLE, resourcePolicyMandatory: true, identityPolicies: [allowAll()], resourcePolicy: trust({ AWS: userArn("bob") }) } },
  { name: "AssumeRole: trust names the caller's role (role chaining)", cite: "§3.8 rule 5: P's role", expect: "Allow", request: { principal: app, action: ASSUME, resource: TARGET_ROLE, resourcePolicyMandatory: true, identityPolicies: [allowAll()], resourcePolicy: trust({ AWS: roleArn("app") }) } },
];

runRows("evaluate: §3.8 iam-simulate table", simulateTable);
runRows("evaluate: §3.4 truth table", truthTable);
runRows("evaluate: same account", sameAccount);
runRows("evaluate: NotPrincipal", notPrincipal);
runRows("evaluate: cross account", crossAccount);
runRows("evaluate: key and trust policies", mandatory);
