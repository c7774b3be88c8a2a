// The Query protocol at the server: form-encoded IAM and STS requests told apart by the credential
// scope, XML answers and errors in AWS's shapes with the Query spellings of §2.8 (status, <Type>,
// <Code>, RequestId beside <Error>), POST and GET forms.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { GetUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, startServer, type TestServer } from "./harness.js";
import { rejects } from "./identity-support.js";
import { send } from "./raw-http.js";

async function signedForm(endpoint: string, service: string, form: string, secret = SECRET_ACCESS_KEY) {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ service, region: REGION, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: secret }, sha256: Sha256 });
  const req = await signer.sign({
    method: "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: "/",
    query: {},
    headers: { host: url.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: form,
  });
  return send(endpoint, "POST", "/", req.headers as Record<string, string>, form);
}

const code = (xml: string) => /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];

describe("the Query protocol (IAM, STS) on the wire", () => {
  let server: TestServer;

  before(async () => {
    server = await startServer({ store: "sqlite" });
  });
  after(async () => server?.dispose());

  test("an IAM answer is XML in the IAM namespace with the request id in body and header", async () => {
    const res = await signedForm(server.endpoint, "iam", "Action=ListUsers&Version=2010-05-08");
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "text/xml");
    assert.match(res.body, /^<ListUsersResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><ListUsersResult>/);
    const id = /<RequestId>([^<]+)<\/RequestId>/.exec(res.body)?.[1];
    assert.equal(res.headers["x-amzn-requestid"], id);
  });

  test("STS is chosen by the scope's service; GET with the parameters in the query string works too", async () => {
    const res = await signedForm(server.endpoint, "sts", "Action=GetCallerIdentity&Version=2011-06-15");
    assert.equal(res.status, 200);
    assert.match(res.body, /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><GetCallerIdentityResult>/);
    for (const element of [`<UserId>${server.accountId}</UserId>`, `<Account>${server.accountId}</Account>`, `<Arn>arn:aws:iam::${server.accountId}:root</Arn>`]) {
      assert.ok(res.body.includes(element), element);
    }
    const url = new URL(server.endpoint);
    const signer = new SignatureV4({ service: "sts", region: REGION, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY }, sha256: Sha256 });
    const presigned = await signer.presign({
      method: "GET",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: "/",
      query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      headers: { host: url.host },
    });
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString().replace(/\+/g, "%20");
    const got = await send(server.endpoint, "GET", `/?${query}`, { host: url.host }, "");
    assert.equal(got.status, 200, got.body);
    assert.match(got.body, /<GetCallerIdentityResponse/);
  });

  test("authentication errors carry the Query spellings and statuses (§2.8)", async () => {
    const unsigned = await send(server.endpoint, "POST", "/", { "content-type": "application/x-www-form-urlencoded" }, "Action=ListUsers&Version=2010-05-08");
    assert.equal(unsigned.status, 403);
    assert.equal(code(unsigned.body), "MissingAuthenticationToken");
    assert.match(unsigned.body, /^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>/);
    assert.match(unsigned.body, /<\/Error><RequestId>[^<]+<\/RequestId><\/ErrorResponse>$/);

    const badSecret = await signedForm(server.endpoint, "iam", "Action=ListUsers&Version=2010-05-08", "not-the-secret");
    assert.equal(badSecret.status, 403);
    assert.equal(code(badSecret.body), "SignatureDoesNotMatch");

    const iam = new IAMClient({ endpoint: server.endpoint, region: REGION, credentials: { accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: "x" }, maxAttempts: 1 });
    const sts = new STSClient({ endpoint: server.endpoint, region: REGION, credentials: { accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: "x" }, maxAttempts: 1 });
    try {
      await rejects(() => iam.send(new GetUserCommand({})), "InvalidClientTokenId", "The security token included in the request is invalid.", 403);
      await rejects(() => sts.send(new GetCallerIdentityCommand({})), "InvalidClientTokenId", "The security token included in the request is invalid.", 403);
    } finally {
      iam.destroy();
      sts.destroy();
    }
  });

  test("unknown actions, versions and bad parameters", async () => {
    const unknown = await signedForm(server.endpoint, "iam", "Action=MakeCoffee&Version=2010-05-08");
    assert.equal(unknown.status, 400);
    assert.equal(code(unknown.body), "InvalidAction");
    const wrongVersion = await signedForm(server.endpoint, "iam", "Action=ListUsers&Version=2011-06-15");
    assert.equal(code(wrongVersion.body), "InvalidAction");
    const invalid = await signedForm(server.endpoint, "iam", "Action=CreateUser&Version=2010-05-08&UserName=bad%20name");
    assert.equal(invalid.status, 400);
    assert.equal(code(invalid.body), "ValidationError");
    const missing = await signedForm(server.endpoint, "iam", "Action=GetUser&Version=2010-05-08&UserName=nobody");
    assert.equal(missing.status, 404);
    assert.equal(code(missing.body), "NoSuchEntity");
    assert.match(missing.body, /<Message>The user with name nobody cannot be found\.<\/Message>/);
  });
});
