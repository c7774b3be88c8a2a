import assert from "node:assert/strict";
import { test } from "node:test";
import { prepareRecord, type PreparedRecord } from "./append.js";
import { canonicalJson } from "./chain.js";
import type { AuditIdentity } from "./identity.js";
import type { LookupResources } from "./lookup-resources.js";
import { buildRecord, EVENT_SOURCES } from "./record.js";
import { RecordTemplates } from "./record-templates.js";

const ACCOUNT = "111122223333";
const ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/db-AbCdEf`;
const LOOKUP: LookupResources = { resources: [{ type: "AWS::SecretsManager::Secret", name: ARN }], lookupNames: [] };

const identities: AuditIdentity[] = [
  { type: "Root", accountId: ACCOUNT, accessKeyId: "AKIAROOT0000000000001" },
  { type: "IAMUser", arn: `arn:aws:iam::${ACCOUNT}:user/ops/alice`, principalId: "AIDAALICE", accountId: ACCOUNT, accessKeyId: "AKIAALICE", userName: "alice" },
  {
    type: "AssumedRole",
    roleArn: `arn:aws:iam::${ACCOUNT}:role/app`,
    roleId: "AROAAPP",
    sessionName: "s-1",
    accessKeyId: "ASIASESSION",
    // Issued in the same second as the first record: its text appears twice in that record.
    issuedAt: Date.UTC(2026, 10, 29, 2, 0, 0),
  },
];
const userAgents = [undefined, "aws-sdk-js/3.0 ua/2.1 os/linux", 'odd "agent" \\ with ünïcode ✓'];
const tlsDetails = [undefined, { tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: "localhost:7443" }];

function record(identity: AuditIdentity, userAgent: string | undefined, tls: (typeof tlsDetails)[number], time: number, requestId: string, eventId: string) {
  return buildRecord({
    eventSource: EVENT_SOURCES.secretsmanager,
    eventName: "GetSecretValue",
    identity,
    region: "us-east-1",
    recipientAccountId: ACCOUNT,
    sourceIp: "192.0.2.7",
    userAgent,
    requestId,
    time,
    request: { SecretId: "prod/db", VersionStage: "AWSCURRENT" },
    response: { ARN, Name: "prod/db", SecretString: "never in a record" },
    tls,
    eventId,
  });
}

test("records from a template are exactly the records built the ordinary way", () => {
  const templates = new RecordTemplates();
  let n = 0;
  for (const identity of identities) {
    for (const userAgent of userAgents) {
      for (const tls of tlsDetails) {
        const owner = {};
        for (let i = 0; i < 4; i++) {
          const time = Date.UTC(2026, 10, 29, 2, 0, 0) + i * 61_234;
          const requestId = `0000000${i}-aaaa-4bbb-8ccc-dddddddddddd`;
          const eventId = `019ad${i}00-1111-7222-8333-444444444444`;
          const expected: PreparedRecord = prepareRecord(record(identity, userAgent, tls, time, requestId, eventId), LOOKUP);
          const made = templates.prepare(owner, "key", { time, requestId, eventId }, () => ({
            // The template's own record may come from any time and ids.
            record: record(identity, userAgent, tls, 0, "other-request", "other-event"),
            lookup: LOOKUP,
          }));
          assert.ok(made, "a template was made");
          assert.deepEqual(made, expected);
          assert.equal(canonicalJson(JSON.parse(made.json)), made.canonical, "the chain hash covers the stored text");
          assert.doesNotMatch(made.json, /never in a record/);
          n++;
        }
      }
    }
  }
  assert.equal(n, 72);
});

test("a record whose own data holds a marker gets no template", () => {
  const templates = new RecordTemplates();
  const agent = "agent \u2063t\u2063";
  const values = { time: Date.UTC(2026, 0, 1), requestId: "r-1", eventId: "e-1" };
  const made = templates.prepare({}, "k", values, () => ({
    record: record(identities[0] as AuditIdentity, agent, undefined, 0, "x", "y"),
    lookup: LOOKUP,
  }));
  assert.equal(made, undefined);
});

test("slot values that JSON would escape are refused", () => {
  const templates = new RecordTemplates();
  const build = () => ({ record: record(identities[0] as AuditIdentity, undefined, undefined, 0, "x", "y"), lookup: LOOKUP });
  assert.equal(templates.prepare({}, "k", { time: 0, requestId: 'quote"d', eventId: "e" }, build), undefined);
  assert.ok(templates.prepare({}, "k", { time: 0, requestId: "r", eventId: "e" }, build));
});
