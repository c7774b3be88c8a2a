// The flow a user starts with, from the AWS CLI and from boto3, configured only by the lines the
// server prints (endpoint, shared credentials file, profile, region).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { startServer, type TestServer } from "./harness.js";

const run = promisify(execFile);

describe("AWS CLI and boto3", () => {
  let server: TestServer;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    server = await startServer({ store: "sqlite" });
    const exportLine = /export (AWS_ENDPOINT_URL=\S+ AWS_SHARED_CREDENTIALS_FILE=\S+ AWS_PROFILE=\S+ AWS_REGION=\S+)/.exec(server.output());
    assert.ok(exportLine, `the server prints an export line:\n${server.output()}`);
    const pairs = Object.fromEntries((exportLine[1] as string).split(" ").map((kv) => kv.split("=") as [string, string]));
    env = { PATH: process.env.PATH, HOME: process.env.HOME, ...pairs };
    assert.equal(pairs.AWS_SHARED_CREDENTIALS_FILE, join(server.dataDir, "credentials"));
  });
  after(async () => server?.dispose());

  test("aws secretsmanager: create a database secret, get it, parse it", async () => {
    const name = `cli/db-${randomUUID().slice(0, 8)}`;
    const secret = JSON.stringify({ username: "admin", password: "cli-pa55" });
    const created = await run("aws", ["secretsmanager", "create-secret", "--name", name, "--secret-string", secret, "--output", "json"], { env });
    assert.equal(JSON.parse(created.stdout).Name, name);
    const got = await run("aws", ["secretsmanager", "get-secret-value", "--secret-id", name, "--output", "json"], { env });
    const value = JSON.parse(JSON.parse(got.stdout).SecretString);
    assert.deepEqual(value, { username: "admin", password: "cli-pa55" });
    const text = await run("aws", ["secretsmanager", "get-secret-value", "--secret-id", name, "--query", "SecretString", "--output", "text"], { env });
    assert.equal(text.stdout.trim(), secret);
    const missing = await run("aws", ["secretsmanager", "describe-secret", "--secret-id", `${name}-missing`], { env }).catch((e: { stderr: string; code: number }) => e);
    // The CLI exits 254 (v2) or 255 (v1) on a service error.
    assert.ok([254, 255].includes((missing as { code: number }).code));
    assert.match((missing as { stderr: string }).stderr, /ResourceNotFoundException.*Secrets Manager can't find the specified secret\./);
  });

  test("boto3: create a database secret, get it, parse it", async () => {
    const name = `boto3/db-${randomUUID().slice(0, 8)}`;
    const script = `
import boto3, json, sys
sm = boto3.client("secretsmanager")
sm.create_secret(Name=sys.argv[1], SecretString=json.dumps({"username": "svc", "password": "b0to-pa55"}))
value = json.loads(sm.get_secret_value(SecretId=sys.argv[1])["SecretString"])
binary = sm.create_secret(Name=sys.argv[1] + "-bin", SecretBinary=b"footest")
raw = sm.get_secret_value(SecretId=sys.argv[1] + "-bin")["SecretBinary"]
try:
    sm.get_secret_value(SecretId=sys.argv[1] + "-missing")
    code = None
except sm.exceptions.ResourceNotFoundException as e:
    code = e.response["Error"]["Code"]
print(json.dumps({"username": value["username"], "password": value["password"], "binary": raw.decode(), "missing": code}))
`;
    const out = await run("python3", ["-c", script, name], { env });
    assert.deepEqual(JSON.parse(out.stdout), { username: "svc", password: "b0to-pa55", binary: "footest", missing: "ResourceNotFoundException" });
  });
});
