// The wire itself: SigV4 failures, malformed input, limits and abusive clients, always answered
// with the AWS-style error (or a closed connection for a stalled client), never a 500 or a hang.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { startServer, type TestServer } from "./harness.js";
import { send, signed, type RawResponse, type SignOptions } from "./raw-http.js";

function errorOf(res: RawResponse): { type: string; message: string } {
  const parsed = JSON.parse(res.body) as { __type: string; Message: string };
  assert.equal(res.headers["x-amzn-errortype"], parsed.__type, "header and body agree");
  assert.ok(res.headers["x-amzn-requestid"], "every error carries a request id");
  return { type: parsed.__type, message: parsed.Message };
}

describe("wire protocol and SigV4 at the server", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ store: "sqlite", args: ["--request-timeout", "2"] });
  });
  after(async () => server?.dispose());

  const call = async (o: SignOptions = {}, mutate?: (h: Record<string, string>, b: string | Buffer) => [Record<string, string>, string | Buffer]) => {
    let { headers, body } = await signed(server.endpoint, o);
    if (mutate) [headers, body] = mutate({ ...headers }, body);
    return send(server.endpoint, "POST", "/", headers, body);
  };

  test("a correctly signed request succeeds", async () => {
    const res = await call();
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/x-amz-json-1.1");
    assert.ok(res.headers["x-amzn-requestid"]);
    assert.ok(Array.isArray((JSON.parse(res.body) as { SecretList: unknown[] }).SecretList));
  });

  test("a tampered body is refused", async () => {
    const res = await call({ body: '{"MaxResults":5}' }, (h) => [h, '{"MaxResults":6}']);
    assert.equal(res.status, 400);
    const e = errorOf(res);
    assert.equal(e.type, "InvalidSignatureException");
  });

  test("a tampered signed header is refused", async () => {
    const res = await call({}, (h, b) => [{ ...h, "x-amz-target": "secretsmanager.GetRandomPassword" }, b]);
    assert.equal(errorOf(res).type, "InvalidSignatureException");
  });

  test("the wrong secret key is refused with AWS's text", async () => {
    const res = await call({ secret: "not-the-secret-not-the-secret-not-the-sec" });
    assert.deepEqual(errorOf(res), {
      type: "InvalidSignatureException",
      message:
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    });
  });

  test("a credential scoped to another service is refused", async () => {
    const res = await call({ service: "kms" });
    assert.deepEqual(errorOf(res), { type: "InvalidSignatureException", message: "Credential should be scoped to correct service: 'secretsmanager'. " });
  });

  test("a stale or future date is refused", async () => {
    const stale = await call({ date: new Date(Date.now() - 10 * 60_000) });
    assert.equal(errorOf(stale).type, "InvalidSignatureException");
    assert.match(errorOf(stale).message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
    const future = await call({ date: new Date(Date.now() + 10 * 60_000) });
    assert.match(errorOf(future).message, /^Signature not yet current: /);
  });

  test("a request without any signature is refused", async () => {
    const res = await send(server.endpoint, "POST", "/", { "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.ListSecrets" }, "{}");
    assert.deepEqual(errorOf(res), { type: "MissingAuthenticationTokenException", message: "Missing Authentication Token" });
  });

  test("a missing Authorization part is an IncompleteSignatureException", async () => {
    const res = await call({}, (h, b) => [{ ...h, authorization: (h.authorization as string).replace(/, Signature=[0-9a-f]+/, "") }, b]);
    assert.equal(errorOf(res).type, "IncompleteSignatureException");
  });

  test("malformed JSON, non-objects and invalid UTF-8 are SerializationExceptions", async () => {
    for (const body of ["{not json", "[]", '"str"', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])]) {
      const res = await call({ body });
      assert.equal(res.status, 400);
      assert.equal(errorOf(res).type, "SerializationException", String(body));
    }
  });

  test("wrong member types are refused, not crashed on", async () => {
    for (const body of ['{"SecretId": 5}', '{"SecretId": {"a": 1}}', '{"SecretId": ["x"]}', '{"SecretId": null, "VersionStage": true}']) {
      const res = await call({ target: "secretsmanager.GetSecretValue", body });
      assert.equal(res.status, 400, body);
      assert.ok(["SerializationException", "ValidationException"].includes(errorOf(res).type), body);
    }
  });

  test("required members missing give the exact validation text", async () => {
    const res = await call({ target: "secretsmanager.GetSecretValue", body: "{}" });
    assert.deepEqual(errorOf(res), {
      type: "ValidationException",
      message: "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null",
    });
  });

  test("an unknown operation is refused", async () => {
    const res = await call({ target: "secretsmanager.StealEverything" });
    assert.equal(errorOf(res).type, "UnknownOperationException");
    const proto = await call({ target: "secretsmanager.constructor" });
    assert.equal(errorOf(proto).type, "UnknownOperationException");
  });

  test("an unknown operation is reported as such whatever its body holds", async () => {
    const res = await call({ target: "secretsmanager.Nope", body: "{not json" });
    assert.equal(errorOf(res).type, "UnknownOperationException");
  });

  test("a raw create with a value but no ClientRequestToken is refused (E9)", async () => {
    const res = await call({ target: "secretsmanager.CreateSecret", body: JSON.stringify({ Name: "raw-no-token", SecretString: "x" }) });
    assert.deepEqual(errorOf(res), { type: "InvalidRequestException", message: "You must provide a ClientRequestToken value. We recommend a UUID-type value." });
  });

  test("a ClientRequestToken of JSON null is a missing one: E9 on every write with a value, no change made", async () => {
    const e9 = { type: "InvalidRequestException", message: "You must provide a ClientRequestToken value. We recommend a UUID-type value." };
    const create = await call({ target: "secretsmanager.CreateSecret", body: JSON.stringify({ Name: "raw-null-token", SecretString: "x", ClientRequestToken: null }) });
    assert.deepEqual(errorOf(create), e9);
    const made = await call({
      target: "secretsmanager.CreateSecret",
      body: JSON.stringify({ Name: "raw-null-token", SecretString: "first", ClientRequestToken: "a".repeat(32) }),
    });
    assert.equal(made.status, 200);
    for (const target of ["secretsmanager.PutSecretValue", "secretsmanager.UpdateSecret"]) {
      const res = await call({ target, body: JSON.stringify({ SecretId: "raw-null-token", SecretString: "second", ClientRequestToken: null }) });
      assert.deepEqual(errorOf(res), e9, target);
    }
    const read = await call({ target: "secretsmanager.GetSecretValue", body: JSON.stringify({ SecretId: "raw-null-token" }) });
    assert.equal((JSON.parse(read.body) as { SecretString: string }).SecretString, "first");
    // A value of JSON null is no value: a secret without versions needs no token.
    const empty = await call({ target: "secretsmanager.CreateSecret", body: JSON.stringify({ Name: "raw-null-value", SecretString: null }) });
    assert.equal(empty.status, 200);
    assert.equal((JSON.parse(empty.body) as { VersionId?: string }).VersionId, undefined);
  });

  test("a body of the wrong JSON type is a SerializationException before the missing token", async () => {
    const res = await call({ target: "secretsmanager.CreateSecret", body: JSON.stringify({ Name: 5, SecretString: "x" }) });
    assert.equal(errorOf(res).type, "SerializationException");
  });

  test("TagResource and UntagResource answer 200 with an empty body", async () => {
    const made = await call({ target: "secretsmanager.CreateSecret", body: JSON.stringify({ Name: "raw-tags" }) });
    assert.equal(made.status, 200);
    const tag = await call({ target: "secretsmanager.TagResource", body: JSON.stringify({ SecretId: "raw-tags", Tags: [{ Key: "k", Value: "v" }] }) });
    assert.deepEqual([tag.status, tag.body, tag.headers["content-length"]], [200, "", "0"]);
    assert.ok(tag.headers["x-amzn-requestid"]);
    const untag = await call({ target: "secretsmanager.UntagResource", body: JSON.stringify({ SecretId: "raw-tags", TagKeys: ["k"] }) });
    assert.deepEqual([untag.status, untag.body], [200, ""]);
  });

  test("a body over the limit is refused early and the server keeps serving", async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x61);
    const res = await send(server.endpoint, "POST", "/", { "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.ListSecrets", "content-length": String(big.length) }, big).catch(
      (e: Error) => ({ status: -1, headers: {}, body: e.message }),
    );
    assert.ok(res.status === 413 || res.status === -1, `status ${res.status}`);
    assert.equal((await call()).status, 200);
  });

  test("a declared body over the limit is answered at once, in the request's own protocol", async () => {
    const answerTo = async (headers: string) => {
      const url = new URL(server.endpoint);
      const socket = connect(Number(url.port), url.hostname);
      await new Promise<void>((r) => socket.once("connect", () => r()));
      let text = "";
      const closed = new Promise<void>((r) => {
        socket.on("data", (d: Buffer) => (text += d.toString("utf8")));
        socket.on("close", () => r());
        socket.on("error", () => undefined);
      });
      socket.write(`POST / HTTP/1.1\r\nHost: x\r\n${headers}Content-Length: ${2 * 1024 * 1024}\r\n\r\n`);
      await closed;
      return text;
    };
    const json = await answerTo("Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: secretsmanager.ListSecrets\r\n");
    assert.match(json, /^HTTP\/1\.1 413 /);
    assert.match(json, /"__type":"RequestEntityTooLargeException"/);
    // IAM and STS clients parse XML errors.
    const query = await answerTo("Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n");
    assert.match(query, /^HTTP\/1\.1 413 /);
    assert.match(query, /content-type: text\/xml/i);
    assert.match(query, /<Code>RequestEntityTooLarge<\/Code>/);
    assert.match(query, /<Message>Request body exceeds the maximum of 1048576 bytes\.<\/Message>/);
    assert.equal((await call()).status, 200);
  });

  test("a client still sending a large body reads the 413, not a reset connection", async () => {
    for (const megabytes of [8, 24]) {
      const res = await fetch(server.endpoint, {
        method: "POST",
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.ListSecrets" },
        body: Buffer.alloc(megabytes * 1024 * 1024, 0x61),
      });
      assert.equal(res.status, 413, `${megabytes} MB`);
      assert.equal(((await res.json()) as { __type?: string }).__type, "RequestEntityTooLargeException");
    }
    assert.equal((await call()).status, 200);
  });

  test("oversized headers get 431", async () => {
    const { headers, body } = await signed(server.endpoint);
    const res = await send(server.endpoint, "POST", "/", { ...headers, "x-padding": "a".repeat(20_000) }, body);
    assert.equal(res.status, 431);
  });

  test("a stalled client is cut off while others are served", async () => {
    const url = new URL(server.endpoint);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((r) => socket.once("connect", () => r()));
    socket.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
    const closed = new Promise<number>((r) => {
      const started = Date.now();
      socket.on("close", () => r(Date.now() - started));
      socket.on("error", () => undefined);
      socket.resume();
    });
    for (let i = 0; i < 5; i++) assert.equal((await call()).status, 200);
    const ms = await closed;
    assert.ok(ms < 10_000, `stalled connection closed after ${ms} ms`);
  });

  test("GET /health answers 200", async () => {
    const res = await send(server.endpoint, "GET", "/health", {}, "");
    assert.equal(res.status, 200);
    assert.equal((JSON.parse(res.body) as { status: string }).status, "ok");
  });
});
