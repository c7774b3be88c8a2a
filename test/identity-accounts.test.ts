// Accounts: `coffer account create|list` talks to the server with the operator's credentials;
// accounts are isolated from one another unless a resource policy (or a role's trust policy)
// grants access, and then both sides' policies must allow (security spec §3.8).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetUserCommand, ListUsersCommand, PutRolePolicyCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand, PutResourcePolicyCommand } from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { CLI, startServer, storeKinds, type TestServer } from "./harness.js";
import { clients, destroy, policy, rejects, unique, type Clients } from "./identity-support.js";

const run = promisify(execFile);

for (const store of storeKinds()) {
  describe(`accounts on ${store}`, () => {
    let server: TestServer;
    let a: Clients;
    let accountA: string;
    let accountB: string;
    let b: Clients;
    const opened: Clients[] = [];

    const coffer = (args: string[], env: Record<string, string> = {}) =>
      run(process.execPath, [CLI, "account", ...args, "--endpoint", server.endpoint, "--data-dir", server.dataDir], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      });

    before(async () => {
      server = await startServer({ store });
      a = clients(server);
      accountA = server.accountId;
    });
    after(async () => {
      destroy(a, ...opened);
      if (b) destroy(b);
      await server?.dispose();
    });

    test("coffer account create prints a new account's root key once; list shows every account", async () => {
      const out = (await coffer(["create", "--name", "team-b"])).stdout;
      const id = /^account (\d{12}) \(team-b\) created$/m.exec(out)?.[1];
      assert.ok(id, out);
      accountB = id;
      const accessKeyId = /aws_access_key_id = (AKIA[A-Z2-7]{16})/.exec(out)?.[1] as string;
      const secretAccessKey = /aws_secret_access_key = (\S{40})/.exec(out)?.[1] as string;
      assert.ok(accessKeyId && secretAccessKey, out);
      b = clients(server, { accessKeyId, secretAccessKey });
      assert.equal((await b.sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${accountB}:root`);
      const listed = (await coffer(["list"])).stdout;
      assert.match(listed, new RegExp(`^${accountA} .* default$`, "m"));
      assert.match(listed, new RegExp(`^${accountB} .* team-b$`, "m"));
      const json = JSON.parse((await coffer(["list", "--json"])).stdout) as { AccountId: string }[];
      assert.deepEqual(json.map((x) => x.AccountId).sort(), [accountA, accountB].sort());
      assert.ok(!server.output().includes(secretAccessKey), "the new key's secret is not logged");
    });

    test("only the operator may manage accounts", async () => {
      const keys = await b.sts.config.credentials();
      const refused = await coffer(["create"], { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey }).then(
        () => assert.fail("another account's root may not create accounts"),
        (e: { code: number; stderr: string }) => e,
      );
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`AccessDeniedException: User: arn:aws:iam::${accountB}:root is not authorized to perform: coffer:CreateAccount`));
      const listed = JSON.parse((await coffer(["list", "--json"])).stdout) as unknown[];
      assert.equal(listed.length, 2, "nothing was created");
    });

    test("accounts do not see each other's secrets or users", async () => {
      const name = unique("iso/db");
      const created = await a.sm.send(new CreateSecretCommand({ Name: name, SecretString: "a-only" }));
      const user = unique("a-user");
      await a.iam.send(new CreateUserCommand({ UserName: user }));
      assert.ok(!((await b.sm.send(new ListSecretsCommand({}))).SecretList ?? []).some((s) => s.Name === name));
      await rejects(() => b.sm.send(new GetSecretValueCommand({ SecretId: name })), "ResourceNotFoundException");
      await rejects(
        () => b.sm.send(new GetSecretValueCommand({ SecretId: created.ARN })),
        "AccessDeniedException",
        `User: arn:aws:iam::${accountB}:root is not authorized to perform: secretsmanager:GetSecretValue on resource: ${created.ARN} because no resource-based policy allows the secretsmanager:GetSecretValue action`,
      );
      assert.ok(!((await b.iam.send(new ListUsersCommand({}))).Users ?? []).some((u) => u.UserName === user));
      await rejects(() => b.iam.send(new GetUserCommand({ UserName: user })), "NoSuchEntityException");
    });

    test("cross-account access needs both the secret's resource policy and the caller's identity policy", async () => {
      const name = unique("shared/db");
      const { ARN } = await a.sm.send(new CreateSecretCommand({ Name: name, SecretString: "shared" }));
      const reader = unique("b-reader");
      await b.iam.send(new CreateUserCommand({ UserName: reader }));
      const key = (await b.iam.send(new CreateAccessKeyCommand({ UserName: reader }))).AccessKey!;
      const bUser = clients(server, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
      opened.push(bUser);
      const readerArn = `arn:aws:iam::${accountB}:user/${reader}`;
      // Only the identity policy: denied.
      await b.iam.send(new PutUserPolicyCommand({ UserName: reader, PolicyName: "shared", PolicyDocument: policy({ Effect: "Allow", Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], Resource: ARN }) }));
      await rejects(
        () => bUser.sm.send(new DescribeSecretCommand({ SecretId: ARN })),
        "AccessDeniedException",
        `User: ${readerArn} is not authorized to perform: secretsmanager:DescribeSecret on resource: ${ARN} because no resource-based policy allows the secretsmanager:DescribeSecret action`,
      );
      // Both: allowed.
      await a.sm.send(
        new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: policy({ Effect: "Allow", Principal: { AWS: accountB }, Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], Resource: "*" }) }),
      );
      assert.equal((await bUser.sm.send(new DescribeSecretCommand({ SecretId: ARN }))).Name, name);
      // Only the resource policy: denied.
      await b.iam.send(new PutUserPolicyCommand({ UserName: reader, PolicyName: "shared", PolicyDocument: policy({ Effect: "Allow", Action: "secretsmanager:ListSecrets", Resource: "*" }) }));
      await rejects(
        () => bUser.sm.send(new DescribeSecretCommand({ SecretId: ARN })),
        "AccessDeniedException",
        `User: ${readerArn} is not authorized to perform: secretsmanager:DescribeSecret on resource: ${ARN} because no identity-based policy allows the secretsmanager:DescribeSecret action`,
      );
      // The AWS managed key cannot be shared: the value of a secret under it stays in its account (E17).
      await rejects(
        () => b.sm.send(new GetSecretValueCommand({ SecretId: ARN })),
        "InvalidRequestException",
        "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key.",
      );
    });

    test("a secret under a customer managed key is readable across accounts when the key policy lets the other account decrypt", async () => {
      const kmsA = new KMSClient({ endpoint: server.endpoint, region: "us-east-1", credentials: await a.sm.config.credentials(), maxAttempts: 1 });
      try {
        const key = (await kmsA.send(
          new CreateKeyCommand({
            Policy: policy(
              { Sid: "Owner", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountA}:root` }, Action: "kms:*", Resource: "*" },
              { Sid: "Partner", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountB}:root` }, Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: "*" },
            ),
          }),
        )).KeyMetadata!;
        const name = unique("cmk/db");
        const { ARN } = await a.sm.send(new CreateSecretCommand({ Name: name, SecretString: "shared-by-key", KmsKeyId: key.Arn }));
        await a.sm.send(
          new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: policy({ Effect: "Allow", Principal: { AWS: accountB }, Action: "secretsmanager:GetSecretValue", Resource: "*" }) }),
        );
        const reader = unique("b-cmk");
        await b.iam.send(new CreateUserCommand({ UserName: reader }));
        await b.iam.send(
          new PutUserPolicyCommand({
            UserName: reader,
            PolicyName: "read",
            PolicyDocument: policy({ Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "kms:Decrypt"], Resource: "*" }),
          }),
        );
        const k = (await b.iam.send(new CreateAccessKeyCommand({ UserName: reader }))).AccessKey!;
        const bUser = clients(server, { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! });
        opened.push(bUser);
        assert.equal((await bUser.sm.send(new GetSecretValueCommand({ SecretId: ARN }))).SecretString, "shared-by-key");
      } finally {
        kmsA.destroy();
      }
    });

    test("a role of one account can be assumed from another when its trust policy and the caller's policy allow", async () => {
      const role = unique("cross-role");
      const roleArn = (await a.iam.send(
        new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountB}:root` }, Action: "sts:AssumeRole" }) }),
      )).Role!.Arn!;
      await a.iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: "list", PolicyDocument: policy({ Effect: "Allow", Action: "secretsmanager:ListSecrets", Resource: "*" }) }));
      const user = unique("b-assumer");
      await b.iam.send(new CreateUserCommand({ UserName: user }));
      const key = (await b.iam.send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey!;
      const bUser = clients(server, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
      opened.push(bUser);
      await rejects(() => bUser.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "xacct" })), "AccessDenied", undefined, 403);
      await b.iam.send(new PutUserPolicyCommand({ UserName: user, PolicyName: "assume", PolicyDocument: policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn }) }));
      const creds = (await bUser.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "xacct" }))).Credentials!;
      const session = clients(server, { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! });
      opened.push(session);
      const me = await session.sts.send(new GetCallerIdentityCommand({}));
      assert.equal(me.Account, accountA);
      assert.equal(me.Arn, `arn:aws:sts::${accountA}:assumed-role/${role}/xacct`);
      await session.sm.send(new ListSecretsCommand({}));
    });
  });
}
