// Why allowed, why denied: SimulatePrincipalPolicy and SimulateCustomPolicy decide with the engine
// that authorizes real requests and name the statements that decided (policy and position), from
// the SDK and from `aws iam simulate-principal-policy`.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GetContextKeysForCustomPolicyCommand,
  GetContextKeysForPrincipalPolicyCommand,
  PutGroupPolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
} from "@aws-sdk/client-iam";
import { startServer, storeKinds, type TestServer } from "./harness.js";
import { ROOT, aws, clients, destroy, rejects, unique, type Clients } from "./identity-support.js";

// Written over several lines on purpose: the positions below refer to them.
const MANAGED = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"},
    {"Sid": "Describe", "Effect": "Allow", "Action": "secretsmanager:DescribeSecret", "Resource": "*"}
  ]
}`;
const DENY = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "NoDelete", Effect: "Deny", Action: "secretsmanager:DeleteSecret", Resource: "*" }] });
const GROUP = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: "secretsmanager:DeleteSecret", Resource: "*" } });

for (const store of storeKinds()) {
  describe(`IAM policy simulation on ${store}`, () => {
    let server: TestServer;
    let c: Clients;
    let userArn: string;
    let managedArn: string;
    let secretArn: string;

    before(async () => {
      server = await startServer({ store });
      c = clients(server);
      secretArn = `arn:aws:secretsmanager:us-east-1:${server.accountId}:secret:app/db-AbCdEf`;
      const user = unique("sim");
      const group = unique("sim-group");
      userArn = (await c.iam.send(new CreateUserCommand({ UserName: user }))).User!.Arn!;
      managedArn = (await c.iam.send(new CreatePolicyCommand({ PolicyName: unique("SimRead"), PolicyDocument: MANAGED }))).Policy!.Arn!;
      await c.iam.send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: managedArn }));
      await c.iam.send(new PutUserPolicyCommand({ UserName: user, PolicyName: "deny-delete", PolicyDocument: DENY }));
      await c.iam.send(new CreateGroupCommand({ GroupName: group }));
      await c.iam.send(new PutGroupPolicyCommand({ GroupName: group, PolicyName: "delete", PolicyDocument: GROUP }));
      await c.iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: user }));
    });
    after(async () => {
      if (c) destroy(c);
      await server?.dispose();
    });

    test("SimulatePrincipalPolicy: allowed by the managed policy, explicitly denied by the inline one, implicitly denied otherwise", async () => {
      const out = await c.iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: userArn,
          ActionNames: ["secretsmanager:GetSecretValue", "secretsmanager:DeleteSecret", "secretsmanager:PutSecretValue"],
          ResourceArns: [secretArn],
        }),
      );
      const [get, del, put] = out.EvaluationResults!;
      assert.equal(get?.EvalDecision, "allowed");
      assert.equal(get?.EvalResourceName, secretArn);
      assert.deepEqual(get?.MatchedStatements, [
        { SourcePolicyId: managedArn, SourcePolicyType: "IAM Policy", StartPosition: { Line: 4, Column: 5 }, EndPosition: { Line: 4, Column: 98 } },
      ]);
      assert.equal(del?.EvalDecision, "explicitDeny");
      assert.deepEqual(del?.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [["deny-delete", "user"]]);
      assert.equal(put?.EvalDecision, "implicitDeny");
      assert.deepEqual(put?.MatchedStatements, []);
    });

    test("a boundary and extra policies in the request take part in the simulation", async () => {
      const boundary = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: "secretsmanager:Describe*", Resource: "*" } });
      const out = await c.iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: userArn,
          PermissionsBoundaryPolicyInputList: [boundary],
          ActionNames: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        }),
      );
      const [get, describe_] = out.EvaluationResults!;
      assert.equal(get?.EvalDecision, "implicitDeny");
      assert.deepEqual(get?.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });
      assert.equal(describe_?.EvalDecision, "allowed");
      assert.equal(describe_?.EvalResourceName, "*");
      // The user's own boundary is used when the request brings none.
      await c.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: userArn.split("/").pop(), PermissionsBoundary: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }));
      const bounded = await c.iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: userArn, ActionNames: ["secretsmanager:GetSecretValue"] }));
      assert.equal(bounded.EvaluationResults?.[0]?.EvalDecision, "implicitDeny");
      await rejects(
        () => c.iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `${userArn}-missing`, ActionNames: ["s3:GetObject"] })),
        "NoSuchEntityException",
        undefined,
        404,
      );
    });

    test("SimulateCustomPolicy: conditions read ContextEntries; a resource policy is matched against CallerArn", async () => {
      const tagged = JSON.stringify({
        Version: "2012-10-17",
        Statement: { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/team": "blue" } } },
      });
      const decide = async (team: string) =>
        (await c.iam.send(
          new SimulateCustomPolicyCommand({
            PolicyInputList: [tagged],
            ActionNames: ["secretsmanager:GetSecretValue"],
            ContextEntries: [{ ContextKeyName: "aws:ResourceTag/team", ContextKeyValues: [team], ContextKeyType: "string" }],
          }),
        )).EvaluationResults?.[0];
      const blue = await decide("blue");
      assert.equal(blue?.EvalDecision, "allowed");
      assert.deepEqual(blue?.MatchedStatements?.map((s) => s.SourcePolicyId), ["PolicyInputList.1"]);
      assert.equal((await decide("red"))?.EvalDecision, "implicitDeny");

      const resourcePolicy = JSON.stringify({
        Version: "2012-10-17",
        Statement: { Effect: "Deny", Principal: { AWS: "arn:aws:iam::111122223333:user/mallory" }, Action: "secretsmanager:*", Resource: "*" },
      });
      const everything = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: "*", Resource: "*" } });
      const foreignSecret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-AbCdEf";
      const as = async (caller: string) =>
        (await c.iam.send(
          new SimulateCustomPolicyCommand({ PolicyInputList: [everything], ResourcePolicy: resourcePolicy, CallerArn: caller, ActionNames: ["secretsmanager:GetSecretValue"], ResourceArns: [foreignSecret] }),
        )).EvaluationResults?.[0];
      const mallory = await as("arn:aws:iam::111122223333:user/mallory");
      assert.equal(mallory?.EvalDecision, "explicitDeny");
      assert.deepEqual(mallory?.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [["ResourcePolicy", "Resource Policy"]]);
      assert.equal((await as("arn:aws:iam::111122223333:user/trent"))?.EvalDecision, "allowed");
      await rejects(
        () => c.iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: ["{"], ActionNames: ["s3:GetObject"] })),
        "MalformedPolicyDocumentException",
        undefined,
        400,
      );
    });

    test("GetContextKeysFor…Policy: the keys a simulation's ContextEntries should give, for a principal and for given policies", async () => {
      const user = unique("keys-user");
      const group = unique("keys-group");
      const arn = (await c.iam.send(new CreateUserCommand({ UserName: user }))).User!.Arn!;
      const own = JSON.stringify({
        Version: "2012-10-17",
        Statement: {
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: "arn:aws:secretsmanager:*:*:secret:${aws:username}/*",
          Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } },
        },
      });
      await c.iam.send(new PutUserPolicyCommand({ UserName: user, PolicyName: "own", PolicyDocument: own }));
      await c.iam.send(new CreateGroupCommand({ GroupName: group }));
      const tagged = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: "*", Resource: "*", Condition: { StringEquals: { "secretsmanager:ResourceTag/env": "dev" } } } });
      await c.iam.send(new PutGroupPolicyCommand({ GroupName: group, PolicyName: "tagged", PolicyDocument: tagged }));
      await c.iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: user }));
      const extra = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } } });
      const keys = (await c.iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: arn, PolicyInputList: [extra] }))).ContextKeyNames ?? [];
      assert.deepEqual([...keys].sort(), ["aws:SecureTransport", "aws:SourceIp", "aws:username", "secretsmanager:ResourceTag/env"]);
      assert.ok(keys.indexOf("aws:username") < keys.indexOf("aws:SourceIp"), "a statement's resources come before its conditions");

      await rejects(() => c.iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: "arn:aws:iam::000000000000:user/x" })), "InvalidInputException", "Invalid ARN: arn:aws:iam::000000000000:user/x");
      const missing = `arn:aws:iam::${server.accountId}:user/${unique("nobody")}`;
      await rejects(() => c.iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: missing })), "NoSuchEntityException", /cannot be found/);
      await rejects(() => c.iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: ["{not json"] })), "MalformedPolicyDocumentException");

      // The IAM CLI reference's example.
      const example =
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}';
      const printed = JSON.parse(await aws(server, ROOT, ["iam", "get-context-keys-for-custom-policy", "--policy-input-list", example]));
      assert.deepEqual(printed, { ContextKeyNames: ["aws:username", "aws:CurrentTime"] });
    });

    test("aws iam simulate-principal-policy explains the decision", async () => {
      const out = JSON.parse(
        await aws(server, ROOT, [
          "iam",
          "simulate-principal-policy",
          "--policy-source-arn",
          userArn,
          "--action-names",
          "secretsmanager:DeleteSecret",
          "--resource-arns",
          secretArn,
        ]),
      );
      assert.equal(out.EvaluationResults[0].EvalDecision, "explicitDeny");
      assert.equal(out.EvaluationResults[0].MatchedStatements[0].SourcePolicyId, "deny-delete");
      assert.deepEqual(out.EvaluationResults[0].MatchedStatements[0].StartPosition, { Line: 1, Column: 38 });
    });
  });
}
