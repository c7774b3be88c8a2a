import { test } from "node:test";
import assert from "node:assert/strict";
import { operationNames } from "../generated/secretsmanager-model.js";
import {
  type AuditIdentity,
  type AuditInput,
  buildRecord,
  buildServiceEvent,
  type CloudTrailRecord,
  EVENT_SOURCES,
  isAuditedError,
  isReadOnly,
  type JsonObject,
  resourceFromArn,
} from "./record.js";

const ACCOUNT = "111122223333";
const ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:MyTestSecret-AbCdEf";
const TOKEN = "4d383ea9-084a-49c9-8722-cbfb0f25c456";
const VERSION = "EXAMPLE1-90ab-cdef-fedc-ba987SECRET1";
const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

// Values that must never reach a record.
const PLANTED = {
  string: "PLANTED-secret-string-7f3a",
  binary: "PLANTED-binary-9c1e",
  rotationToken: "PLANTED-rotation-token-0000-1111-2222-3333",
  password: "PLANTED-random-password-55aa",
  secretAccessKey: "PLANTEDsecretAccessKey/abcdefghijklmnop+",
  sessionToken: "PLANTED-session-token-xyz",
  plaintext: "PLANTED-kms-plaintext-4242",
};
const plantedBinary = Buffer.from(PLANTED.binary);

function assertNothingPlanted(record: CloudTrailRecord): void {
  const json = JSON.stringify(record);
  for (const value of Object.values(PLANTED)) {
    assert.ok(!json.includes(value), `record contains ${value}`);
    assert.ok(!json.includes(Buffer.from(value).toString("base64")), `record contains base64 of ${value}`);
  }
  assert.ok(!json.includes('"Buffer"'), "record contains a serialised Buffer");
  const member = /"(secretString|secretBinary|randomPassword|rotationToken|secretAccessKey|sessionToken|plaintext)":/i.exec(json);
  assert.equal(member, null, `record has a member ${member?.[1]}`);
}

const ALICE: AuditIdentity = {
  type: "IAMUser",
  principalId: "AIDAEXAMPLEUSERID0001",
  arn: "arn:aws:iam::111122223333:user/alice",
  accountId: ACCOUNT,
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  userName: "alice",
};

const ALICE_ELEMENT = {
  type: "IAMUser",
  principalId: "AIDAEXAMPLEUSERID0001",
  arn: "arn:aws:iam::111122223333:user/alice",
  accountId: ACCOUNT,
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  userName: "alice",
};

function smCall(overrides: Partial<AuditInput> & Pick<AuditInput, "eventName">): AuditInput {
  return {
    eventSource: EVENT_SOURCES.secretsmanager,
    identity: ALICE,
    region: "us-east-1",
    recipientAccountId: ACCOUNT,
    sourceIp: "203.0.113.10",
    userAgent: "aws-sdk-js/3.1163.0 …",
    requestId: "9f1c8e2a-5b4d-4f7e-9a1b-3c2d1e0f9a8b",
    eventId: "0b7e6f9c-2d1a-4c3b-8e5f-7a6b5c4d3e2f",
    time: Date.parse("2024-01-15T12:05:00Z"),
    ...overrides,
  };
}

test("GetSecretValue by a role session matches the §6.5 example record field by field and in order", () => {
  const record = buildRecord({
    eventSource: EVENT_SOURCES.secretsmanager,
    eventName: "GetSecretValue",
    identity: {
      type: "AssumedRole",
      roleArn: "arn:aws:iam::111122223333:role/app",
      roleId: "AROAEXAMPLEROLEID0001",
      sessionName: "app-session",
      accessKeyId: "ASIAEXAMPLETEMP00001",
      issuedAt: new Date("2024-01-15T11:58:02.517Z"),
    },
    region: "us-east-1",
    recipientAccountId: ACCOUNT,
    sourceIp: "203.0.113.10",
    userAgent: "aws-cli/1.45.11 md/Botocore#1.43.11 …",
    requestId: "9f1c8e2a-5b4d-4f7e-9a1b-3c2d1e0f9a8b",
    eventId: "0b7e6f9c-2d1a-4c3b-8e5f-7a6b5c4d3e2f",
    time: Date.parse("2024-01-15T12:00:00.345Z"),
    request: { SecretId: "MyTestSecret", VersionStage: "AWSCURRENT" },
    response: {
      ARN,
      Name: "MyTestSecret",
      VersionId: VERSION,
      SecretString: PLANTED.string,
      VersionStages: ["AWSCURRENT"],
      CreatedDate: new Date("2024-01-01T00:00:00Z"),
    },
    tls: {
      tlsVersion: "TLSv1.3",
      cipherSuite: "TLS_AES_128_GCM_SHA256",
      clientProvidedHostHeader: "secretsmanager.us-east-1.amazonaws.com",
    },
  });
  const expected = {
    eventVersion: "1.08",
    userIdentity: {
      type: "AssumedRole",
      principalId: "AROAEXAMPLEROLEID0001:app-session",
      arn: "arn:aws:sts::111122223333:assumed-role/app/app-session",
      accountId: "111122223333",
      accessKeyId: "ASIAEXAMPLETEMP00001",
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          principalId: "AROAEXAMPLEROLEID0001",
          arn: "arn:aws:iam::111122223333:role/app",
          accountId: "111122223333",
          userName: "app",
        },
        webIdFederationData: {},
        attributes: { creationDate: "2024-01-15T11:58:02Z", mfaAuthenticated: "false" },
      },
    },
    eventTime: "2024-01-15T12:00:00Z",
    eventSource: "secretsmanager.amazonaws.com",
    eventName: "GetSecretValue",
    awsRegion: "us-east-1",
    sourceIPAddress: "203.0.113.10",
    userAgent: "aws-cli/1.45.11 md/Botocore#1.43.11 …",
    requestParameters: { secretId: "MyTestSecret", versionStage: "AWSCURRENT" },
    responseElements: null,
    requestID: "9f1c8e2a-5b4d-4f7e-9a1b-3c2d1e0f9a8b",
    eventID: "0b7e6f9c-2d1a-4c3b-8e5f-7a6b5c4d3e2f",
    readOnly: true,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "111122223333",
    eventCategory: "Management",
    tlsDetails: {
      tlsVersion: "TLSv1.3",
      cipherSuite: "TLS_AES_128_GCM_SHA256",
      clientProvidedHostHeader: "secretsmanager.us-east-1.amazonaws.com",
    },
  };
  assert.deepEqual(record, expected);
  assert.equal(JSON.stringify(record), JSON.stringify(expected));
  assertNothingPlanted(record);
});

