// GetSessionToken through the AWS SDK and the AWS CLI: temporary credentials of the account root
// or an IAM user that act as that same identity, with its policies, for 12 hours by default (the
// root's for an hour at most); refused to session credentials, no use for IAM, no MFA to
// validate, recorded with a sessionContext, and ended when the user is deleted or the time is up.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, GetAccessKeyInfoCommand, GetCallerIdentityCommand, GetSessionTokenCommand, type Credentials } from "@aws-sdk/client-sts";
import { openStore } from "../src/store/open-store.js";
import { recordOf } from "./audit-support.js";
import { storeKinds } from "./harness.js";
import { ROOT, aws, awsFails, identitySuite, policy, rejects, unique, type Keys } from "./identity-support.js";

const HOUR_MS = 3_600_000;
const INVALID_TOKEN = "The security token included in the request is invalid.";

for (const store of storeKinds()) {
  describe(`STS GetSessionToken on ${store}`, () => {
    const suite = identitySuite(store);
    const keysOf = (creds: Credentials | undefined): Keys => ({
      accessKeyId: creds!.AccessKeyId!,
      secretAccessKey: creds!.SecretAccessKey!,
      sessionToken: creds!.SessionToken!,
    });
    const expiresIn = (creds: Credentials | undefined) => creds!.Expiration!.getTime() - Date.now();

    /** A user allowed to read one secret, and its long-term key. */
    async function newReader(secret: string) {
      const name = unique("mfa-user");
      const arn = (await suite.root.iam.send(new CreateUserCommand({ UserName: name }))).User!.Arn!;
      await suite.root.iam.send(
        new PutUserPolicyCommand({ UserName: name, PolicyName: "read", PolicyDocument: policy({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }) }),
      );
      const key = (await suite.root.iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
      const keys: Keys = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
      await suite.root.sm.send(new CreateSecretCommand({ Name: secret, SecretString: `value of ${secret}` }));
      return { name, arn, keys, c: suite.open(keys) };
    }

    test("a user's session token acts as the user, with the user's policies, for 12 hours by default", async () => {
      const secret = unique("session/db");
      const user = await newReader(secret);
      const answer = await user.c.sts.send(new GetSessionTokenCommand({}));
      assert.match(answer.Credentials!.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
      assert.ok(answer.Credentials!.SessionToken!.length > 0);
      assert.ok(Math.abs(expiresIn(answer.Credentials) - 12 * HOUR_MS) < 60_000, "the default is 43,200 seconds");

      const session = suite.open(keysOf(answer.Credentials));
      const me = await session.sts.send(new GetCallerIdentityCommand({}));
      assert.equal(me.Arn, user.arn);
      assert.equal(me.Account, suite.account);
      assert.match(me.UserId!, /^AIDA/);
      assert.equal(me.UserId, (await user.c.sts.send(new GetCallerIdentityCommand({}))).UserId);

      assert.equal((await session.sm.send(new GetSecretValueCommand({ SecretId: secret }))).SecretString, `value of ${secret}`);
      await rejects(
        () => session.sm.send(new DescribeSecretCommand({ SecretId: secret })),
        "AccessDeniedException",
        new RegExp(`^User: ${user.arn} is not authorized to perform: secretsmanager:DescribeSecret on resource: `),
        400,
      );
      // The user's policies are read as they are now: a policy removed is a permission lost.
      await suite.root.iam.send(new DeleteUserPolicyCommand({ UserName: user.name, PolicyName: "read" }));
      await new Promise((r) => setTimeout(r, 1200)); // a change made by another caller shows within a second
      await rejects(() => session.sm.send(new GetSecretValueCommand({ SecretId: secret })), "AccessDeniedException", undefined, 400);
    });

    test("no policy allows or denies it; session credentials cannot call it, nor IAM, nor STS beyond AssumeRole and GetCallerIdentity", async () => {
      const secret = unique("session/denied");
      const user = await newReader(secret);
      await suite.root.iam.send(
        new PutUserPolicyCommand({ UserName: user.name, PolicyName: "deny-sts", PolicyDocument: policy({ Effect: "Deny", Action: "sts:*", Resource: "*" }) }),
      );
      const issued = (await user.c.sts.send(new GetSessionTokenCommand({}))).Credentials;
      const session = suite.open(keysOf(issued));

      await rejects(() => session.sts.send(new GetSessionTokenCommand({})), "AccessDenied", "Cannot call GetSessionToken with session credentials", 403);
      await rejects(() => session.iam.send(new ListUsersCommand({})), "InvalidClientTokenId", INVALID_TOKEN, 403);
      await rejects(() => session.sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: user.keys.accessKeyId })), "AccessDenied", "Cannot call GetAccessKeyInfo with session credentials", 403);
      // The session's key without its token is no key at all.
      const { sessionToken: _token, ...withoutToken } = keysOf(issued);
      await rejects(() => suite.open(withoutToken).sm.send(new DescribeSecretCommand({ SecretId: secret })), "UnrecognizedClientException", INVALID_TOKEN, 400);

      // A role session cannot call it either.
      const roleName = unique("session-role");
      const role = (await suite.root.iam.send(
        new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: policy({ Effect: "Allow", Principal: { AWS: suite.account }, Action: "sts:AssumeRole" }) }),
      )).Role!;
      await suite.root.iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: "all", PolicyDocument: policy({ Effect: "Allow", Action: "*", Resource: "*" }) }));
      // No root user may assume a role, whatever the trust policy says.
      await rejects(
        () => suite.root.sts.send(new AssumeRoleCommand({ RoleArn: role.Arn!, RoleSessionName: "s0" })),
        "AccessDenied",
        "Roles may not be assumed by root accounts.",
        403,
      );
      const assumer = await newReader(unique("session/assumer"));
      await suite.root.iam.send(
        new PutUserPolicyCommand({ UserName: assumer.name, PolicyName: "assume", PolicyDocument: policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: role.Arn! }) }),
      );
      const roleSession = suite.open(keysOf((await assumer.c.sts.send(new AssumeRoleCommand({ RoleArn: role.Arn!, RoleSessionName: "s1" }))).Credentials));
      await rejects(() => roleSession.sts.send(new GetSessionTokenCommand({})), "AccessDenied", "Cannot call GetSessionToken with session credentials", 403);

      // A user's session may assume a role the user may assume; the role's session is not chained.
      const trusting = unique("trusts-user");
      const trustingRole = (await suite.root.iam.send(
        new CreateRoleCommand({ RoleName: trusting, AssumeRolePolicyDocument: policy({ Effect: "Allow", Principal: { AWS: user.arn }, Action: "sts:AssumeRole" }) }),
      )).Role!;
      await suite.root.iam.send(new DeleteUserPolicyCommand({ UserName: user.name, PolicyName: "deny-sts" }));
      await new Promise((r) => setTimeout(r, 1200));
      const assumed = await session.sts.send(new AssumeRoleCommand({ RoleArn: trustingRole.Arn!, RoleSessionName: "from-session", DurationSeconds: 7200 }))
        .catch((err: Error) => err);
      // 7200 s is over this role's MaxSessionDuration (3600), not over a chaining limit.
      assert.ok(assumed instanceof Error && assumed.message === "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", String(assumed));
      const assumedOk = await session.sts.send(new AssumeRoleCommand({ RoleArn: trustingRole.Arn!, RoleSessionName: "from-session" }));
      assert.equal(assumedOk.AssumedRoleUser!.Arn, `arn:aws:sts::${suite.account}:assumed-role/${trusting}/from-session`);
    });

    test("DurationSeconds: 900 to 129,600 for a user; the root's sessions last an hour at most", async () => {
      const user = await newReader(unique("session/duration"));
      for (const bad of [899, 129_601]) {
        await rejects(
          () => user.c.sts.send(new GetSessionTokenCommand({ DurationSeconds: bad })),
          "ValidationError",
          new RegExp(`^1 validation error detected: Value '${bad}' at 'durationSeconds' failed to satisfy constraint: Member must have value (greater|less) than or equal to (900|129600)$`),
          400,
        );
      }
      assert.ok(Math.abs(expiresIn((await user.c.sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials) - 900_000) < 60_000);
      assert.ok(Math.abs(expiresIn((await user.c.sts.send(new GetSessionTokenCommand({ DurationSeconds: 129_600 }))).Credentials) - 36 * HOUR_MS) < 60_000);

      const rootDefault = (await suite.root.sts.send(new GetSessionTokenCommand({}))).Credentials;
      assert.ok(Math.abs(expiresIn(rootDefault) - HOUR_MS) < 60_000, "the root's default is an hour");
      const rootLong = (await suite.root.sts.send(new GetSessionTokenCommand({ DurationSeconds: 7200 }))).Credentials;
      assert.ok(Math.abs(expiresIn(rootLong) - HOUR_MS) < 60_000, "a longer root session is cut to an hour");
      const rootSession = suite.open(keysOf(rootLong));
      assert.deepEqual(
        (({ UserId, Account, Arn }) => ({ UserId, Account, Arn }))(await rootSession.sts.send(new GetCallerIdentityCommand({}))),
        { UserId: suite.account, Account: suite.account, Arn: `arn:aws:iam::${suite.account}:root` },
      );
    });

    test("an MFA device cannot be validated: Coffer has none", async () => {
      const user = await newReader(unique("session/mfa"));
      const mfa = "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.";
      await rejects(
        () => user.c.sts.send(new GetSessionTokenCommand({ SerialNumber: `arn:aws:iam::${suite.account}:mfa/${user.name}`, TokenCode: "123456" })),
        "AccessDenied",
        mfa,
        403,
      );
      await rejects(() => user.c.sts.send(new GetSessionTokenCommand({ TokenCode: "123456" })), "AccessDenied", mfa, 403);
    });

    test("records carry a sessionContext without an issuer; the secret and the token are in none", async () => {
      const secret = unique("session/audited");
      const user = await newReader(secret);
      const issued = await user.c.sts.send(new GetSessionTokenCommand({ DurationSeconds: 1800 }));
      const issuedRecord = await recordOf(suite.server, issued.$metadata.requestId);
      assert.equal(issuedRecord.eventName, "GetSessionToken");
      assert.equal(issuedRecord.eventSource, "sts.amazonaws.com");
      assert.deepEqual(issuedRecord.requestParameters, { durationSeconds: 1800 });
      const text = JSON.stringify(issuedRecord);
      assert.ok(!text.includes(issued.Credentials!.SecretAccessKey!) && !text.includes(issued.Credentials!.SessionToken!));

      const session = suite.open(keysOf(issued.Credentials));
      const read = await session.sm.send(new GetSecretValueCommand({ SecretId: secret }));
      const record = await recordOf(suite.server, read.$metadata.requestId);
      const identity = record.userIdentity as Record<string, unknown>;
      assert.equal(identity.type, "IAMUser");
      assert.equal(identity.arn, user.arn);
      assert.equal(identity.userName, user.name);
      assert.equal(identity.accessKeyId, issued.Credentials!.AccessKeyId);
      assert.match(identity.principalId as string, /^AIDA/);
      const context = identity.sessionContext as { sessionIssuer: unknown; webIdFederationData: unknown; attributes: { creationDate: string; mfaAuthenticated: string } };
      assert.deepEqual(context.sessionIssuer, {});
      assert.deepEqual(context.webIdFederationData, {});
      assert.equal(context.attributes.mfaAuthenticated, "false");
      assert.ok(Math.abs(Date.parse(context.attributes.creationDate) - Date.now()) < 60_000);
    });

    test("deleting the user ends its sessions; so does the end of the session", async () => {
      const secret = unique("session/end");
      const user = await newReader(secret);
      const first = keysOf((await user.c.sts.send(new GetSessionTokenCommand({}))).Credentials);
      const second = keysOf((await user.c.sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials);
      const [a, b] = [suite.open(first), suite.open(second)];
      await a.sm.send(new GetSecretValueCommand({ SecretId: secret }));
      await b.sm.send(new GetSecretValueCommand({ SecretId: secret }));

      // The end of the session: its expiry moved into the past, as time would move it.
      const direct = await openStore(suite.server.storeUrl);
      try {
        await direct.transaction(async (tx) => {
          await tx.identity.setSessionExpiry(second.accessKeyId, Date.now() - 1000);
          await tx.identity.bumpGeneration();
        });
      } finally {
        await direct.close();
      }
      await new Promise((r) => setTimeout(r, 1200));
      await rejects(() => b.sm.send(new GetSecretValueCommand({ SecretId: secret })), "ExpiredTokenException", "The security token included in the request is expired", 400);
      await a.sm.send(new GetSecretValueCommand({ SecretId: secret }));

      await suite.root.iam.send(new DeleteUserPolicyCommand({ UserName: user.name, PolicyName: "read" }));
      await suite.root.iam.send(new DeleteAccessKeyCommand({ UserName: user.name, AccessKeyId: user.keys.accessKeyId }));
      await suite.root.iam.send(new DeleteUserCommand({ UserName: user.name }));
      // A new user of the same name does not inherit the old one's session.
      await suite.root.iam.send(new CreateUserCommand({ UserName: user.name }));
      await suite.root.iam.send(
        new PutUserPolicyCommand({ UserName: user.name, PolicyName: "read", PolicyDocument: policy({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }) }),
      );
      await rejects(() => a.sm.send(new GetSecretValueCommand({ SecretId: secret })), "UnrecognizedClientException", INVALID_TOKEN, 400);
    });

    test("the AWS CLI: get-session-token, then the credentials it printed", async () => {
      const secret = unique("session/cli");
      const user = await newReader(secret);
      const printed = JSON.parse(await aws(suite.server, user.keys, ["sts", "get-session-token", "--duration-seconds", "900"])) as {
        Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
      };
      assert.match(printed.Credentials.AccessKeyId, /^ASIA/);
      assert.ok(Math.abs(Date.parse(printed.Credentials.Expiration) - (Date.now() + 900_000)) < 60_000);
      const keys = { accessKeyId: printed.Credentials.AccessKeyId, secretAccessKey: printed.Credentials.SecretAccessKey, sessionToken: printed.Credentials.SessionToken };
      const value = JSON.parse(await aws(suite.server, keys, ["secretsmanager", "get-secret-value", "--secret-id", secret]));
      assert.equal(value.SecretString, `value of ${secret}`);
      assert.equal(JSON.parse(await aws(suite.server, keys, ["sts", "get-caller-identity"])).Arn, user.arn);
      assert.match(await awsFails(suite.server, keys, ["iam", "list-users"]), /InvalidClientTokenId/);
      assert.equal(JSON.parse(await aws(suite.server, ROOT, ["sts", "get-caller-identity"])).Arn, `arn:aws:iam::${suite.account}:root`);
    });
  });
}
