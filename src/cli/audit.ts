// `coffer audit verify|export|public-key`: offline work on the audit trail, straight from the
// store (--data-dir or --store, as the server takes them) or from exported JSON Lines files.
//
//   coffer audit verify [--data-dir DIR | --store URL | FILE…] [--since T] [--until T]
//                       [--digests FILE --public-key FILE]    (for files)
//   coffer audit export [--data-dir DIR | --store URL] [--since T] [--until T] [--output FILE] [--digests FILE]
//   coffer audit public-key [--data-dir DIR | --store URL]
//
// T is an ISO 8601 time or epoch seconds. verify exits 0 when the range is intact, 1 naming the
// first record that was altered, removed or reordered, 2 on a usage error.
import { createWriteStream, readFileSync, type WriteStream } from "node:fs";
import { join, resolve } from "node:path";
import type { Digest } from "../audit/digest.js";
import { exportDigests, exportRecords } from "../audit/export.js";
import { publicKeyFingerprint, importPublicKeyPem } from "../audit/digest.js";
import { verifyFiles, verifyStore, type VerifyOutcome } from "../audit/verify.js";
import { openExistingStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { parseFlags, UsageError } from "./flags.js";

const USAGE = `usage:
  coffer audit verify [--data-dir DIR | --store URL | FILE…] [--since T] [--until T] [--digests FILE] [--public-key FILE]
  coffer audit export [--data-dir DIR | --store URL] [--since T] [--until T] [--output FILE] [--digests FILE]
  coffer audit public-key [--data-dir DIR | --store URL]
T is an ISO 8601 time (2024-01-15T12:00:00Z) or epoch seconds.
`;


interface Args {
  options: Map<string, string>;
  files: string[];
}

const VALUED = new Set(["data-dir", "store", "since", "until", "output", "digests", "public-key"]);

function parseArgs(argv: readonly string[]): Args {
  const { flags, words } = parseFlags(argv, [], VALUED);
  return { options: flags, files: words };
}

export function parseTime(text: string, flag: string): number {
  const trimmed = text.trim();
  const ms = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed);
  if (!Number.isFinite(ms)) throw new UsageError(`--${flag}: not a time: ${text}`);
  return ms;
}

function range(args: Args): { since?: number; until?: number } {
  const out: { since?: number; until?: number } = {};
  const since = args.options.get("since");
  const until = args.options.get("until");
  if (since !== undefined) out.since = parseTime(since, "since");
  if (until !== undefined) out.until = parseTime(until, "until");
  if (out.since !== undefined && out.until !== undefined && out.since > out.until) throw new UsageError("--since is after --until");
  return out;
}

/** The store the server would use with the same options (flags, then COFFER_* variables). */
function storeUrl(args: Args, env: NodeJS.ProcessEnv): string {
  const store = args.options.get("store") ?? env.COFFER_STORE;
  if (store) return store;
  return `sqlite:${join(resolve(args.options.get("data-dir") ?? env.COFFER_DATA_DIR ?? ".coffer"), "coffer.db")}`;
}

async function withStore<T>(args: Args, env: NodeJS.ProcessEnv, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openExistingStore(storeUrl(args, env));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function readDigests(path: string): Digest[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Digest);
}

function readPublicKeys(path: string): Map<string, string> {
  const keys = new Map<string, string>();
  const pems = readFileSync(path, "utf8").match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  for (const pem of pems) keys.set(publicKeyFingerprint(importPublicKeyPem(pem)), `${pem}\n`);
  if (keys.size === 0) throw new UsageError(`${path} holds no public key`);
  return keys;
}

export function report(outcome: VerifyOutcome): string {
  const lines: string[] = [];
  const span = outcome.firstSeq === undefined ? "" : ` (seq ${outcome.firstSeq}..${outcome.lastSeq})`;
  if (outcome.ok) {
    lines.push(`audit trail intact: ${outcome.records} records${span}, ${outcome.digests} signed digests verified`);
  } else {
    const p = outcome.problem!;
    if (p.kind === "digest") lines.push(`audit trail verification FAILED: ${p.detail}`);
    else if (p.kind === "unreadable") lines.push(`audit trail verification FAILED: ${p.detail}`);
    else {
      const which = [p.eventID && `eventID ${p.eventID}`, p.eventTime && `eventTime ${p.eventTime}`].filter(Boolean).join(", ");
      lines.push(`audit trail verification FAILED: record ${p.seq} was ${p.kind}${which ? ` (${which})` : ""}: ${p.detail}`);
    }
    lines.push(`checked before the problem: ${outcome.records} records${span}`);
  }
  for (const note of outcome.notes) lines.push(`note: ${note}`);
  return `${lines.join("\n")}\n`;
}

