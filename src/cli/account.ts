// `coffer account <command>`: accounts of a running server, managed by the operator.
//
//   create [--name N]   make an isolated account (12-digit id) and print its root access key once
//   list                every account of the server
//
// The commands talk to the server over its API (never to the store): JSON requests with
// X-Amz-Target "CofferAccounts.<Operation>", SigV4-signed with signing name "coffer" by the
// operator's credentials, the root user of the account made at first start (found as for
// `coffer operator`: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or a profile of the shared
// credentials file, by default profile "coffer" of <data-dir>/credentials).
import { createHash, createHmac } from "node:crypto";
import { deriveSigningKey, formatAmzDate } from "../protocol/sigv4.js";
import { operatorTarget, type OperatorTarget } from "./operator-client.js";

const USAGE = `usage: coffer account <command> [options]

commands:
  create [--name NAME]   create an account and print its root access key (shown only once)
  list                   list the server's accounts

options:
  --endpoint URL   the server (default: COFFER_ENDPOINT, AWS_ENDPOINT_URL, or http://127.0.0.1:7600)
  --data-dir DIR   where to find the operator's credentials file (default ./.coffer)
  --profile NAME   credentials profile (default: AWS_PROFILE or "coffer")
  --json           print the server's answer as JSON
`;

class UsageError extends Error {}

interface AccountEntry {
  AccountId: string;
  Name: string;
  CreatedDate: number;
}

interface CreatedAccount extends AccountEntry {
  AccessKeyId: string;
  SecretAccessKey: string;
}

const sha256 = (data: string) => createHash("sha256").update(data).digest("hex");

function signedHeaders(target: OperatorTarget, operation: string, body: string): Record<string, string> {
  const url = new URL(target.endpoint);
  const headers: Record<string, string> = {
    "content-type": "application/x-amz-json-1.1",
    host: url.host,
    "x-amz-target": `CofferAccounts.${operation}`,
  };
  const credentials = target.credentials;
  if (!credentials) throw new UsageError("no operator credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or give --data-dir or --profile");
  const amzDate = formatAmzDate(Date.now());
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

async function call<T>(target: OperatorTarget, operation: string, input: Record<string, unknown>): Promise<T> {
  const body = JSON.stringify(input);
  const response = await fetch(target.endpoint, { method: "POST", headers: signedHeaders(target, operation, body), body });
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    throw new Error(`the server answered ${response.status} with something other than JSON`);
  }
  if (!response.ok) {
    const code = String(parsed.__type ?? response.headers.get("x-amzn-errortype") ?? `HTTP ${response.status}`);
    throw new Error(`${code}: ${String(parsed.Message ?? parsed.message ?? "")}`);
  }
  return parsed as T;
}

function parseFlags(argv: readonly string[]): { flags: Map<string, string>; words: string[] } {
  const flags = new Map<string, string>();
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) {
      words.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (name === "json") flags.set(name, "true");
    else if (eq > 0) flags.set(name, arg.slice(eq + 1));
    else {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    }
  }
  return { flags, words };
}

const day = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

async function run(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { flags, words } = parseFlags(rest);
  if (words.length > 0) throw new UsageError(`unexpected argument: ${words[0]}`);
  const json = flags.has("json");
  const target = operatorTarget(flags, process.env);
  switch (command) {
    case "create": {
      const input = flags.has("name") ? { Name: flags.get("name") } : {};
      const created = await call<CreatedAccount>(target, "CreateAccount", input);
      if (json) {
        process.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        [
          `account ${created.AccountId} (${created.Name}) created`,
          "",
          "Its root access key (the secret is shown only this once):",
          `  aws_access_key_id = ${created.AccessKeyId}`,
          `  aws_secret_access_key = ${created.SecretAccessKey}`,
          "",
        ].join("\n"),
      );
      return;
    }
    case "list": {
      const { Accounts } = await call<{ Accounts: AccountEntry[] }>(target, "ListAccounts", {});
      if (json) {
        process.stdout.write(`${JSON.stringify(Accounts, null, 2)}\n`);
        return;
      }
      for (const a of Accounts) process.stdout.write(`${a.AccountId}  ${day(a.CreatedDate)}  ${a.Name}\n`);
      return;
    }
    case undefined:
    case "help":
    case "--help":
      process.stdout.write(USAGE);
      return;
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

export async function accountCommand(argv: readonly string[]): Promise<void> {
  try {
    await run(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`coffer account: ${err.message}\n${USAGE}`);
      process.exit(2);
    }
    process.stderr.write(`coffer account: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
