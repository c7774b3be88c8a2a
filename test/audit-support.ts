// Helpers of the audit trail's black-box tests: a CloudTrail client, the records as stored, the
// coffer and aws command lines.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { CloudTrailClient, LookupEventsCommand, type Event, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import { openStore } from "../src/store/open-store.js";
import type { StoredAuditRecord } from "../src/store/audit-ops.js";
import { ACCESS_KEY_ID, CLI, REGION, SECRET_ACCESS_KEY, type TestServer } from "./harness.js";

const run = promisify(execFile);

// The record shape the tests read (a CloudTrail record, §6.1).
export interface AuditRecord {
  eventVersion: string;
  userIdentity: Record<string, unknown>;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: unknown[];
  eventType: string;
  managementEvent: boolean;
  recipientAccountId: string;
  eventCategory: string;
  tlsDetails?: Record<string, unknown>;
}

export function cloudTrail(server: TestServer, region = REGION): CloudTrailClient {
  return new CloudTrailClient({
    endpoint: server.endpoint,
    region,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
}

/** Every event LookupEvents returns for `input`, following NextToken. */
export async function lookupAll(client: CloudTrailClient, input: LookupEventsCommandInput = {}): Promise<Event[]> {
  const events: Event[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new LookupEventsCommand({ ...input, NextToken: token }));
    events.push(...(page.Events ?? []));
    token = page.NextToken;
  } while (token);
  return events;
}

/** The records as stored, in chain order, read straight from the store. */
export async function storedRecords(server: TestServer): Promise<Array<StoredAuditRecord & { parsed: AuditRecord }>> {
  const store = await openStore(server.storeUrl);
  try {
    const out: Array<StoredAuditRecord & { parsed: AuditRecord }> = [];
    for (let after = 0; ; ) {
      const page = await store.audit.readRecords(after, 1000);
      for (const row of page) out.push({ ...row, parsed: JSON.parse(row.record) as AuditRecord });
      if (page.length < 1000) return out;
      after = (page.at(-1) as StoredAuditRecord).seq;
    }
  } finally {
    await store.close();
  }
}

/** The one stored record with this request id (fails the test when there is not exactly one). */
export async function recordOf(server: TestServer, requestId: string | undefined): Promise<AuditRecord> {
  const matches = (await storedRecords(server)).filter((r) => r.parsed.requestID === requestId);
  if (matches.length !== 1) throw new Error(`expected exactly one record for request ${requestId}, found ${matches.length}`);
  return (matches[0] as { parsed: AuditRecord }).parsed;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `coffer …` from the build under test. */
export async function coffer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** `aws …` (the AWS CLI) against the server, with the test's credentials. */
export async function aws(server: TestServer, args: string[]): Promise<CommandResult> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    AWS_DEFAULT_REGION: REGION,
  };
  try {
    const { stdout, stderr } = await run("aws", [...args, "--output", "json"], { env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
