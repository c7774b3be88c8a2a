// `npm run fuzz -- [--seconds S] [--store URL] [--workers N] [--seed N]`: drives a fresh Coffer server
// with signed requests made from the service models (Secrets Manager, KMS and CloudTrail on JSON
// 1.1; IAM and STS on the Query protocol): members present or missing, values inside, at and past
// their bounds, of the wrong JSON type, odd text (NUL, lone surrogates, very long), plus malformed
// requests (bad JSON, wrong content type, unknown targets, no signature). Part of the requests are signed by an IAM user whose inline
// policy (and the secret's resource policy) the run keeps replacing with random valid ones, so
// that authorization is exercised too. Every answer must be a client error or a success in AWS's
// shape, in time, with a request id; a planted secret value must appear in no error message and
// no server log line; the audit trail must verify afterwards. Exits 1 and prints the failing
// requests otherwise. A tool for finding defects, not a test: it is not part of `npm test`.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import * as cloudtrail from "../src/generated/cloudtrail-model.js";
import * as iam from "../src/generated/iam-model.js";
import * as kms from "../src/generated/kms-model.js";
import * as secretsmanager from "../src/generated/secretsmanager-model.js";
import * as sts from "../src/generated/sts-model.js";
import type { QueryServiceModel, QueryShape } from "../src/protocol/query-model.js";
import type { ServiceModel, Shape } from "../src/protocol/validate.js";

const BUILD_ROOT = resolve(import.meta.dirname, "..");
const ACCESS_KEY_ID = "AKIAFUZZERKEY0000001";
const SECRET_ACCESS_KEY = "fuzzer-secret-access-key-0000000000000000";

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
}
const ROOT: Keys = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY };
/** An IAM user whose policies the run keeps replacing with random (valid) ones; set by seedServer. */
let user: (Keys & { name: string; arn: string }) | undefined;
const REGION = "us-east-1";
const PLANTED = `planted-${randomUUID()}`;
const TIMEOUT_MS = 15_000;

interface FuzzService {
  model: ServiceModel;
  signingName: string;
  operations: readonly string[];
}

interface QueryFuzzService {
  model: QueryServiceModel;
  signingName: string;
  operations: readonly string[];
}

const QUERY_SERVICES: QueryFuzzService[] = [
  { model: iam.model, signingName: iam.signingName, operations: iam.operationNames },
  { model: sts.model, signingName: sts.signingName, operations: sts.operationNames },
];

const SERVICES: FuzzService[] = [
  { model: secretsmanager.model, signingName: secretsmanager.signingName, operations: secretsmanager.operationNames },
  { model: kms.model, signingName: kms.signingName, operations: kms.operationNames },
  { model: cloudtrail.model, signingName: cloudtrail.signingName, operations: cloudtrail.operationNames },
];

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? (process.argv[at + 1] as string) : fallback;
}

// A small seeded generator (mulberry32), so a failing run can be repeated with --seed.
let state = Number(option("seed", String(Date.now() % 2 ** 31))) >>> 0;
const seed = state;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
}
const chance = (p: number) => random() < p;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

/** Names, ids and ARNs the server knows, so that many requests reach past validation. */
const known: string[] = ["fuzz/db", "alias/aws/secretsmanager", "AWSCURRENT", "AWSPREVIOUS", "AWSPENDING"];

const ODD_TEXT = ["", " ", "\u0000", "a\u0000b", "\ud800", "é", "🔑", "../../etc/passwd", "%00", "${jndi:x}", "*", "arn:aws:secretsmanager:us-east-1:000000000000:secret:x-AbCdEf"];

function text(min = 0, max = 256): string {
  if (chance(0.35) && known.length > 0) return pick(known);
  if (chance(0.15)) return pick(ODD_TEXT);
  if (chance(0.05)) return "x".repeat(chance(0.5) ? 70_000 : max + 1);
  const length = chance(0.2) ? pick([Math.max(0, min - 1), min, max, max + 1]) : int(min, Math.min(max, 64));
  let out = "";
  for (let i = 0; i < length; i++) out += String.fromCharCode(chance(0.9) ? int(0x21, 0x7e) : int(0x80, 0x2fff));
  return out;
}

