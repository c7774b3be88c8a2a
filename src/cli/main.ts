// The `coffer` command: one verb per file in this folder.
import { accountCommand } from "./account.js";
import { auditCommand } from "./audit.js";
import { operatorCommand } from "./operator.js";
import { serverCommand } from "./server.js";

const USAGE = `usage: coffer <command> [options]

commands:
  server    serve the AWS Secrets Manager API (see README.md for options)
  audit     verify or export the audit trail, print its public key (coffer audit help)
  account   accounts of a running server: create, list (coffer account help)
  operator  root-key custody: Shamir init, unseal, seal, status, rotate-root-key (coffer operator help)
`;

export async function main(argv: readonly string[]): Promise<void> {
  const [verb, ...rest] = argv;
  switch (verb) {
    case "server":
      return serverCommand(rest);
    case "audit":
      process.exitCode = await auditCommand(rest);
      return;
    case "operator":
      return operatorCommand(rest);
    case "account":
      return accountCommand(rest);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`coffer: unknown command '${verb}'\n${USAGE}`);
      process.exit(2);
  }
}
