// The query codecs against the real AWS SDK for JavaScript v3 clients: a node:http server
// decodes what @aws-sdk/client-iam and @aws-sdk/client-sts post (checked against the input the
// test handed the SDK) and answers with the encoders (checked against what the SDK parses).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GetUserCommand,
  IAMClient,
  ListUsersCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { ServiceError } from "../domain/errors.js";
import { model as iam } from "../generated/iam-model.js";
import { model as sts } from "../generated/sts-model.js";
import type { QueryServiceModel } from "./query-model.js";
import {
  decodeQueryRequest,
  encodeQueryResponse,
  QUERY_CONTENT_TYPE,
  queryErrorResponse,
  readQueryInput,
  resolveQueryOperation,
} from "./query.js";

interface Captured {
  operation: string;
  input: Record<string, unknown>;
  body: string;
}

type Responder = (operation: string, input: Record<string, unknown>) => Record<string, unknown>;

let server: Server;
let endpoint = "";
let captured: Captured[] = [];
let respond: Responder = () => ({});
let requestCounter = 0;

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const requestId = `req-${++requestCounter}`;
      const rawQuery = (req.url ?? "/").split("?")[1] ?? "";
      let model: QueryServiceModel = sts;
      let status = 200;
      let text: string;
      try {
        const request = decodeQueryRequest(body, rawQuery);
        model = request.version === iam.apiVersion ? iam : sts;
        const operation = resolveQueryOperation(model, request);
        const input = readQueryInput(model, operation, request.params);
        captured.push({ operation, input, body: body.toString("utf8") });
        text = encodeQueryResponse(model, operation, respond(operation, input), requestId);
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        const wire = queryErrorResponse(error, requestId, model.xmlNamespace);
        status = wire.status;
        text = wire.body;
      }
      res.writeHead(status, { "content-type": QUERY_CONTENT_TYPE, "x-amzn-requestid": requestId });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const credentials = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const iamClient = () => new IAMClient({ region: "us-east-1", endpoint, credentials, maxAttempts: 1 });
const stsClient = () => new STSClient({ region: "us-east-1", endpoint, credentials, maxAttempts: 1 });

/** Resets the capture and sets the answer for the next calls. */
function answer(responder: Responder): void {
  captured = [];
  respond = responder;
}

/** The one request the server saw since answer(). */
function only(): Captured {
  assert.equal(captured.length, 1);
  return captured[0] as Captured;
}

const created = new Date("2024-01-15T12:00:00Z");
const user = {
  Path: "/eng/",
  UserName: "alice",
  UserId: "AIDAJQABLZS4A3QDU576Q",
  Arn: "arn:aws:iam::111122223333:user/eng/alice",
  CreateDate: created,
};
const boundary = "arn:aws:iam::111122223333:policy/boundary";

test("CreateUser: Tags and PermissionsBoundary reach the server as the SDK was given them", async () => {
  const input = {
    UserName: "alice",
    Path: "/eng/",
    PermissionsBoundary: boundary,
    Tags: [
      { Key: "team", Value: "platform/infra: a+b=c @ü" },
      { Key: "cost-center", Value: "" },
    ],
  };
  answer(() => ({
    User: {
      ...user,
      PermissionsBoundary: { PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: boundary },
      Tags: input.Tags,
    },
  }));
  const out = await iamClient().send(new CreateUserCommand(input));
  const seen = only();
  assert.equal(seen.operation, "CreateUser");
  assert.deepEqual(seen.input, input);
  assert.match(seen.body, /^Action=CreateUser&Version=2010-05-08&/);
  assert.match(seen.body, /&Tags\.member\.2\.Key=cost-center&/);
  assert.deepEqual(out.User, {
    ...user,
    PermissionsBoundary: { PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: boundary },
    Tags: input.Tags,
  });
  assert.equal(out.$metadata.httpStatusCode, 200);
  assert.equal(out.$metadata.requestId, `req-${requestCounter}`);
});

test("GetUser: timestamps with and without milliseconds, and an empty tag list", async () => {
  const lastUsed = new Date("2024-03-01T08:15:30.123Z");
  answer(() => ({ User: { ...user, PasswordLastUsed: lastUsed, Tags: [] } }));
  const out = await iamClient().send(new GetUserCommand({ UserName: "alice" }));
  assert.deepEqual(only().input, { UserName: "alice" });
  assert.deepEqual(out.User, { ...user, PasswordLastUsed: lastUsed, Tags: [] });
});

