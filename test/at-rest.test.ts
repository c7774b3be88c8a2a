// Secret values are only ever stored encrypted: after writing known values, no file under the
// data dir and no row of a PostgreSQL dump contains any of them.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { promisify } from "node:util";
import { CreateSecretCommand, PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { startServer, storeKinds, SECRET_ACCESS_KEY, type TestServer } from "./harness.js";

const run = promisify(execFile);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

for (const store of storeKinds()) {
  describe(`encryption at rest on ${store}`, () => {
    let server: TestServer | undefined;
    after(async () => server?.dispose());

    test("no stored byte reveals a secret value", async () => {
      server = await startServer({ store });
      const sm = server.client();
      const planted = Array.from({ length: 5 }, () => `PLANTED-${randomUUID()}`);
      const binary = Buffer.from(`BINARY-PLANTED-${randomUUID()}`);
      for (const [i, value] of planted.entries()) {
        const name = `at-rest-${i}-${randomUUID().slice(0, 6)}`;
        await sm.send(new CreateSecretCommand({ Name: name, SecretString: JSON.stringify({ password: value }) }));
        await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
      }
      await sm.send(new CreateSecretCommand({ Name: `at-rest-bin-${randomUUID().slice(0, 6)}`, SecretBinary: binary }));
      sm.destroy();
      // Stop first so SQLite checkpoints its WAL into the main file; both must be clean anyway.
      await server.stop();
      const needles = [...planted.map((p) => Buffer.from(p)), binary, Buffer.from(SECRET_ACCESS_KEY)];
      const haystacks: [string, Buffer][] = filesUnder(server.dataDir)
        .filter((f) => !f.endsWith("/credentials")) // the credentials file is the user's own copy of the key
        .map((f) => [f, readFileSync(f)]);
      if (store === "postgres") {
        const dump = await run("pg_dump", ["--data-only", "--inserts", server.storeUrl], { maxBuffer: 256 * 1024 * 1024, encoding: "buffer" });
        haystacks.push(["pg_dump", dump.stdout as unknown as Buffer]);
      }
      assert.ok(haystacks.length > 0);
      for (const [file, content] of haystacks) {
        for (const needle of needles) {
          assert.equal(content.includes(needle), false, `${file} contains a planted value`);
          assert.equal(content.includes(Buffer.from(needle.toString("base64"))), false, `${file} contains a planted value in base64`);
        }
      }
    });
  });
}
