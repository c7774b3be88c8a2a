// Fail-closed: while the store refuses audit records, requests are answered 503 and change
// nothing; once it takes records again the service resumes by itself. And kill -9 under load:
// every request that was answered has its record.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import pg from "pg";
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { coffer, eventually, storedRecords } from "./audit-support.js";
import { startServer, storeKinds, type StoreKind, type TestServer } from "./harness.js";

/** Makes the store refuse (or take again) audit records, as a full or broken audit table would. */
async function refuseAuditWrites(server: TestServer, store: StoreKind, refuse: boolean): Promise<void> {
  if (store === "sqlite") {
    const db = new Database(join(server.dataDir, "coffer.db"));
    try {
      db.pragma("busy_timeout = 10000");
      db.exec(
        refuse
          ? "CREATE TRIGGER audit_refuse BEFORE INSERT ON audit_records BEGIN SELECT RAISE(ABORT, 'audit table refuses writes'); END;"
          : "DROP TRIGGER audit_refuse;",
      );
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: server.storeUrl });
  await client.connect();
  try {
    await client.query(
      refuse
        ? `CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit table refuses writes'; END $$;
           CREATE TRIGGER audit_refuse BEFORE INSERT ON audit_records FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();`
        : "DROP TRIGGER audit_refuse ON audit_records; DROP FUNCTION audit_refuse();",
    );
  } finally {
    await client.end();
  }
}

type Failure = Error & { $metadata?: { httpStatusCode?: number; requestId?: string } };
const failure = (promise: Promise<unknown>) => promise.then(() => assert.fail("the request succeeded"), (e: Failure) => e);

for (const store of storeKinds()) {
  describe(`fail-closed audit on ${store}`, () => {
    let server: TestServer | undefined;
    after(async () => server?.dispose());

    test("while records cannot be stored, requests get 503 and nothing changes; then the service resumes", async () => {
      server = await startServer({ store });
      const sm = server.client();
      const name = `fail-closed/${randomUUID().slice(0, 8)}`;
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: "PLANTED-before-outage" }));
      await sm.send(new GetSecretValueCommand({ SecretId: name }));
      const recordsBefore = (await storedRecords(server)).length;

      await refuseAuditWrites(server, store, true);
      const refusedIds: string[] = [];
      const expect503 = async (promise: Promise<unknown>) => {
        const err = await failure(promise);
        assert.equal(err.name, "ServiceUnavailableException", err.message);
        assert.equal(err.$metadata?.httpStatusCode, 503);
        assert.match(err.message, /audit record could not be stored/);
        refusedIds.push(err.$metadata?.requestId ?? "");
      };
      // A read: its value is withheld. A write: rolled back with its record.
      await expect503(sm.send(new GetSecretValueCommand({ SecretId: name })));
      await expect503(sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "PLANTED-during-outage" })));
      await expect503(sm.send(new CreateSecretCommand({ Name: `${name}-new`, SecretString: "x" })));
      await expect503(sm.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true })));
      const health = (await (await fetch(`${server.endpoint}/health`)).json()) as { audit: { status: string; error?: string } };
      assert.equal(health.audit.status, "unavailable");
      assert.match(health.audit.error ?? "", /refuses writes/);
      assert.match(server.output(), /request refused: its audit record could not be stored/);

      await refuseAuditWrites(server, store, false);
      const value = await eventually(
        () => sm.send(new GetSecretValueCommand({ SecretId: name })).then((r) => r.SecretString, () => undefined),
        "the service to resume",
      );
      // Nothing the refused requests asked for happened.
      assert.equal(value, "PLANTED-before-outage");
      assert.equal(await failure(sm.send(new DescribeSecretCommand({ SecretId: `${name}-new` }))).then((e) => e.name), "ResourceNotFoundException");
      assert.ok((await sm.send(new DescribeSecretCommand({ SecretId: name }))).ARN);
      // They left no record, and the chain stayed whole.
      const records = await storedRecords(server);
      for (const id of refusedIds) assert.ok(!records.some((r) => r.parsed.requestID === id), `request ${id} has no record`);
      assert.ok(records.length > recordsBefore);
      const health2 = (await (await fetch(`${server.endpoint}/health`)).json()) as { audit: { status: string } };
      assert.equal(health2.audit.status, "ok");
      const verified = await coffer(["audit", "verify", "--store", server.storeUrl]);
      assert.equal(verified.code, 0, verified.stdout + verified.stderr);
      sm.destroy();
    });

    test("a request whose names no store column can hold is recorded, and nobody is refused for it", async () => {
      await server?.dispose();
      server = await startServer({ store });
      const sm = server.client();
      const name = `odd-input/${randomUUID().slice(0, 8)}`;
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: "v" }));
      // U+0000 in a name: PostgreSQL text cannot store it, yet the failed call's record must be.
      const odd = await failure(sm.send(new CreateSecretCommand({ Name: "bad\u0000name", SecretString: "v" })));
      assert.equal(odd.name, "ValidationException");
      const created = await sm.send(new CreateSecretCommand({ Name: `${name}-2`, Description: "with \u0000 inside", SecretString: "v" }));
      assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: created.ARN }))).Description, "with \u0000 inside");
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, "v");
      const recorded = (await storedRecords(server)).filter((r) => r.parsed.requestID === odd.$metadata?.requestId);
      assert.equal(recorded.length, 1, "the failed call has one record");
      assert.equal(recorded[0]?.parsed.errorCode, "ValidationException");
      sm.destroy();
    });

    test("kill -9 under load: every answered request has exactly one record", async (t) => {
      await server?.dispose();
      server = await startServer({ store });
      const names = Array.from({ length: 4 }, (_, i) => `load-${i}-${randomUUID().slice(0, 6)}`);
      const setup = server.client();
      for (const name of names) await setup.send(new CreateSecretCommand({ Name: name, SecretString: "v0" }));
      setup.destroy();
      const acknowledged: string[] = [];
      let stop = false;
      const worker = async (write: boolean, i: number) => {
        const client: SecretsManagerClient = server!.client();
        for (let n = 0; !stop; n++) {
          const name = names[(i + n) % names.length] as string;
          try {
            const out = write
              ? await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: `w${i}-${n}` }))
              : await client.send(new GetSecretValueCommand({ SecretId: name }));
            acknowledged.push(out.$metadata.requestId as string);
          } catch {
            break; // the server died under us: not acknowledged
          }
        }
        client.destroy();
      };
      const workers = [...Array.from({ length: 8 }, (_, i) => worker(false, i)), ...Array.from({ length: 2 }, (_, i) => worker(true, i))];
      await new Promise((r) => setTimeout(r, 2000));
      await server.kill();
      stop = true;
      await Promise.all(workers);
      assert.ok(acknowledged.length > 50, `only ${acknowledged.length} requests were answered before the kill`);

      server = await server.restart();
      const byRequest = new Map<string, number>();
      for (const r of await storedRecords(server)) byRequest.set(r.parsed.requestID, (byRequest.get(r.parsed.requestID) ?? 0) + 1);
      const missing = acknowledged.filter((id) => byRequest.get(id) !== 1);
      assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} answered requests lack their record`);
      t.diagnostic(`${acknowledged.length} requests answered before the kill, each with its record`);
      const verified = await coffer(["audit", "verify", "--store", server.storeUrl]);
      assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    });
  });
}
