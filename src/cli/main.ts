// The `coffer` command: one verb per file in this folder.
import { serverCommand } from "./server.js";

const USAGE = `usage: coffer <command> [options]

commands:
  server    serve the AWS Secrets Manager API (see README.md for options)
`;

export async function main(argv: readonly string[]): Promise<void> {
  const [verb, ...rest] = argv;
  switch (verb) {
    case "server":
      return serverCommand(rest);
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
