// Every Secrets Manager request is allowed or denied as AWS decides (security spec §3.8, §3.9):
// identity policies of users and their groups, explicit denies, permissions boundaries, resource
// policies, tag conditions (ABAC), per-secret checks of BatchGetSecretValue, keys that stop
// working, changes seen by another server process on the same store, and the debug log line that
// names the deciding statement.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DetachUserPolicyCommand,
  PutGroupPolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  UpdateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutResourcePolicyCommand,
  TagResourceCommand,
} from "@aws-sdk/client-secrets-manager";
import { startServer, storeKinds, type TestServer } from "./harness.js";
import { clients, destroy, policy, rejects, unique, type Clients, type Keys } from "./identity-support.js";

const denied = (who: string, action: string, resource: string | undefined, reason: string) =>
  `User: ${who} is not authorized to perform: secretsmanager:${action}${resource === undefined ? "" : ` on resource: ${resource}`} ${reason}`;
const noIdentity = (action: string) => `because no identity-based policy allows the secretsmanager:${action} action`;

for (const store of storeKinds()) {
  describe(`authorization of Secrets Manager requests on ${store}`, () => {
    let server: TestServer;
    let root: Clients;
    let account: string;
    const opened: Clients[] = [];

    before(async () => {
      server = await startServer({ store, env: { COFFER_LOG_LEVEL: "debug" } });
      root = clients(server);
      account = server.accountId;
    });
    after(async () => {
      destroy(root, ...opened);
      await server?.dispose();
    });

    /** A new user with a key; returns its name, ARN and clients signed by its key. */
    async function newUser(prefix: string, tags?: Record<string, string>) {
      const name = unique(prefix);
      const user = (await root.iam.send(
        new CreateUserCommand({ UserName: name, Tags: tags && Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }),
      )).User!;
      const key = (await root.iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
      const keys: Keys = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
      const c = clients(server, keys);
      opened.push(c);
      return { name, arn: user.Arn!, keys, c };
    }

    async function newSecret(prefix: string, tags?: Record<string, string>) {
      const name = unique(prefix);
      const created = await root.sm.send(
        new CreateSecretCommand({ Name: name, SecretString: `value of ${name}`, Tags: tags && Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }),
      );
      return { name, arn: created.ARN! };
    }

    test("a user with a policy on one secret reads it and is denied elsewhere, even for secrets that do not exist", async () => {
      const mine = await newSecret("app/db");
      const other = await newSecret("app/other");
      const alice = await newUser("alice");
      // Without any policy the user may do nothing (§3.8: implicit deny).
      await rejects(() => alice.c.sm.send(new GetSecretValueCommand({ SecretId: mine.name })), "AccessDeniedException", denied(alice.arn, "GetSecretValue", mine.name, noIdentity("GetSecretValue")), 400);
      const p = (await root.iam.send(
        new CreatePolicyCommand({
          PolicyName: unique("ReadOne"),
          PolicyDocument: policy({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: `arn:aws:secretsmanager:us-east-1:${account}:secret:${mine.name}-??????` }),
        }),
      )).Policy!;
      await root.iam.send(new AttachUserPolicyCommand({ UserName: alice.name, PolicyArn: p.Arn }));
      assert.equal((await alice.c.sm.send(new GetSecretValueCommand({ SecretId: mine.name }))).SecretString, `value of ${mine.name}`);
      assert.equal((await alice.c.sm.send(new GetSecretValueCommand({ SecretId: mine.arn }))).ARN, mine.arn);
      // The denial names the SecretId as the caller gave it (§3.9).
      await rejects(() => alice.c.sm.send(new GetSecretValueCommand({ SecretId: other.name })), "AccessDeniedException", denied(alice.arn, "GetSecretValue", other.name, noIdentity("GetSecretValue")));
      await rejects(() => alice.c.sm.send(new GetSecretValueCommand({ SecretId: other.arn })), "AccessDeniedException", denied(alice.arn, "GetSecretValue", other.arn, noIdentity("GetSecretValue")));
      await rejects(() => alice.c.sm.send(new DescribeSecretCommand({ SecretId: mine.name })), "AccessDeniedException", denied(alice.arn, "DescribeSecret", mine.name, noIdentity("DescribeSecret")));
      // Authorization precedes the existence check: a missing secret is AccessDenied, not ResourceNotFound.
      await rejects(() => alice.c.sm.send(new GetSecretValueCommand({ SecretId: "no/such/secret" })), "AccessDeniedException", denied(alice.arn, "GetSecretValue", "no/such/secret", noIdentity("GetSecretValue")));
      // Actions without a resource leave "on resource" out.
      await rejects(() => alice.c.sm.send(new ListSecretsCommand({})), "AccessDeniedException", denied(alice.arn, "ListSecrets", undefined, noIdentity("ListSecrets")));
      // Detaching takes effect at once.
      await root.iam.send(new DetachUserPolicyCommand({ UserName: alice.name, PolicyArn: p.Arn }));
      await rejects(() => alice.c.sm.send(new GetSecretValueCommand({ SecretId: mine.name })), "AccessDeniedException");
    });

    test("a caller allowed everywhere gets ResourceNotFound for a secret that does not exist", async () => {
      const bob = await newUser("bob");
      await root.iam.send(new PutUserPolicyCommand({ UserName: bob.name, PolicyName: "all", PolicyDocument: policy({ Effect: "Allow", Action: "secretsmanager:*", Resource: "*" }) }));
      await rejects(() => bob.c.sm.send(new GetSecretValueCommand({ SecretId: "no/such/secret" })), "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    });

    test("an explicit Deny wins over an Allow, wherever they are", async () => {
      const s = await newSecret("deny/db");
      const carol = await newUser("carol");
      const group = unique("admins");
      await root.iam.send(new CreateGroupCommand({ GroupName: group }));
      await root.iam.send(new PutGroupPolicyCommand({ GroupName: group, PolicyName: "all", PolicyDocument: policy({ Effect: "Allow", Action: "secretsmanager:*", Resource: "*" }) }));
      await root.iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: carol.name }));
      assert.equal((await carol.c.sm.send(new GetSecretValueCommand({ SecretId: s.name }))).Name, s.name);
      await root.iam.send(
        new PutUserPolicyCommand({ UserName: carol.name, PolicyName: "nope", PolicyDocument: policy({ Sid: "NoReads", Effect: "Deny", Action: "secretsmanager:GetSecretValue", Resource: s.arn }) }),
      );
      await rejects(() => carol.c.sm.send(new GetSecretValueCommand({ SecretId: s.name })), "AccessDeniedException", denied(carol.arn, "GetSecretValue", s.name, "with an explicit deny in an identity-based policy"));
      assert.equal((await carol.c.sm.send(new DescribeSecretCommand({ SecretId: s.name }))).Name, s.name);
      // The denial's debug line names the policy and the statement that decided, never the value.
      await new Promise((r) => setTimeout(r, 100));
      const line = server.output().split("\n").reverse().find((l) => l.includes('"access denied"') && l.includes(carol.arn));
      assert.ok(line, "a debug line for the denial");
      const entry = JSON.parse(line) as Record<string, unknown>;
      assert.equal(entry.policy, `inline:user/${carol.name}/nope`);
      assert.equal(entry.statement, "NoReads");
      assert.equal(entry.decision, "ExplicitDeny");
      assert.ok(!server.output().includes(`value of ${s.name}`), "secret values never reach the log");
      assert.ok(!server.output().includes(carol.keys.secretAccessKey), "secret keys never reach the log");

      // A resource policy's Deny binds the account root too (§3.8 notes).
      await root.sm.send(new PutResourcePolicyCommand({ SecretId: s.name, ResourcePolicy: policy({ Effect: "Deny", Principal: "*", Action: "secretsmanager:DeleteSecret", Resource: "*" }) }));
      await rejects(
        () => root.sm.send(new DeleteSecretCommand({ SecretId: s.name })),
        "AccessDeniedException",
        denied(`arn:aws:iam::${account}:root`, "DeleteSecret", s.name, "with an explicit deny in a resource-based policy"),
      );
      await root.sm.send(new DeleteResourcePolicyCommand({ SecretId: s.name }));
    });

    test("group policies apply to members only while they are members", async () => {
      const s = await newSecret("group/db");
      const dave = await newUser("dave");
      const group = unique("readers");
      await root.iam.send(new CreateGroupCommand({ GroupName: group }));
      await root.iam.send(
        new PutGroupPolicyCommand({ GroupName: group, PolicyName: "read", PolicyDocument: policy({ Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:ListSecrets"], Resource: "*" }) }),
      );
      await rejects(() => dave.c.sm.send(new GetSecretValueCommand({ SecretId: s.name })), "AccessDeniedException");
      await root.iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: dave.name }));
      assert.equal((await dave.c.sm.send(new GetSecretValueCommand({ SecretId: s.name }))).Name, s.name);
      assert.ok(((await dave.c.sm.send(new ListSecretsCommand({}))).SecretList ?? []).some((x) => x.Name === s.name));
      await root.iam.send(new RemoveUserFromGroupCommand({ GroupName: group, UserName: dave.name }));
      await rejects(() => dave.c.sm.send(new GetSecretValueCommand({ SecretId: s.name })), "AccessDeniedException");
    });

    test("a permissions boundary caps what identity policies grant", async () => {
      const s = await newSecret("bounded/db");
      const erin = await newUser("erin");
      await root.iam.send(new PutUserPolicyCommand({ UserName: erin.name, PolicyName: "all", PolicyDocument: policy({ Effect: "Allow", Action: "secretsmanager:*", Resource: "*" }) }));
      const boundary = (await root.iam.send(
        new CreatePolicyCommand({ PolicyName: unique("DescribeOnly"), PolicyDocument: policy({ Effect: "Allow", Action: "secretsmanager:DescribeSecret", Resource: "*" }) }),
      )).Policy!;
      await root.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: erin.name, PermissionsBoundary: boundary.Arn }));
      assert.equal((await erin.c.sm.send(new DescribeSecretCommand({ SecretId: s.name }))).Name, s.name);
      await rejects(
        () => erin.c.sm.send(new GetSecretValueCommand({ SecretId: s.name })),
        "AccessDeniedException",
        denied(erin.arn, "GetSecretValue", s.name, "because no permissions boundary allows the secretsmanager:GetSecretValue action"),
      );
    });

    test("resource policies: a grant naming the user suffices; one naming the account needs an identity policy", async () => {
      const s = await newSecret("rp/db");
      const frank = await newUser("frank");
      await rejects(() => frank.c.sm.send(new GetSecretValueCommand({ SecretId: s.name })), "AccessDeniedException");
      await root.sm.send(
        new PutResourcePolicyCommand({ SecretId: s.name, ResourcePolicy: policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "secretsmanager:GetSecretValue", Resource: "*" }) }),
      );
      await rejects(() => frank.c.sm.send(new GetSecretValueCommand({ SecretId: s.name })), "AccessDeniedException");
      await root.sm.send(
        new PutResourcePolicyCommand({ SecretId: s.name, ResourcePolicy: policy({ Effect: "Allow", Principal: { AWS: frank.arn }, Action: "secretsmanager:GetSecretValue", Resource: "*" }) }),
      );
      assert.equal((await frank.c.sm.send(new GetSecretValueCommand({ SecretId: s.name }))).SecretString, `value of ${s.name}`);
      await rejects(() => frank.c.sm.send(new DescribeSecretCommand({ SecretId: s.name })), "AccessDeniedException");
    });

    test("tag conditions (ABAC) allow and deny as written", async () => {
      const blue = await newSecret("abac/blue", { team: "blue" });
      const red = await newSecret("abac/red", { team: "red" });
      const untagged = await newSecret("abac/none");
      const gina = await newUser("gina", { team: "blue" });
      await root.iam.send(
        new PutUserPolicyCommand({
          UserName: gina.name,
          PolicyName: "abac",
          PolicyDocument: policy(
            { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team}" } } },
            {
              Effect: "Allow",
              Action: ["secretsmanager:CreateSecret", "secretsmanager:TagResource"],
              Resource: "*",
              Condition: { StringEquals: { "aws:RequestTag/team": "${aws:PrincipalTag/team}" }, "ForAllValues:StringEquals": { "aws:TagKeys": ["team"] } },
            },
          ),
        }),
      );
      assert.equal((await gina.c.sm.send(new GetSecretValueCommand({ SecretId: blue.name }))).Name, blue.name);
      await rejects(() => gina.c.sm.send(new GetSecretValueCommand({ SecretId: red.name })), "AccessDeniedException");
      await rejects(() => gina.c.sm.send(new GetSecretValueCommand({ SecretId: untagged.name })), "AccessDeniedException");
      // Retagging the secret changes the answer at once (the resource's tags are read per request).
      await root.sm.send(new TagResourceCommand({ SecretId: red.name, Tags: [{ Key: "team", Value: "blue" }] }));
      assert.equal((await gina.c.sm.send(new GetSecretValueCommand({ SecretId: red.name }))).Name, red.name);
      // aws:RequestTag / aws:TagKeys on CreateSecret (which also needs TagResource when tagged, §3.6).
      const made = unique("abac/new");
      await gina.c.sm.send(new CreateSecretCommand({ Name: made, SecretString: "v", Tags: [{ Key: "team", Value: "blue" }] }));
      await rejects(
        () => gina.c.sm.send(new CreateSecretCommand({ Name: unique("abac/bad"), SecretString: "v", Tags: [{ Key: "team", Value: "red" }] })),
        "AccessDeniedException",
        /secretsmanager:CreateSecret on resource: abac\/bad-/,
      );
      await rejects(
        () => gina.c.sm.send(new CreateSecretCommand({ Name: unique("abac/extra"), SecretString: "v", Tags: [{ Key: "team", Value: "blue" }, { Key: "cost", Value: "1" }] })),
        "AccessDeniedException",
      );
    });

    test("a tag change that would lock the caller out of the secret is refused (§3.6)", async () => {
      const s = await newSecret("lockout/db", { team: "blue" });
      const kim = await newUser("kim", { team: "blue" });
      await root.iam.send(
        new PutUserPolicyCommand({
          UserName: kim.name,
          PolicyName: "tagging",
          PolicyDocument: policy({ Effect: "Allow", Action: "secretsmanager:TagResource", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team}" } } }),
        }),
      );
      await kim.c.sm.send(new TagResourceCommand({ SecretId: s.name, Tags: [{ Key: "env", Value: "prod" }] }));
      await rejects(
        () => kim.c.sm.send(new TagResourceCommand({ SecretId: s.name, Tags: [{ Key: "team", Value: "red" }] })),
        "AccessDeniedException",
        denied(kim.arn, "TagResource", s.name, noIdentity("TagResource")),
      );
      const tags = (await root.sm.send(new DescribeSecretCommand({ SecretId: s.name }))).Tags;
      assert.deepEqual(tags?.find((t) => t.Key === "team"), { Key: "team", Value: "blue" });
    });

    test("BatchGetSecretValue needs GetSecretValue on each secret; denied ones become entries of Errors", async () => {
      const a = await newSecret("batch/a");
      const b = await newSecret("batch/b");
      const hank = await newUser("hank");
      await root.iam.send(
        new PutUserPolicyCommand({
          UserName: hank.name,
          PolicyName: "batch",
          PolicyDocument: policy(
            { Effect: "Allow", Action: "secretsmanager:BatchGetSecretValue", Resource: "*" },
            { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: a.arn },
          ),
        }),
      );
      const out = await hank.c.sm.send(new BatchGetSecretValueCommand({ SecretIdList: [a.name, b.name] }));
      assert.deepEqual(out.SecretValues?.map((v) => v.Name), [a.name]);
      assert.equal(out.Errors?.length, 1);
      assert.equal(out.Errors?.[0]?.SecretId, b.name);
      assert.equal(out.Errors?.[0]?.ErrorCode, "AccessDeniedException");
      assert.equal(out.Errors?.[0]?.Message, denied(hank.arn, "GetSecretValue", b.name, noIdentity("GetSecretValue")));
    });

    test("an inactive or deleted key is refused like an unknown one", async () => {
      const ivy = await newUser("ivy");
      await root.iam.send(new PutUserPolicyCommand({ UserName: ivy.name, PolicyName: "list", PolicyDocument: policy({ Effect: "Allow", Action: "secretsmanager:ListSecrets", Resource: "*" }) }));
      await ivy.c.sm.send(new ListSecretsCommand({}));
      await root.iam.send(new UpdateAccessKeyCommand({ UserName: ivy.name, AccessKeyId: ivy.keys.accessKeyId, Status: "Inactive" }));
      await rejects(() => ivy.c.sm.send(new ListSecretsCommand({})), "UnrecognizedClientException", "The security token included in the request is invalid.");
      await root.iam.send(new UpdateAccessKeyCommand({ UserName: ivy.name, AccessKeyId: ivy.keys.accessKeyId, Status: "Active" }));
      await ivy.c.sm.send(new ListSecretsCommand({}));
      await root.iam.send(new DeleteAccessKeyCommand({ UserName: ivy.name, AccessKeyId: ivy.keys.accessKeyId }));
      await rejects(() => ivy.c.sm.send(new ListSecretsCommand({})), "UnrecognizedClientException");
    });

    test("another server process on the same store sees identity changes within seconds", async () => {
      const other = await startServer({ store, dataDir: server.dataDir, storeUrl: server.storeUrl });
      try {
        const s = await newSecret("procs/db");
        const jack = await newUser("jack");
        const elsewhere = clients(other, jack.keys);
        opened.push(elsewhere);
        await root.iam.send(new PutUserPolicyCommand({ UserName: jack.name, PolicyName: "read", PolicyDocument: policy({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }) }));
        assert.equal((await elsewhere.sm.send(new GetSecretValueCommand({ SecretId: s.name }))).Name, s.name);
        await root.iam.send(
          new PutUserPolicyCommand({ UserName: jack.name, PolicyName: "deny", PolicyDocument: policy({ Effect: "Deny", Action: "secretsmanager:GetSecretValue", Resource: "*" }) }),
        );
        let deniedThere = false;
        for (let i = 0; i < 30 && !deniedThere; i++) {
          deniedThere = await elsewhere.sm.send(new GetSecretValueCommand({ SecretId: s.name })).then(
            () => false,
            (e: Error) => e.name === "AccessDeniedException",
          );
          if (!deniedThere) await new Promise((r) => setTimeout(r, 100));
        }
        assert.ok(deniedThere, "the other process applied the new deny within 3 s");
      } finally {
        await other.stop();
      }
    });
  });
}