function wrongType(): unknown {
  return pick<unknown>([null, 0, -1, 1.5, true, "text", [], {}, [1, "a"], { a: { b: {} } }]);
}

function generate(model: ServiceModel | QueryServiceModel, shapeName: string, depth = 0): unknown {
  const shape = model.shapes[shapeName] as Shape | QueryShape | undefined;
  if (shape === undefined || chance(0.03)) return wrongType();
  switch (shape.type) {
    case "structure": {
      if (depth > 5) return {};
      const out: Record<string, unknown> = {};
      for (const [member, target] of Object.entries(shape.members)) {
        const required = shape.required?.includes(member) ?? false;
        if (chance(required ? 0.93 : 0.45)) out[member] = generate(model, target, depth + 1);
      }
      if (chance(0.03)) out[`Unmodeled${int(0, 9)}`] = wrongType();
      return out;
    }
    case "string":
      if (shape.enum && chance(0.85)) return pick(shape.enum);
      return text(shape.min ?? 0, shape.max ?? 256);
    case "integer":
    case "long":
      return chance(0.8) ? int(shape.min ?? 0, Math.min(shape.max ?? 1000, 1_000_000)) : pick([-1, 0, 2 ** 31, 2 ** 53, 1.5, (shape.max ?? 0) + 1]);
    case "double":
    case "float":
      return chance(0.8) ? random() * 100 : pick([-1, 1e308, Number.MIN_VALUE]);
    case "boolean":
      return chance(0.9) ? chance(0.5) : "true";
    case "timestamp":
      return chance(0.8) ? Math.floor(Date.now() / 1000) + int(-86_400 * 30, 86_400) : pick<unknown>([-1, 1e12, "2024-01-01", "not a time"]);
    case "blob":
      return chance(0.85) ? Buffer.from(text(1, 64)).toString("base64") : pick(["!!!", "=", "QQ", ""]);
    case "list": {
      const count = chance(0.1) ? (shape.max ?? 20) + 1 : int(shape.min ?? 0, Math.min(shape.max ?? 3, 3));
      return Array.from({ length: count }, () => generate(model, shape.member, depth + 1));
    }
    case "map": {
      const out: Record<string, unknown> = {};
      for (let i = int(0, 3); i > 0; i--) out[String(generate(model, shape.key, depth + 1))] = generate(model, shape.value, depth + 1);
      return out;
    }
  }
}

/** The headers of a signed POST to `endpoint` with `headers` and `body`, as the root signs it. */
async function signedHeaders(endpoint: URL, signingName: string, headers: Record<string, string>, body: string, keys: Keys = ROOT): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: signingName,
    region: REGION,
    credentials: keys,
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: "POST",
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: Number(endpoint.port),
    path: "/",
    query: {},
    headers: { host: endpoint.host, ...headers },
    body,
  });
  return signed.headers as Record<string, string>;
}

/** A signed AWS JSON 1.1 request's headers. */
function sign(endpoint: URL, signingName: string, target: string, body: string, contentType = "application/x-amz-json-1.1", keys: Keys = ROOT): Promise<Record<string, string>> {
  return signedHeaders(endpoint, signingName, { "content-type": contentType, "x-amz-target": target }, body, keys);
}

