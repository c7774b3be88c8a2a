// STS through the AWS SDK and the AWS CLI: GetCallerIdentity for every kind of caller, AssumeRole
// with trust-policy evaluation, duration bounds, session policies and session tags, temporary
// credentials accepted with their session token and refused once expired. An hour is too long to
// wait in a test, so expiry is made to happen by moving the session's expiry in the store (as
// time would), like purge.test.ts moves a purge date.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutRolePolicyCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { openStore } from "../src/store/open-store.js";
import { storeKinds } from "./harness.js";
import { ROOT, aws, identitySuite, policy, rejects, unique, type Keys } from "./identity-support.js";

for (const store of storeKinds()) {
  describe(`STS on ${store}`, () => {
    const suite = identitySuite(store);

    async function newUser(prefix: string) {
      const name = unique(prefix);
      const arn = (await suite.root.iam.send(new CreateUserCommand({ UserName: name }))).User!.Arn!;
      const key = (await suite.root.iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
      const keys: Keys = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
      return { name, arn, keys, c: suite.open(keys) };
    }

    /** A role trusting `principal`, allowed to read secrets (and list nothing else). */
    async function newRole(prefix: string, principal: unknown, extraTrust: Record<string, unknown> = {}) {
      const name = unique(prefix);
      const role = (await suite.root.iam.send(
        new CreateRoleCommand({
          RoleName: name,
          AssumeRolePolicyDocument: policy({ Effect: "Allow", Principal: principal, Action: ["sts:AssumeRole", "sts:TagSession"], ...extraTrust }),
        }),
      )).Role!;
      await suite.root.iam.send(
        new PutRolePolicyCommand({ RoleName: name, PolicyName: "read", PolicyDocument: policy({ Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: "*" }) }),
      );
      return { name, arn: role.Arn!, id: role.RoleId! };
    }

    test("GetCallerIdentity names the root, a user and needs no permission", async () => {
      assert.deepEqual(
        (({ UserId, Account, Arn }) => ({ UserId, Account, Arn }))(await suite.root.sts.send(new GetCallerIdentityCommand({}))),
        { UserId: suite.account, Account: suite.account, Arn: `arn:aws:iam::${suite.account}:root` },
      );
      const u = await newUser("nobody");
      const me = await u.c.sts.send(new GetCallerIdentityCommand({}));
      assert.equal(me.Arn, u.arn);
      assert.match(me.UserId!, /^AIDA/);
      // Even an explicit deny of everything does not stop it (§3.8 notes).
      await suite.root.iam.send(new PutUserPolicyCommand({ UserName: u.name, PolicyName: "deny", PolicyDocument: policy({ Effect: "Deny", Action: "*", Resource: "*" }) }));
      assert.equal((await u.c.sts.send(new GetCallerIdentityCommand({}))).Arn, u.arn);
    });

    test("AssumeRole: the trust policy decides, the session acts with the role's permissions", async () => {
      const secret = unique("sts/db");
      await suite.root.sm.send(new CreateSecretCommand({ Name: secret, SecretString: "role-readable" }));
      const user = await newUser("assumer");
      const role = await newRole("reader", { AWS: user.arn });
      // The user itself may not read the secret.
      await rejects(() => user.c.sm.send(new GetSecretValueCommand({ SecretId: secret })), "AccessDeniedException");
      const out = await user.c.sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: "s1", DurationSeconds: 900 }));
      const creds = out.Credentials!;
      assert.match(creds.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
      assert.equal(creds.SecretAccessKey?.length, 40);
      assert.ok((creds.SessionToken?.length ?? 0) >= 64);
      const expires = creds.Expiration!.getTime();
      assert.ok(Math.abs(expires - (Date.now() + 900_000)) < 60_000);
      assert.deepEqual(out.AssumedRoleUser, { AssumedRoleId: `${role.id}:s1`, Arn: `arn:aws:sts::${suite.account}:assumed-role/${role.name}/s1` });
      const session = suite.open({ accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! });
      const me = await session.sts.send(new GetCallerIdentityCommand({}));
      assert.equal(me.Arn, `arn:aws:sts::${suite.account}:assumed-role/${role.name}/s1`);
      assert.equal(me.UserId, `${role.id}:s1`);
      assert.equal((await session.sm.send(new GetSecretValueCommand({ SecretId: secret }))).SecretString, "role-readable");
      await rejects(
        () => session.sm.send(new CreateSecretCommand({ Name: unique("sts/nope"), SecretString: "x" })),
        "AccessDeniedException",
        new RegExp(`^User: arn:aws:sts::${suite.account}:assumed-role/${role.name}/s1 is not authorized to perform: secretsmanager:CreateSecret`),
      );
      // A wrong token is refused like an unknown key (§2.5).
      const forged = suite.open({ accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: `${creds.SessionToken}x` });
      await rejects(() => forged.sm.send(new DescribeSecretCommand({ SecretId: secret })), "UnrecognizedClientException", "The security token included in the request is invalid.");
      await rejects(() => forged.sts.send(new GetCallerIdentityCommand({})), "InvalidClientTokenId", "The security token included in the request is invalid.", 403);
    });

    test("AssumeRole is refused when the trust policy does not name the caller, and for unknown roles alike", async () => {
      const user = await newUser("stranger");
      const someoneElse = await newUser("someone-else");
      const role = await newRole("private", { AWS: someoneElse.arn });
      const message = (arn: string) => `User: ${user.arn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`;
      await rejects(() => user.c.sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: "x1" })), "AccessDenied", message(role.arn), 403);
      const missing = `arn:aws:iam::${suite.account}:role/does-not-exist`;
      await rejects(() => user.c.sts.send(new AssumeRoleCommand({ RoleArn: missing, RoleSessionName: "x1" })), "AccessDenied", message(missing), 403);
      // A trust policy naming the account delegates to IAM: the caller's own policy must allow too (§4.3).
      const delegated = await newRole("delegated", { AWS: suite.account });
      await rejects(() => user.c.sts.send(new AssumeRoleCommand({ RoleArn: delegated.arn, RoleSessionName: "x1" })), "AccessDenied", message(delegated.arn));
      await suite.root.iam.send(new PutUserPolicyCommand({ UserName: user.name, PolicyName: "assume", PolicyDocument: policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: delegated.arn }) }));
      assert.ok((await user.c.sts.send(new AssumeRoleCommand({ RoleArn: delegated.arn, RoleSessionName: "x1" }))).Credentials);
      // An MFA code cannot be validated: Coffer has no MFA devices, so the session is refused rather than made without MFA.
      await rejects(
        () =>
          user.c.sts.send(
            new AssumeRoleCommand({ RoleArn: delegated.arn, RoleSessionName: "x2", SerialNumber: `arn:aws:iam::${suite.account}:mfa/${user.name}`, TokenCode: "123456" }),
          ),
        "AccessDenied",
        /^MultiFactorAuthentication failed, unable to validate MFA code\./,
        403,
      );
    });

    test("DurationSeconds stays within 900 and the role's MaxSessionDuration; chained sessions within an hour", async () => {
      const user = await newUser("timer");
      const role = await newRole("timed", { AWS: [user.arn, suite.account] });
      await rejects(
        () => user.c.sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: "t1", DurationSeconds: 899 })),
        "ValidationError",
        /Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900/,
        400,
      );
      await rejects(
        () => user.c.sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: "t1", DurationSeconds: 3601 })),
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
      );
      const first = (await user.c.sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: "t1" }))).Credentials!;
      assert.ok(Math.abs(first.Expiration!.getTime() - (Date.now() + 3_600_000)) < 60_000, "the default is one hour");
      await suite.root.iam.send(new PutRolePolicyCommand({ RoleName: role.name, PolicyName: "chain", PolicyDocument: policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }) }));
      const session = suite.open({ accessKeyId: first.AccessKeyId!, secretAccessKey: first.SecretAccessKey!, sessionToken: first.SessionToken! });
      await rejects(
        () => session.sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: "t2", DurationSeconds: 3700 })),
        "ValidationError",
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
      );
    });

    test("a session policy narrows the role's permissions; session tags become principal tags", async () => {
      const secret = unique("sts/narrow");
      await suite.root.sm.send(new CreateSecretCommand({ Name: secret, SecretString: "v", Tags: [{ Key: "project", Value: "apollo" }] }));
      const user = await newUser("narrow");
      const role = await newRole("wide", { AWS: user.arn });
      const narrowed = (await user.c.sts.send(
        new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: "n1", Policy: policy({ Effect: "Allow", Action: "secretsmanager:DescribeSecret", Resource: "*" }) }),
      ));
      assert.ok((narrowed.PackedPolicySize ?? 0) > 0);
      const n = narrowed.Credentials!;
      const s = suite.open({ accessKeyId: n.AccessKeyId!, secretAccessKey: n.SecretAccessKey!, sessionToken: n.SessionToken! });
      assert.equal((await s.sm.send(new DescribeSecretCommand({ SecretId: secret }))).Name, secret);
      await rejects(
        () => s.sm.send(new GetSecretValueCommand({ SecretId: secret })),
        "AccessDeniedException",
        `User: arn:aws:sts::${suite.account}:assumed-role/${role.name}/n1 is not authorized to perform: secretsmanager:GetSecretValue on resource: ${secret} because no session policy allows the secretsmanager:GetSecretValue action`,
      );
      await rejects(
        () => user.c.sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: "n1", Policy: "{bad" })),
        // The SDK names the modeled error after its shape; on the wire the code is MalformedPolicyDocument.
        "MalformedPolicyDocumentException",
        "This policy contains invalid Json",
        400,
      );

      // ABAC with session tags: the role reads only secrets of the session's project.
      const abac = unique("abac-role");
      const abacRole = (await suite.root.iam.send(
        new CreateRoleCommand({ RoleName: abac, AssumeRolePolicyDocument: policy({ Effect: "Allow", Principal: { AWS: user.arn }, Action: ["sts:AssumeRole", "sts:TagSession"] }) }),
      )).Role!;
      await suite.root.iam.send(
        new PutRolePolicyCommand({
          RoleName: abac,
          PolicyName: "abac",
          PolicyDocument: policy({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*", Condition: { StringEquals: { "secretsmanager:ResourceTag/project": "${aws:PrincipalTag/project}" } } }),
        }),
      );
      const as = async (project: string) => {
        const c = (await user.c.sts.send(new AssumeRoleCommand({ RoleArn: abacRole.Arn, RoleSessionName: project, Tags: [{ Key: "project", Value: project }] }))).Credentials!;
        return suite.open({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
      };
      assert.equal((await (await as("apollo")).sm.send(new GetSecretValueCommand({ SecretId: secret }))).SecretString, "v");
      await rejects(async () => (await as("gemini")).sm.send(new GetSecretValueCommand({ SecretId: secret })), "AccessDeniedException");
    });

    test("temporary credentials stop working when the session expires: ExpiredToken", async () => {
      const user = await newUser("expiring");
      const role = await newRole("short", { AWS: user.arn });
      const creds = (await user.c.sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: "e1", DurationSeconds: 900 }))).Credentials!;
      const keys = { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! };
      const session = suite.open(keys);
      await session.sts.send(new GetCallerIdentityCommand({}));
      const direct = await openStore(suite.server.storeUrl);
      try {
        await direct.transaction(async (tx) => {
          const row = await tx.identity.getSession(keys.accessKeyId);
          assert.ok(row, "the session is stored");
          // Neither the token nor the secret is stored as such.
          assert.notEqual(row.tokenHash, keys.sessionToken);
          assert.ok(!row.sealedSecret.includes(Buffer.from(keys.secretAccessKey)));
          await tx.identity.setSessionExpiry(keys.accessKeyId, Date.now() - 1000);
          await tx.identity.bumpGeneration();
        });
      } finally {
        await direct.close();
      }
      await new Promise((r) => setTimeout(r, 1200)); // the server rereads the identity generation every second
      await rejects(() => session.sm.send(new DescribeSecretCommand({ SecretId: "anything" })), "ExpiredTokenException", "The security token included in the request is expired", 400);
      await rejects(() => session.sts.send(new GetCallerIdentityCommand({})), "ExpiredToken", "The security token included in the request is expired", 403);
    });

    test("the AWS CLI assumes a role from a profile with role_arn and source_profile", async () => {
      const secret = unique("cli/role");
      await suite.root.sm.send(new CreateSecretCommand({ Name: secret, SecretString: "via-profile" }));
      const user = await newUser("cli-source");
      const role = await newRole("cli-role", { AWS: user.arn });
      const dir = mkdtempSync(join(tmpdir(), "coffer-sts-cli-"));
      try {
        writeFileSync(join(dir, "credentials"), `[source]\naws_access_key_id = ${user.keys.accessKeyId}\naws_secret_access_key = ${user.keys.secretAccessKey}\n`);
        writeFileSync(join(dir, "config"), `[profile app]\nrole_arn = ${role.arn}\nsource_profile = source\nrole_session_name = cli-session\nregion = us-east-1\n`);
        const env = { AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"), AWS_CONFIG_FILE: join(dir, "config"), AWS_PROFILE: "app" };
        const noKeys = { accessKeyId: "", secretAccessKey: "" };
        const me = JSON.parse(await aws(suite.server, noKeys, ["sts", "get-caller-identity"], env));
        assert.equal(me.Arn, `arn:aws:sts::${suite.account}:assumed-role/${role.name}/cli-session`);
        const value = JSON.parse(await aws(suite.server, noKeys, ["secretsmanager", "get-secret-value", "--secret-id", secret], env));
        assert.equal(value.SecretString, "via-profile");
        const direct = JSON.parse(await aws(suite.server, ROOT, ["sts", "get-caller-identity"]));
        assert.equal(direct.Arn, `arn:aws:iam::${suite.account}:root`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
