import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@aws-crypto/sha256-js";
import type { HttpRequest as SmithyRequest } from "@smithy/types";
import {
  SigV4Error,
  SigningKeyCache,
  deriveSigningKey,
  describeSigV4,
  formatAmzDate,
  scopeOf,
  verifySigV4,
} from "./sigv4.js";
import type { Credential, HttpRequestForSigning, VerifyOptions } from "./sigv4.js";
import { sigV4Vectors } from "./sigv4-vectors.js";

const T = Date.UTC(2024, 0, 15, 12, 0, 0);
const AKIA = "AKIAIOSFODNN7EXAMPLE";
const ASIA = "ASIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN = "FQoGZXIvYXdzEXAMPLETOKEN";
const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

const credentials = new Map<string, Credential>([
  [AKIA, { secretAccessKey: SECRET }],
  [ASIA, { secretAccessKey: SECRET, sessionToken: TOKEN, expiresAt: T + 3_600_000 }],
]);

function options(overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    now: T,
    isValidRegion: (region) => region === "us-east-1" || region === "eu-west-1",
    lookup: (accessKeyId) => credentials.get(accessKeyId),
    signingKeyCache: new SigningKeyCache(),
    ...overrides,
  };
}

async function rejects(promise: Promise<unknown>, code: string, message?: string): Promise<SigV4Error> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof SigV4Error, `expected SigV4Error, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (message !== undefined) assert.equal(err.message, message);
    return err;
  }
  assert.fail(`expected ${code}`);
}

// --- signing with @smithy/signature-v4, the client-side reference implementation -----------------

interface SignInput {
  method?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  service?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  time?: number;
  /** true (default) adds x-amz-content-sha256 as the JS SDK does; false signs like the CLI. */
  applyChecksum?: boolean;
  unsignableHeaders?: Set<string>;
}

function smithyRequest(input: SignInput): SmithyRequest {
  const service = input.service ?? "secretsmanager";
  const region = input.region ?? "us-east-1";
  const body = input.body ?? "";
  const headers: Record<string, string> = { host: `${service}.${region}.amazonaws.com`, ...input.headers };
  if (Buffer.byteLength(body) > 0 && !Object.keys(headers).some((h) => h.toLowerCase() === "content-length")) {
    headers["content-length"] = String(Buffer.byteLength(body));
  }
  return {
    method: input.method ?? "POST",
    protocol: "https:",
    hostname: headers.host ?? "",
    path: input.path ?? "/",
    query: input.query ?? {},
    headers,
    body,
  };
}

function signer(input: SignInput): SignatureV4 {
  return new SignatureV4({
    service: input.service ?? "secretsmanager",
    region: input.region ?? "us-east-1",
    credentials: {
      accessKeyId: input.accessKeyId ?? AKIA,
      secretAccessKey: input.secretAccessKey ?? SECRET,
      ...(input.sessionToken === undefined ? {} : { sessionToken: input.sessionToken }),
    },
    sha256: Sha256,
    applyChecksum: input.applyChecksum ?? true,
  });
}

async function smithySign(input: SignInput): Promise<SmithyRequest> {
  return signer(input).sign(smithyRequest(input), {
    signingDate: new Date(input.time ?? T),
    ...(input.unsignableHeaders === undefined ? {} : { unsignableHeaders: input.unsignableHeaders }),
  });
}

async function smithyPresign(input: SignInput & { expiresIn: number }): Promise<SmithyRequest> {
  return signer(input).presign(smithyRequest(input), {
    signingDate: new Date(input.time ?? T),
    expiresIn: input.expiresIn,
  });
}

type Encoder = (s: string) => string;
/** The strict SigV4 encoding, as SDKs put it on the wire. */
const strictEncode: Encoder = (s) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
/** Other valid spellings of the same bytes: the server decodes before re-encoding. */
const looseEncode: Encoder = (s) => encodeURIComponent(s);
const lowerHexEncode: Encoder = (s) => strictEncode(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

function queryString(query: SmithyRequest["query"], encode: Encoder = strictEncode): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) parts.push(encode(name) + "=" + encode(v));
  }
  return parts.join("&");
}

/** The request as the server would receive it (no network). */
function toWire(r: SmithyRequest, encode: Encoder = strictEncode): HttpRequestForSigning {
  const q = queryString(r.query, encode);
  const rawHeaders: string[] = [];
  for (const [name, value] of Object.entries(r.headers)) rawHeaders.push(name, value);
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body as string | Buffer);
  return { method: r.method, rawUrl: r.path + (q.length > 0 ? "?" + q : ""), rawHeaders, body };
}

function withHeader(req: HttpRequestForSigning, name: string, edit: (value: string) => string | undefined): HttpRequestForSigning {
  const rawHeaders: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const n = req.rawHeaders[i] as string;
    const v = req.rawHeaders[i + 1] as string;
    if (n.toLowerCase() === name) {
      const edited = edit(v);
      if (edited !== undefined) rawHeaders.push(n, edited);
    } else {
      rawHeaders.push(n, v);
    }
  }
  return { ...req, rawHeaders };
}

const editAuthorization = (req: HttpRequestForSigning, edit: (value: string) => string) =>
  withHeader(req, "authorization", edit);

// --- the spec's vectors -------------------------------------------------------------------------

describe("reference vectors (§2.9)", () => {
  for (const v of sigV4Vectors) {
    test(`vector ${v.id}: ${v.title}`, async () => {
      const req: HttpRequestForSigning = { ...v.request, body: Buffer.from(v.request.body) };
      const described = describeSigV4(req);
      assert.equal(described.canonicalRequest, v.canonicalRequest);
      const hash = createHash("sha256").update(v.canonicalRequest).digest("hex");
      if (v.canonicalRequestHash !== undefined) assert.equal(hash, v.canonicalRequestHash);
      const stringToSign = described.stringToSign ?? "";
      assert.equal(stringToSign.split("\n")[3], hash);
      if (v.stringToSign !== undefined) assert.equal(stringToSign, v.stringToSign);

      const date = formatAmzDate(v.time).slice(0, 8);
      const kSigning = deriveSigningKey(v.secretAccessKey, date, v.region, v.service);
      if (v.keyDerivation !== undefined) assert.equal(kSigning.toString("hex"), v.keyDerivation.kSigning);
      assert.equal(createHmac("sha256", kSigning).update(stringToSign).digest("hex"), v.signature);

      const identity = await verifySigV4(req, options({
        isValidRegion: (r) => r === v.region,
        expectedService: v.service,
        lookup: (ak, token) =>
          ak === v.accessKeyId && token === v.sessionToken ? { secretAccessKey: v.secretAccessKey } : undefined,
        ...(v.unsignedPayload === true ? { allowUnsignedPayload: true } : {}),
        now: v.time,
      }));
      assert.equal(identity.accessKeyId, v.accessKeyId);
      assert.equal(identity.service, v.service);
      assert.equal(identity.region, v.region);
      assert.equal(identity.signedAt, v.time);
      assert.equal(identity.sessionToken, v.sessionToken);
      assert.equal(identity.presigned, v.id === "D");
      assert.equal(identity.unsignedPayload, v.unsignedPayload === true);
    });
  }

  test("vector B key derivation, step by step", () => {
    const v = sigV4Vectors.find((x) => x.id === "B");
    assert.ok(v?.keyDerivation);
    const kDate = createHmac("sha256", "AWS4" + v.secretAccessKey).update("20240115").digest();
    const kRegion = createHmac("sha256", kDate).update(v.region).digest();
    const kService = createHmac("sha256", kRegion).update(v.service).digest();
    assert.equal(kDate.toString("hex"), v.keyDerivation.kDate);
    assert.equal(kRegion.toString("hex"), v.keyDerivation.kRegion);
    assert.equal(kService.toString("hex"), v.keyDerivation.kService);
  });

  test("vector F is refused unless UNSIGNED-PAYLOAD is allowed", async () => {
    const v = sigV4Vectors.find((x) => x.id === "F");
    assert.ok(v);
    const req = { ...v.request, body: Buffer.from(v.request.body) };
    await rejects(verifySigV4(req, options()), "InvalidSignatureException",
      "The provided 'x-amz-content-sha256' header must be a valid SHA256.");
  });
});

// --- accepted shapes ----------------------------------------------------------------------------

describe("accepted requests", () => {
  test("a JS-SDK-style request verifies and reports the identity", async () => {
    const req = toWire(await smithySign({ body: '{"SecretId":"x"}', headers: { "x-amz-target": "secretsmanager.GetSecretValue" } }));
    const id = await verifySigV4(req, options({ expectedService: "secretsmanager" }));
    assert.deepEqual(
      { ak: id.accessKeyId, region: id.region, service: id.service, at: id.signedAt, token: id.sessionToken },
      { ak: AKIA, region: "us-east-1", service: "secretsmanager", at: T, token: undefined },
    );
    assert.equal(id.credential, credentials.get(AKIA));
  });

  test("without expectedService any service is accepted and returned", async () => {
    const req = toWire(await smithySign({ service: "kms" }));
    assert.equal((await verifySigV4(req, options())).service, "kms");
  });

  test("components separated by ',' without a space (API reference style)", async () => {
    const req = editAuthorization(toWire(await smithySign({ body: "{}" })), (v) => v.replaceAll(", ", ","));
    await verifySigV4(req, options());
  });

  test("temporary credentials with the matching session token", async () => {
    const req = toWire(await smithySign({ accessKeyId: ASIA, sessionToken: TOKEN, service: "sts", body: "Action=GetCallerIdentity" }));
    const id = await verifySigV4(req, options());
    assert.equal(id.sessionToken, TOKEN);
  });

  test("the body need not be JSON", async () => {
    const req = toWire(await smithySign({ body: '{"SecretId": tru', applyChecksum: false }));
    await verifySigV4(req, options());
  });

  test("duplicate headers are joined with ',' in arrival order, each value folded", async () => {
    const signed = await smithySign({ headers: { "x-amz-meta-dup": "a,b c,d" } });
    const wire = withHeader(toWire(signed), "x-amz-meta-dup", () => "  a ");
    const req = { ...wire, rawHeaders: [...wire.rawHeaders, "X-Amz-Meta-Dup", "b \t  c", "x-amz-meta-dup", "d"] };
    await verifySigV4(req, options());
    // Reordered duplicates are a different request.
    const swapped = { ...wire, rawHeaders: [...withHeader(wire, "x-amz-meta-dup", () => "d").rawHeaders, "X-Amz-Meta-Dup", "a", "x", "b c"] };
    await rejects(verifySigV4(swapped, options()), "InvalidSignatureException", MISMATCH);
  });

  test("the Date header dates the request when X-Amz-Date is absent", async () => {
    // Signed by hand: smithy always uses X-Amz-Date.
    const date = new Date(T).toUTCString(); // "Mon, 15 Jan 2024 12:00:00 GMT"
    const canonical = ["GET", "/", "", `date:${date}`, "host:h.example", "", "date;host",
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"].join("\n");
    const stringToSign = ["AWS4-HMAC-SHA256", "20240115T120000Z", "20240115/us-east-1/secretsmanager/aws4_request",
      createHash("sha256").update(canonical).digest("hex")].join("\n");
    const signature = createHmac("sha256", deriveSigningKey(SECRET, "20240115", "us-east-1", "secretsmanager"))
      .update(stringToSign).digest("hex");
    const req: HttpRequestForSigning = {
      method: "GET", rawUrl: "/", body: Buffer.alloc(0),
      rawHeaders: ["Host", "h.example", "Date", date, "Authorization",
        `AWS4-HMAC-SHA256 Credential=${AKIA}/20240115/us-east-1/secretsmanager/aws4_request, SignedHeaders=date;host, Signature=${signature}`],
    };
    assert.equal(describeSigV4(req).canonicalRequest, canonical);
    assert.equal((await verifySigV4(req, options())).signedAt, T);
  });

  test("a bare query key canonicalises as key=", () => {
    const req: HttpRequestForSigning = {
      method: "GET", rawUrl: "/?b&a=1&&c=%7e", body: Buffer.alloc(0),
      rawHeaders: ["host", "h", "x-amz-date", "20240115T120000Z", "authorization",
        `AWS4-HMAC-SHA256 Credential=${AKIA}/20240115/us-east-1/s/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`],
    };
    assert.equal(describeSigV4(req).canonicalRequest?.split("\n")[2], "a=1&b=&c=~");
  });

  test("query names sort before their values and by bytes, not by the joined pair", () => {
    const req: HttpRequestForSigning = {
      method: "GET", rawUrl: "/?a-b=1&a=2&A=3&a=1", body: Buffer.alloc(0),
      rawHeaders: ["host", "h", "x-amz-date", "20240115T120000Z", "authorization",
        `AWS4-HMAC-SHA256 Credential=${AKIA}/20240115/us-east-1/s/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`],
    };
    assert.equal(describeSigV4(req).canonicalRequest?.split("\n")[2], "A=3&a=1&a=2&a-b=1");
  });

  test("boundaries of the skew window are inclusive", async () => {
    const req = toWire(await smithySign({}));
    await verifySigV4(req, options({ now: T + 5 * 60_000 }));
    await verifySigV4(req, options({ now: T - 5 * 60_000 }));
  });

  test("presigned URL within its expiry, with a session token", async () => {
    const signed = await smithyPresign({ method: "GET", service: "sts", accessKeyId: ASIA, sessionToken: TOKEN,
      query: { Action: "GetCallerIdentity", Version: "2011-06-15" }, expiresIn: 900 });
    const id = await verifySigV4(toWire(signed), options({ now: T + 899_000 }));
    assert.equal(id.presigned, true);
    assert.equal(id.sessionToken, TOKEN);
  });
});

// --- rejections ---------------------------------------------------------------------------------

describe("rejections", () => {
  test("no Authorization header and no X-Amz-Algorithm", async () => {
    const req = withHeader(toWire(await smithySign({})), "authorization", () => undefined);
    await rejects(verifySigV4(req, options()), "MissingAuthenticationTokenException", "Missing Authentication Token");
    const tricky = { ...req, rawUrl: "/?note=X-Amz-Algorithm%3D&X=X-Amz-Algorithm=" };
    await rejects(verifySigV4(tricky, options()), "MissingAuthenticationTokenException", "Missing Authentication Token");
  });

  test("a blank inside the access key (missing equal-sign)", async () => {
    const req = editAuthorization(toWire(await smithySign({})), (v) => v.replace("Credential=AKIA", "Credential=AKIA "));
    const header = req.rawHeaders[req.rawHeaders.findIndex((h) => h === "authorization") + 1] ?? "";
    await rejects(verifySigV4(req, options()), "IncompleteSignatureException",
      `'IOSFODNN7EXAMPLE/20240115/us-east-1/secretsmanager/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`);
  });

  test("missing components, all at once", async () => {
    const req = withHeader(editAuthorization(toWire(await smithySign({})), () => "AWS4-HMAC-SHA256"), "x-amz-date", () => undefined);
    await rejects(verifySigV4(req, options()), "IncompleteSignatureException",
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
      "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a " +
      "'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256");
  });

  test("missing Signature only", async () => {
    let header = "";
    const req = editAuthorization(toWire(await smithySign({})), (v) => (header = v.slice(0, v.indexOf(", Signature="))));
    await rejects(verifySigV4(req, options()), "IncompleteSignatureException",
      `Authorization header requires 'Signature' parameter. Authorization=${header}`);
  });

  test("a credential without five elements", async () => {
    const req = editAuthorization(toWire(await smithySign({})), (v) => v.replace("AKIA", "AK/IA"));
    await rejects(verifySigV4(req, options()), "IncompleteSignatureException",
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AK/IAIOSFODNN7EXAMPLE/20240115/us-east-1/secretsmanager/aws4_request'");
  });

  test("another algorithm (SigV4a)", async () => {
    const req = editAuthorization(toWire(await smithySign({})), (v) => v.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"));
    await rejects(verifySigV4(req, options()), "IncompleteSignatureException");
  });

  test("wrong service", async () => {
    const req = toWire(await smithySign({}));
    await rejects(verifySigV4(req, options({ expectedService: "kms" })), "InvalidSignatureException",
      "Credential should be scoped to correct service: 'kms'. ");
  });

  test("wrong region", async () => {
    const req = toWire(await smithySign({ region: "xx-1" }));
    await rejects(verifySigV4(req, options()), "InvalidSignatureException",
      "Credential should be scoped to a valid region, not 'xx-1'. ");
  });

  test("scope date differs from the request date", async () => {
    const req = editAuthorization(toWire(await smithySign({})), (v) => v.replace("/20240115/", "/20240114/"));
    await rejects(verifySigV4(req, options()), "InvalidSignatureException",
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240114' != '20240115', from '20240115T120000Z'.");
  });

  test("bad terminator", async () => {
    const req = editAuthorization(toWire(await smithySign({})), (v) => v.replace("/aws4_request", "/aws5_request"));
    await rejects(verifySigV4(req, options()), "InvalidSignatureException",
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'.");
  });

  test("unknown access key", async () => {
    const req = toWire(await smithySign({ accessKeyId: "AKIANOTKNOWN00000000" }));
    await rejects(verifySigV4(req, options()), "UnrecognizedClientException",
      "The security token included in the request is invalid.");
  });

  test("session token rules: AKIA with a token, ASIA without, wrong token", async () => {
    const msg = "The security token included in the request is invalid.";
    const akiaWithToken = toWire(await smithySign({ sessionToken: "tok" }));
    await rejects(verifySigV4(akiaWithToken, options({ lookup: () => ({ secretAccessKey: SECRET }) })), "UnrecognizedClientException", msg);
    const asiaWithout = toWire(await smithySign({ accessKeyId: ASIA }));
    await rejects(verifySigV4(asiaWithout, options()), "UnrecognizedClientException", msg);
    const wrongToken = toWire(await smithySign({ accessKeyId: ASIA, sessionToken: TOKEN + "x" }));
    await rejects(verifySigV4(wrongToken, options()), "UnrecognizedClientException", msg);
  });

  test("expired temporary credentials", async () => {
    const req = toWire(await smithySign({ accessKeyId: ASIA, sessionToken: TOKEN, time: T + 3_600_000 }));
    await rejects(verifySigV4(req, options({ now: T + 3_600_000 })), "ExpiredTokenException",
      "The security token included in the request is expired");
  });

  test("clock skew: request too old", async () => {
    const req = toWire(await smithySign({}));
    await rejects(verifySigV4(req, options({ now: T + 5 * 60_000 + 1000 })), "InvalidSignatureException",
      "Signature expired: 20240115T120000Z is now earlier than 20240115T120001Z (20240115T120501Z - 5 min.)");
  });

  test("clock skew: request from the future", async () => {
    const req = toWire(await smithySign({}));
    await rejects(verifySigV4(req, options({ now: T - 5 * 60_000 - 1000 })), "InvalidSignatureException",
      "Signature not yet current: 20240115T120000Z is still later than 20240115T115959Z (20240115T115459Z + 5 min.)");
  });

  test("clock skew window is configurable", async () => {
    const req = toWire(await smithySign({}));
    await rejects(verifySigV4(req, options({ now: T + 60_000, skewMs: 30_000 })), "InvalidSignatureException",
      "Signature expired: 20240115T120000Z is now earlier than 20240115T120030Z (20240115T120100Z - 30 sec.)");
  });

  test("tampered body (CLI style, no x-amz-content-sha256)", async () => {
    const req = toWire(await smithySign({ body: '{"SecretId":"a"}', applyChecksum: false }));
    await rejects(verifySigV4({ ...req, body: Buffer.from('{"SecretId":"b"}') }, options()), "InvalidSignatureException", MISMATCH);
  });

  test("tampered body (SDK style, x-amz-content-sha256 no longer matches)", async () => {
    const req = toWire(await smithySign({ body: '{"SecretId":"a"}' }));
    await rejects(verifySigV4({ ...req, body: Buffer.from('{"SecretId":"b"}') }, options()), "InvalidSignatureException",
      "The provided 'x-amz-content-sha256' header does not match what was computed.");
  });

  test("signed x-amz-content-sha256 that is not the body's digest", async () => {
    const claimed = createHash("sha256").update("something else").digest("hex");
    const req = toWire(await smithySign({ body: "{}", headers: { "x-amz-content-sha256": claimed } }));
    await rejects(verifySigV4(req, options()), "InvalidSignatureException",
      "The provided 'x-amz-content-sha256' header does not match what was computed.");
    const garbage = toWire(await smithySign({ body: "{}", headers: { "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER" } }));
    await rejects(verifySigV4(garbage, options()), "InvalidSignatureException",
      "The provided 'x-amz-content-sha256' header must be a valid SHA256.");
  });

  test("tampered signed header", async () => {
    const req = withHeader(toWire(await smithySign({ headers: { "x-amz-target": "secretsmanager.GetSecretValue" } })),
      "x-amz-target", () => "secretsmanager.DeleteSecret");
    await rejects(verifySigV4(req, options()), "InvalidSignatureException", MISMATCH);
  });

  test("an unsigned header may change freely", async () => {
    const req = toWire(await smithySign({ headers: { "user-agent": "a" } }));
    await verifySigV4(withHeader(req, "user-agent", () => "b"), options());
  });

  test("a signed header missing from the request", async () => {
    const req = withHeader(toWire(await smithySign({ headers: { "x-amz-target": "t" } })), "x-amz-target", () => undefined);
    await rejects(verifySigV4(req, options()), "InvalidSignatureException", MISMATCH);
  });

  test("tampered signature, and an upper-case copy of the right one", async () => {
    const req = toWire(await smithySign({}));
    const flip = editAuthorization(req, (v) => v.slice(0, -1) + (v.endsWith("0") ? "1" : "0"));
    await rejects(verifySigV4(flip, options()), "InvalidSignatureException", MISMATCH);
    const upper = editAuthorization(req, (v) => v.replace(/Signature=([0-9a-f]+)/, (_, s: string) => "Signature=" + s.toUpperCase()));
    await rejects(verifySigV4(upper, options()), "InvalidSignatureException", MISMATCH);
  });

  test("host not signed", async () => {
    const signed = await smithySign({ unsignableHeaders: new Set(["host"]) });
    await rejects(verifySigV4(toWire(signed), options()), "IncompleteSignatureException",
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  });

  test("x-amz-date not signed", async () => {
    const signed = await smithySign({ unsignableHeaders: new Set(["x-amz-date"]) });
    await rejects(verifySigV4(toWire(signed), options()), "IncompleteSignatureException");
  });

  test("x-amz-security-token present but not signed", async () => {
    const signed = await smithySign({ accessKeyId: ASIA, sessionToken: TOKEN, unsignableHeaders: new Set(["x-amz-security-token"]) });
    await rejects(verifySigV4(toWire(signed), options()), "IncompleteSignatureException");
  });

  test("UNSIGNED-PAYLOAD only when allowed", async () => {
    const signed = await smithySign({ body: "{}", headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } });
    await rejects(verifySigV4(toWire(signed), options()), "InvalidSignatureException");
    const id = await verifySigV4({ ...toWire(signed), body: Buffer.from("[]") }, options({ allowUnsignedPayload: true }));
    assert.equal(id.unsignedPayload, true);
  });

  test("presigned URL past its expiry", async () => {
    const signed = await smithyPresign({ method: "GET", service: "sts", query: { Action: "GetCallerIdentity" }, expiresIn: 900 });
    await verifySigV4(toWire(signed), options({ now: T + 900_000 }));
    await rejects(verifySigV4(toWire(signed), options({ now: T + 901_000 })), "InvalidSignatureException",
      "Signature expired: 20240115T120000Z is now earlier than 20240115T120001Z (20240115T121501Z - 15 min.)");
  });

  test("presigned URL not yet current", async () => {
    const signed = await smithyPresign({ method: "GET", service: "sts", expiresIn: 900 });
    await rejects(verifySigV4(toWire(signed), options({ now: T - 6 * 60_000 })), "InvalidSignatureException");
  });

  test("presigned X-Amz-Expires outside 1..604800, or missing parameters", async () => {
    const signed = toWire(await smithyPresign({ method: "GET", service: "sts", expiresIn: 900 }));
    for (const bad of ["0", "604801", "abc", ""]) {
      const req = { ...signed, rawUrl: signed.rawUrl.replace("X-Amz-Expires=900", "X-Amz-Expires=" + bad) };
      await rejects(verifySigV4(req, options()), "IncompleteSignatureException");
    }
    const noSignature = { ...signed, rawUrl: signed.rawUrl.replace(/&?X-Amz-Signature=[0-9a-f]+/, "") };
    await rejects(verifySigV4(noSignature, options()), "IncompleteSignatureException",
      "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters.");
    const v4a = { ...signed, rawUrl: signed.rawUrl.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256") };
    await rejects(verifySigV4(v4a, options()), "IncompleteSignatureException");
  });

  test("checks run in the documented order", async () => {
    // Wrong service and an unknown key: the scope check comes first.
    const req = toWire(await smithySign({ accessKeyId: "AKIANOTKNOWN00000000", region: "xx-1" }));
    await rejects(verifySigV4(req, options({ expectedService: "kms" })), "InvalidSignatureException",
      "Credential should be scoped to correct service: 'kms'. ");
    await rejects(verifySigV4(req, options()), "InvalidSignatureException",
      "Credential should be scoped to a valid region, not 'xx-1'. ");
    // Unknown key beats clock skew; skew beats a bad signature.
    const late = toWire(await smithySign({ accessKeyId: "AKIANOTKNOWN00000000" }));
    await rejects(verifySigV4(late, options({ now: T + 3_600_000 })), "UnrecognizedClientException");
    const badSig = toWire(await smithySign({ secretAccessKey: "wrong" }));
    await rejects(verifySigV4(badSig, options({ now: T + 3_600_000 })), "InvalidSignatureException", /* skew */ undefined)
      .then((e) => assert.match(e.message, /^Signature expired/));
  });

  test("explainMismatch appends the canonical request and string to sign", async () => {
    const req = toWire(await smithySign({ secretAccessKey: "wrong" }));
    const err = await rejects(verifySigV4(req, options({ explainMismatch: true })), "InvalidSignatureException");
    const described = describeSigV4(req);
    assert.equal(err.message,
      `${MISMATCH}\n\nThe Canonical String for this request should have been\n'${described.canonicalRequest}'\n\n` +
      `The String-to-Sign should have been\n'${described.stringToSign}'\n`);
    const quiet = await rejects(verifySigV4(req, options()), "InvalidSignatureException", MISMATCH);
    assert.equal(quiet.canonicalRequest, described.canonicalRequest);
  });
});

// --- signing-key cache --------------------------------------------------------------------------

describe("signing-key cache", () => {
  test("one entry per (key, date, region, service); reused across requests", async () => {
    const cache = new SigningKeyCache();
    await verifySigV4(toWire(await smithySign({ body: "1" })), options({ signingKeyCache: cache }));
    await verifySigV4(toWire(await smithySign({ body: "2" })), options({ signingKeyCache: cache }));
    assert.equal(cache.size, 1);
    await verifySigV4(toWire(await smithySign({ region: "eu-west-1" })), options({ signingKeyCache: cache }));
    assert.equal(cache.size, 2);
  });

  test("is bounded, evicting the least recently used", () => {
    const cache = new SigningKeyCache(2);
    cache.set("a", Buffer.from("a"));
    cache.set("b", Buffer.from("b"));
    assert.ok(cache.get("a"));
    cache.set("c", Buffer.from("c"));
    assert.equal(cache.size, 2);
    assert.equal(cache.get("b"), undefined);
    assert.ok(cache.get("a") && cache.get("c"));
  });

  test("a rotated secret never meets a stale key (versioned and unversioned)", async () => {
    const cache = new SigningKeyCache();
    const oldReq = toWire(await smithySign({}));
    const newReq = toWire(await smithySign({ secretAccessKey: "new-secret" }));
    const cred: Credential = { secretAccessKey: SECRET };
    const opts = options({ signingKeyCache: cache, lookup: () => cred });
    await verifySigV4(oldReq, opts);
    cred.secretAccessKey = "new-secret"; // same object, no version
    await rejects(verifySigV4(oldReq, opts), "InvalidSignatureException", MISMATCH);
    await verifySigV4(newReq, opts);

    let current: Credential = { secretAccessKey: SECRET, version: "1" };
    const versioned = options({ signingKeyCache: cache, lookup: () => current });
    await verifySigV4(oldReq, versioned);
    current = { secretAccessKey: "new-secret", version: "2" };
    await rejects(verifySigV4(oldReq, versioned), "InvalidSignatureException", MISMATCH);
    await verifySigV4(newReq, versioned);
  });
});

// --- scopeOf ------------------------------------------------------------------------------------

describe("scopeOf", () => {
  test("header form", async () => {
    assert.deepEqual(scopeOf(toWire(await smithySign({ service: "sts", region: "eu-west-1" }))),
      { accessKeyId: AKIA, region: "eu-west-1", service: "sts" });
  });

  test("presigned form", async () => {
    const signed = await smithyPresign({ method: "GET", service: "sts", expiresIn: 60 });
    assert.deepEqual(scopeOf(toWire(signed)), { accessKeyId: AKIA, region: "us-east-1", service: "sts" });
  });

  test("nothing to peek at", async () => {
    const unsigned = withHeader(toWire(await smithySign({})), "authorization", () => undefined);
    assert.equal(scopeOf(unsigned), undefined);
    assert.equal(scopeOf(editAuthorization(toWire(await smithySign({})), (v) => v.replace("AKIA", "A/K"))), undefined);
    assert.equal(scopeOf({ ...unsigned, rawUrl: "/?a=X-Amz-Credential=x/1/2/3/4&X-Amz-Algorithm=AWS4-HMAC-SHA256" }), undefined);
  });
});

// --- cross-check against @smithy/signature-v4 over real HTTP ------------------------------------

/** Deterministic PRNG so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Capture {
  port: number;
  send(method: string, rawUrl: string, rawHeaders: string[], body: Buffer): Promise<HttpRequestForSigning>;
  close(): Promise<void>;
}

async function captureServer(): Promise<Capture> {
  let pending: ((r: HttpRequestForSigning) => void) | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      pending?.({ method: req.method ?? "", rawUrl: req.url ?? "", rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true });
  return {
    port,
    send(method, rawUrl, rawHeaders, body) {
      return new Promise((resolve, reject) => {
        pending = resolve;
        const req = http.request({ host: "127.0.0.1", port, method, path: rawUrl, headers: rawHeaders, setHost: false, agent },
          (res) => res.resume());
        req.on("error", reject);
        req.end(body);
      });
    },
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("cross-check against @smithy/signature-v4", () => {
  let capture: Capture;
  before(async () => {
    capture = await captureServer();
  });
  after(async () => {
    await capture.close();
  });

  const rand = prng(0x5147_0004);
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rand() * xs.length)] as X;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

  const services = ["secretsmanager", "sts", "kms", "cloudtrail", "execute-api"];
  const regions = ["us-east-1", "eu-west-1"];
  const paths = ["/", "/", "/", "/a/b", "/a/./b/../c/", "/x%20y/z", "/%E2%82%AC/~u/*s", "/a//b/", "/caf%C3%A9", "/.."];
  const queryChars = ["a", "Z", "0", "-", "_", ".", "~", " ", "/", "+", "=", "&", "%", "*", "!", "'", "(", ")", "ü", "€", "😀", "\"", "#", "?"];
  const headerChars = ["a", "B", "3", " ", "  ", "\t", ",", ";", "=", "\"", "/", ":", "(", ")", "é"];
  const bodies = ["", '{"SecretId":"MyTestSecret"}', '{"SecretString":"pässwörd €😀"}', "Action=GetCallerIdentity&Version=2011-06-15", "not json {{{", "\u0000\u0001\u00ff"];
  const encoders: Encoder[] = [strictEncode, looseEncode, lowerHexEncode];
  const tokens = [TOKEN, "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+abc=="];
  const keys = new Map<string, Credential>();

  const randomString = (chars: readonly string[], min: number, max: number) => {
    let s = "";
    for (let n = int(min, max); n > 0; n--) s += pick(chars);
    return s;
  };

  interface Case {
    wire: { method: string; rawUrl: string; rawHeaders: string[]; body: Buffer };
    now: number;
    expectedService: string;
    label: string;
  }

  async function makeCase(i: number): Promise<Case> {
    const presigned = i % 4 === 3;
    const service = pick(services);
    const region = pick(regions);
    const temporary = rand() < 0.3;
    const accessKeyId = (temporary ? "ASIA" : "AKIA") + String(i).padStart(16, "0");
    const secretAccessKey = Buffer.from(String(rand())).toString("base64") + "/+" + i;
    const sessionToken = temporary ? pick(tokens) + i : undefined;
    keys.set(accessKeyId, { secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) });
    const time = T + int(-86_400, 86_400) * 1000;
    const method = presigned ? pick(["GET", "GET", "POST"]) : pick(["POST", "POST", "GET", "PUT", "DELETE"]);
    const body = method === "GET" || method === "DELETE" ? "" : pick(bodies);

    const query: Record<string, string | string[]> = {};
    for (let n = int(0, 4); n > 0; n--) {
      const name = randomString(queryChars, 1, 6);
      if (name.toLowerCase().startsWith("x-amz-")) continue;
      query[name] = rand() < 0.25 ? [randomString(queryChars, 0, 5), randomString(queryChars, 0, 5)] : randomString(queryChars, 0, 8);
    }

    const headers: Record<string, string> = {};
    if (service !== "sts" && !presigned) headers["x-amz-target"] = `${service}.Operation${i}`;
    headers[pick(["content-type", "Content-Type"])] = pick(["application/x-amz-json-1.1", "application/x-www-form-urlencoded; charset=utf-8"]);
    const extra: string[] = [];
    for (let n = int(0, 3); n > 0; n--) {
      const name = pick(["X-Amz-Meta-", "x-custom-", "X-Mixed-Case-"]) + randomString(["a", "b", "c", "1"], 1, 4);
      if (Object.keys(headers).some((h) => h.toLowerCase() === name.toLowerCase())) continue;
      const value = "x" + randomString(headerChars, 0, 10) + "y";
      if (rand() < 0.3) {
        // Sent twice on the wire; the signer saw the botocore-joined value.
        const second = randomString(headerChars, 0, 6) + "z";
        headers[name] = value + "," + second.trim().replace(/[ \t]+/g, " ");
        extra.push(name, value, name.toUpperCase(), "  " + second);
      } else {
        headers[name] = pick(["", " ", "\t "]) + value + pick(["", "  ", " \t"]);
      }
    }
    if (rand() < 0.3) headers["User-Agent"] = "aws-sdk-js/3 " + i; // never signed

    const input: SignInput = {
      method, path: pick(paths), query, headers, body, service, region, accessKeyId, secretAccessKey, time,
      applyChecksum: rand() < 0.6,
      ...(sessionToken === undefined ? {} : { sessionToken }),
    };
    const expiresIn = int(1, 604_800);
    const signed = presigned ? await smithyPresign({ ...input, expiresIn }) : await smithySign(input);

    // Split into the wire form: duplicated headers go out as separate lines.
    const rawHeaders: string[] = [];
    for (const [name, value] of Object.entries(signed.headers)) {
      if (extra.some((e, k) => k % 2 === 0 && e === name)) continue;
      rawHeaders.push(name, value);
    }
    rawHeaders.push(...extra);
    const q = queryString(signed.query, pick(encoders));
    const rawUrl = signed.path + (q.length > 0 ? "?" + q : "");
    const now = presigned
      ? time + Math.min(expiresIn, 300) * 1000 * rand()
      : time + int(-290, 290) * 1000;
    return {
      wire: { method, rawUrl, rawHeaders, body: Buffer.from(body) },
      now,
      expectedService: service,
      label: `#${i} ${presigned ? "presigned " : ""}${method} ${rawUrl}`,
    };
  }

  const verifyOptions = (c: Case): VerifyOptions => ({
    now: c.now,
    isValidRegion: (r) => regions.includes(r),
    expectedService: c.expectedService,
    lookup: (ak) => keys.get(ak),
  });

  /** A different character of the same class, so encodings stay valid. */
  function flipChar(s: string, at: number): string {
    const c = s.charCodeAt(at);
    let r: number;
    if (c >= 0x30 && c <= 0x39) r = 0x30 + ((c - 0x30 + 1) % 10);
    else if (c >= 0x61 && c <= 0x7a) r = 0x61 + ((c - 0x61 + 1) % 26);
    else if (c >= 0x41 && c <= 0x5a) r = 0x41 + ((c - 0x41 + 1) % 26);
    else return s;
    return s.slice(0, at) + String.fromCharCode(r) + s.slice(at + 1);
  }

  function alnumPositions(s: string, from = 0): number[] {
    const out: number[] = [];
    for (let k = from; k < s.length; k++) {
      if (/[0-9A-Za-z]/.test(s[k] ?? "") && s[k - 1] !== "%" && s[k - 2] !== "%") out.push(k);
    }
    return out;
  }

  function mutations(received: HttpRequestForSigning): Array<[string, HttpRequestForSigning]> {
    const out: Array<[string, HttpRequestForSigning]> = [];
    if (received.body.length > 0) {
      const body = Buffer.from(received.body);
      const at = int(0, body.length - 1);
      body[at] = (body[at] ?? 0) ^ 0x01;
      out.push(["body", { ...received, body }]);
    }
    const q = received.rawUrl.indexOf("?");
    const sigAt = received.rawUrl.indexOf("X-Amz-Signature=");
    if (sigAt !== -1) {
      out.push(["signature", { ...received, rawUrl: flipChar(received.rawUrl, sigAt + "X-Amz-Signature=".length + int(0, 63)) }]);
    } else {
      const edited = withHeader(received, "authorization", (v) => {
        const at = v.indexOf("Signature=") + "Signature=".length + int(0, 63);
        return flipChar(v, at);
      });
      out.push(["signature", edited]);
    }
    // A query character, or a path character when no dot segment could absorb the change.
    const urlPositions = q !== -1
      ? alnumPositions(received.rawUrl, q + 1)
      : received.rawUrl.includes("/.") ? [] : alnumPositions(received.rawUrl);
    if (urlPositions.length > 0) out.push(["url", { ...received, rawUrl: flipChar(received.rawUrl, pick(urlPositions)) }]);
    // A signed header other than authorization.
    const signedList = describeSigV4(received).signedHeaders.split(";");
    const candidates: number[] = [];
    for (let k = 0; k < received.rawHeaders.length; k += 2) {
      const name = (received.rawHeaders[k] ?? "").toLowerCase();
      if (signedList.includes(name) && alnumPositions(received.rawHeaders[k + 1] ?? "").length > 0) candidates.push(k);
    }
    if (candidates.length > 0) {
      const k = pick(candidates);
      const rawHeaders = [...received.rawHeaders];
      const value = rawHeaders[k + 1] ?? "";
      rawHeaders[k + 1] = flipChar(value, pick(alnumPositions(value)));
      out.push([`header ${rawHeaders[k]}`, { ...received, rawHeaders }]);
    }
    return out;
  }

  test("accepts 200 varied signed and presigned requests and rejects one-character mutations", async () => {
    let accepted = 0;
    let rejected = 0;
    let presigned = 0;
    const kinds = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const c = await makeCase(i);
      const received = await capture.send(c.wire.method, c.wire.rawUrl, c.wire.rawHeaders, c.wire.body);
      try {
        const id = await verifySigV4(received, verifyOptions(c));
        assert.equal(id.service, c.expectedService);
        if (id.presigned) presigned++;
        accepted++;
      } catch (err) {
        assert.fail(`${c.label} was rejected: ${(err as Error).message}\n${describeSigV4(received).canonicalRequest}`);
      }
      for (const [kind, mutated] of mutations(received)) {
        kinds.add(kind.split(" ")[0] ?? kind);
        await assert.rejects(verifySigV4(mutated, verifyOptions(c)), (err: unknown) => err instanceof SigV4Error,
          `${c.label}: mutation of ${kind} was accepted`);
        rejected++;
      }
    }
    assert.equal(accepted, 200);
    assert.equal(presigned, 50);
    assert.ok(rejected > 600, `only ${rejected} mutations`);
    assert.deepEqual([...kinds].sort(), ["body", "header", "signature", "url"]);
  });
});