// Valid policy documents with random statements, so that authorization itself is exercised:
// actions, resources and principals with wildcards, and conditions with every kind of operator
// over keys the requests do and do not carry, with values of fitting and unfitting forms.
const ACTIONS = ["*", "secretsmanager:*", "secretsmanager:Get*", "secretsmanager:GetSecretValue", "secretsmanager:Describe?ecret", "kms:*", "kms:Decrypt", "kms:GenerateDataKey*", "cloudtrail:LookupEvents", "iam:*"];
const RESOURCES = ["*", "arn:aws:secretsmanager:*:*:secret:fuzz/*", "arn:aws:secretsmanager:us-east-1:*:secret:*", "arn:aws:kms:*:*:key/*", "arn:*:*:*:*:*", "fuzz*"];
const OPERATORS = [
  "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringLike", "StringNotLike", "ArnLike", "ArnNotEquals", "NumericLessThan",
  "NumericGreaterThanEquals", "DateGreaterThan", "DateLessThanEquals", "Bool", "IpAddress", "NotIpAddress", "Null", "BinaryEquals",
  "ForAnyValue:StringLike", "ForAllValues:StringEquals", "StringEqualsIfExists", "NumericEqualsIfExists", "ArnLikeIfExists",
];
const CONDITION_KEYS = [
  "aws:SourceIp", "aws:CurrentTime", "aws:EpochTime", "aws:SecureTransport", "aws:username", "aws:userid", "aws:PrincipalArn", "aws:PrincipalTag/team",
  "aws:RequestTag/env", "aws:TagKeys", "aws:ResourceTag/env", "secretsmanager:ResourceTag/env", "secretsmanager:VersionStage", "secretsmanager:SecretId",
  "secretsmanager:Name", "secretsmanager:KmsKeyId", "secretsmanager:RecoveryWindowInDays", "kms:EncryptionContext:app", "kms:CallerAccount", "aws:MultiFactorAuthPresent",
];
const CONDITION_VALUES = ["*", "fuzz*", "127.0.0.1", "127.0.0.0/8", "::1/128", "10.0.0.0/33", "2024-01-01T00:00:00Z", "1700000000", "true", "false", "prod", "", "AQID", "-1", "1e400"];

function randomPolicy(): string {
  const statements = Array.from({ length: int(1, 4) }, () => {
    const statement: Record<string, unknown> = { Effect: chance(0.75) ? "Allow" : "Deny" };
    statement[chance(0.85) ? "Action" : "NotAction"] = chance(0.5) ? pick(ACTIONS) : Array.from({ length: int(1, 3) }, () => pick(ACTIONS));
    statement[chance(0.9) ? "Resource" : "NotResource"] = chance(0.5) ? pick(RESOURCES) : Array.from({ length: int(1, 3) }, () => pick(RESOURCES));
    if (chance(0.6)) {
      const condition: Record<string, Record<string, unknown>> = {};
      for (let i = int(1, 3); i > 0; i--) {
        const values = Array.from({ length: int(1, 3) }, () => pick(CONDITION_VALUES));
        (condition[pick(OPERATORS)] ??= {})[pick(CONDITION_KEYS)] = values.length === 1 ? values[0] : values;
      }
      statement.Condition = condition;
    }
    if (chance(0.2)) statement.Sid = `S${int(0, 99)}`;
    return statement;
  });
  return JSON.stringify({ Version: chance(0.9) ? "2012-10-17" : "2008-10-17", Statement: statements.length === 1 && chance(0.3) ? statements[0] : statements });
}

interface Finding {
  what: string;
  request: string;
}

interface Tally {
  requests: number;
  byStatus: Map<number, number>;
  byCode: Map<string, number>;
  findings: Finding[];
}

const describe = (target: string, body: string) => `${target} ${body.length > 300 ? `${body.slice(0, 300)}… (${body.length} chars)` : body}`;

async function send(endpoint: URL, tally: Tally, target: string, body: string, headers: Record<string, string>, errors: "json" | "xml" = "json"): Promise<void> {
  tally.requests++;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const res = await fetch(endpoint, { method: "POST", headers, body, signal: controller.signal });
    const answer = await res.text();
    tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
    if (res.status >= 500) tally.findings.push({ what: `status ${res.status}: ${answer.slice(0, 300)}`, request: describe(target, body) });
    if (!res.headers.get("x-amzn-requestid")) tally.findings.push({ what: `no x-amzn-RequestId (status ${res.status})`, request: describe(target, body) });
    if (res.status >= 400) {
      let code: string | undefined;
      if (errors === "xml") {
        code = /<Code>([^<]*)<\/Code>/.exec(answer)?.[1];
        if (code === undefined) tally.findings.push({ what: `error body is not an XML error: ${answer.slice(0, 200)}`, request: describe(target, body) });
      } else {
        try {
          code = String((JSON.parse(answer) as { __type?: unknown }).__type ?? "");
        } catch {
          tally.findings.push({ what: `error body is not JSON: ${answer.slice(0, 200)}`, request: describe(target, body) });
        }
      }
      if (code !== undefined) tally.byCode.set(code, (tally.byCode.get(code) ?? 0) + 1);
      if (answer.includes(PLANTED)) tally.findings.push({ what: "the planted secret value is in an error answer", request: describe(target, body) });
    }
  } catch (err) {
    tally.findings.push({ what: controller.signal.aborted ? `no answer within ${TIMEOUT_MS} ms` : `connection failed: ${(err as Error).message}`, request: describe(target, body) });
  } finally {
    clearTimeout(timer);
  }
}

