import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { pino } from "pino";
import { AccessDeniedException, ResourceNotFoundException } from "../domain/errors.js";
import type { RequestContext, ServiceDeps } from "../services/context.js";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";
import { verifyStore } from "./verify.js";
import { AuditTrail, type AuditedCall } from "./trail.js";
import { AuditUnavailableError } from "./unavailable.js";

const ACCOUNT = "111122223333";
const ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`;

function logger(lines: string[]) {
  return pino({ level: "trace", base: undefined }, { write: (line: string) => void lines.push(line) });
}

function call(operation: string, requestId = `req-${Math.random()}`): AuditedCall {
  const ctx: RequestContext = {
    requestId,
    region: "us-east-1",
    caller: { accountId: ACCOUNT, principalArn: `arn:aws:iam::${ACCOUNT}:root`, accessKeyId: "AKIAEXAMPLE" },
    now: Date.now(),
    sourceIp: "203.0.113.10",
    userAgent: "test-agent",
  };
  return { service: "secretsmanager", operation, ctx };
}

describe("AuditTrail on a real store", () => {
  let dir: string;
  let store: SqliteStore;
  let trail: AuditTrail;
  let deps: ServiceDeps;
  const lines: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "coffer-trail-"));
    store = new SqliteStore(join(dir, "coffer.db"));
    await store.migrate();
    trail = new AuditTrail({ store, log: logger(lines), retryAfterMs: 200 });
    deps = { store, log: logger(lines), partition: "aws" } as unknown as ServiceDeps;
  });
  after(async () => {
    await trail.drain();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const records = async () => (await store.audit.readRecords(0, 1000)).map((r) => JSON.parse(r.record) as Record<string, unknown>);
  const byRequest = async (requestId: string) => (await records()).filter((r) => r.requestID === requestId);

  test("a read's record is durable when succeeded() returns; the value never reaches it", async () => {
    const audit = trail.begin(call("GetSecretValue", "read-1"));
    audit.request = { SecretId: "db" };
    assert.equal(audit.deps(deps), deps, "a read runs with the plain deps");
    await audit.succeeded({ ARN, Name: "db", SecretString: "PLANTED-value" });
    const [record] = await byRequest("read-1");
    assert.equal(record?.eventName, "GetSecretValue");
    assert.deepEqual(record?.requestParameters, { secretId: "db" });
    assert.equal(record?.responseElements, null);
    assert.ok(!JSON.stringify(record).includes("PLANTED"));
    const [found] = await store.audit.lookupRecords({ accountId: ACCOUNT, region: "us-east-1", attribute: { key: "ResourceName", value: ARN }, limit: 5 });
    assert.equal(JSON.parse(found?.record ?? "{}").requestID, "read-1");
  });

  test("a write's record commits in the write's own transaction, built from its result", async () => {
    const audit = trail.begin(call("PutSecretValue", "write-1"));
    audit.request = { SecretId: "db", SecretString: "PLANTED-new" };
    const writeDeps = audit.deps(deps);
    assert.notEqual(writeDeps.store, store);
    const result = await writeDeps.store.transaction(async (tx) => {
      await tx.putSetting("changed-by", "write-1");
      // Inside the transaction nothing is stored yet.
      return { ARN, Name: "db", VersionId: "v2" };
    });
    await audit.succeeded(result);
    const found = await byRequest("write-1");
    assert.equal(found.length, 1, "exactly one record: succeeded() does not add another");
    assert.deepEqual(found[0]?.responseElements, { arn: ARN });
    assert.equal(await store.getSetting("changed-by"), "write-1");
  });

  test("a write that rolls back leaves only its failure record", async () => {
    const audit = trail.begin(call("UpdateSecret", "write-2"));
    audit.request = { SecretId: "db" };
    const failure = new ResourceNotFoundException("Secrets Manager can't find the specified secret.");
    await assert.rejects(
      audit.deps(deps).store.transaction(async (tx) => {
        await tx.putSetting("changed-by", "write-2");
        throw failure;
      }),
    );
    await audit.failed(failure);
    const found = await byRequest("write-2");
    assert.equal(found.length, 1);
    assert.equal(found[0]?.errorCode, "ResourceNotFoundException");
    assert.equal(await store.getSetting("changed-by"), "write-1");
  });

  test("denials are AccessDenied; unexpected errors are InternalServiceError without their detail", async () => {
    const denied = trail.begin(call("GetSecretValue", "denied"));
    await denied.failed(new AccessDeniedException("User: x is not authorized"));
    assert.equal((await byRequest("denied"))[0]?.errorCode, "AccessDenied");
    const broken = trail.begin(call("GetSecretValue", "broken"));
    await broken.failed(new Error("disk path /secret/internal"));
    const [record] = await byRequest("broken");
    assert.equal(record?.errorCode, "InternalServiceError");
    assert.equal(record?.errorMessage, "An internal error occurred.");
  });

  test("service events commit with the work that caused them", async () => {
    const result = await trail.runService(
      deps,
      (d) => d.store.transaction(async (tx) => (await tx.putSetting("purged", ARN), { Purged: true })),
      (r) => (r.Purged ? [{ eventName: "EndSecretVersionDelete", accountId: ACCOUNT, region: "us-east-1", time: Date.now(), resourceArn: ARN }] : []),
    );
    assert.deepEqual(result, { Purged: true });
    const events = (await records()).filter((r) => r.eventName === "EndSecretVersionDelete");
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]?.additionalEventData, { SecretId: ARN });
  });

  test("fail-closed: while records cannot be stored requests fail and are refused, then the trail recovers", async () => {
    const db = new Database(join(dir, "coffer.db"));
    db.exec("CREATE TRIGGER refuse BEFORE INSERT ON audit_records BEGIN SELECT RAISE(ABORT, 'no room'); END;");
    try {
      const read = trail.begin(call("GetSecretValue", "outage-read"));
      await assert.rejects(read.succeeded({ ARN }), (err: unknown) => err instanceof AuditUnavailableError && err.status === 503);
      assert.throws(() => trail.begin(call("GetSecretValue")), AuditUnavailableError, "refused up front meanwhile");
      assert.equal(trail.health().status, "unavailable");
      assert.match(trail.health().error ?? "", /no room/);
      // A write's record fails inside its transaction: the change rolls back with it.
      await new Promise((r) => setTimeout(r, 250));
      const write = trail.begin(call("DeleteSecret", "outage-write"));
      await assert.rejects(
        write.deps(deps).store.transaction(async (tx) => (await tx.putSetting("changed-by", "outage"), { ARN })),
        AuditUnavailableError,
      );
      assert.equal(await store.getSetting("changed-by"), "write-1");
    } finally {
      db.exec("DROP TRIGGER refuse");
      db.close();
    }
    await new Promise((r) => setTimeout(r, 250));
    const again = trail.begin(call("GetSecretValue", "after"));
    await again.succeeded({ ARN });
    assert.equal(trail.health().status, "ok");
    assert.equal((await byRequest("outage-read")).length, 0);
    assert.equal((await byRequest("after")).length, 1);
    assert.ok(lines.some((l) => l.includes("audit trail unavailable")));
    assert.ok(lines.some((l) => l.includes("audit trail recovered")));
    assert.equal((await verifyStore(store)).ok, true);
  });

  test("many concurrent records share few commits and form one chain", async () => {
    const before = (await store.audit.chainHead()).seq;
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const audit = trail.begin(call("DescribeSecret", `many-${i}`));
        return audit.succeeded({ ARN });
      }),
    );
    const after = (await store.audit.chainHead()).seq;
    assert.equal(after - before, 200);
    const verdict = await verifyStore(store);
    assert.equal(verdict.ok, true, JSON.stringify(verdict.problem));
  });

  test("an unauthenticated request leaves a log line naming its key, never its secret", async () => {
    const err = Object.assign(new Error("The request signature we calculated does not match"), { code: "InvalidSignatureException" });
    const returned = await trail.settle(undefined, err, "unauth-1", {
      headerTable: new Map([
        ["authorization", "AWS4-HMAC-SHA256 Credential=AKIAUNKNOWN0000/20240115/us-east-1/secretsmanager/aws4_request, Signature=abc"],
        ["x-amz-target", "secretsmanager.GetSecretValue"],
      ]),
      rawUrl: "/",
      remoteAddress: "198.51.100.1",
    });
    assert.equal(returned, err);
    const line = lines.find((l) => l.includes("unauth-1"));
    assert.ok(line);
    assert.match(line, /request not authenticated/);
    assert.match(line, /AKIAUNKNOWN0000/);
    assert.match(line, /InvalidSignatureException/);
    assert.doesNotMatch(line, /Signature=abc/);
  });
});
