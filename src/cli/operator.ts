// `coffer operator <command>`: custody of the root key.
//
//   init --shares N --threshold T [server options]   before the first start: make the root key, split it
//                                                    into N Shamir shares (any T unseal), print them once
//   unseal [SHARE]         give one share (read from stdin when not an argument); progress is shown
//   seal                   make the server forget the root key (it then answers 503 until unsealed)
//   status                 sealed or not, unseal progress, root-key rotation progress
//   rotate-root-key [--wait]  re-wrap everything under a new root key while the server keeps serving
//
// Every command but init talks to a running server over its endpoint (--endpoint, COFFER_ENDPOINT,
// AWS_ENDPOINT_URL, or http://127.0.0.1:7600) with the operator's root credentials (AWS_ACCESS_KEY_ID /
// AWS_SECRET_ACCESS_KEY, or profile "coffer" of the shared credentials file, by default
// <data-dir>/credentials). While the server is sealed, unseal and status need no credentials.
// init works on the data dir and store directly, before any server runs on them.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { CustodyError, KeyCustody } from "../crypto/custody.js";
import { Keyring } from "../crypto/keyring.js";
import { checkShareCounts } from "../crypto/shamir.js";
import { bootstrap } from "../server/bootstrap.js";
import { ConfigError, parseServerConfig } from "../server/config.js";
import { openStore } from "../store/open-store.js";
import { parseFlags, UsageError } from "./flags.js";
import { callOperator, OperatorApiError, operatorTarget } from "./operator-client.js";

const USAGE = `usage: coffer operator <command> [options]

commands:
  init --shares N --threshold T   prepare a new data dir and store whose root key is split into N
                                  Shamir shares, any T of which unseal it (takes the server options
                                  --data-dir, --store, --region, --account-id)
  unseal [SHARE]                  give one unseal share (read from stdin when omitted)
  seal                            make the server forget its root key
  status                          show whether the server is sealed, and root-key rotation progress
  rotate-root-key [--wait]        re-wrap all key material under a new root key, online

options for the commands that talk to a server:
  --endpoint URL   the server (default: COFFER_ENDPOINT, AWS_ENDPOINT_URL, or http://127.0.0.1:7600)
  --data-dir DIR   where to find the credentials file (default ./.coffer)
  --profile NAME   credentials profile (default: AWS_PROFILE or "coffer")
  --json           print the server's answer as JSON
`;


interface StatusOutput {
  Sealed: boolean;
  Mode: string;
  RootKeyId?: string;
  Shares?: number;
  Threshold?: number;
  Progress: number;
  Rotation?: { RotationId: string; Phase: string; OldRootKeyId: string; NewRootKeyId: string; Total: number; Rewrapped: number };
}


const out = (text: string) => process.stdout.write(text + "\n");

async function init(argv: readonly string[]): Promise<void> {
  const rest: string[] = [];
  let shares: number | undefined;
  let threshold: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const m = /^--(shares|threshold)(?:=(.*))?$/.exec(arg);
    if (!m) {
      rest.push(arg);
      continue;
    }
    const value = Number(m[2] ?? argv[++i]);
    if (m[1] === "shares") shares = value;
    else threshold = value;
  }
  if (shares === undefined || threshold === undefined) throw new UsageError("init needs --shares N and --threshold T");
  const problem = checkShareCounts(shares, threshold);
  if (problem) throw new UsageError(problem);
  const config = parseServerConfig(rest, process.env);
  const keyFile = join(config.dataDir, "root.key");
  if (existsSync(keyFile)) throw new CustodyError(`${keyFile} exists: this data dir already has a root key in file-key mode`);
  const store = await openStore(config.store);
  try {
    const made = await KeyCustody.initShamir(store, shares, threshold);
    const keyring = new Keyring(store);
    keyring.ring.add(made.key, true);
    made.key.material.fill(0);
    try {
      const boot = await bootstrap(store, keyring, {
        dataDir: config.dataDir,
        region: config.region,
        accountId: config.accountId,
        accessKeyId: process.env.COFFER_BOOTSTRAP_ACCESS_KEY_ID,
        secretAccessKey: process.env.COFFER_BOOTSTRAP_SECRET_ACCESS_KEY,
      });
      out(`Coffer's root key (id ${keyring.ring.currentId}) is split into ${shares} unseal shares; any ${threshold} of them unseal the server.`);
      out("Give each share to a different operator. They are shown only this once and stored nowhere.");
      out("");
      made.shares.forEach((share, i) => out(`Unseal share ${i + 1}: ${share}`));
      out("");
      out(`Account ${boot.accountId}; its root access key ${boot.accessKeyId} is in ${boot.credentialsFile ?? join(config.dataDir, "credentials")} (profile "coffer").`);
      out("The server starts sealed: after `coffer server` starts, each operator runs `coffer operator unseal` with their share.");
    } finally {
      keyring.wipe();
    }
  } finally {
    await store.close();
  }
}