test("a denied GetSecretValue logs AccessDenied, the message, the requested id and null responseElements (§6.5)", () => {
  const message =
    "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: secretsmanager:GetSecretValue on resource: MyTestSecret because no identity-based policy allows the secretsmanager:GetSecretValue action";
  const record = buildRecord(
    smCall({
      eventName: "GetSecretValue",
      request: { SecretId: "MyTestSecret" },
      error: { code: "AccessDeniedException", message },
    }),
  );
  assert.deepEqual(record.userIdentity, ALICE_ELEMENT);
  assert.equal(record.errorCode, "AccessDenied");
  assert.equal(record.errorMessage, message);
  assert.deepEqual(record.requestParameters, { secretId: "MyTestSecret" });
  assert.equal(record.responseElements, null);
  assert.equal(record.readOnly, true);
  assert.equal(record.eventType, "AwsApiCall");
  const keys = Object.keys(record);
  assert.ok(keys.indexOf("errorCode") < keys.indexOf("requestParameters"), "error fields precede the parameters");
});

test("PutSecretValue matches the §6.5 example record and holds no secret material", () => {
  const record = buildRecord(
    smCall({
      eventName: "PutSecretValue",
      request: { SecretId: ARN, ClientRequestToken: TOKEN, SecretString: PLANTED.string, RotationToken: PLANTED.rotationToken },
      response: { ARN, Name: "MyTestSecret", VersionId: TOKEN, VersionStages: ["AWSCURRENT"] },
    }),
  );
  const expected = {
    eventVersion: "1.08",
    userIdentity: ALICE_ELEMENT,
    eventTime: "2024-01-15T12:05:00Z",
    eventSource: "secretsmanager.amazonaws.com",
    eventName: "PutSecretValue",
    awsRegion: "us-east-1",
    sourceIPAddress: "203.0.113.10",
    userAgent: "aws-sdk-js/3.1163.0 …",
    requestParameters: { secretId: ARN, clientRequestToken: TOKEN },
    responseElements: { arn: ARN },
    requestID: "9f1c8e2a-5b4d-4f7e-9a1b-3c2d1e0f9a8b",
    eventID: "0b7e6f9c-2d1a-4c3b-8e5f-7a6b5c4d3e2f",
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "111122223333",
    eventCategory: "Management",
  };
  assert.deepEqual(record, expected);
  assert.equal(JSON.stringify(record), JSON.stringify(expected));
  assertNothingPlanted(record);
});

test("CreateSecret logs name and token as in the doc sample, plus the optional members when supplied (§6.5)", () => {
  const minimal = buildRecord(
    smCall({
      eventName: "CreateSecret",
      request: { Name: "MyTestSecret", ClientRequestToken: "EXAMPLE2-90ab-cdef-fedc-ba987EXAMPLE", SecretString: PLANTED.string },
      response: { ARN, Name: "MyTestSecret", VersionId: "EXAMPLE2-90ab-cdef-fedc-ba987EXAMPLE" },
    }),
  );
  assert.deepEqual(minimal.requestParameters, { name: "MyTestSecret", clientRequestToken: "EXAMPLE2-90ab-cdef-fedc-ba987EXAMPLE" });
  assert.deepEqual(minimal.responseElements, { arn: ARN });
  assertNothingPlanted(minimal);
});

interface OperationCase {
  request: Record<string, unknown>;
  response?: unknown;
  requestParameters: JsonObject | null;
  responseElements: JsonObject | null;
}

const secretValueEntry = {
  ARN,
  Name: "MyTestSecret",
  VersionId: VERSION,
  SecretString: PLANTED.string,
  SecretBinary: plantedBinary,
  VersionStages: ["AWSCURRENT"],
  CreatedDate: new Date("2024-01-01T00:00:00Z"),
};

