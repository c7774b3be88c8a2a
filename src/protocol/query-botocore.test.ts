// The query codecs against botocore (the AWS CLI's and boto3's engine; .ci/run makes sure
// python3 has it): botocore's QuerySerializer writes request bodies that decodeQueryRequest must read back, and
// its QueryParser must read what encodeQueryResponse and encodeQueryError write.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { model as iam } from "../generated/iam-model.js";
import { model as sts } from "../generated/sts-model.js";
import { decodeQueryRequest, encodeQueryError, encodeQueryResponse, readQueryInput, resolveQueryOperation } from "./query.js";

test("python3 has botocore", () => {
  assert.equal(spawnSync("python3", ["-c", "import botocore"], { stdio: "ignore" }).status, 0, "python3 with botocore is needed");
});

// Each job: {"serialize": [service, operation, params]} answers the form body botocore would
// post; {"parse": [service, operation, status, xml]} answers the parsed dict (dates as ISO text).
const HELPER = `
import json, sys, datetime
import botocore.session
from botocore import parsers, serialize
from botocore.awsrequest import AWSRequest

session = botocore.session.get_session()

def plain(v):
    if isinstance(v, datetime.datetime):
        return v.isoformat()
    if isinstance(v, dict):
        v = dict(v)
        if "ResponseMetadata" in v:  # keep what the body carried, not the HTTP details
            v["ResponseMetadata"] = {"RequestId": v["ResponseMetadata"].get("RequestId")}
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, bytes):
        return v.decode("utf-8")
    return v

out = []
for job in json.load(sys.stdin):
    if "serialize" in job:
        service, operation, params = job["serialize"]
        op = session.get_service_model(service).operation_model(operation)
        request = serialize.create_serializer("query").serialize_to_request(params, op)
        prepared = AWSRequest(method="POST", url="https://example.com/", data=request["body"], headers=request["headers"]).prepare()
        out.append(prepared.body if isinstance(prepared.body, str) else prepared.body.decode("utf-8"))
    else:
        service, operation, status, xml = job["parse"]
        op = session.get_service_model(service).operation_model(operation)
        parsed = parsers.create_parser("query").parse(
            {"status_code": status, "headers": {}, "body": xml.encode("utf-8")}, op.output_shape)
        out.append(plain(parsed))
json.dump(out, sys.stdout)
`;

type Job = { serialize: [string, string, unknown] } | { parse: [string, string, number, string] };

function botocore(jobs: readonly Job[]): unknown[] {
  const run = spawnSync("python3", ["-c", HELPER], { input: JSON.stringify(jobs), encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as unknown[];
}

test("botocore's request bodies decode to the parameters it was given", () => {
  const assumeRole = {
    RoleArn: "arn:aws:iam::111122223333:role/app",
    RoleSessionName: "cli-session",
    DurationSeconds: 900,
    PolicyArns: [{ arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
    Tags: [{ Key: "a b", Value: "ä/ö=1+2" }],
    TransitiveTagKeys: [],
  };
  const createUser = { UserName: "bob", PermissionsBoundary: "arn:aws:iam::111122223333:policy/pb", Tags: [{ Key: "k", Value: "" }] };
  const listUsers = { Marker: "abc/+=", MaxItems: 10 };
  const updatePolicy = { MinimumPasswordLength: 12, RequireSymbols: true, AllowUsersToChangePassword: false };
  const [stsBody, iamBody, listBody, policyBody] = botocore([
    { serialize: ["sts", "AssumeRole", assumeRole] },
    { serialize: ["iam", "CreateUser", createUser] },
    { serialize: ["iam", "ListUsers", listUsers] },
    { serialize: ["iam", "UpdateAccountPasswordPolicy", updatePolicy] },
  ]) as string[];
  const read = (model: typeof iam | typeof sts, body: string | undefined) => {
    const request = decodeQueryRequest(Buffer.from(body ?? "", "utf8"), "");
    return readQueryInput(model, resolveQueryOperation(model, request), request.params);
  };
  assert.match(stsBody ?? "", /&TransitiveTagKeys=(&|$)/); // the empty list is sent as "Name="
  assert.deepEqual(read(sts, stsBody), assumeRole);
  assert.deepEqual(read(iam, iamBody), createUser);
  assert.deepEqual(read(iam, listBody), listUsers);
  assert.deepEqual(read(iam, policyBody), updatePolicy);
});

test("botocore's QueryParser reads the encoded responses and errors", () => {
  const assumeRole = {
    Credentials: {
      AccessKeyId: "ASIAEXAMPLEEXAMPLE23",
      SecretAccessKey: "secret/+=",
      SessionToken: "token",
      Expiration: new Date("2024-01-15T13:00:00.359Z"),
    },
    AssumedRoleUser: { AssumedRoleId: "AROAEXAMPLE:s", Arn: "arn:aws:sts::111122223333:assumed-role/app/s" },
    PackedPolicySize: 6,
  };
  const listUsers = {
    Users: [
      { Path: "/", UserName: "a&b", UserId: "AIDA1", Arn: "arn:aws:iam::111122223333:user/a&b", CreateDate: new Date("2024-01-15T12:00:00Z") },
    ],
    IsTruncated: false,
  };
  const [stsOut, iamOut, emptyOut, errorOut] = botocore([
    { parse: ["sts", "AssumeRole", 200, encodeQueryResponse(sts, "AssumeRole", assumeRole, "r-1")] },
    { parse: ["iam", "ListUsers", 200, encodeQueryResponse(iam, "ListUsers", listUsers, "r-2")] },
    { parse: ["iam", "ListUsers", 200, encodeQueryResponse(iam, "ListUsers", { Users: [], IsTruncated: false }, "r-3")] },
    { parse: ["iam", "GetUser", 404, encodeQueryError("NoSuchEntity", "no <such> user", 404, "r-4", iam.xmlNamespace)] },
  ]);
  assert.deepEqual(stsOut, {
    Credentials: { ...assumeRole.Credentials, Expiration: "2024-01-15T13:00:00.359000+00:00" },
    AssumedRoleUser: assumeRole.AssumedRoleUser,
    PackedPolicySize: 6,
    ResponseMetadata: { RequestId: "r-1" },
  });
  assert.deepEqual(iamOut, {
    Users: [{ ...listUsers.Users[0], CreateDate: "2024-01-15T12:00:00+00:00" }],
    IsTruncated: false,
    ResponseMetadata: { RequestId: "r-2" },
  });
  assert.deepEqual(emptyOut, { Users: [], IsTruncated: false, ResponseMetadata: { RequestId: "r-3" } });
  assert.deepEqual(errorOut, {
    Error: { Type: "Sender", Code: "NoSuchEntity", Message: "no <such> user" },
    ResponseMetadata: { RequestId: "r-4" },
  });
});