/** Query-protocol form parameters of a generated value (structures by member, lists as member.N, maps as entry.N). */
function flatten(model: QueryServiceModel, shapeName: string, value: unknown, prefix: string, out: string[][]): void {
  const shape = model.shapes[shapeName];
  if (shape === undefined || value === null || value === undefined) return;
  if (typeof value === "object" && shape.type === "structure" && !Array.isArray(value)) {
    for (const [member, inner] of Object.entries(value)) {
      const target = shape.members[member];
      const name = shape.locationNames?.[member] ?? member;
      const path = prefix ? `${prefix}.${name}` : name;
      if (target === undefined) out.push([path, String(inner)]);
      else flatten(model, target, inner, path, out);
    }
    return;
  }
  if (Array.isArray(value) && shape.type === "list") {
    value.forEach((item, i) => flatten(model, shape.member, item, shape.flattened ? `${prefix}.${i + 1}` : `${prefix}.${shape.memberName ?? "member"}.${i + 1}`, out));
    return;
  }
  if (typeof value === "object" && shape.type === "map" && !Array.isArray(value)) {
    Object.entries(value).forEach(([key, inner], i) => {
      const entry = shape.flattened ? `${prefix}.${i + 1}` : `${prefix}.entry.${i + 1}`;
      out.push([`${entry}.${shape.keyName ?? "key"}`, key]);
      flatten(model, shape.value, inner, `${entry}.${shape.valueName ?? "value"}`, out);
    });
    return;
  }
  if (shape.type === "timestamp" && typeof value === "number") out.push([prefix, new Date(value * 1000).toISOString()]);
  else out.push([prefix, typeof value === "object" ? JSON.stringify(value) : String(value)]);
}

/** One IAM or STS request on the Query protocol, sometimes with a broken Action, Version or encoding. */
async function fuzzQueryOnce(endpoint: URL, tally: Tally): Promise<void> {
  const service = pick(QUERY_SERVICES);
  const operation = pick(service.operations);
  const inputShape = service.model.operations[operation]?.input;
  const params: string[][] = [["Action", operation], ["Version", service.model.apiVersion]];
  if (inputShape !== undefined) flatten(service.model, inputShape, generate(service.model, inputShape), "", params);
  let body = new URLSearchParams(params).toString();
  const roll = random();
  if (roll < 0.03) body = body.replace(/Version=[^&]*/, pick(["Version=2000-01-01", "Version="]));
  else if (roll < 0.05) body = body.replace(/Action=[^&]*/, pick(["Action=NoSuchAction", "Action="]));
  else if (roll < 0.07) body = `${body}&${pick(["%zz", "a=%", "&&&", "=x", "Tags.member.99999999999.Key=k"])}`;
  const headers = await signedHeaders(endpoint, service.signingName, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body);
  await send(endpoint, tally, `${service.signingName}:${operation}`, body, headers, "xml");
}