async function readShareFromStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Unseal share: ");
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line.trim();
  }
  throw new UsageError("no unseal share given (as an argument or on stdin)");
}

function describeStatus(s: StatusOutput): string[] {
  const lines = [
    s.Sealed ? `Sealed: yes${s.Threshold ? ` (unseal progress ${s.Progress} of ${s.Threshold} shares)` : ""}` : "Sealed: no",
    s.Mode === "shamir" ? `Root key: ${s.RootKeyId} held as ${s.Shares} Shamir shares, threshold ${s.Threshold}` : `Root key: ${s.RootKeyId} in root.key`,
  ];
  const r = s.Rotation;
  if (r) {
    lines.push(
      r.Phase === "done"
        ? `Last root-key rotation: ${r.OldRootKeyId} → ${r.NewRootKeyId}, done (${r.Total} blobs re-wrapped)`
        : `Root-key rotation ${r.RotationId}: ${r.OldRootKeyId} → ${r.NewRootKeyId}, ${r.Phase}, ${r.Rewrapped} of ${r.Total} blobs re-wrapped`,
    );
  }
  return lines;
}

async function remote(command: string, argv: readonly string[]): Promise<void> {
  const { flags, words } = parseFlags(argv, ["json", "wait"]);
  const target = operatorTarget(flags, process.env);
  const json = flags.has("json");
  switch (command) {
    case "unseal": {
      const share = words[0] ?? (await readShareFromStdin());
      const r = await callOperator<{ Sealed: boolean; Progress: number; Threshold: number }>(target, "Unseal", { Share: share });
      out(json ? JSON.stringify(r) : r.Sealed ? `Share accepted: ${r.Progress} of ${r.Threshold} shares given; still sealed.` : "Unsealed: the server is serving requests.");
      return;
    }
    case "seal": {
      const r = await callOperator<{ Sealed: boolean }>(target, "Seal");
      out(json ? JSON.stringify(r) : "Sealed: the server forgot its root key and answers 503 until unsealed.");
      return;
    }
    case "status": {
      const r = await callOperator<StatusOutput>(target, "Status");
      out(json ? JSON.stringify(r) : describeStatus(r).join("\n"));
      return;
    }
    case "rotate-root-key": {
      const r = await callOperator<{ RotationId: string; NewRootKeyId: string; Shares?: string[] }>(target, "RotateRootKey");
      if (json) out(JSON.stringify(r));
      else {
        out(`Root-key rotation ${r.RotationId} started: new root key ${r.NewRootKeyId}. Re-wrapping runs in the background.`);
        if (r.Shares) {
          out("The new root key's unseal shares (shown only this once; the old shares stop working when the rotation completes):");
          r.Shares.forEach((share, i) => out(`Unseal share ${i + 1}: ${share}`));
        }
      }
      if (flags.has("wait")) await waitForRotation(target, r.RotationId, json);
      return;
    }
  }
}

async function waitForRotation(target: ReturnType<typeof operatorTarget>, rotationId: string, json: boolean): Promise<void> {
  for (;;) {
    const s = await callOperator<StatusOutput>(target, "Status");
    const r = s.Rotation;
    if (!r || r.RotationId !== rotationId) throw new CustodyError("the rotation is no longer the latest one");
    if (!json) out(`${r.Phase}: ${r.Rewrapped} of ${r.Total} blobs re-wrapped`);
    if (r.Phase === "done") return;
    await new Promise((r2) => setTimeout(r2, 500));
  }
}

const COMMANDS = ["init", "unseal", "seal", "status", "rotate-root-key", "help"];

export async function operatorCommand(argv: readonly string[]): Promise<void> {
  // The command may come before or after the options.
  const at = argv.findIndex((arg) => COMMANDS.includes(arg));
  const command = at < 0 ? argv[0] : argv[at];
  const rest = at < 0 ? argv.slice(1) : [...argv.slice(0, at), ...argv.slice(at + 1)];
  try {
    switch (command) {
      case "init":
        return await init(rest);
      case "unseal":
      case "seal":
      case "status":
      case "rotate-root-key":
        return await remote(command, rest);
      case undefined:
      case "help":
      case "--help":
        process.stdout.write(USAGE);
        return;
      default:
        throw new UsageError(`unknown operator command '${command}'`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`coffer operator: ${err.message}\n${USAGE}`);
      process.exit(2);
    }
    if (err instanceof OperatorApiError || err instanceof CustodyError) {
      process.stderr.write(`coffer operator: ${err instanceof OperatorApiError ? `${err.code}: ` : ""}${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
