// The server process as an operator sees it: graceful SIGTERM, HTTPS, the plain-HTTP guard,
// several worker processes on one store.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { CreateSecretCommand, GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { ACCESS_KEY_ID, CLI, REGION, SECRET_ACCESS_KEY, startServer } from "./harness.js";
import { signed } from "./raw-http.js";

describe("server lifecycle", () => {
  test("SIGTERM lets an in-flight request finish, then exits 0", async () => {
    const server = await startServer({ store: "sqlite" });
    const { headers, body } = await signed(server.endpoint, { target: "secretsmanager.GetRandomPassword", body: JSON.stringify({ PasswordLength: 40 }) });
    const url = new URL(server.endpoint);
    // The request is in flight: its headers and half its body are on the server when SIGTERM comes.
    const answered = new Promise<{ status: number; body: string }>((resolvePromise, rejectPromise) => {
      const req = request({ host: url.hostname, port: url.port, method: "POST", path: "/", headers }, (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => resolvePromise({ status: res.statusCode ?? 0, body: text }));
      });
      req.on("error", rejectPromise);
      const bytes = Buffer.from(body as string);
      req.write(bytes.subarray(0, 10));
      setTimeout(() => {
        server.process.kill("SIGTERM");
        setTimeout(() => req.end(bytes.subarray(10)), 300);
      }, 200);
    });
    const res = await answered;
    assert.equal(res.status, 200);
    assert.equal((JSON.parse(res.body) as { RandomPassword: string }).RandomPassword.length, 40);
    assert.equal(await server.stop(), 0);
    await server.dispose();
  });

  test("refuses plain HTTP on a non-loopback address unless told otherwise", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "coffer-guard-"));
    try {
      let out = "";
      const code = await new Promise<number | null>((resolvePromise) => {
        const child = spawn(process.execPath, [CLI, "server", "--host", "0.0.0.0", "--port", "0", "--data-dir", dataDir], { stdio: ["ignore", "pipe", "pipe"] });
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (out += d.toString()));
        child.once("exit", resolvePromise);
      });
      assert.notEqual(code, 0);
      assert.match(out, /refusing to serve plain HTTP on 0\.0\.0\.0/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test("serves HTTPS with --tls-cert and --tls-key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "coffer-tls-"));
    const cert = join(dir, "cert.pem");
    const key = join(dir, "key.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], { stdio: "ignore" });
    const server = await startServer({ store: "sqlite", args: ["--tls-cert", cert, "--tls-key", key] });
    try {
      assert.match(server.endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
      const sm = new SecretsManagerClient({
        endpoint: server.endpoint,
        region: REGION,
        credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
        requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: readFileSync(cert) }) }),
      });
      const name = `tls-${randomUUID().slice(0, 8)}`;
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: "over tls" }));
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, "over tls");
      sm.destroy();
    } finally {
      await server.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("refuses at start a certificate and key that are not a pair, naming both files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "coffer-tls-"));
    const cert = join(dir, "cert.pem");
    const key = join(dir, "key.pem");
    const otherKey = join(dir, "other-key.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost"], { stdio: "ignore" });
    execFileSync("openssl", ["genrsa", "-out", otherKey, "2048"], { stdio: "ignore" });
    try {
      for (const [certFile, keyFile] of [[cert, otherKey], [key, key]] as const) {
        await assert.rejects(startServer({ store: "sqlite", args: ["--tls-cert", certFile, "--tls-key", keyFile] }), (err: Error) => {
          assert.match(err.message, new RegExp(`--tls-cert ${certFile} and --tls-key ${keyFile} are not a PEM certificate and its private key`));
          return true;
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("several worker processes share one store", async () => {
    const server = await startServer({ store: "sqlite", args: ["--workers", "2"] });
    try {
      const clients = Array.from({ length: 4 }, () => server.client());
      const names = Array.from({ length: 12 }, (_, i) => `workers-${i}-${randomUUID().slice(0, 6)}`);
      await Promise.all(names.map((name, i) => (clients[i % 4] as SecretsManagerClient).send(new CreateSecretCommand({ Name: name, SecretString: name }))));
      // Every process sees every write at once, whichever one served it.
      for (const [i, name] of names.entries()) {
        assert.equal((await (clients[(i + 1) % 4] as SecretsManagerClient).send(new GetSecretValueCommand({ SecretId: name }))).SecretString, name);
      }
      const listed = await (clients[0] as SecretsManagerClient).send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: ["workers-"] }] }));
      assert.equal(listed.SecretList?.length, 12);
      for (const c of clients) c.destroy();
    } finally {
      await server.dispose();
    }
  });
});
