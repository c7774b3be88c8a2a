// IAM on the Query protocol through the AWS SDK for JavaScript and the AWS CLI: users, access keys,
// groups, roles, inline and managed policies with versions, attachments, boundaries, tags,
// pagination, GetAccountAuthorizationDetails, and IAM's errors in its own codes and statuses.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteGroupCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetGroupCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListGroupsForUserCommand,
  ListPoliciesCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  ListRoleTagsCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagPolicyCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateUserCommand,
  paginateListUsers,
} from "@aws-sdk/client-iam";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { startServer, storeKinds, type TestServer } from "./harness.js";
import { ROOT, aws, awsFails, clients, destroy, policy, rejects, unique, type Clients } from "./identity-support.js";

const readSecrets = policy({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" });
const trustAccount = (account: string) =>
  policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" });

for (const store of storeKinds()) {
  describe(`IAM API on ${store}`, () => {
    let server: TestServer;
    let c: Clients;
    let account: string;

    before(async () => {
      server = await startServer({ store });
      c = clients(server);
      account = server.accountId;
    });
    after(async () => {
      if (c) destroy(c);
      await server?.dispose();
    });

    test("users: create, get (any case), update name and path, list under a path, delete", async () => {
      const name = unique("alice");
      const created = await c.iam.send(new CreateUserCommand({ UserName: name, Path: "/eng/", Tags: [{ Key: "team", Value: "blue" }] }));
      const user = created.User!;
      assert.equal(user.Arn, `arn:aws:iam::${account}:user/eng/${name}`);
      assert.match(user.UserId!, /^AIDA[A-Z2-7]{17}$/);
      assert.deepEqual(user.Tags, [{ Key: "team", Value: "blue" }]);
      const got = (await c.iam.send(new GetUserCommand({ UserName: name.toUpperCase() }))).User!;
      assert.equal(got.UserName, name);
      assert.equal(got.UserId, user.UserId);
      assert.ok(got.CreateDate instanceof Date);
      await rejects(() => c.iam.send(new CreateUserCommand({ UserName: name.toUpperCase() })), "EntityAlreadyExistsException", `User with name ${name.toUpperCase()} already exists.`, 409);

      const renamed = unique("alicia");
      await c.iam.send(new UpdateUserCommand({ UserName: name, NewUserName: renamed, NewPath: "/ops/" }));
      await rejects(() => c.iam.send(new GetUserCommand({ UserName: name })), "NoSuchEntityException", `The user with name ${name} cannot be found.`, 404);
      const moved = (await c.iam.send(new GetUserCommand({ UserName: renamed }))).User!;
      assert.equal(moved.Arn, `arn:aws:iam::${account}:user/ops/${renamed}`);
      assert.equal(moved.UserId, user.UserId);
      const underOps = await c.iam.send(new ListUsersCommand({ PathPrefix: "/ops/" }));
      assert.deepEqual(underOps.Users?.map((u) => u.UserName), [renamed]);
      await c.iam.send(new DeleteUserCommand({ UserName: renamed }));
      await rejects(() => c.iam.send(new DeleteUserCommand({ UserName: renamed })), "NoSuchEntityException", undefined, 404);
    });

    test("ListUsers pages with Marker and MaxItems, as the SDK paginator follows them", async () => {
      const prefix = `/page-${Date.now()}/`;
      const names = Array.from({ length: 5 }, (_, i) => `pager-${i}`);
      for (const n of names) await c.iam.send(new CreateUserCommand({ UserName: `${n}-${prefix.slice(6, 12)}`, Path: prefix }));
      const first = await c.iam.send(new ListUsersCommand({ PathPrefix: prefix, MaxItems: 2 }));
      assert.equal(first.Users?.length, 2);
      assert.equal(first.IsTruncated, true);
      assert.ok(first.Marker);
      const seen: string[] = [];
      for await (const page of paginateListUsers({ client: c.iam, pageSize: 2 }, { PathPrefix: prefix })) {
        seen.push(...(page.Users ?? []).map((u) => u.UserName!));
      }
      assert.equal(seen.length, 5);
      assert.deepEqual(seen, [...seen].sort());
      await rejects(() => c.iam.send(new ListUsersCommand({ Marker: "not-a-marker!" })), "InvalidInputException", undefined, 400);
      await rejects(() => c.iam.send(new ListUsersCommand({ MaxItems: 0 })), "ValidationError", /maxItems/, 400);
    });

    test("access keys: at most two, listed without secrets, deactivated and deleted", async () => {
      const name = unique("keyuser");
      await c.iam.send(new CreateUserCommand({ UserName: name }));
      const k1 = (await c.iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
      assert.match(k1.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/);
      assert.equal(k1.SecretAccessKey?.length, 40);
      assert.equal(k1.Status, "Active");
      assert.equal(k1.UserName, name);
      await c.iam.send(new CreateAccessKeyCommand({ UserName: name }));
      // The audit record of the call names the key but never holds its secret.
      const trail = new CloudTrailClient({ endpoint: server.endpoint, region: "us-east-1", credentials: ROOT, maxAttempts: 1 });
      const events = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "CreateAccessKey" }] }));
      trail.destroy();
      const records = JSON.stringify(events.Events ?? []);
      assert.ok(records.includes(k1.AccessKeyId!), "the record names the key");
      assert.ok(!records.includes(k1.SecretAccessKey!), "the record does not hold the secret");
      await rejects(() => c.iam.send(new CreateAccessKeyCommand({ UserName: name })), "LimitExceededException", "Cannot exceed quota for AccessKeysPerUser: 2", 409);
      const listed = (await c.iam.send(new ListAccessKeysCommand({ UserName: name }))).AccessKeyMetadata!;
      assert.equal(listed.length, 2);
      assert.ok(listed.every((k) => !("SecretAccessKey" in k)));
      await c.iam.send(new UpdateAccessKeyCommand({ UserName: name, AccessKeyId: k1.AccessKeyId, Status: "Inactive" }));
      const after = (await c.iam.send(new ListAccessKeysCommand({ UserName: name }))).AccessKeyMetadata!;
      assert.equal(after.find((k) => k.AccessKeyId === k1.AccessKeyId)?.Status, "Inactive");
      await rejects(() => c.iam.send(new DeleteUserCommand({ UserName: name })), "DeleteConflictException", "Cannot delete entity, must delete access keys first.", 409);
      for (const k of after) await c.iam.send(new DeleteAccessKeyCommand({ UserName: name, AccessKeyId: k.AccessKeyId }));
      await rejects(
        () => c.iam.send(new DeleteAccessKeyCommand({ UserName: name, AccessKeyId: k1.AccessKeyId })),
        "NoSuchEntityException",
        `The Access Key with id ${k1.AccessKeyId} cannot be found.`,
        404,
      );
      await c.iam.send(new DeleteUserCommand({ UserName: name }));
    });

    test("groups: members, inline and attached policies, and what blocks deletion", async () => {
      const group = unique("devs");
      const user = unique("member");
      await c.iam.send(new CreateGroupCommand({ GroupName: group }));
      await c.iam.send(new CreateUserCommand({ UserName: user }));
      await c.iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: user }));
      await c.iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: user })); // twice is fine
      const got = await c.iam.send(new GetGroupCommand({ GroupName: group }));
      assert.deepEqual(got.Users?.map((u) => u.UserName), [user]);
      assert.match(got.Group!.GroupId!, /^AGPA/);
      assert.deepEqual((await c.iam.send(new ListGroupsForUserCommand({ UserName: user }))).Groups?.map((g) => g.GroupName), [group]);
      await rejects(() => c.iam.send(new DeleteGroupCommand({ GroupName: group })), "DeleteConflictException", "Cannot delete entity, must remove users from group first.", 409);
      await rejects(() => c.iam.send(new DeleteUserCommand({ UserName: user })), "DeleteConflictException", undefined, 409);
      await c.iam.send(new RemoveUserFromGroupCommand({ GroupName: group, UserName: user }));
      await rejects(() => c.iam.send(new RemoveUserFromGroupCommand({ GroupName: group, UserName: user })), "NoSuchEntityException", undefined, 404);
      await c.iam.send(new AttachGroupPolicyCommand({ GroupName: group, PolicyArn: "arn:aws:iam::aws:policy/SecretsManagerReadWrite" }));
      assert.deepEqual((await c.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: group }))).AttachedPolicies, [
        { PolicyName: "SecretsManagerReadWrite", PolicyArn: "arn:aws:iam::aws:policy/SecretsManagerReadWrite" },
      ]);
      await rejects(() => c.iam.send(new DeleteGroupCommand({ GroupName: group })), "DeleteConflictException", "Cannot delete entity, must detach all policies first.", 409);
      await c.iam.send(new DetachGroupPolicyCommand({ GroupName: group, PolicyArn: "arn:aws:iam::aws:policy/SecretsManagerReadWrite" }));
      await c.iam.send(new DeleteGroupCommand({ GroupName: group }));
      await c.iam.send(new DeleteUserCommand({ UserName: user }));
    });

    test("inline policies of users and roles: put, get (URL-encoded document), list, delete, size quota, bad JSON", async () => {
      const user = unique("inline");
      await c.iam.send(new CreateUserCommand({ UserName: user }));
      await c.iam.send(new PutUserPolicyCommand({ UserName: user, PolicyName: "read", PolicyDocument: readSecrets }));
      const got = await c.iam.send(new GetUserPolicyCommand({ UserName: user, PolicyName: "read" }));
      assert.equal(got.UserName, user);
      // IAM returns documents URL-encoded (RFC 3986); the JS SDK hands them over as they came.
      assert.deepEqual(JSON.parse(decodeURIComponent(got.PolicyDocument!)), JSON.parse(readSecrets));
      assert.deepEqual((await c.iam.send(new ListUserPoliciesCommand({ UserName: user }))).PolicyNames, ["read"]);
      await rejects(
        () => c.iam.send(new GetUserPolicyCommand({ UserName: user, PolicyName: "nope" })),
        "NoSuchEntityException",
        "The user policy with name nope cannot be found.",
        404,
      );
      await rejects(
        () => c.iam.send(new PutUserPolicyCommand({ UserName: user, PolicyName: "bad", PolicyDocument: "{not json" })),
        "MalformedPolicyDocumentException",
        "Syntax errors in policy.",
        400,
      );
      await rejects(
        () =>
          c.iam.send(
            new PutUserPolicyCommand({
              UserName: user,
              PolicyName: "bad-version",
              PolicyDocument: JSON.stringify({ Version: "2012-10-18", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
            }),
          ),
        "MalformedPolicyDocumentException",
        "Syntax errors in policy.",
      );
      await rejects(
        () =>
          c.iam.send(
            new PutUserPolicyCommand({
              UserName: user,
              PolicyName: "principal",
              PolicyDocument: policy({ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }),
            }),
          ),
        "MalformedPolicyDocumentException",
        "Policy document should not specify a principal.",
      );
      const big = policy(...Array.from({ length: 40 }, (_, i) => ({ Sid: `S${i}`, Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: `arn:aws:secretsmanager:*:*:secret:${i}` })));
      await rejects(
        () => c.iam.send(new PutUserPolicyCommand({ UserName: user, PolicyName: "big", PolicyDocument: big })),
        "LimitExceededException",
        `Maximum policy size of 2048 bytes exceeded for user ${user}`,
        409,
      );
      await rejects(() => c.iam.send(new DeleteUserCommand({ UserName: user })), "DeleteConflictException", "Cannot delete entity, must delete policies first.");
      await c.iam.send(new DeleteUserPolicyCommand({ UserName: user, PolicyName: "read" }));
      await c.iam.send(new DeleteUserCommand({ UserName: user }));

      const role = unique("inline-role");
      await c.iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: trustAccount(account) }));
      await c.iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: "big", PolicyDocument: big })); // roles allow 10240
      assert.equal((await c.iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: "big" }))).RoleName, role);
      await c.iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: "big" }));
      await c.iam.send(new DeleteRoleCommand({ RoleName: role }));
    });

    test("managed policies: versions (at most five), default version, attach to user/group/role, counts, deletion rules", async () => {
      const name = unique("ReadDb");
      const created = (await c.iam.send(new CreatePolicyCommand({ PolicyName: name, Path: "/app/", PolicyDocument: readSecrets, Description: "reads" }))).Policy!;
      assert.equal(created.Arn, `arn:aws:iam::${account}:policy/app/${name}`);
      assert.equal(created.DefaultVersionId, "v1");
      assert.match(created.PolicyId!, /^ANPA/);
      await rejects(
        () => c.iam.send(new CreatePolicyCommand({ PolicyName: name.toLowerCase(), PolicyDocument: readSecrets })),
        "EntityAlreadyExistsException",
        `A policy called ${name.toLowerCase()} already exists. Duplicate names are not allowed.`,
        409,
      );
      const arn = created.Arn!;
      for (let i = 2; i <= 5; i++) {
        const v = (await c.iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: readSecrets, SetAsDefault: i === 3 }))).PolicyVersion!;
        assert.equal(v.VersionId, `v${i}`);
      }
      await rejects(
        () => c.iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: readSecrets })),
        "LimitExceededException",
        "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
      );
      const versions = (await c.iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!;
      assert.deepEqual(versions.map((v) => v.VersionId), ["v5", "v4", "v3", "v2", "v1"]);
      assert.deepEqual(versions.filter((v) => v.IsDefaultVersion).map((v) => v.VersionId), ["v3"]);
      await rejects(() => c.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v3" })), "DeleteConflictException", "Cannot delete the default version of a policy.");
      await c.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" }));
      await c.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: "v5" }));
      const v5 = (await c.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v5" }))).PolicyVersion!;
      assert.equal(v5.IsDefaultVersion, true);
      assert.deepEqual(JSON.parse(decodeURIComponent(v5.Document!)), JSON.parse(readSecrets));
      await rejects(() => c.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" })), "NoSuchEntityException", undefined, 404);
      // A new version after a deletion still takes the next number: versions are never reused.
      await c.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" }));
      assert.equal((await c.iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: readSecrets }))).PolicyVersion?.VersionId, "v6");

      const user = unique("att-user");
      const group = unique("att-group");
      const role = unique("att-role");
      await c.iam.send(new CreateUserCommand({ UserName: user }));
      await c.iam.send(new CreateGroupCommand({ GroupName: group }));
      await c.iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: trustAccount(account) }));
      await c.iam.send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: arn }));
      await c.iam.send(new AttachGroupPolicyCommand({ GroupName: group, PolicyArn: arn }));
      await c.iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: arn }));
      assert.equal((await c.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.AttachmentCount, 3);
      const entities = await c.iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
      assert.deepEqual(entities.PolicyUsers?.map((u) => u.UserName), [user]);
      assert.deepEqual(entities.PolicyGroups?.map((g) => g.GroupName), [group]);
      assert.deepEqual(entities.PolicyRoles?.map((r) => r.RoleName), [role]);
      assert.deepEqual((await c.iam.send(new ListAttachedUserPoliciesCommand({ UserName: user }))).AttachedPolicies, [{ PolicyName: name, PolicyArn: arn }]);
      assert.equal((await c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role }))).AttachedPolicies?.length, 1);
      const local = (await c.iam.send(new ListPoliciesCommand({ Scope: "Local", OnlyAttached: true }))).Policies!;
      assert.ok(local.some((p) => p.Arn === arn && p.AttachmentCount === 3));
      const awsManaged = (await c.iam.send(new ListPoliciesCommand({ Scope: "AWS" }))).Policies!;
      assert.ok(awsManaged.some((p) => p.Arn === "arn:aws:iam::aws:policy/AdministratorAccess"));
      await rejects(() => c.iam.send(new DeletePolicyCommand({ PolicyArn: arn })), "DeleteConflictException", "Cannot delete a policy attached to entities.", 409);
      await rejects(
        () => c.iam.send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: `arn:aws:iam::${account}:policy/missing` })),
        "NoSuchEntityException",
        `Policy arn:aws:iam::${account}:policy/missing does not exist or is not attachable.`,
        404,
      );
      await c.iam.send(new DetachUserPolicyCommand({ UserName: user, PolicyArn: arn }));
      await rejects(() => c.iam.send(new DetachUserPolicyCommand({ UserName: user, PolicyArn: arn })), "NoSuchEntityException", `Policy ${arn} was not found.`);
      await c.iam.send(new DetachGroupPolicyCommand({ GroupName: group, PolicyArn: arn }));
      await c.iam.send(new DetachRolePolicyCommand({ RoleName: role, PolicyArn: arn }));
      // Versions besides the default one must go first; the default goes with the policy.
      await rejects(
        () => c.iam.send(new DeletePolicyCommand({ PolicyArn: arn })),
        "DeleteConflictException",
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        409,
      );
      const kept = (await c.iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!;
      for (const v of kept) if (!v.IsDefaultVersion) await c.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v.VersionId }));
      await c.iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
      await rejects(() => c.iam.send(new GetPolicyCommand({ PolicyArn: arn })), "NoSuchEntityException", `Policy ${arn} was not found.`, 404);
    });

    test("roles: trust policy, description and session bound, tags, permissions boundary", async () => {
      const role = unique("app-role");
      await rejects(
        () => c.iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: readSecrets })),
        "MalformedPolicyDocumentException",
        "Missing required field Principal",
      );
      const created = (await c.iam.send(
        new CreateRoleCommand({ RoleName: role, Path: "/svc/", AssumeRolePolicyDocument: trustAccount(account), Description: "app", Tags: [{ Key: "env", Value: "prod" }] }),
      )).Role!;
      assert.match(created.RoleId!, /^AROA/);
      assert.equal(created.Arn, `arn:aws:iam::${account}:role/svc/${role}`);
      assert.equal(created.MaxSessionDuration, 3600);
      await c.iam.send(new UpdateRoleCommand({ RoleName: role, MaxSessionDuration: 7200, Description: "application" }));
      await c.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: role, PolicyDocument: trustAccount(account) }));
      await c.iam.send(new TagRoleCommand({ RoleName: role, Tags: [{ Key: "team", Value: "red" }] }));
      const got = (await c.iam.send(new GetRoleCommand({ RoleName: role }))).Role!;
      assert.equal(got.MaxSessionDuration, 7200);
      assert.equal(got.Description, "application");
      assert.deepEqual(JSON.parse(decodeURIComponent(got.AssumeRolePolicyDocument!)), JSON.parse(trustAccount(account)));
      assert.deepEqual((await c.iam.send(new ListRoleTagsCommand({ RoleName: role }))).Tags, [
        { Key: "env", Value: "prod" },
        { Key: "team", Value: "red" },
      ]);
      const listed = (await c.iam.send(new ListRolesCommand({ PathPrefix: "/svc/" }))).Roles!;
      assert.ok(listed.some((r) => r.RoleName === role));
      await c.iam.send(new DeleteRoleCommand({ RoleName: role }));

      const user = unique("bounded");
      await c.iam.send(new CreateUserCommand({ UserName: user }));
      await rejects(
        () => c.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: user, PermissionsBoundary: `arn:aws:iam::${account}:policy/none` })),
        "NoSuchEntityException",
        `Scope ARN: arn:aws:iam::${account}:policy/none does not exist or is not attachable.`,
      );
      await c.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: user, PermissionsBoundary: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }));
      const bounded = (await c.iam.send(new GetUserCommand({ UserName: user }))).User!;
      assert.deepEqual(bounded.PermissionsBoundary, { PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" });
      await c.iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: user }));
      assert.equal((await c.iam.send(new GetUserCommand({ UserName: user }))).User?.PermissionsBoundary, undefined);
      await c.iam.send(new TagUserCommand({ UserName: user, Tags: [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }] }));
      await rejects(
        () => c.iam.send(new TagUserCommand({ UserName: user, Tags: [{ Key: "x", Value: "1" }, { Key: "X", Value: "2" }] })),
        "InvalidInputException",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
      );
      await c.iam.send(new UntagUserCommand({ UserName: user, TagKeys: ["a", "missing"] }));
      assert.deepEqual((await c.iam.send(new ListUserTagsCommand({ UserName: user }))).Tags, [{ Key: "b", Value: "2" }]);
      await c.iam.send(new DeleteUserCommand({ UserName: user }));
    });

    test("GetAccountAuthorizationDetails lists users, groups, roles and policies with their documents", async () => {
      const user = unique("detail-user");
      const group = unique("detail-group");
      const role = unique("detail-role");
      const pol = unique("DetailPolicy");
      await c.iam.send(new CreateUserCommand({ UserName: user }));
      await c.iam.send(new CreateGroupCommand({ GroupName: group }));
      await c.iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: user }));
      await c.iam.send(new PutUserPolicyCommand({ UserName: user, PolicyName: "inline", PolicyDocument: readSecrets }));
      await c.iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: trustAccount(account) }));
      const p = (await c.iam.send(new CreatePolicyCommand({ PolicyName: pol, PolicyDocument: readSecrets }))).Policy!;
      await c.iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: p.Arn }));
      await c.iam.send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }));
      const details = await c.iam.send(new GetAccountAuthorizationDetailsCommand({}));
      const u = details.UserDetailList?.find((x) => x.UserName === user);
      assert.deepEqual(u?.GroupList, [group]);
      assert.equal(u?.UserPolicyList?.[0]?.PolicyName, "inline");
      assert.deepEqual(JSON.parse(decodeURIComponent(u?.UserPolicyList?.[0]?.PolicyDocument ?? "")), JSON.parse(readSecrets));
      assert.deepEqual(details.RoleDetailList?.find((x) => x.RoleName === role)?.AttachedManagedPolicies, [{ PolicyName: pol, PolicyArn: p.Arn }]);
      assert.ok(details.GroupDetailList?.some((x) => x.GroupName === group));
      const local = details.Policies?.find((x) => x.Arn === p.Arn);
      assert.equal(local?.PolicyVersionList?.[0]?.VersionId, "v1");
      assert.ok(details.Policies?.some((x) => x.Arn === "arn:aws:iam::aws:policy/IAMReadOnlyAccess"));
      const onlyRoles = await c.iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ["Role"] }));
      assert.deepEqual(onlyRoles.UserDetailList, []);
      assert.ok((onlyRoles.RoleDetailList?.length ?? 0) >= 1);
    });

    test("policy tags: given at CreatePolicy, added and replaced without regard to case, removed, shown by GetPolicy", async () => {
      const name = unique("TaggedPolicy");
      const arn = (await c.iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: readSecrets, Tags: [{ Key: "team", Value: "a" }] }))).Policy!.Arn!;
      const tagsOf = async () => (await c.iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags;
      assert.deepEqual(await tagsOf(), [{ Key: "team", Value: "a" }]);
      await c.iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: "TEAM", Value: "b" }, { Key: "env", Value: "prod" }] }));
      assert.deepEqual(await tagsOf(), [{ Key: "TEAM", Value: "b" }, { Key: "env", Value: "prod" }]);
      await c.iam.send(new UntagPolicyCommand({ PolicyArn: arn, TagKeys: ["team", "absent"] }));
      assert.deepEqual(await tagsOf(), [{ Key: "env", Value: "prod" }]);
      assert.deepEqual((await c.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.Tags, [{ Key: "env", Value: "prod" }]);
      const awsManaged = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";
      assert.deepEqual((await c.iam.send(new ListPolicyTagsCommand({ PolicyArn: awsManaged }))).Tags, []);
      await rejects(() => c.iam.send(new TagPolicyCommand({ PolicyArn: awsManaged, Tags: [{ Key: "k", Value: "v" }] })), "InvalidInputException", /AWS managed policy/);
      const missing = `arn:aws:iam::${account}:policy/${unique("Missing")}`;
      await rejects(() => c.iam.send(new ListPolicyTagsCommand({ PolicyArn: missing })), "NoSuchEntityException", `Policy ${missing} was not found.`);
    });

    test("GetAccountSummary counts users, groups, roles, policies and attachments, with the quotas Coffer enforces", async () => {
      const before = (await c.iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
      const user = unique("summary-user");
      await c.iam.send(new CreateUserCommand({ UserName: user }));
      await c.iam.send(new CreateGroupCommand({ GroupName: unique("summary-group") }));
      await c.iam.send(new CreateRoleCommand({ RoleName: unique("summary-role"), AssumeRolePolicyDocument: trustAccount(account) }));
      const p = (await c.iam.send(new CreatePolicyCommand({ PolicyName: unique("SummaryPolicy"), PolicyDocument: readSecrets }))).Policy!;
      await c.iam.send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: p.Arn }));
      await c.iam.send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }));
      const after = (await c.iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
      assert.equal(after.Users, (before.Users ?? 0) + 1);
      assert.equal(after.Groups, (before.Groups ?? 0) + 1);
      assert.equal(after.Roles, (before.Roles ?? 0) + 1);
      assert.equal(after.Policies, (before.Policies ?? 0) + 1, "customer managed policies only");
      assert.equal(after.PolicyVersionsInUse, (before.PolicyVersionsInUse ?? 0) + 2, "attachments, AWS managed ones too");
      // The root's key from the first start.
      assert.equal(after.AccountAccessKeysPresent, 1);
      // Quotas Coffer enforces (the tests above hit each of them).
      assert.equal(after.AccessKeysPerUserQuota, 2);
      assert.equal(after.GroupsPerUserQuota, 10);
      assert.equal(after.AttachedPoliciesPerUserQuota, 10);
      assert.equal(after.VersionsPerPolicyQuota, 5);
      assert.equal(after.UserPolicySizeQuota, 2048);
      assert.equal(after.RolePolicySizeQuota, 10240);
      assert.equal(after.AccountMFAEnabled, 0);
      const printed = JSON.parse(await aws(server, ROOT, ["iam", "get-account-summary"])) as { SummaryMap: Record<string, number> };
      assert.equal(printed.SummaryMap.Users, after.Users);
      assert.equal(printed.SummaryMap.UsersQuota, 5000);
    });

    test("managed policies are written in the 2012-10-17 language; trust policies name no resource", async () => {
      const statement = { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" };
      for (const document of [{ Version: "2008-10-17", Statement: [statement] }, { Statement: [statement] }]) {
        await rejects(
          () => c.iam.send(new CreatePolicyCommand({ PolicyName: unique("old"), PolicyDocument: JSON.stringify(document) })),
          "MalformedPolicyDocumentException",
          "Policy document must be version 2012-10-17 or greater.",
          400,
        );
      }
      const arn = (await c.iam.send(new CreatePolicyCommand({ PolicyName: unique("new"), PolicyDocument: readSecrets }))).Policy!.Arn!;
      await rejects(
        () => c.iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: JSON.stringify({ Version: "2008-10-17", Statement: [statement] }) })),
        "MalformedPolicyDocumentException",
        "Policy document must be version 2012-10-17 or greater.",
      );
      // An inline policy may still use the older language.
      const user = unique("legacy-inline");
      await c.iam.send(new CreateUserCommand({ UserName: user }));
      await c.iam.send(new PutUserPolicyCommand({ UserName: user, PolicyName: "old", PolicyDocument: JSON.stringify({ Version: "2008-10-17", Statement: [statement] }) }));

      const trust = { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" };
      await rejects(
        () => c.iam.send(new CreateRoleCommand({ RoleName: unique("r"), AssumeRolePolicyDocument: policy({ ...trust, Resource: "*" }) })),
        "MalformedPolicyDocumentException",
        "Has prohibited field Resource",
      );
      await rejects(
        () => c.iam.send(new CreateRoleCommand({ RoleName: unique("r"), AssumeRolePolicyDocument: "{not json" })),
        "MalformedPolicyDocumentException",
        "This policy contains invalid Json",
      );
      // The users and roles a trust policy names must exist; wildcards in an ARN are no principal.
      for (const ghost of [`arn:aws:iam::${account}:user/${unique("ghost")}`, `arn:aws:iam::${account}:user/al*`]) {
        await rejects(
          () => c.iam.send(new CreateRoleCommand({ RoleName: unique("r"), AssumeRolePolicyDocument: policy({ ...trust, Principal: { AWS: ghost } }) })),
          "MalformedPolicyDocumentException",
          `Invalid principal in policy: "AWS":"${ghost}"`,
        );
      }
      const real = (await c.iam.send(new CreateUserCommand({ UserName: unique("trusted") }))).User!.Arn!;
      const trusting = unique("r");
      await c.iam.send(new CreateRoleCommand({ RoleName: trusting, AssumeRolePolicyDocument: policy({ ...trust, Principal: { AWS: real } }) }));
      await rejects(
        () => c.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: trusting, PolicyDocument: policy({ ...trust, Principal: { AWS: `${real}-gone` } }) })),
        "MalformedPolicyDocumentException",
        `Invalid principal in policy: "AWS":"${real}-gone"`,
      );
      assert.deepEqual((await c.iam.send(new GetRoleCommand({ RoleName: trusting }))).Role?.RoleLastUsed, {});
    });

    test("IAM denials name what was asked for as IAM does, and listings are decided on the listed path", async () => {
      const bob = unique("bob");
      await c.iam.send(new CreateUserCommand({ UserName: bob }));
      // Only role ARNs: on AWS this covers ListRoles, whose resource is the listed path's ARN.
      await c.iam.send(
        new PutUserPolicyCommand({
          UserName: bob,
          PolicyName: "roles-only",
          PolicyDocument: policy({ Effect: "Allow", Action: "iam:ListRoles", Resource: "arn:aws:iam::*:role/*" }),
        }),
      );
      const key = (await c.iam.send(new CreateAccessKeyCommand({ UserName: bob }))).AccessKey!;
      const asBob = clients(server, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
      const bobArn = `arn:aws:iam::${account}:user/${bob}`;
      const denied = (action: string, shown: string) =>
        `User: ${bobArn} is not authorized to perform: iam:${action} on resource: ${shown} because no identity-based policy allows the iam:${action} action`;
      try {
        await asBob.iam.send(new ListRolesCommand({}));
        const role = unique("app");
        await c.iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: trustAccount(account) }));
        await rejects(() => asBob.iam.send(new GetUserCommand({ UserName: "alice" })), "AccessDenied", denied("GetUser", "user alice"), 403);
        await rejects(() => asBob.iam.send(new GetRoleCommand({ RoleName: role })), "AccessDenied", denied("GetRole", `role ${role}`), 403);
        await rejects(() => asBob.iam.send(new ListUsersCommand({})), "AccessDenied", denied("ListUsers", `arn:aws:iam::${account}:user/`), 403);
        await rejects(() => asBob.iam.send(new ListPoliciesCommand({})), "AccessDenied", denied("ListPolicies", "policy path /"), 403);
        await rejects(
          () => asBob.iam.send(new CreatePolicyCommand({ PolicyName: "mine", PolicyDocument: readSecrets })),
          "AccessDenied",
          denied("CreatePolicy", "policy mine"),
          403,
        );
      } finally {
        destroy(asBob);
      }
    });

    test("boto3 drives IAM and STS: documents come back decoded, errors as modeled exceptions", async () => {
      const user = unique("boto3-user");
      const script = `
import boto3, json, sys
iam = boto3.client("iam")
sts = boto3.client("sts")
iam.create_user(UserName=sys.argv[1], Tags=[{"Key": "team", "Value": "blue"}])
iam.put_user_policy(UserName=sys.argv[1], PolicyName="p", PolicyDocument=sys.argv[2])
doc = iam.get_user_policy(UserName=sys.argv[1], PolicyName="p")["PolicyDocument"]
try:
    iam.get_user(UserName=sys.argv[1] + "-missing")
    missing = None
except iam.exceptions.NoSuchEntityException as e:
    missing = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
users = [u["UserName"] for p in iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 1}) for u in p["Users"]]
print(json.dumps({"doc": doc, "missing": missing, "listed": sys.argv[1] in users, "account": sts.get_caller_identity()["Account"]}))
`;
      const out = await promisify(execFile)("python3", ["-c", script, user, readSecrets], {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ENDPOINT_URL: server.endpoint,
          AWS_DEFAULT_REGION: "us-east-1",
          AWS_ACCESS_KEY_ID: ROOT.accessKeyId,
          AWS_SECRET_ACCESS_KEY: ROOT.secretAccessKey,
        },
      });
      assert.deepEqual(JSON.parse(out.stdout), { doc: JSON.parse(readSecrets), missing: ["NoSuchEntity", 404], listed: true, account });
    });

    test("the AWS CLI drives IAM and decodes documents; errors carry IAM's codes", async () => {
      const user = unique("cli-user");
      const created = JSON.parse(await aws(server, ROOT, ["iam", "create-user", "--user-name", user]));
      assert.equal(created.User.UserName, user);
      await aws(server, ROOT, ["iam", "put-user-policy", "--user-name", user, "--policy-name", "p", "--policy-document", readSecrets]);
      const got = JSON.parse(await aws(server, ROOT, ["iam", "get-user-policy", "--user-name", user, "--policy-name", "p"]));
      // botocore decodes IAM's URL-encoded documents into JSON.
      assert.deepEqual(got.PolicyDocument, JSON.parse(readSecrets));
      const key = JSON.parse(await aws(server, ROOT, ["iam", "create-access-key", "--user-name", user]));
      assert.equal(key.AccessKey.UserName, user);
      const keys = JSON.parse(await aws(server, ROOT, ["iam", "list-access-keys", "--user-name", user]));
      assert.equal(keys.AccessKeyMetadata[0].AccessKeyId, key.AccessKey.AccessKeyId);
      const missing = await awsFails(server, ROOT, ["iam", "get-user", "--user-name", `${user}-nope`]);
      assert.match(missing, /\(NoSuchEntity\) when calling the GetUser operation: The user with name .* cannot be found\./);
      const unknown = await awsFails(server, ROOT, ["iam", "create-login-profile", "--user-name", user, "--password", "Passw0rd!Passw0rd"]);
      assert.match(unknown, /InvalidAction/);
      // What cleanup tools ask before deleting a user or a role: nothing of these features exists.
      assert.deepEqual(JSON.parse(await aws(server, ROOT, ["iam", "list-mfa-devices", "--user-name", user])).MFADevices, []);
      assert.deepEqual(JSON.parse(await aws(server, ROOT, ["iam", "list-signing-certificates", "--user-name", user])).Certificates, []);
      const noProfile = await awsFails(server, ROOT, ["iam", "get-login-profile", "--user-name", user]);
      assert.match(noProfile, new RegExp(`\\(NoSuchEntity\\) when calling the GetLoginProfile operation: Login Profile for User ${user} cannot be found\\.`));
      const role = unique("cli-role");
      await aws(server, ROOT, ["iam", "create-role", "--role-name", role, "--assume-role-policy-document", trustAccount(account)]);
      assert.deepEqual(JSON.parse(await aws(server, ROOT, ["iam", "list-instance-profiles-for-role", "--role-name", role])).InstanceProfiles, []);
      // Account-wide features that do not exist either: empty lists, and no password policy.
      assert.deepEqual(JSON.parse(await aws(server, ROOT, ["iam", "list-open-id-connect-providers"])).OpenIDConnectProviderList, []);
      assert.deepEqual(JSON.parse(await aws(server, ROOT, ["iam", "list-saml-providers"])).SAMLProviderList, []);
      assert.deepEqual(JSON.parse(await aws(server, ROOT, ["iam", "list-virtual-mfa-devices"])).VirtualMFADevices, []);
      assert.deepEqual(JSON.parse(await aws(server, ROOT, ["iam", "list-server-certificates"])).ServerCertificateMetadataList, []);
      const noPolicy = await awsFails(server, ROOT, ["iam", "get-account-password-policy"]);
      assert.match(noPolicy, new RegExp(`\\(NoSuchEntity\\) when calling the GetAccountPasswordPolicy operation: The Password Policy with domain name ${account} cannot be found\\.`));
    });
  });
}
