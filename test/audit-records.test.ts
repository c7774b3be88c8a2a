// One CloudTrail record per request, produced by the pipeline: every Secrets Manager operation,
// denied and invalid requests, and the service event of a purge, compared field by field with
// the records of security-and-identity.md §6.5.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  ListSecretsCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  RotateSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
  ValidateResourcePolicyCommand,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { openStore } from "../src/store/open-store.js";
import { type AuditRecord, eventually, recordOf, storedRecords } from "./audit-support.js";
import { ACCESS_KEY_ID, startServer, storeKinds, type TestServer } from "./harness.js";
import { send, signed } from "./raw-http.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// CloudTrail's field order (§6.1, §6.5).
const ORDER = [
  "eventVersion",
  "userIdentity",
  "eventTime",
  "eventSource",
  "eventName",
  "awsRegion",
  "sourceIPAddress",
  "userAgent",
  "errorCode",
  "errorMessage",
  "requestParameters",
  "responseElements",
  "additionalEventData",
  "requestID",
  "eventID",
  "readOnly",
  "resources",
  "eventType",
  "managementEvent",
  "recipientAccountId",
  "eventCategory",
  "tlsDetails",
];

const POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "secretsmanager:GetSecretValue", Resource: "*" }],
});

interface Expected {
  eventName: string;
  readOnly: boolean;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string | RegExp;
}