/** One request: usually a modeled operation with generated input, sometimes a malformed one. */
async function fuzzOnce(endpoint: URL, tally: Tally): Promise<void> {
  const service = pick(SERVICES);
  const operation = pick(service.operations);
  const target = `${service.model.targetPrefix}.${operation}`;
  const inputShape = service.model.operations[operation]?.input;
  let body = JSON.stringify(inputShape === undefined ? {} : generate(service.model, inputShape));
  const roll = random();
  if (roll < 0.04) body = pick(["{", "[]", "null", '{"a":', "\u0000", '{"SecretId":"\ud800"}', body.slice(0, Math.floor(body.length / 2))]);
  const contentType = roll >= 0.06 && roll < 0.08 ? pick(["text/plain", "application/xml", "application/x-amz-json-1.0; charset=latin1"]) : undefined;
  const caller = user !== undefined && chance(0.4) ? user : ROOT;
  const headers = await sign(endpoint, service.signingName, roll < 0.06 && roll >= 0.04 ? `${service.model.targetPrefix}.NoSuchOperation` : target, body, contentType, caller);
  if (roll >= 0.08 && roll < 0.09) delete headers.authorization;
  await send(endpoint, tally, headers["x-amz-target"] ?? target, body, headers);
}

function startServer(dataDir: string, store: string | undefined, workers: string): Promise<{ child: ChildProcess; endpoint: URL; log: () => string }> {
  const args = [join(BUILD_ROOT, "src", "cli", "bin.js"), "server", "--port", "0", "--data-dir", dataDir, "--log-level", "debug", "--workers", workers];
  if (store) args.push("--store", store);
  const child = spawn(process.execPath, args, {
    env: { ...process.env, COFFER_BOOTSTRAP_ACCESS_KEY_ID: ACCESS_KEY_ID, COFFER_BOOTSTRAP_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  return new Promise((resolveStart, rejectStart) => {
    child.stdout?.on("data", (d: Buffer) => {
      output += d.toString();
      const match = /serving the AWS Secrets Manager API at (\S+)/.exec(output);
      if (match) resolveStart({ child, endpoint: new URL(match[1] as string), log: () => output });
    });
    child.once("exit", (code) => rejectStart(new Error(`the server exited with ${code}: ${output}`)));
  });
}

/** A Query-protocol call as the root; returns the XML answer. */
async function queryCall(endpoint: URL, signingName: string, params: Record<string, string>): Promise<string> {
  const body = new URLSearchParams(params).toString();
  const headers = await signedHeaders(endpoint, signingName, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body);
  return (await fetch(endpoint, { method: "POST", headers, body })).text();
}

/** Gives the fuzz user a new random policy inline, and sometimes the secret a random resource policy naming it. */
async function repolicy(endpoint: URL, tally: Tally): Promise<void> {
  if (!user) return;
  const body = new URLSearchParams({ Action: "PutUserPolicy", Version: iam.apiVersion, UserName: user.name, PolicyName: "random", PolicyDocument: randomPolicy() }).toString();
  const headers = await signedHeaders(endpoint, iam.signingName, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body);
  await send(endpoint, tally, "iam:PutUserPolicy (random policy)", body, headers, "xml");
  if (chance(0.3)) {
    const document = JSON.parse(randomPolicy()) as { Statement: Record<string, unknown> | Record<string, unknown>[] };
    for (const statement of Array.isArray(document.Statement) ? document.Statement : [document.Statement]) statement.Principal = chance(0.5) ? { AWS: user.arn } : "*";
    const input = JSON.stringify({ SecretId: "fuzz/db", ResourcePolicy: JSON.stringify(document), BlockPublicPolicy: chance(0.5) });
    await send(endpoint, tally, "secretsmanager.PutResourcePolicy (random policy)", input, await sign(endpoint, "secretsmanager", "secretsmanager.PutResourcePolicy", input));
  }
}

async function seedServer(endpoint: URL, tally: Tally): Promise<void> {
  const call = async (service: FuzzService, operation: string, input: unknown) => {
    const body = JSON.stringify(input);
    const target = `${service.model.targetPrefix}.${operation}`;
    const res = await fetch(endpoint, { method: "POST", headers: await sign(endpoint, service.signingName, target, body), body });
    return (await res.json()) as Record<string, unknown>;
  };
  const [sm, keys] = SERVICES as [FuzzService, FuzzService];
  const created = await call(sm, "CreateSecret", { Name: "fuzz/db", SecretString: PLANTED, ClientRequestToken: randomUUID() });
  if (typeof created.ARN === "string") known.push(created.ARN);
  const key = (await call(keys, "CreateKey", { Description: "fuzz" })).KeyMetadata as { KeyId?: string; Arn?: string } | undefined;
  if (key?.KeyId && key.Arn) known.push(key.KeyId, key.Arn);
  const name = `fuzz-user-${seed}`;
  const created2 = await queryCall(endpoint, iam.signingName, { Action: "CreateUser", Version: iam.apiVersion, UserName: name });
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(created2)?.[1];
  const keyXml = await queryCall(endpoint, iam.signingName, { Action: "CreateAccessKey", Version: iam.apiVersion, UserName: name });
  const accessKeyId = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(keyXml)?.[1];
  const secretAccessKey = /<SecretAccessKey>([^<]+)<\/SecretAccessKey>/.exec(keyXml)?.[1];
  if (arn && accessKeyId && secretAccessKey) {
    user = { name, arn, accessKeyId, secretAccessKey };
    known.push(arn, name);
  }
  tally.requests += 4;
}

async function main(): Promise<void> {
  const seconds = Number(option("seconds", "60"));
  const store = process.argv.includes("--store") ? option("store", "") : undefined;
  const workers = option("workers", "1");
  const dataDir = mkdtempSync(join(tmpdir(), "coffer-fuzz-"));
  const tally: Tally = { requests: 0, byStatus: new Map(), byCode: new Map(), findings: [] };
  const server = await startServer(dataDir, store, workers);
  try {
    await seedServer(server.endpoint, tally);
    const until = Date.now() + seconds * 1000;
    // A few requests in flight at once, as clients do.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (Date.now() < until) {
          if (chance(0.02)) await repolicy(server.endpoint, tally);
          await (chance(0.3) ? fuzzQueryOnce(server.endpoint, tally) : fuzzOnce(server.endpoint, tally));
        }
      }),
    );
    // The server is still serving, and its log never carried the planted value.
    const health = await fetch(new URL("/health", server.endpoint)).catch(() => undefined);
    if (health?.status !== 200) tally.findings.push({ what: `/health answers ${health?.status ?? "nothing"} after the run`, request: "GET /health" });
    if (server.log().includes(PLANTED)) tally.findings.push({ what: "the planted secret value is in the server log", request: "(log)" });
  } finally {
    const exited = new Promise((r) => server.child.once("exit", r));
    server.child.kill("SIGTERM");
    await exited;
  }
  const verify = spawnSync(process.execPath, [join(BUILD_ROOT, "src", "cli", "bin.js"), "audit", "verify", ...(store ? ["--store", store] : ["--data-dir", dataDir])], {
    encoding: "utf8",
  });
  if (verify.status !== 0) tally.findings.push({ what: `coffer audit verify failed: ${verify.stdout}${verify.stderr}`, request: "(audit verify)" });
  rmSync(dataDir, { recursive: true, force: true });

  const sorted = (m: Map<string | number, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k || "(none)"} ${v}`).join(", ");
  console.log(`seed ${seed}: ${tally.requests} requests in ${seconds} s`);
  console.log(`  by status: ${sorted(tally.byStatus)}`);
  console.log(`  errors by code: ${sorted(tally.byCode)}`);
  const unique = new Map<string, Finding>();
  for (const finding of tally.findings) if (!unique.has(finding.what)) unique.set(finding.what, finding);
  console.log(`  findings: ${tally.findings.length} (${unique.size} distinct)`);
  for (const finding of [...unique.values()].slice(0, 20)) console.log(`  - ${finding.what}\n      ${finding.request}`);
  // A digest of the findings, to compare runs with the same seed.
  if (unique.size > 0) console.log(`  findings digest ${createHash("sha256").update([...unique.keys()].join("\n")).digest("hex").slice(0, 16)}`);
  process.exitCode = tally.findings.length > 0 ? 1 : 0;
}

await main();
