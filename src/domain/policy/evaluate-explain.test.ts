// What a decision says about itself: the §3.9 reason suffixes and AccessDenied messages, the matched-statement
// explanation, and the compiled-policy cache and per-evaluation cost (security spec §3.9, §3.11).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ACCOUNT,
  GET,
  SECRET,
  allowAll,
  allowStatement,
  baseRequest,
  denyStatement,
  grant,
  identityPolicy,
  resourcePolicy,
  rootArn,
  secretArn,
  session,
  userArn,
} from "./evaluation-fixtures.js";
import { accessDeniedMessage, compilePolicy, evaluate, explicitDenyReason, implicitDenyReason } from "./evaluate.js";

const DESCRIBE = "secretsmanager:DescribeSecret";
const NO_ID = implicitDenyReason("identity", GET);
const DENY_ID = explicitDenyReason("identity");
const DENY_RP = explicitDenyReason("resource");
const allowGet = () => identityPolicy(allowStatement());
const allowSm = () => identityPolicy(allowStatement({ Action: "secretsmanager:*" }));
const denyGet = () => identityPolicy(denyStatement());
const app = session("app", "s1");

// ---- §3.9 texts ----

const reasonRows: [string, string][] = [
  [implicitDenyReason("identity", GET), "because no identity-based policy allows the secretsmanager:GetSecretValue action"],
  [implicitDenyReason("resource", "kms:Decrypt"), "because no resource-based policy allows the kms:Decrypt action"],
  [implicitDenyReason("boundary", GET), "because no permissions boundary allows the secretsmanager:GetSecretValue action"],
  [implicitDenyReason("session", GET), "because no session policy allows the secretsmanager:GetSecretValue action"],
  [explicitDenyReason("identity"), "with an explicit deny in an identity-based policy"],
  [explicitDenyReason("resource"), "with an explicit deny in a resource-based policy"],
  [explicitDenyReason("boundary"), "with an explicit deny in a permissions boundary"],
  [explicitDenyReason("session"), "with an explicit deny in a session policy"],
];

for (const [actual, expected] of reasonRows) {
  test(`§3.9 reason text: ${expected}`, () => assert.equal(actual, expected));
}

test("§3.9 message with the SecretId as supplied", () => {
  assert.equal(
    accessDeniedMessage(userArn("alice"), GET, "MyTestSecret", NO_ID),
    `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: secretsmanager:GetSecretValue on resource: MyTestSecret because no identity-based policy allows the secretsmanager:GetSecretValue action`,
  );
});

test("§3.9 message without a resource (ListSecrets)", () => {
  assert.equal(
    accessDeniedMessage(userArn("alice"), "secretsmanager:ListSecrets", undefined, implicitDenyReason("identity", "secretsmanager:ListSecrets")),
    `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: secretsmanager:ListSecrets because no identity-based policy allows the secretsmanager:ListSecrets action`,
  );
});

test("§3.9 message for a role session and an explicit deny, from a decision", () => {
  const decision = evaluate(baseRequest({ principal: app, identityPolicies: [allowGet(), denyGet()] }));
  assert.equal(decision.reason, DENY_ID);
  assert.equal(
    accessDeniedMessage(app.arn, GET, SECRET, decision.reason ?? ""),
    `User: arn:aws:sts::${ACCOUNT}:assumed-role/app/s1 is not authorized to perform: secretsmanager:GetSecretValue on resource: ${SECRET} with an explicit deny in an identity-based policy`,
  );
});

test("§3.9 message for root and a resource-policy deny", () => {
  assert.equal(
    accessDeniedMessage(rootArn(), GET, "prod/db", DENY_RP),
    `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: secretsmanager:GetSecretValue on resource: prod/db with an explicit deny in a resource-based policy`,
  );
});

test("§3.9 reasons name the action as requested", () => {
  const decision = evaluate(baseRequest({ action: "secretsmanager:DescribeSecret" }));
  assert.equal(decision.reason, "because no identity-based policy allows the secretsmanager:DescribeSecret action");
});

// ---- explanations and compilation ----

test("matched lists every applying statement with its policy, sid, index and set", () => {
  const identity = identityPolicy(allowStatement({ Action: DESCRIBE }), allowStatement({ Sid: "ReadProd", Resource: secretArn("prod/*") }));
  const boundary = allowSm();
  const resource = resourcePolicy(grant({ AWS: ACCOUNT }));
  const decision = evaluate(baseRequest({ identityPolicies: [identity], permissionsBoundary: boundary, resourcePolicy: resource }));
  assert.equal(decision.effect, "Allow");
  assert.deepEqual(decision.matched, [
    { policyId: identity.id, sid: "ReadProd", statementIndex: 1, effect: "Allow", kind: "identity" },
    { policyId: boundary.id, statementIndex: 0, effect: "Allow", kind: "boundary" },
    { policyId: resource.id, statementIndex: 0, effect: "Allow", kind: "resource" },
  ]);
});

test("matched includes the denying statement", () => {
  const deny = identityPolicy(denyStatement({ Sid: "NoProd" }));
  const decision = evaluate(baseRequest({ identityPolicies: [allowAll(), deny] }));
  assert.equal(decision.effect, "ExplicitDeny");
  assert.deepEqual(decision.matched.at(-1), { policyId: deny.id, sid: "NoProd", statementIndex: 0, effect: "Deny", kind: "identity" });
});

test("compilePolicy caches per document object", () => {
  const source = allowGet();
  const compiled = compilePolicy(source.document);
  assert.equal(compilePolicy(source.document), compiled);
  assert.equal(compiled.statements.length, 1);
  evaluate(baseRequest({ identityPolicies: [source] }));
  assert.equal(compilePolicy(source.document), compiled);
});

test("evaluation does not mutate the request", () => {
  const request = baseRequest({ identityPolicies: [allowGet()], context: { "aws:SourceIp": "10.0.0.1" } });
  const before = JSON.stringify(request);
  evaluate(request);
  assert.equal(JSON.stringify(request), before);
});

test("repeated evaluation stays cheap (generous bound; the measured cost is ~1-2 µs)", () => {
  const request = baseRequest({
    principal: { ...app, tags: { team: "blue" } },
    context: { "aws:SecureTransport": "true", "aws:SourceIp": "10.1.2.3", "aws:ResourceTag/team": "blue" },
    identityPolicies: [identityPolicy(allowStatement({ Resource: secretArn("prod/*"), Condition: { StringEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team}" } } }))],
    sessionPolicies: [allowSm()],
    permissionsBoundary: allowSm(),
    resourcePolicy: resourcePolicy(grant({ AWS: ACCOUNT }), { Effect: "Deny", Principal: "*", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
  });
  const runs = 20_000;
  for (let i = 0; i < 1000; i++) evaluate(request);
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) assert.equal(evaluate(request).effect, "Allow");
  const microsEach = Number(process.hrtime.bigint() - started) / runs / 1000;
  assert.ok(microsEach < 100, `${microsEach} µs per evaluation`);
});