for (const store of storeKinds()) {
  describe(`audit records on ${store}`, () => {
    let server: TestServer;
    let sm: SecretsManagerClient;
    const started = Date.now();

    before(async () => {
      server = await startServer({ store, args: ["--purge-interval", "1"] });
      sm = server.client();
    });
    after(async () => {
      sm?.destroy();
      await server?.dispose();
    });

    async function raw(options: Parameters<typeof signed>[1]) {
      const request = await signed(server.endpoint, options);
      return send(server.endpoint, "POST", "/", request.headers, request.body);
    }

    /** The record of a request: exactly one, with the envelope AWS fills for a root caller. */
    async function check(requestId: string | undefined, expected: Expected): Promise<AuditRecord> {
      assert.match(requestId ?? "", UUID);
      const record = await recordOf(server, requestId);
      const acct = server.accountId;
      assert.equal(record.eventVersion, "1.08");
      assert.deepEqual(record.userIdentity, {
        type: "Root",
        principalId: acct,
        arn: `arn:aws:iam::${acct}:root`,
        accountId: acct,
        accessKeyId: ACCESS_KEY_ID,
      });
      assert.match(record.eventTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const time = Date.parse(record.eventTime);
      assert.ok(time >= Math.floor(started / 1000) * 1000 && time <= Date.now(), `eventTime ${record.eventTime} is the request's`);
      assert.equal(record.eventSource, "secretsmanager.amazonaws.com");
      assert.equal(record.eventName, expected.eventName);
      assert.equal(record.awsRegion, "us-east-1");
      assert.equal(record.sourceIPAddress, "127.0.0.1");
      assert.match(record.userAgent ?? "", /aws-sdk-js/);
      assert.deepEqual(record.requestParameters, expected.requestParameters);
      assert.deepEqual(record.responseElements, expected.responseElements);
      assert.equal(record.requestID, requestId);
      assert.match(record.eventID, UUID);
      assert.equal(record.readOnly, expected.readOnly);
      assert.equal(record.eventType, "AwsApiCall");
      assert.equal(record.managementEvent, true);
      assert.equal(record.recipientAccountId, acct);
      assert.equal(record.eventCategory, "Management");
      assert.equal(record.errorCode, expected.errorCode);
      if (typeof expected.errorMessage === "string") assert.equal(record.errorMessage, expected.errorMessage);
      else if (expected.errorMessage) assert.match(record.errorMessage ?? "", expected.errorMessage);
      else assert.equal(record.errorMessage, undefined);
      // Plain HTTP: no TLS details; Secrets Manager API records carry no `resources` (§6.1).
      assert.equal(record.tlsDetails, undefined);
      assert.equal(record.resources, undefined);
      const keys = Object.keys(record);
      assert.deepEqual(keys, ORDER.filter((k) => keys.includes(k)), "fields in CloudTrail's order");
      return record;
    }

    test("every Secrets Manager operation yields exactly one record with the fields AWS fills", async () => {
      const name = `audited/${randomUUID().slice(0, 8)}`;
      const token = randomUUID();
      const created = await sm.send(
        new CreateSecretCommand({
          Name: name,
          SecretString: "first-value",
          ClientRequestToken: token,
          Description: "audited secret",
          Tags: [{ Key: "team", Value: "core" }],
        }),
      );
      const arn = created.ARN as string;
      await check(created.$metadata.requestId, {
        eventName: "CreateSecret",
        readOnly: false,
        requestParameters: { name, clientRequestToken: token, description: "audited secret", tags: [{ key: "team", value: "core" }] },
        responseElements: { arn },
      });

      const got = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: "AWSCURRENT" }));
      await check(got.$metadata.requestId, {
        eventName: "GetSecretValue",
        readOnly: true,
        requestParameters: { secretId: name, versionStage: "AWSCURRENT" },
        responseElements: null,
      });

      const putToken = randomUUID();
      const put = await sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: "second-value", ClientRequestToken: putToken }));
      await check(put.$metadata.requestId, {
        eventName: "PutSecretValue",
        readOnly: false,
        requestParameters: { secretId: arn, clientRequestToken: putToken },
        responseElements: { arn },
      });

      const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
      await check(described.$metadata.requestId, { eventName: "DescribeSecret", readOnly: true, requestParameters: { secretId: name }, responseElements: null });

      const listed = await sm.send(new ListSecretsCommand({ MaxResults: 10 }));
      await check(listed.$metadata.requestId, { eventName: "ListSecrets", readOnly: true, requestParameters: { maxResults: 10 }, responseElements: null });

      const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name }));
      await check(versions.$metadata.requestId, {
        eventName: "ListSecretVersionIds",
        readOnly: true,
        requestParameters: { secretId: name },
        responseElements: null,
      });

      const updateToken = randomUUID();
      const updated = await sm.send(new UpdateSecretCommand({ SecretId: name, Description: "changed", ClientRequestToken: updateToken }));
      await check(updated.$metadata.requestId, {
        eventName: "UpdateSecret",
        readOnly: false,
        requestParameters: { secretId: name, clientRequestToken: updateToken, description: "changed" },
        responseElements: { arn },
      });

      const staged = await sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "MINE", MoveToVersionId: token }));
      await check(staged.$metadata.requestId, {
        eventName: "UpdateSecretVersionStage",
        readOnly: false,
        requestParameters: { secretId: name, versionStage: "MINE", moveToVersionId: token },
        responseElements: { arn },
      });

      const tagged = await sm.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: "env", Value: "test" }] }));
      await check(tagged.$metadata.requestId, {
        eventName: "TagResource",
        readOnly: false,
        requestParameters: { secretId: name, tags: [{ key: "env", value: "test" }] },
        responseElements: null,
      });
      const untagged = await sm.send(new UntagResourceCommand({ SecretId: name, TagKeys: ["env"] }));
      await check(untagged.$metadata.requestId, {
        eventName: "UntagResource",
        readOnly: false,
        requestParameters: { secretId: name, tagKeys: ["env"] },
        responseElements: null,
      });

      const policy = await sm.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: POLICY }));
      await check(policy.$metadata.requestId, {
        eventName: "PutResourcePolicy",
        readOnly: false,
        requestParameters: { secretId: name, resourcePolicy: POLICY },
        responseElements: { arn },
      });
      const gotPolicy = await sm.send(new GetResourcePolicyCommand({ SecretId: name }));
      await check(gotPolicy.$metadata.requestId, { eventName: "GetResourcePolicy", readOnly: true, requestParameters: { secretId: name }, responseElements: null });
      const validated = await sm.send(new ValidateResourcePolicyCommand({ SecretId: name, ResourcePolicy: POLICY }));
      await check(validated.$metadata.requestId, {
        eventName: "ValidateResourcePolicy",
        readOnly: false,
        requestParameters: { secretId: name, resourcePolicy: POLICY },
        responseElements: null,
      });
      const deletedPolicy = await sm.send(new DeleteResourcePolicyCommand({ SecretId: name }));
      await check(deletedPolicy.$metadata.requestId, {
        eventName: "DeleteResourcePolicy",
        readOnly: false,
        requestParameters: { secretId: name },
        responseElements: { arn },
      });

      const password = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 40 }));
      const passwordRecord = await check(password.$metadata.requestId, {
        eventName: "GetRandomPassword",
        readOnly: true,
        requestParameters: { passwordLength: 40 },
        responseElements: null,
      });
      assert.ok(!JSON.stringify(passwordRecord).includes(password.RandomPassword as string));

      const batch = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: [name] }));
      await check(batch.$metadata.requestId, {
        eventName: "BatchGetSecretValue",
        readOnly: true,
        requestParameters: { secretIdList: [name] },
        responseElements: null,
      });

      const deleted = await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
      await check(deleted.$metadata.requestId, {
        eventName: "DeleteSecret",
        readOnly: false,
        requestParameters: { secretId: name, recoveryWindowInDays: 7 },
        responseElements: { arn },
      });
      const restored = await sm.send(new RestoreSecretCommand({ SecretId: name }));
      await check(restored.$metadata.requestId, { eventName: "RestoreSecret", readOnly: false, requestParameters: { secretId: name }, responseElements: { arn } });

      // An operation that fails in its handler: the failure is the record.
      const rotateToken = randomUUID();
      const lambda = "arn:aws:lambda:us-east-1:111122223333:function:rot";
      const rotate = (await sm
        .send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: lambda, ClientRequestToken: rotateToken }))
        .catch((e: unknown) => e)) as Error & { $metadata: { requestId?: string } };
      assert.equal(rotate.name, "InvalidRequestException");
      await check(rotate.$metadata.requestId, {
        eventName: "RotateSecret",
        readOnly: false,
        requestParameters: { secretId: name, clientRequestToken: rotateToken, rotationLambdaARN: lambda },
        responseElements: null,
        errorCode: "InvalidRequestException",
        errorMessage: rotate.message,
      });
    });

    test("a denied request is recorded as AccessDenied with the message the caller got (§6.5)", async () => {
      const foreign = "arn:aws:secretsmanager:us-east-1:444455556666:secret:theirs-AbCdEf";
      const err = (await sm.send(new GetSecretValueCommand({ SecretId: foreign })).catch((e: unknown) => e)) as Error & {
        $metadata: { requestId?: string };
      };
      assert.equal(err.name, "AccessDeniedException");
      await check(err.$metadata.requestId, {
        eventName: "GetSecretValue",
        readOnly: true,
        requestParameters: { secretId: foreign },
        responseElements: null,
        errorCode: "AccessDenied",
        errorMessage: err.message,
      });
    });

    test("invalid requests are recorded: model validation, unknown secret, malformed JSON, unknown operation", async () => {
      const invalid = (await sm.send(new DescribeSecretCommand({} as never)).catch((e: unknown) => e)) as Error & { $metadata: { requestId?: string } };
      assert.equal(invalid.name, "ValidationException");
      await check(invalid.$metadata.requestId, {
        eventName: "DescribeSecret",
        readOnly: true,
        requestParameters: null,
        responseElements: null,
        errorCode: "ValidationException",
        errorMessage: invalid.message,
      });

      const missing = (await sm.send(new GetSecretValueCommand({ SecretId: "no/such/secret" })).catch((e: unknown) => e)) as Error & {
        $metadata: { requestId?: string };
      };
      await check(missing.$metadata.requestId, {
        eventName: "GetSecretValue",
        readOnly: true,
        requestParameters: { secretId: "no/such/secret" },
        responseElements: null,
        errorCode: "ResourceNotFoundException",
        errorMessage: "Secrets Manager can't find the specified secret.",
      });

      const malformed = await raw({ target: "secretsmanager.ListSecrets", body: "{not json" });
      assert.equal(malformed.status, 400);
      const malformedRecord = await recordOf(server, malformed.headers["x-amzn-requestid"] as string);
      assert.equal(malformedRecord.eventName, "ListSecrets");
      assert.equal(malformedRecord.errorCode, "SerializationException");
      assert.equal(malformedRecord.requestParameters, null);

      const unknown = await raw({ target: "secretsmanager.NoSuchOperation" });
      assert.equal(unknown.status, 400);
      const unknownRecord = await recordOf(server, unknown.headers["x-amzn-requestid"] as string);
      assert.equal(unknownRecord.eventName, "NoSuchOperation");
      assert.equal(unknownRecord.errorCode, "UnknownOperationException");
      // An error without a message leaves errorMessage out rather than empty.
      assert.ok(!("errorMessage" in unknownRecord), JSON.stringify(unknownRecord));
    });

    test("a request that fails authentication has no record but leaves a log line without secrets", async () => {
      const before = (await storedRecords(server)).length;
      const bad = await raw({ secret: "not-the-secret-key-0000000000000" });
      assert.equal(bad.status, 400);
      assert.match(bad.body, /InvalidSignatureException|SignatureDoesNotMatch/);
      const requestId = bad.headers["x-amzn-requestid"] as string;
      assert.equal((await storedRecords(server)).length, before);
      const line = await eventually(
        async () => server.output().split("\n").find((l) => l.includes(requestId)),
        "the log line of the unauthenticated request",
      );
      assert.match(line, /request not authenticated/);
      assert.match(line, new RegExp(ACCESS_KEY_ID));
      assert.ok(!line.includes("not-the-secret-key"));
    });

    test("a secret purged after its recovery window leaves an EndSecretVersionDelete service event (§6.4)", async () => {
      const name = `purged/${randomUUID().slice(0, 8)}`;
      const { ARN } = await sm.send(new CreateSecretCommand({ Name: name, SecretString: "to-be-purged" }));
      await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
      const direct = await openStore(server.storeUrl);
      try {
        await direct.transaction(async (tx) => {
          const row = await tx.getSecretByArn(ARN as string);
          assert.ok(row);
          await tx.updateSecret({ ...row, deletionAt: Date.now() - 1000 });
        });
      } finally {
        await direct.close();
      }
      const event = await eventually(
        async () => (await storedRecords(server)).find((r) => r.parsed.eventName === "EndSecretVersionDelete")?.parsed,
        "the purge's service event",
        15_000,
      );
      assert.deepEqual(event.userIdentity, { accountId: server.accountId, invokedBy: "secretsmanager.amazonaws.com" });
      assert.equal(event.eventType, "AwsServiceEvent");
      assert.equal(event.eventSource, "secretsmanager.amazonaws.com");
      assert.equal(event.sourceIPAddress, "secretsmanager.amazonaws.com");
      assert.equal(event.userAgent, "secretsmanager.amazonaws.com");
      assert.equal(event.requestParameters, null);
      assert.equal(event.responseElements, null);
      assert.deepEqual(event.additionalEventData, { SecretId: ARN });
      assert.equal(event.readOnly, false);
      assert.equal(event.recipientAccountId, server.accountId);
      const gone = await sm.send(new DescribeSecretCommand({ SecretId: name })).catch((e: Error) => e.name);
      assert.equal(gone, "ResourceNotFoundException");
    });
  });
}
