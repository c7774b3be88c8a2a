import assert from "node:assert/strict";
import { test } from "node:test";
import { auditIdentityOf } from "./caller-identity.js";
import { identityElement } from "./identity.js";
import { lookupResourcesOfCall, lookupResourcesOfRecord, secretArnPrefix } from "./lookup-resources.js";
import { buildServiceEvent, EVENT_SOURCES } from "./record.js";

const ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-AbCdEf";
const SECRET = "AWS::SecretsManager::Secret";

test("a resolved secret is found by its ARN; a partial ARN as given is kept beside it", () => {
  assert.deepEqual(lookupResourcesOfCall(EVENT_SOURCES.secretsmanager, { SecretId: "app/db" }, { ARN, Name: "app/db", SecretString: "v" }), {
    resources: [{ type: SECRET, name: ARN }],
    lookupNames: [],
  });
  const partial = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db";
  assert.deepEqual(lookupResourcesOfCall(EVENT_SOURCES.secretsmanager, { SecretId: partial }, { ARN }).lookupNames, [partial]);
  assert.ok(ARN.startsWith(secretArnPrefix("aws", "us-east-1", "111122223333", "app/db")));
  assert.equal(ARN.length, secretArnPrefix("aws", "us-east-1", "111122223333", "app/db").length + 6);
});

test("a failed call names the secret as given; CreateSecret by its name; BatchGet every secret it read", () => {
  assert.deepEqual(lookupResourcesOfCall(EVENT_SOURCES.secretsmanager, { SecretId: "missing" }, undefined).resources, [{ type: SECRET, name: "missing" }]);
  assert.deepEqual(lookupResourcesOfCall(EVENT_SOURCES.secretsmanager, { Name: "new" }, undefined).resources, [{ type: SECRET, name: "new" }]);
  const other = ARN.replace("app/db", "other");
  const batch = lookupResourcesOfCall(EVENT_SOURCES.secretsmanager, { SecretIdList: ["app/db", "other"] }, { SecretValues: [{ ARN }, { ARN: other }] });
  assert.deepEqual(batch.resources, [
    { type: SECRET, name: ARN },
    { type: SECRET, name: other },
  ]);
  assert.deepEqual(lookupResourcesOfCall(EVENT_SOURCES.secretsmanager, { MaxResults: 5 }, { SecretList: [] }).resources, []);
});

test("KMS keys, IAM entities and STS roles; service events by the secret they concern", () => {
  const key = "arn:aws:kms:us-east-1:111122223333:key/1234";
  assert.deepEqual(lookupResourcesOfCall(EVENT_SOURCES.kms, { KeyId: "alias/app" }, { KeyMetadata: { Arn: key } }), {
    resources: [{ type: "AWS::KMS::Key", name: key }],
    lookupNames: ["alias/app"],
  });
  assert.deepEqual(lookupResourcesOfCall(EVENT_SOURCES.iam, { UserName: "alice" }, {}).resources, [{ type: "AWS::IAM::User", name: "alice" }]);
  const role = "arn:aws:iam::111122223333:role/app";
  assert.deepEqual(lookupResourcesOfCall(EVENT_SOURCES.sts, { RoleArn: role, RoleSessionName: "s" }, {}).resources, [{ type: "AWS::IAM::Role", name: role }]);
  const event = buildServiceEvent({ eventName: "RotationStarted", accountId: "111122223333", region: "us-east-1", time: 0, resourceArn: ARN });
  assert.deepEqual(lookupResourcesOfRecord(event).resources, [{ type: SECRET, name: ARN }]);
});

test("callers become userIdentity kinds: root, IAM user, role session, the service itself", () => {
  const now = Date.UTC(2024, 0, 15);
  assert.deepEqual(auditIdentityOf({ accountId: "111122223333", principalArn: "arn:aws:iam::111122223333:root", accessKeyId: "AKIA1" }, now), {
    type: "Root",
    partition: "aws",
    accountId: "111122223333",
    accessKeyId: "AKIA1",
  });
  assert.deepEqual(
    auditIdentityOf({ accountId: "111122223333", principalArn: "arn:aws:iam::111122223333:user/dev/alice", accessKeyId: "AKIA2", principalId: "AIDAALICE" }, now),
    { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/dev/alice", principalId: "AIDAALICE", accountId: "111122223333", accessKeyId: "AKIA2", userName: "alice" },
  );
  assert.deepEqual(
    auditIdentityOf(
      { accountId: "111122223333", principalArn: "arn:aws:sts::111122223333:assumed-role/app/s1", accessKeyId: "ASIA3", principalId: "AROAAPP:s1", sessionIssuedAt: now - 1000 },
      now,
    ),
    { type: "AssumedRole", roleArn: "arn:aws:iam::111122223333:role/app", roleId: "AROAAPP", sessionName: "s1", accessKeyId: "ASIA3", issuedAt: now - 1000 },
  );
  // GetSessionToken's credentials: the root or user itself, in a session no role issued.
  const rootSession = auditIdentityOf({ accountId: "111122223333", principalArn: "arn:aws:iam::111122223333:root", accessKeyId: "ASIA4", sessionIssuedAt: now - 2000 }, now);
  assert.deepEqual(identityElement(rootSession), {
    type: "Root",
    principalId: "111122223333",
    arn: "arn:aws:iam::111122223333:root",
    accountId: "111122223333",
    accessKeyId: "ASIA4",
    sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: "2024-01-14T23:59:58Z", mfaAuthenticated: "false" } },
  });
  assert.deepEqual(
    identityElement(
      auditIdentityOf({ accountId: "111122223333", principalArn: "arn:aws:iam::111122223333:user/alice", accessKeyId: "ASIA5", principalId: "AIDAALICE", sessionIssuedAt: now }, now),
    ).sessionContext,
    { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: "2024-01-15T00:00:00Z", mfaAuthenticated: "false" } },
  );
  assert.deepEqual(auditIdentityOf({ accountId: "111122223333", principalArn: "secretsmanager.amazonaws.com", accessKeyId: "" }, now), {
    type: "AWSService",
    service: "secretsmanager.amazonaws.com",
  });
});
