// Builders shared by the policy evaluator's test tables: principals, policy sources, and a row runner that
// evaluates one request and checks the decision (and, where a row gives one, the §3.9 reason). Test support
// only: no product module imports it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parsePolicyDocument } from "./document.js";
import type { PolicyKind } from "./document.js";
import { evaluate } from "./evaluate.js";
import type { AuthorizationRequest, Decision, PolicySource, Principal } from "./request.js";

export const ACCOUNT = "111122223333";
export const OTHER_ACCOUNT = "444455556666";
export const REGION = "us-east-1";
export const SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/db-AbCdEf`;
export const GET = "secretsmanager:GetSecretValue";

export const secretArn = (name: string, account = ACCOUNT): string =>
  `arn:aws:secretsmanager:${REGION}:${account}:secret:${name}`;

export const userArn = (name: string, account = ACCOUNT, path = "/"): string => `arn:aws:iam::${account}:user${path}${name}`;
export const roleArn = (name: string, account = ACCOUNT, path = "/"): string => `arn:aws:iam::${account}:role${path}${name}`;
export const sessionArn = (role: string, session: string, account = ACCOUNT): string =>
  `arn:aws:sts::${account}:assumed-role/${role}/${session}`;
export const rootArn = (account = ACCOUNT): string => `arn:aws:iam::${account}:root`;

export const user = (name = "alice", account = ACCOUNT, extra: Partial<Principal> = {}): Principal => ({
  kind: "user",
  arn: userArn(name, account),
  accountId: account,
  userId: `AIDA${name.toUpperCase()}EXAMPLE`,
  username: name,
  ...extra,
});

export const session = (role = "app", name = "s1", account = ACCOUNT, extra: Partial<Principal> = {}): Principal => ({
  kind: "assumed-role",
  arn: sessionArn(role, name, account),
  accountId: account,
  roleArn: roleArn(role, account),
  userId: `AROA${role.toUpperCase()}EXAMPLE:${name}`,
  ...extra,
});

export const root = (account = ACCOUNT): Principal => ({ kind: "root", arn: rootArn(account), accountId: account });

export const service = (name: string): Principal => ({ kind: "service", arn: name, accountId: "" });

export const anonymous = (): Principal => ({ kind: "anonymous", arn: "anonymous", accountId: "anonymous" });

export type Statement = Record<string, unknown>;

let counter = 0;

const source = (kind: PolicyKind, statements: Statement[], version: string): PolicySource => {
  const document = parsePolicyDocument(JSON.stringify({ Version: version, Statement: statements }), kind);
  counter += 1;
  return { id: `${kind}-policy-${counter}`, document };
};

/** An identity-style policy (also used for boundaries and session policies). */
export const identityPolicy = (...statements: Statement[]): PolicySource => source("identity", statements, "2012-10-17");
export const identityPolicy2008 = (...statements: Statement[]): PolicySource => source("identity", statements, "2008-10-17");
export const resourcePolicy = (...statements: Statement[]): PolicySource => source("resource", statements, "2012-10-17");

export const allowStatement = (extra: Statement = {}): Statement => ({
  Effect: "Allow",
  Action: GET,
  Resource: "*",
  ...extra,
});

export const denyStatement = (extra: Statement = {}): Statement => ({ ...allowStatement(extra), Effect: "Deny" });

/** A resource-policy statement granting GetSecretValue to `principal`. */
export const grant = (principal: unknown, extra: Statement = {}): Statement => ({
  Effect: "Allow",
  Principal: principal,
  Action: GET,
  Resource: "*",
  ...extra,
});

export const allowAll = (): PolicySource => identityPolicy({ Effect: "Allow", Action: "*", Resource: "*" });

export type Expected = Decision["effect"];

export interface Row {
  name: string;
  /** Section of the security spec, or the IAM User Guide topic, whose semantics the expectation follows. */
  cite: string;
  request: Partial<AuthorizationRequest>;
  expect: Expected;
  reason?: string;
}

export const baseRequest = (request: Partial<AuthorizationRequest>): AuthorizationRequest => ({
  principal: user(),
  action: GET,
  resource: SECRET,
  resourceAccount: ACCOUNT,
  context: {},
  identityPolicies: [],
  ...request,
});

/** Registers one node:test per row. */
export const runRows = (table: string, rows: readonly Row[]): void => {
  for (const row of rows) {
    test(`${table}: ${row.name} [${row.cite}]`, () => {
      const decision = evaluate(baseRequest(row.request));
      assert.equal(decision.effect, row.expect, JSON.stringify(decision));
      if (row.reason !== undefined) assert.equal(decision.reason, row.reason);
      if (decision.effect === "Allow") assert.equal(decision.reason, undefined);
      else assert.equal(typeof decision.reason, "string");
    });
  }
};

/** Expected effect of a single Allow-with-condition statement: the condition holds or it does not. */
export const holds = (yes: boolean): Expected => (yes ? "Allow" : "ImplicitDeny");