test("GetUser without a user name sends no parameters", async () => {
  answer(() => ({ User: user }));
  const out = await iamClient().send(new GetUserCommand({}));
  assert.deepEqual(only().input, {});
  assert.equal(only().body, "Action=GetUser&Version=2010-05-08");
  assert.equal(out.User?.UserName, "alice");
});

test("ListUsers: Marker and MaxItems in, a truncated page out", async () => {
  const bob = { ...user, UserName: "bob", UserId: "AIDAEXAMPLEBOB0000000", Arn: "arn:aws:iam::111122223333:user/eng/bob" };
  answer(() => ({ Users: [user, bob], IsTruncated: true, Marker: "page+2/==" }));
  const out = await iamClient().send(new ListUsersCommand({ PathPrefix: "/eng/", Marker: "page+1/==", MaxItems: 2 }));
  assert.deepEqual(only().input, { PathPrefix: "/eng/", Marker: "page+1/==", MaxItems: 2 });
  assert.deepEqual(out.Users, [user, bob]);
  assert.equal(out.IsTruncated, true);
  assert.equal(out.Marker, "page+2/==");

  answer(() => ({ Users: [], IsTruncated: false }));
  const empty = await iamClient().send(new ListUsersCommand({}));
  assert.deepEqual(empty.Users, []);
  assert.equal(empty.IsTruncated, false);
  assert.equal(empty.Marker, undefined);
});

