// The operator commands' side of the operator API: finds the endpoint and the operator's
// credentials the way the AWS CLI does (environment, then the shared credentials file, profile
// "coffer" by default, falling back to <data-dir>/credentials), and sends SigV4-signed JSON
// requests with X-Amz-Target "CofferOperator.<Operation>" and signing name "coffer".
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { deriveSigningKey, formatAmzDate } from "../protocol/sigv4.js";

export interface OperatorTarget {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
}

export class OperatorApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "OperatorApiError";
  }
}

function readProfile(file: string, profile: string): { accessKeyId: string; secretAccessKey: string } | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  let current: string | undefined;
  const values: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = (section[1] as string).trim();
      continue;
    }
    const pair = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (pair && current === profile) values[pair[1] as string] = pair[2] as string;
  }
  const accessKeyId = values.aws_access_key_id;
  const secretAccessKey = values.aws_secret_access_key;
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

export function operatorTarget(flags: Map<string, string>, env: NodeJS.ProcessEnv): OperatorTarget {
  const endpoint = flags.get("endpoint") ?? env.COFFER_ENDPOINT ?? env.AWS_ENDPOINT_URL ?? "http://127.0.0.1:7600";
  const region = flags.get("region") ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  let credentials: OperatorTarget["credentials"];
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
  } else {
    const profile = flags.get("profile") ?? env.AWS_PROFILE ?? "coffer";
    const dataDir = resolve(flags.get("data-dir") ?? env.COFFER_DATA_DIR ?? ".coffer");
    const file = flags.get("credentials-file") ?? env.AWS_SHARED_CREDENTIALS_FILE ?? join(dataDir, "credentials");
    credentials = readProfile(file, profile);
  }
  return { endpoint, region, credentials };
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** SigV4 headers for one POST / with a JSON body (security spec §2.2–2.4). */
function signedHeaders(target: OperatorTarget, xAmzTarget: string, body: string, now: number): Record<string, string> {
  const url = new URL(target.endpoint);
  const headers: Record<string, string> = {
    "content-type": "application/x-amz-json-1.1",
    host: url.host,
    "x-amz-target": xAmzTarget,
  };
  const credentials = target.credentials;
  if (!credentials) return headers;
  const amzDate = formatAmzDate(now);
  const date = amzDate.slice(0, 8);
  headers["x-amz-date"] = amzDate;
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((name) => `${name}:${(headers[name] as string).trim()}\n`).join("");
  const signed = names.join(";");
  const canonicalRequest = ["POST", "/", "", canonicalHeaders, signed, sha256(body)].join("\n");
  const scope = `${date}/${target.region}/coffer/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  const key = deriveSigningKey(credentials.secretAccessKey, date, target.region, "coffer");
  const signature = createHmac("sha256", key).update(stringToSign).digest("hex");
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`;
  return headers;
}

/** One SigV4-signed JSON request to a Coffer-specific API of the endpoint (`<Prefix>.<Operation>`). */
export async function callCofferApi<T>(target: OperatorTarget, xAmzTarget: string, input: Record<string, unknown> = {}): Promise<T> {
  const body = JSON.stringify(input);
  let response: Response;
  try {
    response = await fetch(target.endpoint, { method: "POST", headers: signedHeaders(target, xAmzTarget, body, Date.now()), body });
  } catch (err) {
    // fetch says only "fetch failed"; the reason (refused, unknown host, TLS) is its cause.
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    const reason = typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : String(err);
    throw new Error(`cannot reach the server at ${target.endpoint}: ${reason}`);
  }
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    throw new OperatorApiError("InvalidResponse", `the server answered ${response.status} with something other than JSON`, response.status);
  }
  if (!response.ok) {
    const code = String(parsed.__type ?? response.headers.get("x-amzn-errortype") ?? `HTTP${response.status}`).replace(/^.*#/, "");
    throw new OperatorApiError(code, String(parsed.Message ?? parsed.message ?? ""), response.status);
  }
  return parsed as T;
}

export function callOperator<T>(target: OperatorTarget, operation: string, input: Record<string, unknown> = {}): Promise<T> {
  return callCofferApi<T>(target, `CofferOperator.${operation}`, input);
}