async function verify(args: Args, env: NodeJS.ProcessEnv): Promise<number> {
  const span = range(args);
  let outcome: VerifyOutcome;
  if (args.files.length > 0) {
    if (args.options.has("data-dir") || args.options.has("store")) throw new UsageError("give either files or a store, not both");
    const digestsPath = args.options.get("digests");
    const keyPath = args.options.get("public-key");
    if ((digestsPath === undefined) !== (keyPath === undefined)) throw new UsageError("--digests and --public-key go together");
    outcome = await verifyFiles(args.files, {
      ...span,
      digests: digestsPath === undefined ? undefined : readDigests(digestsPath),
      publicKeys: keyPath === undefined ? undefined : readPublicKeys(keyPath),
    });
  } else {
    outcome = await withStore(args, env, (store) => verifyStore(store, span));
  }
  process.stdout.write(report(outcome));
  return outcome.ok ? 0 : 1;
}

/** A progress bar on stderr, drawn only for a person watching (stderr is a terminal). */
function progressBar(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (now - last < 100 && done < total) return;
    last = now;
    const share = total === 0 ? 1 : Math.min(1, done / total);
    const width = 30;
    const filled = Math.round(share * width);
    process.stderr.write(`\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${done}/${total} records`);
    if (done >= total) process.stderr.write("\n");
  };
}

function writer(stream: NodeJS.WritableStream): (text: string) => Promise<void> {
  return (text) =>
    new Promise((resolvePromise, rejectPromise) => {
      stream.write(text, (err) => (err ? rejectPromise(err) : resolvePromise()));
    });
}

async function closeStream(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolvePromise, rejectPromise) => stream.end((err?: Error | null) => (err ? rejectPromise(err) : resolvePromise())));
}

async function exportCommand(args: Args, env: NodeJS.ProcessEnv): Promise<number> {
  if (args.files.length > 0) throw new UsageError(`unexpected argument ${args.files[0]}`);
  const span = range(args);
  const output = args.options.get("output");
  const digestsPath = args.options.get("digests");
  return withStore(args, env, async (store) => {
    const out = output === undefined ? undefined : createWriteStream(output, { flags: "w", mode: 0o600 });
    try {
      const result = await exportRecords(store, span, writer(out ?? process.stdout), progressBar());
      if (digestsPath !== undefined) {
        const stream = createWriteStream(digestsPath, { flags: "w" });
        const exported = result.firstSeq === undefined ? { firstSeq: 1, lastSeq: 0 } : { firstSeq: result.firstSeq, lastSeq: result.lastSeq! };
        const count = await exportDigests(store, exported, writer(stream));
        await closeStream(stream);
        process.stderr.write(`${count} digests written to ${digestsPath}\n`);
      }
      const seqs = result.firstSeq === undefined ? "" : ` (seq ${result.firstSeq}..${result.lastSeq})`;
      process.stderr.write(`${result.records} records exported${seqs}${output ? ` to ${output}` : ""}\n`);
    } finally {
      if (out) await closeStream(out);
    }
    return 0;
  });
}

async function publicKey(args: Args, env: NodeJS.ProcessEnv): Promise<number> {
  if (args.files.length > 0) throw new UsageError(`unexpected argument ${args.files[0]}`);
  return withStore(args, env, async (store) => {
    const keys = await store.audit.listSigningKeys();
    if (keys.length === 0) {
      process.stderr.write("coffer audit: this store has no audit signing key yet (the server makes one on start)\n");
      return 1;
    }
    for (const key of keys) process.stdout.write(key.publicKeyPem);
    return 0;
  });
}

export async function auditCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    const args = parseArgs(rest);
    switch (sub) {
      case "verify":
        return await verify(args, env);
      case "export":
        return await exportCommand(args, env);
      case "public-key":
        return await publicKey(args, env);
      case undefined:
      case "help":
      case "--help":
        process.stdout.write(USAGE);
        return sub === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown audit command '${sub}'`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`coffer audit: ${err.message}\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}