const OPERATIONS: Record<(typeof operationNames)[number], OperationCase> = {
  BatchGetSecretValue: {
    request: { SecretIdList: ["MyTestSecret", ARN] },
    response: { SecretValues: [secretValueEntry], Errors: [] },
    requestParameters: { secretIdList: ["MyTestSecret", ARN] },
    responseElements: null,
  },
  CancelRotateSecret: {
    request: { SecretId: "MyTestSecret" },
    response: { ARN, Name: "MyTestSecret", VersionId: VERSION },
    requestParameters: { secretId: "MyTestSecret" },
    responseElements: { arn: ARN },
  },
  CreateSecret: {
    request: {
      Name: "MyTestSecret",
      ClientRequestToken: TOKEN,
      SecretString: PLANTED.string,
      SecretBinary: plantedBinary,
      Description: "db creds",
      KmsKeyId: "alias/app",
      Tags: [{ Key: "env", Value: "prod" }],
      AddReplicaRegions: [{ Region: "eu-west-1", KmsKeyId: "alias/eu" }],
      ForceOverwriteReplicaSecret: false,
      Unmodeled: PLANTED.password,
    },
    response: { ARN, Name: "MyTestSecret", VersionId: TOKEN, ReplicationStatus: [{ Region: "eu-west-1", Status: "InProgress" }] },
    requestParameters: {
      name: "MyTestSecret",
      clientRequestToken: TOKEN,
      description: "db creds",
      kmsKeyId: "alias/app",
      tags: [{ key: "env", value: "prod" }],
      addReplicaRegions: [{ region: "eu-west-1", kmsKeyId: "alias/eu" }],
      forceOverwriteReplicaSecret: false,
    },
    responseElements: { arn: ARN },
  },
  DeleteResourcePolicy: {
    request: { SecretId: ARN },
    response: { ARN, Name: "MyTestSecret" },
    requestParameters: { secretId: ARN },
    responseElements: { arn: ARN },
  },
  DeleteSecret: {
    request: { SecretId: "MyTestSecret", RecoveryWindowInDays: 7 },
    response: { ARN, Name: "MyTestSecret", DeletionDate: new Date("2024-01-22T12:05:00Z") },
    requestParameters: { secretId: "MyTestSecret", recoveryWindowInDays: 7 },
    responseElements: { arn: ARN },
  },
  DescribeSecret: {
    request: { SecretId: "MyTestSecret" },
    response: { ARN, Name: "MyTestSecret", VersionIdsToStages: { [VERSION]: ["AWSCURRENT"] } },
    requestParameters: { secretId: "MyTestSecret" },
    responseElements: null,
  },
  GetRandomPassword: {
    request: { PasswordLength: 32, ExcludePunctuation: true },
    response: { RandomPassword: PLANTED.password },
    requestParameters: { passwordLength: 32, excludePunctuation: true },
    responseElements: null,
  },
  GetResourcePolicy: {
    request: { SecretId: "MyTestSecret" },
    response: { ARN, Name: "MyTestSecret", ResourcePolicy: "{}" },
    requestParameters: { secretId: "MyTestSecret" },
    responseElements: null,
  },
  GetSecretValue: {
    request: { SecretId: "MyTestSecret", VersionId: VERSION },
    response: secretValueEntry,
    requestParameters: { secretId: "MyTestSecret", versionId: VERSION },
    responseElements: null,
  },
  ListSecretVersionIds: {
    request: { SecretId: "MyTestSecret", IncludeDeprecated: true, MaxResults: 10 },
    response: { ARN, Name: "MyTestSecret", Versions: [{ VersionId: VERSION, VersionStages: ["AWSCURRENT"] }] },
    requestParameters: { secretId: "MyTestSecret", includeDeprecated: true, maxResults: 10 },
    responseElements: null,
  },
  ListSecrets: {
    request: { Filters: [{ Key: "tag-key", Values: ["env"] }], IncludePlannedDeletion: true, SortOrder: "asc" },
    response: { SecretList: [{ ARN, Name: "MyTestSecret" }] },
    requestParameters: { filters: [{ key: "tag-key", values: ["env"] }], includePlannedDeletion: true, sortOrder: "asc" },
    responseElements: null,
  },
  PutResourcePolicy: {
    request: { SecretId: "MyTestSecret", ResourcePolicy: '{"Version":"2012-10-17","Statement":[]}', BlockPublicPolicy: true },
    response: { ARN, Name: "MyTestSecret" },
    requestParameters: {
      secretId: "MyTestSecret",
      resourcePolicy: '{"Version":"2012-10-17","Statement":[]}',
      blockPublicPolicy: true,
    },
    responseElements: { arn: ARN },
  },
  PutSecretValue: {
    request: {
      SecretId: "MyTestSecret",
      ClientRequestToken: TOKEN,
      SecretBinary: plantedBinary,
      RotationToken: PLANTED.rotationToken,
      VersionStages: ["AWSPENDING"],
    },
    response: { ARN, Name: "MyTestSecret", VersionId: TOKEN, VersionStages: ["AWSPENDING"] },
    requestParameters: { secretId: "MyTestSecret", clientRequestToken: TOKEN, versionStages: ["AWSPENDING"] },
    responseElements: { arn: ARN },
  },
  RemoveRegionsFromReplication: {
    request: { SecretId: "MyTestSecret", RemoveReplicaRegions: ["eu-west-1"] },
    response: { ARN, ReplicationStatus: [] },
    requestParameters: { secretId: "MyTestSecret", removeReplicaRegions: ["eu-west-1"] },
    responseElements: { arn: ARN },
  },
  ReplicateSecretToRegions: {
    request: { SecretId: "MyTestSecret", AddReplicaRegions: [{ Region: "eu-west-1" }], ForceOverwriteReplicaSecret: true },
    response: { ARN, ReplicationStatus: [{ Region: "eu-west-1", Status: "InProgress" }] },
    requestParameters: { secretId: "MyTestSecret", addReplicaRegions: [{ region: "eu-west-1" }], forceOverwriteReplicaSecret: true },
    responseElements: { arn: ARN },
  },
  RestoreSecret: {
    request: { SecretId: "MyTestSecret" },
    response: { ARN, Name: "MyTestSecret" },
    requestParameters: { secretId: "MyTestSecret" },
    responseElements: { arn: ARN },
  },
  RotateSecret: {
    request: {
      SecretId: "MyTestSecret",
      ClientRequestToken: TOKEN,
      RotationLambdaARN: "arn:aws:lambda:us-east-1:111122223333:function:MyRotation",
      RotationRules: { AutomaticallyAfterDays: 30 },
      RotateImmediately: false,
    },
    response: { ARN, Name: "MyTestSecret", VersionId: TOKEN },
    requestParameters: {
      secretId: "MyTestSecret",
      clientRequestToken: TOKEN,
      rotationLambdaARN: "arn:aws:lambda:us-east-1:111122223333:function:MyRotation",
      rotationRules: { automaticallyAfterDays: 30 },
      rotateImmediately: false,
    },
    responseElements: { arn: ARN },
  },
  StopReplicationToReplica: {
    request: { SecretId: ARN },
    response: { ARN },
    requestParameters: { secretId: ARN },
    responseElements: { arn: ARN },
  },
  TagResource: {
    request: { SecretId: "MyTestSecret", Tags: [{ Key: "env", Value: "prod" }] },
    response: undefined,
    requestParameters: { secretId: "MyTestSecret", tags: [{ key: "env", value: "prod" }] },
    responseElements: null,
  },
  UntagResource: {
    request: { SecretId: "MyTestSecret", TagKeys: ["env"] },
    response: {},
    requestParameters: { secretId: "MyTestSecret", tagKeys: ["env"] },
    responseElements: null,
  },
  UpdateSecret: {
    request: {
      SecretId: "MyTestSecret",
      ClientRequestToken: TOKEN,
      SecretString: PLANTED.string,
      Description: "rotated by hand",
      KmsKeyId: KEY_ARN,
    },
    response: { ARN, Name: "MyTestSecret", VersionId: TOKEN },
    requestParameters: { secretId: "MyTestSecret", clientRequestToken: TOKEN, description: "rotated by hand", kmsKeyId: KEY_ARN },
    responseElements: { arn: ARN },
  },
  UpdateSecretVersionStage: {
    request: { SecretId: "MyTestSecret", VersionStage: "AWSCURRENT", MoveToVersionId: TOKEN, RemoveFromVersionId: VERSION },
    response: { ARN, Name: "MyTestSecret" },
    requestParameters: { secretId: "MyTestSecret", versionStage: "AWSCURRENT", moveToVersionId: TOKEN, removeFromVersionId: VERSION },
    responseElements: { arn: ARN },
  },
  ValidateResourcePolicy: {
    request: { SecretId: "MyTestSecret", ResourcePolicy: '{"Version":"2012-10-17","Statement":[]}' },
    response: { PolicyValidationPassed: true, ValidationErrors: [] },
    requestParameters: { secretId: "MyTestSecret", resourcePolicy: '{"Version":"2012-10-17","Statement":[]}' },
    responseElements: null,
  },
};