test("PutUserPolicy: a policy document with markup characters and non-ASCII text arrives intact", async () => {
  const PolicyDocument = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/ä ö+ü%20&<x>/*", Sid: "Déjà vu" }],
  });
  answer(() => ({}));
  const out = await iamClient().send(new PutUserPolicyCommand({ UserName: "alice", PolicyName: "read", PolicyDocument }));
  assert.deepEqual(only().input, { UserName: "alice", PolicyName: "read", PolicyDocument });
  assert.equal(out.$metadata.httpStatusCode, 200);
});

test("CreatePolicy: integers, booleans and dates of the Policy structure parse", async () => {
  const PolicyDocument = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';
  const input = { PolicyName: "admin", Path: "/ops/", PolicyDocument, Description: 'Admin <all> & "friends"\r\nsecond line', Tags: [{ Key: "k", Value: "v" }] };
  const policy = {
    PolicyName: "admin",
    PolicyId: "ANPAEXAMPLEPOLICY0001",
    Arn: "arn:aws:iam::111122223333:policy/ops/admin",
    Path: "/ops/",
    DefaultVersionId: "v1",
    AttachmentCount: 0,
    PermissionsBoundaryUsageCount: 3,
    IsAttachable: true,
    Description: input.Description,
    CreateDate: created,
    UpdateDate: new Date("2024-01-15T12:00:01.5Z"),
    Tags: [{ Key: "k", Value: "v" }],
  };
  answer(() => ({ Policy: policy }));
  const out = await iamClient().send(new CreatePolicyCommand(input));
  assert.deepEqual(only().input, input);
  assert.deepEqual(out.Policy, policy);
});

test("AttachRolePolicy: an operation without output answers only ResponseMetadata", async () => {
  answer(() => ({}));
  const out = await iamClient().send(
    new AttachRolePolicyCommand({ RoleName: "app", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
  );
  assert.deepEqual(only().input, { RoleName: "app", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" });
  assert.deepEqual(Object.keys(out), ["$metadata"]);
});

test("AssumeRole: PolicyArns, Tags and TransitiveTagKeys in; Credentials out", async () => {
  const input = {
    RoleArn: "arn:aws:iam::111122223333:role/app",
    RoleSessionName: "my-session",
    DurationSeconds: 3600,
    Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
    PolicyArns: [{ arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }, { arn: "arn:aws:iam::111122223333:policy/extra" }],
    Tags: [
      { Key: "project", Value: "coffer" },
      { Key: "env", Value: "dev test" },
    ],
    TransitiveTagKeys: ["project"],
    ExternalId: "ext-123",
    SourceIdentity: "alice",
  };
  const expiration = new Date("2024-01-15T13:00:00.359Z");
  const result = {
    Credentials: {
      AccessKeyId: "ASIAEXAMPLEEXAMPLE23",
      SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
      SessionToken: "FwoGZXIvYXdzE+/session==",
      Expiration: expiration,
    },
    AssumedRoleUser: { AssumedRoleId: "AROAEXAMPLEROLE000001:my-session", Arn: "arn:aws:sts::111122223333:assumed-role/app/my-session" },
    PackedPolicySize: 6,
    SourceIdentity: "alice",
  };
  answer(() => result);
  const out = await stsClient().send(new AssumeRoleCommand(input));
  const seen = only();
  assert.equal(seen.operation, "AssumeRole");
  assert.deepEqual(seen.input, input);
  assert.match(seen.body, /&PolicyArns\.member\.2\.arn=arn%3Aaws%3Aiam%3A%3A111122223333%3Apolicy%2Fextra/);
  assert.match(seen.body, /&TransitiveTagKeys\.member\.1=project/);
  const { $metadata, ...parsed } = out;
  assert.deepEqual(parsed, result);
  assert.equal($metadata.requestId, `req-${requestCounter}`);
});

test("GetCallerIdentity: no parameters in, the three identity fields out", async () => {
  const identity = { UserId: "AIDAJQABLZS4A3QDU576Q", Account: "111122223333", Arn: "arn:aws:iam::111122223333:user/alice" };
  answer(() => identity);
  const out = await stsClient().send(new GetCallerIdentityCommand({}));
  assert.deepEqual(only(), { operation: "GetCallerIdentity", input: {}, body: "Action=GetCallerIdentity&Version=2011-06-15" });
  const { $metadata, ...parsed } = out;
  assert.deepEqual(parsed, identity);
});

/** Runs `call` and returns what it rejected with. */
async function rejection(call: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await call;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  assert.fail("the call succeeded");
}

test("a modeled error surfaces as the SDK's typed exception", async () => {
  answer(() => {
    throw new ServiceError("NoSuchEntity", "The user with name nobody cannot be found.", 404);
  });
  const err = await rejection(iamClient().send(new GetUserCommand({ UserName: "nobody" })));
  assert.equal(err.name, "NoSuchEntityException");
  assert.equal(err.message, "The user with name nobody cannot be found.");
  assert.equal(err["$fault"], "client");
  assert.deepEqual(err["Error"], { Type: "Sender", Code: "NoSuchEntity", Message: "The user with name nobody cannot be found." });
  const metadata = err["$metadata"] as { httpStatusCode?: number; requestId?: string };
  assert.equal(metadata.httpStatusCode, 404);
  assert.equal(metadata.requestId, `req-${requestCounter}`);
});

test("a server fault is a Receiver error with status 500", async () => {
  answer(() => {
    throw new ServiceError("ServiceFailure", "Internal failure.", 500);
  });
  const err = await rejection(iamClient().send(new ListUsersCommand({})));
  assert.equal(err.name, "ServiceFailureException");
  assert.equal(err["$fault"], "server");
  assert.equal((err["$metadata"] as { httpStatusCode?: number }).httpStatusCode, 500);
  assert.equal((err["Error"] as { Type?: string }).Type, "Receiver");
});

test("an unmodeled error (AccessDenied 403) keeps its code as the name", async () => {
  const message =
    "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/app";
  answer(() => {
    throw new ServiceError("AccessDenied", message, 403);
  });
  const err = await rejection(stsClient().send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::111122223333:role/app", RoleSessionName: "s1" })));
  assert.equal(err.name, "AccessDenied");
  assert.equal(err.message, message);
  assert.equal((err["$metadata"] as { httpStatusCode?: number }).httpStatusCode, 403);
});

test("model validation reaches the SDK as ValidationError with the Coral message", async () => {
  answer(() => ({}));
  const err = await rejection(
    stsClient().send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::111122223333:role/app", RoleSessionName: "s", DurationSeconds: 60 })),
  );
  assert.equal(captured.length, 0);
  assert.equal(err.name, "ValidationError");
  assert.equal(
    err.message,
    "2 validation errors detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900; " +
      "Value 's' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
  );
  assert.equal((err["$metadata"] as { httpStatusCode?: number }).httpStatusCode, 400);
});
