// Records of other callers and transports: an IAM user and a role session (userIdentity, §6.2),
// TLS (tlsDetails, §6.1), and several server processes appending to one store.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import {
  CreateSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { coffer, recordOf, storedRecords } from "./audit-support.js";
import { ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, startServer, storeKinds, type TestServer } from "./harness.js";

for (const store of storeKinds()) {
  describe(`audit records of IAM users and role sessions on ${store}`, () => {
    let server: TestServer | undefined;
    after(async () => server?.dispose());

    test("userIdentity of an IAM user and of a role session (§6.2, §6.5); LookupEvents needs cloudtrail:LookupEvents", async () => {
      const srv = await startServer({ store });
      server = srv;
      const endpoint = { endpoint: srv.endpoint, region: REGION, maxAttempts: 1 };
      const rootCredentials = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY };
      const iam = new IAMClient({ ...endpoint, credentials: rootCredentials });
      const userName = `auditor-${randomUUID().slice(0, 6)}`;
      const user = (await iam.send(new CreateUserCommand({ UserName: userName }))).User!;
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!;
      const roleName = `audited-role-${randomUUID().slice(0, 6)}`;
      const role = (
        await iam.send(
          new CreateRoleCommand({
            RoleName: roleName,
            Path: "/team/",
            AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: user.Arn }, Action: "sts:AssumeRole" }] }),
          }),
        )
      ).Role!;
      await iam.send(
        new PutUserPolicyCommand({
          UserName: userName,
          PolicyName: "assume",
          PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: role.Arn }] }),
        }),
      );
      iam.destroy();
      const userCredentials = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };

      const asUser = new SecretsManagerClient({ ...endpoint, credentials: userCredentials });
      const denied = (await asUser.send(new GetSecretValueCommand({ SecretId: "MyTestSecret" })).catch((e: unknown) => e)) as Error & { $metadata: { requestId?: string } };
      asUser.destroy();
      assert.equal(denied.name, "AccessDeniedException");
      const userRecord = await recordOf(srv, denied.$metadata.requestId);
      assert.deepEqual(userRecord.userIdentity, {
        type: "IAMUser",
        principalId: user.UserId,
        arn: user.Arn,
        accountId: srv.accountId,
        accessKeyId: key.AccessKeyId,
        userName,
      });
      assert.equal(userRecord.errorCode, "AccessDenied");
      assert.equal(userRecord.errorMessage, denied.message);
      assert.deepEqual(userRecord.requestParameters, { secretId: "MyTestSecret" });

      // LookupEvents is authorized as cloudtrail:LookupEvents.
      const trailAsUser = new CloudTrailClient({ ...endpoint, credentials: userCredentials });
      const refused = (await trailAsUser.send(new LookupEventsCommand({})).catch((e: unknown) => e)) as Error & { $metadata: { requestId?: string } };
      assert.equal(refused.name, "AccessDeniedException");
      assert.match(refused.message, /cloudtrail:LookupEvents/);
      const refusedRecord = await recordOf(srv, refused.$metadata.requestId);
      assert.equal(refusedRecord.eventSource, "cloudtrail.amazonaws.com");
      assert.equal(refusedRecord.errorCode, "AccessDenied");
      const admin = new IAMClient({ ...endpoint, credentials: rootCredentials });
      await admin.send(
        new PutUserPolicyCommand({
          UserName: userName,
          PolicyName: "read-trail",
          PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "cloudtrail:LookupEvents", Resource: "*" }] }),
        }),
      );
      admin.destroy();
      const mine = await trailAsUser.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "Username", AttributeValue: userName }] }));
      trailAsUser.destroy();
      assert.deepEqual(
        mine.Events?.map((e) => [e.EventSource, e.EventName]),
        [
          ["cloudtrail.amazonaws.com", "LookupEvents"],
          ["secretsmanager.amazonaws.com", "GetSecretValue"],
        ],
      );

      const sts = new STSClient({ ...endpoint, credentials: userCredentials });
      const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: "audit-session" }));
      sts.destroy();
      const session = assumed.Credentials!;
      const assumeRecord = await recordOf(srv, assumed.$metadata.requestId);
      assert.equal(assumeRecord.eventSource, "sts.amazonaws.com");
      assert.ok(!JSON.stringify(assumeRecord).includes(session.SecretAccessKey!), "no secret access key in the AssumeRole record");
      assert.ok(!JSON.stringify(assumeRecord).includes(session.SessionToken!), "no session token in the AssumeRole record");
      // What was issued, its secrets left out, and the role as the record's resource (§6.1).
      const issued = assumeRecord.responseElements as { credentials: Record<string, string>; assumedRoleUser: Record<string, string> };
      assert.equal(issued.credentials.accessKeyId, session.AccessKeyId);
      assert.match(issued.credentials.expiration as string, /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/);
      assert.deepEqual(issued.assumedRoleUser, { assumedRoleId: assumed.AssumedRoleUser!.AssumedRoleId, arn: assumed.AssumedRoleUser!.Arn });
      assert.deepEqual(assumeRecord.resources, [{ ARN: role.Arn, accountId: srv.accountId, type: "AWS::IAM::Role" }]);

      const asRole = new SecretsManagerClient({
        ...endpoint,
        credentials: { accessKeyId: session.AccessKeyId!, secretAccessKey: session.SecretAccessKey!, sessionToken: session.SessionToken! },
      });
      const roleDenied = (await asRole.send(new GetSecretValueCommand({ SecretId: "MyTestSecret" })).catch((e: unknown) => e)) as Error & { $metadata: { requestId?: string } };
      asRole.destroy();
      assert.equal(roleDenied.name, "AccessDeniedException");
      const roleRecord = await recordOf(srv, roleDenied.$metadata.requestId);
      const identity = roleRecord.userIdentity as { sessionContext: { attributes: { creationDate: string } } };
      assert.deepEqual(identity, {
        type: "AssumedRole",
        principalId: `${role.RoleId}:audit-session`,
        arn: `arn:aws:sts::${srv.accountId}:assumed-role/${roleName}/audit-session`,
        accountId: srv.accountId,
        accessKeyId: session.AccessKeyId,
        sessionContext: {
          sessionIssuer: { type: "Role", principalId: role.RoleId, arn: role.Arn, accountId: srv.accountId, userName: roleName },
          webIdFederationData: {},
          attributes: { creationDate: identity.sessionContext.attributes.creationDate, mfaAuthenticated: "false" },
        },
      });
      assert.match(identity.sessionContext.attributes.creationDate, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.ok(role.Arn?.includes("/team/"), "the issuer keeps the role's path");
    });
  });
}

