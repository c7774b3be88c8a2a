// Raw HTTP requests signed with an independent SigV4 signer, for tests of the wire itself.
import { request } from "node:http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY } from "./harness.js";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function send(endpoint: string, method: string, path: string, headers: Record<string, string>, body: Buffer | string): Promise<RawResponse> {
  const url = new URL(endpoint);
  return new Promise((resolvePromise, rejectPromise) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", rejectPromise);
    req.end(body);
  });
}

export interface SignOptions {
  target?: string;
  body?: string | Buffer;
  service?: string;
  region?: string;
  secret?: string;
  date?: Date;
  contentType?: string;
}

export async function signed(endpoint: string, o: SignOptions = {}) {
  const url = new URL(endpoint);
  const body = o.body ?? "{}";
  const headers: Record<string, string> = {
    host: url.host,
    "content-type": o.contentType ?? "application/x-amz-json-1.1",
    "x-amz-target": o.target ?? "secretsmanager.ListSecrets",
  };
  const signer = new SignatureV4({
    service: o.service ?? "secretsmanager",
    region: o.region ?? REGION,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: o.secret ?? SECRET_ACCESS_KEY },
    sha256: Sha256,
  });
  const req = await signer.sign({ method: "POST", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: "/", headers, body, query: {} }, {
    signingDate: o.date,
  });
  return { headers: req.headers as Record<string, string>, body };
}