// §6.4
const READ_ONLY = new Set([
  "BatchGetSecretValue",
  "DescribeSecret",
  "GetRandomPassword",
  "GetResourcePolicy",
  "GetSecretValue",
  "ListSecrets",
  "ListSecretVersionIds",
]);

test("every Secrets Manager operation: parameters, response elements, readOnly, envelope, no secret material", () => {
  assert.deepEqual(Object.keys(OPERATIONS).sort(), [...operationNames].sort());
  for (const operation of operationNames) {
    const c = OPERATIONS[operation];
    const record = buildRecord(smCall({ eventName: operation, request: c.request, response: c.response }));
    assert.equal(record.eventName, operation);
    assert.equal(record.eventSource, "secretsmanager.amazonaws.com", operation);
    assert.equal(record.eventType, "AwsApiCall", operation);
    assert.equal(record.eventVersion, "1.08", operation);
    assert.equal(record.managementEvent, true, operation);
    assert.equal(record.eventCategory, "Management", operation);
    assert.equal(record.recipientAccountId, ACCOUNT, operation);
    assert.equal(record.readOnly, READ_ONLY.has(operation), operation);
    assert.deepEqual(record.requestParameters, c.requestParameters, operation);
    assert.deepEqual(record.responseElements, c.responseElements, operation);
    assert.equal(record.resources, undefined, `${operation}: §6.1 omits resources for Secrets Manager calls`);
    assert.equal(record.errorCode, undefined, operation);
    assertNothingPlanted(record);

    const failed = buildRecord(
      smCall({
        eventName: operation,
        request: c.request,
        response: c.response,
        error: { code: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret." },
      }),
    );
    assert.equal(failed.errorCode, "ResourceNotFoundException", operation);
    assert.equal(failed.responseElements, null, `${operation}: null on failure (§6.3)`);
    assert.deepEqual(failed.requestParameters, c.requestParameters, operation);
    assertNothingPlanted(failed);
  }
});

test("isReadOnly follows §6.4 for Secrets Manager and treats ValidateResourcePolicy as a write", () => {
  for (const operation of operationNames) {
    assert.equal(isReadOnly(EVENT_SOURCES.secretsmanager, operation), READ_ONLY.has(operation), operation);
  }
  assert.equal(isReadOnly(EVENT_SOURCES.kms, "Decrypt"), true);
  assert.equal(isReadOnly(EVENT_SOURCES.kms, "GenerateDataKey"), true);
  assert.equal(isReadOnly(EVENT_SOURCES.kms, "DescribeKey"), true);
  assert.equal(isReadOnly(EVENT_SOURCES.kms, "ScheduleKeyDeletion"), false);
  assert.equal(isReadOnly(EVENT_SOURCES.sts, "GetCallerIdentity"), true);
  assert.equal(isReadOnly(EVENT_SOURCES.sts, "AssumeRole"), false);
  assert.equal(isReadOnly(EVENT_SOURCES.cloudtrail, "LookupEvents"), true);
  assert.equal(isReadOnly(EVENT_SOURCES.iam, "Getaway"), false, "prefix must end at a word boundary");
});

test("a request with no loggable members logs requestParameters null", () => {
  assert.equal(buildRecord(smCall({ eventName: "ListSecrets", request: {} })).requestParameters, null);
  assert.equal(buildRecord(smCall({ eventName: "ListSecrets" })).requestParameters, null);
  const onlySecret = buildRecord(smCall({ eventName: "PutSecretValue", request: { SecretString: PLANTED.string } }));
  assert.equal(onlySecret.requestParameters, null);
  assertNothingPlanted(onlySecret);
});

test("raw (unvalidated) input of the wrong JSON types is dropped, not echoed", () => {
  const record = buildRecord(
    smCall({
      eventName: "CreateSecret",
      request: { Name: { nested: PLANTED.string }, Tags: "not-a-list", SecretString: 42, Description: "ok" },
      error: { code: "SerializationException", message: "bad" },
    }),
  );
  assert.deepEqual(record.requestParameters, { description: "ok" });
  assertNothingPlanted(record);
});

test("service events RotationStarted/Succeeded/Failed match the §6.5 example", () => {
  const requestId =
    "Rotation-arn:aws:secretsmanager:us-east-1:111122223333:secret:MyDatabaseSecret-a1b2c3-eeb681b1-a07d-4aeb-9b61-1ee6590ec295";
  const secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:MyDatabaseSecret-a1b2c3";
  const expected = (eventName: string) => ({
    eventVersion: "1.08",
    userIdentity: { accountId: "111122223333", invokedBy: "secretsmanager.amazonaws.com" },
    eventTime: "2024-01-15T12:10:00Z",
    eventSource: "secretsmanager.amazonaws.com",
    eventName,
    awsRegion: "us-east-1",
    sourceIPAddress: "secretsmanager.amazonaws.com",
    userAgent: "secretsmanager.amazonaws.com",
    requestParameters: null,
    responseElements: null,
    additionalEventData: { SecretId: secret },
    requestID: requestId,
    eventID: "5f4c1d9e-0000-4000-8000-000000000001",
    readOnly: false,
    eventType: "AwsServiceEvent",
    managementEvent: true,
    recipientAccountId: "111122223333",
    eventCategory: "Management",
  });
  const common = {
    accountId: ACCOUNT,
    region: "us-east-1",
    time: new Date("2024-01-15T12:10:00.900Z"),
    resourceArn: secret,
    requestId,
    eventId: "5f4c1d9e-0000-4000-8000-000000000001",
  };
  for (const eventName of ["RotationStarted", "RotationSucceeded"] as const) {
    const record = buildServiceEvent({ ...common, eventName });
    assert.deepEqual(record, expected(eventName));
    assert.equal(JSON.stringify(record), JSON.stringify(expected(eventName)));
  }
  const lambdaError =
    "Error when executing lambda arn:aws:lambda:us-east-1:111122223333:function:MyRotation during setSecret step";
  const failed = buildServiceEvent({ ...common, eventName: "RotationFailed", errorMessage: lambdaError });
  const failedExpected = { ...expected("RotationFailed"), errorMessage: lambdaError };
  assert.deepEqual(failed, failedExpected);
  assert.equal(failed.errorCode, undefined, "the AWS sample has errorMessage and no errorCode");
});

test("rotation service events get Rotation-<arn>-<uuid> request ids; others a plain uuid", () => {
  const base = { accountId: ACCOUNT, region: "us-east-1", time: 0, resourceArn: ARN };
  const rotation = buildServiceEvent({ ...base, eventName: "RotationStarted" });
  assert.match(rotation.requestID ?? "", new RegExp(`^Rotation-${ARN.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-[0-9a-f-]{36}$`));
  assert.match(rotation.eventID, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  for (const eventName of ["StartSecretVersionDelete", "CancelSecretVersionDelete", "EndSecretVersionDelete"] as const) {
    const record = buildServiceEvent({ ...base, eventName });
    assert.match(record.requestID ?? "", /^[0-9a-f-]{36}$/, eventName);
    assert.equal(record.eventType, "AwsServiceEvent");
    assert.equal(record.eventSource, "secretsmanager.amazonaws.com");
    assert.deepEqual(record.additionalEventData, { SecretId: ARN });
    assert.deepEqual(record.userIdentity, { accountId: ACCOUNT, invokedBy: "secretsmanager.amazonaws.com" });
    assert.equal(record.readOnly, false);
  }
});

test("KMS key deletion at the end of its waiting period is a kms.amazonaws.com service event naming the key, as AWS Internal", () => {
  const record = buildServiceEvent({
    eventName: "DeleteKey",
    accountId: ACCOUNT,
    region: "us-east-1",
    time: Date.parse("2024-02-14T00:00:00Z"),
    resourceArn: KEY_ARN,
  });
  assert.equal(record.eventSource, "kms.amazonaws.com");
  assert.equal(record.eventName, "DeleteKey");
  assert.equal(record.eventType, "AwsServiceEvent");
  // The KMS developer guide's DeleteKey sample: "AWS Internal" acts, and there is no request id.
  assert.deepEqual(record.userIdentity, { accountId: ACCOUNT, invokedBy: "AWS Internal" });
  assert.equal(record.sourceIPAddress, "AWS Internal");
  assert.equal(record.userAgent, "AWS Internal");
  assert.equal(record.requestID, undefined);
  assert.deepEqual(record.resources, [{ ARN: KEY_ARN, accountId: ACCOUNT, type: "AWS::KMS::Key" }]);
  assert.equal(record.requestParameters, null);
  assert.equal(record.responseElements, null);
  assert.equal(record.additionalEventData, undefined);
});

test("scheduled KMS key rotation is a RotateKey service event with the sample's fields, in the sample's order", () => {
  const details = { rotationType: "AUTOMATIC", keyOrigin: "AWS_KMS", previousKeyMaterialId: "a".repeat(64), currentKeyMaterialId: "b".repeat(64) };
  const record = buildServiceEvent({
    eventName: "RotateKey",
    accountId: ACCOUNT,
    region: "us-east-1",
    time: Date.parse("2025-05-20T20:44:37Z"),
    resourceArn: KEY_ARN,
    serviceEventDetails: details,
    eventId: "a24b3967-ddad-417f-9b22-2332b918db06",
  });
  assert.deepEqual(JSON.parse(JSON.stringify(record)), {
    eventVersion: record.eventVersion,
    userIdentity: { accountId: ACCOUNT, invokedBy: "AWS Internal" },
    eventTime: "2025-05-20T20:44:37Z",
    eventSource: "kms.amazonaws.com",
    eventName: "RotateKey",
    awsRegion: "us-east-1",
    sourceIPAddress: "AWS Internal",
    userAgent: "AWS Internal",
    requestParameters: null,
    responseElements: null,
    eventID: "a24b3967-ddad-417f-9b22-2332b918db06",
    readOnly: false,
    resources: [{ accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: KEY_ARN }],
    eventType: "AwsServiceEvent",
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    serviceEventDetails: details,
    eventCategory: "Management",
  });
  assert.deepEqual(Object.keys(record), [
    "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent",
    "requestParameters", "responseElements", "eventID", "readOnly", "resources", "eventType", "managementEvent",
    "recipientAccountId", "serviceEventDetails", "eventCategory",
  ]);
});

test("the KMS Decrypt Secrets Manager makes for a user matches the §6.5 description", () => {
  const context = { SecretARN: ARN, SecretVersionId: VERSION };
  const record = buildRecord({
    eventSource: EVENT_SOURCES.kms,
    eventName: "Decrypt",
    identity: ALICE,
    invokedBy: "secretsmanager.amazonaws.com",
    region: "us-east-1",
    recipientAccountId: ACCOUNT,
    sourceIp: "203.0.113.10",
    userAgent: "aws-cli/2",
    requestId: "c3b1a1f0-0000-4000-8000-000000000002",
    time: 0,
    request: { CiphertextBlob: Buffer.from("opaque"), EncryptionContext: context },
    response: { KeyId: KEY_ARN, Plaintext: Buffer.from(PLANTED.plaintext), EncryptionAlgorithm: "SYMMETRIC_DEFAULT" },
    resources: [resourceFromArn(KEY_ARN, "AWS::KMS::Key")],
  });
  assert.deepEqual(record.userIdentity, { ...ALICE_ELEMENT, invokedBy: "secretsmanager.amazonaws.com" });
  assert.equal(record.sourceIPAddress, "secretsmanager.amazonaws.com");
  assert.equal(record.userAgent, "secretsmanager.amazonaws.com");
  // The blob is left out and context keys keep their case; KMS adds the algorithm and the key it
  // found (KMS developer guide, ct-decrypt).
  assert.deepEqual(record.requestParameters, { encryptionContext: context, encryptionAlgorithm: "SYMMETRIC_DEFAULT", keyId: KEY_ARN });
  assert.equal(record.responseElements, null);
  assert.equal(record.readOnly, true);
  assert.deepEqual(record.resources, [{ ARN: KEY_ARN, accountId: ACCOUNT, type: "AWS::KMS::Key" }]);
  assertNothingPlanted(record);

  const generate = buildRecord({
    ...smCall({ eventName: "GenerateDataKey" }),
    eventSource: EVENT_SOURCES.kms,
    invokedBy: "secretsmanager.amazonaws.com",
    request: { KeyId: KEY_ARN, KeySpec: "AES_256", EncryptionContext: context },
    response: { KeyId: KEY_ARN, Plaintext: Buffer.from(PLANTED.plaintext), CiphertextBlob: Buffer.from("x") },
  });
  assert.deepEqual(generate.requestParameters, { keyId: KEY_ARN, keySpec: "AES_256", encryptionContext: context });
  assertNothingPlanted(generate);

  const encrypt = buildRecord({
    ...smCall({ eventName: "Encrypt" }),
    eventSource: EVENT_SOURCES.kms,
    request: { KeyId: KEY_ARN, Plaintext: Buffer.from(PLANTED.plaintext) },
  });
  assert.deepEqual(encrypt.requestParameters, { keyId: KEY_ARN, encryptionAlgorithm: "SYMMETRIC_DEFAULT" });
});

test("STS and IAM records never carry a secret access key, session token or password", () => {
  const assume = buildRecord({
    ...smCall({ eventName: "AssumeRole" }),
    eventSource: EVENT_SOURCES.sts,
    request: { RoleArn: "arn:aws:iam::111122223333:role/app", RoleSessionName: "app-session", DurationSeconds: 900 },
    response: {
      Credentials: {
        AccessKeyId: "ASIAEXAMPLETEMP00001",
        SecretAccessKey: PLANTED.secretAccessKey,
        SessionToken: PLANTED.sessionToken,
        Expiration: new Date("2024-01-15T12:20:00Z"),
      },
      AssumedRoleUser: { AssumedRoleId: "AROAEXAMPLEROLEID0001:app-session", Arn: "arn:aws:sts::111122223333:assumed-role/app/app-session" },
    },
    resources: [resourceFromArn("arn:aws:iam::111122223333:role/app", "AWS::IAM::Role")],
  });
  assert.deepEqual(assume.requestParameters, {
    roleArn: "arn:aws:iam::111122223333:role/app",
    roleSessionName: "app-session",
    durationSeconds: 900,
  });
  assert.deepEqual(assume.responseElements, {
    credentials: { accessKeyId: "ASIAEXAMPLETEMP00001", expiration: "Jan 15, 2024, 12:20:00 PM" },
    assumedRoleUser: { assumedRoleId: "AROAEXAMPLEROLEID0001:app-session", arn: "arn:aws:sts::111122223333:assumed-role/app/app-session" },
  });
  assertNothingPlanted(assume);

  const createKey = buildRecord({
    ...smCall({ eventName: "CreateAccessKey" }),
    eventSource: EVENT_SOURCES.iam,
    request: { UserName: "alice" },
    response: { AccessKey: { UserName: "alice", AccessKeyId: "AKIAEXAMPLE", Status: "Active", SecretAccessKey: PLANTED.secretAccessKey } },
  });
  assert.deepEqual(createKey.responseElements, { accessKey: { userName: "alice", accessKeyId: "AKIAEXAMPLE", status: "Active" } });
  assertNothingPlanted(createKey);

  const login = buildRecord({
    ...smCall({ eventName: "CreateLoginProfile" }),
    eventSource: EVENT_SOURCES.iam,
    request: { UserName: "alice", Password: PLANTED.password, PasswordResetRequired: true },
  });
  assert.deepEqual(login.requestParameters, { userName: "alice", passwordResetRequired: true });
  assertNothingPlanted(login);
});

test("userIdentity for root (with and without alias), an AWS service principal and an anonymous caller", () => {
  const root = buildRecord(smCall({ eventName: "ListSecrets", identity: { type: "Root", accountId: ACCOUNT, accessKeyId: "AKIAROOTEXAMPLE" } }));
  assert.deepEqual(root.userIdentity, {
    type: "Root",
    principalId: ACCOUNT,
    arn: "arn:aws:iam::111122223333:root",
    accountId: ACCOUNT,
    accessKeyId: "AKIAROOTEXAMPLE",
  });
  const aliased = buildRecord(
    smCall({
      eventName: "ListSecrets",
      identity: { type: "Root", accountId: ACCOUNT, accessKeyId: "", partition: "aws-cn", accountAlias: "acme" },
    }),
  );
  assert.deepEqual(aliased.userIdentity, {
    type: "Root",
    principalId: ACCOUNT,
    arn: "arn:aws-cn:iam::111122223333:root",
    accountId: ACCOUNT,
    accessKeyId: "",
    userName: "acme",
  });

  const service = buildRecord(smCall({ eventName: "DescribeSecret", identity: { type: "AWSService", service: "cloudformation.amazonaws.com" } }));
  assert.deepEqual(service.userIdentity, { type: "AWSService", invokedBy: "cloudformation.amazonaws.com" });
  assert.equal(service.sourceIPAddress, "cloudformation.amazonaws.com");
  assert.equal(service.userAgent, "cloudformation.amazonaws.com");

  const anonymous = buildRecord(smCall({ eventName: "GetSecretValue", identity: { type: "Anonymous" } }));
  assert.deepEqual(anonymous.userIdentity, { type: "AWSAccount", principalId: "", accountId: "anonymous" });
});

test("an assumed-role session keeps the role path in sessionIssuer and drops it from the session ARN (§4.3)", () => {
  const record = buildRecord(
    smCall({
      eventName: "ListSecrets",
      identity: {
        type: "AssumedRole",
        roleArn: "arn:aws:iam::444455556666:role/service/app",
        roleId: "AROAEXAMPLEROLEID0002",
        sessionName: "s1",
        accessKeyId: "ASIAEXAMPLETEMP00002",
        issuedAt: Date.parse("2024-01-15T11:00:00Z"),
        mfaAuthenticated: true,
        sourceIdentity: "alice",
      },
    }),
  );
  assert.equal(record.userIdentity.arn, "arn:aws:sts::444455556666:assumed-role/app/s1");
  assert.equal(record.userIdentity.accountId, "444455556666");
  assert.deepEqual(record.userIdentity.sessionContext, {
    sessionIssuer: {
      type: "Role",
      principalId: "AROAEXAMPLEROLEID0002",
      arn: "arn:aws:iam::444455556666:role/service/app",
      accountId: "444455556666",
      userName: "app",
    },
    webIdFederationData: {},
    attributes: { creationDate: "2024-01-15T11:00:00Z", mfaAuthenticated: "true" },
    sourceIdentity: "alice",
  });
  assert.equal(record.recipientAccountId, ACCOUNT, "the owner's log receives the record");
});

test("optional envelope fields: resources, additionalEventData, sharedEventID, tlsDetails only when given", () => {
  const plain = buildRecord(smCall({ eventName: "DescribeSecret", request: { SecretId: "x" } }));
  for (const field of ["resources", "additionalEventData", "sharedEventID", "tlsDetails", "omitted", "errorCode", "errorMessage"]) {
    assert.ok(!(field in plain), field);
  }
  const shared = buildRecord(smCall({ eventName: "DescribeSecret", sharedEventId: "11111111-2222-4333-8444-555555555555" }));
  assert.equal(shared.sharedEventID, "11111111-2222-4333-8444-555555555555");
  const noAgent = buildRecord(smCall({ eventName: "DescribeSecret", userAgent: undefined }));
  assert.ok(!("userAgent" in noAgent));
  assert.equal(buildRecord(smCall({ eventName: "ValidateResourcePolicy", readOnly: true })).readOnly, true, "override");
});

test("over-long userAgent and errorMessage are cut to 1 KB and the record is marked omitted (§6.1)", () => {
  const record = buildRecord(
    smCall({ eventName: "GetSecretValue", userAgent: "é".repeat(1000), error: { code: "InvalidRequestException", message: "m".repeat(5000) } }),
  );
  assert.equal(Buffer.byteLength(record.userAgent ?? ""), 1024);
  assert.equal(record.errorMessage?.length, 1024);
  assert.equal(record.omitted, true);
  assert.equal(Object.keys(record).at(-1), "omitted");
});

test("authentication failures are not audited; everything after authentication is", () => {
  for (const code of ["InvalidSignatureException", "UnrecognizedClientException", "IncompleteSignatureException", "MissingAuthenticationTokenException"]) {
    assert.equal(isAuditedError(code), false, code);
  }
  for (const code of ["AccessDeniedException", "ResourceNotFoundException", "ValidationException", "InternalServiceError"]) {
    assert.equal(isAuditedError(code), true, code);
  }
});

test("eventTime is UTC without milliseconds; each record gets its own eventID", () => {
  const a = buildRecord(smCall({ eventName: "ListSecrets", eventId: undefined, time: new Date("2024-03-01T23:59:59.999Z") }));
  const b = buildRecord(smCall({ eventName: "ListSecrets", eventId: undefined }));
  assert.equal(a.eventTime, "2024-03-01T23:59:59Z");
  assert.notEqual(a.eventID, b.eventID);
});

test("a KMS CreateKey record shows the request with KMS's defaults and the key as AWS writes it", () => {
  const created = Date.parse("2022-08-10T22:38:27Z");
  const record = buildRecord({
    ...smCall({ eventName: "CreateKey" }),
    eventSource: EVENT_SOURCES.kms,
    request: { Description: "billing" },
    response: { KeyMetadata: { AWSAccountId: ACCOUNT, KeyId: "1234abcd-12ab-34cd-56ef-1234567890ab", Arn: KEY_ARN, CreationDate: new Date(created), Enabled: true } },
  });
  assert.deepEqual(record.requestParameters, {
    description: "billing",
    origin: "AWS_KMS",
    bypassPolicyLockoutSafetyCheck: false,
    customerMasterKeySpec: "SYMMETRIC_DEFAULT",
    keySpec: "SYMMETRIC_DEFAULT",
    keyUsage: "ENCRYPT_DECRYPT",
  });
  assert.deepEqual(record.responseElements, {
    keyMetadata: { AWSAccountId: ACCOUNT, keyId: "1234abcd-12ab-34cd-56ef-1234567890ab", arn: KEY_ARN, creationDate: "Aug 10, 2022, 10:38:27 PM", enabled: true },
  });
});
