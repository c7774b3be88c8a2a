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
import { parseFlags, UsageError } from "./flags.js";
import { callCofferApi, OperatorApiError, operatorTarget, type OperatorTarget } from "./operator-client.js";

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


interface AccountEntry {
  AccountId: string;
  Name: string;
  CreatedDate: number;
}

interface CreatedAccount extends AccountEntry {
  AccessKeyId: string;
  SecretAccessKey: string;
}

async function call<T>(target: OperatorTarget, operation: string, input: Record<string, unknown>): Promise<T> {
  if (!target.credentials) {
    throw new UsageError("no operator credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or give --data-dir or --profile");
  }
  try {
    return await callCofferApi<T>(target, `CofferAccounts.${operation}`, input);
  } catch (err) {
    if (err instanceof OperatorApiError) throw new Error(`${err.code}: ${err.message}`);
    throw err;
  }
}


const day = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

async function run(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { flags, words } = parseFlags(rest, ["json"]);
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