describe("audit records: TLS details and several processes", () => {
  test("a request over TLS carries tlsDetails (§6.1)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "coffer-tls-"));
    const cert = join(dir, "cert.pem");
    const key = join(dir, "key.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], { stdio: "ignore" });
    const server = await startServer({ store: "sqlite", args: ["--tls-cert", cert, "--tls-key", key] });
    try {
      const sm = new SecretsManagerClient({
        endpoint: server.endpoint,
        region: REGION,
        credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
        requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: readFileSync(cert) }) }),
        maxAttempts: 1,
      });
      const out = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 20 }));
      sm.destroy();
      const record = await recordOf(server, out.$metadata.requestId);
      assert.equal(record.tlsDetails?.tlsVersion, "TLSv1.3");
      assert.match(String(record.tlsDetails?.cipherSuite), /^TLS_AES_\d+_GCM_SHA\d+$|^TLS_CHACHA20/);
      assert.equal(record.tlsDetails?.clientProvidedHostHeader, new URL(server.endpoint).host);
      assert.deepEqual(Object.keys(record).slice(-1), ["tlsDetails"]);
    } finally {
      await server.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const store of storeKinds()) {
    test(`records of several server processes on one ${store} store form one chain`, async () => {
      const server = await startServer({ store, args: ["--workers", "2"] });
      try {
        const clients = Array.from({ length: 6 }, () => server.client());
        const name = `workers/${randomUUID().slice(0, 8)}`;
        await clients[0]!.send(new CreateSecretCommand({ Name: name, SecretString: "v" }));
        const ids = await Promise.all(
          Array.from({ length: 60 }, async (_, i) => {
            const client = clients[i % clients.length]!;
            const out =
              i % 5 === 0
                ? await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: `v${i}` }))
                : await client.send(new GetSecretValueCommand({ SecretId: name }));
            return out.$metadata.requestId as string;
          }),
        );
        for (const c of clients) c.destroy();
        await server.stop();
        const records = await storedRecords(server);
        assert.deepEqual(records.map((r) => r.seq), Array.from({ length: records.length }, (_, i) => i + 1));
        for (const id of ids) assert.equal(records.filter((r) => r.parsed.requestID === id).length, 1);
        const verified = await coffer(["audit", "verify", "--store", server.storeUrl]);
        assert.equal(verified.code, 0, verified.stdout + verified.stderr);
      } finally {
        await server.dispose();
      }
    });
  }
});
