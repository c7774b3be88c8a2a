// Server configuration: flags, each also read from COFFER_<NAME> (DESIGN.md "Server").
import { join, resolve } from "node:path";

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  store: string;
  region: string;
  workers: number;
  accountId: string | undefined;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  insecureHttp: boolean;
  logLevel: string;
  /** How often the deletion worker looks for secrets whose recovery window has ended. */
  purgeIntervalSeconds: number;
  /** SigV4 clock-skew window. */
  clockSkewSeconds: number;
  /** A client must deliver its whole request within this time, or its connection is closed. */
  requestTimeoutSeconds: number;
  /** Audit records as JSON Lines to this file (rotated), and/or to stdout. */
  auditFile: string | undefined;
  auditFileMaxBytes: number;
  auditFileMaxAgeSeconds: number;
  auditStdout: boolean;
  /** Records older than this are deleted once a digest covers them; 0 keeps them forever. */
  auditRetentionDays: number;
  /** How often a signed digest of the audit chain is made. */
  auditDigestIntervalSeconds: number;
  /** "process": read records survive kill -9 but not a power cut until the next synced commit. */
  auditReadDurability: "full" | "process";
}

interface OptionSpec {
  flag: string;
  boolean?: boolean;
}

const OPTIONS: Record<keyof ServerConfig, OptionSpec> = {
  host: { flag: "host" },
  port: { flag: "port" },
  dataDir: { flag: "data-dir" },
  store: { flag: "store" },
  region: { flag: "region" },
  workers: { flag: "workers" },
  accountId: { flag: "account-id" },
  tlsCert: { flag: "tls-cert" },
  tlsKey: { flag: "tls-key" },
  insecureHttp: { flag: "insecure-http", boolean: true },
  logLevel: { flag: "log-level" },
  purgeIntervalSeconds: { flag: "purge-interval" },
  clockSkewSeconds: { flag: "clock-skew" },
  requestTimeoutSeconds: { flag: "request-timeout" },
  auditFile: { flag: "audit-file" },
  auditFileMaxBytes: { flag: "audit-file-max-bytes" },
  auditFileMaxAgeSeconds: { flag: "audit-file-max-age" },
  auditStdout: { flag: "audit-stdout", boolean: true },
  auditRetentionDays: { flag: "audit-retention-days" },
  auditDigestIntervalSeconds: { flag: "audit-digest-interval" },
  auditReadDurability: { flag: "audit-read-durability" },
};

export class ConfigError extends Error {}

/** The logger's levels, the default first. */
const LOG_LEVELS = ["info", "fatal", "error", "warn", "debug", "trace", "silent"] as const;

const envName = (flag: string) => `COFFER_${flag.toUpperCase().replace(/-/g, "_")}`;

/** Flags win over environment variables, which win over defaults. */
export function parseServerConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServerConfig {
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) throw new ConfigError(`unexpected argument: ${arg}`);
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = Object.values(OPTIONS).find((o) => o.flag === flag);
    if (!spec) throw new ConfigError(`unknown option: --${flag}`);
    if (spec.boolean) given.set(flag, eq > 0 ? arg.slice(eq + 1) : "true");
    else if (eq > 0) given.set(flag, arg.slice(eq + 1));
    else {
      const value = argv[++i];
      if (value === undefined) throw new ConfigError(`--${flag} needs a value`);
      given.set(flag, value);
    }
  }
  const get = (key: keyof ServerConfig): string | undefined => {
    const flag = OPTIONS[key].flag;
    return given.get(flag) ?? env[envName(flag)];
  };
  const int = (key: keyof ServerConfig, fallback: number, min: number, max: number): number => {
    const text = get(key);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`--${OPTIONS[key].flag} must be an integer from ${min} to ${max}`);
    return n;
  };
  // Fractions of a day are allowed (e.g. 0.5), which also lets a test use seconds.
  const decimal = (key: keyof ServerConfig, fallback: number, min: number, max: number): number => {
    const text = get(key);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (text.trim() === "" || !Number.isFinite(n) || n < min || n > max) throw new ConfigError(`--${OPTIONS[key].flag} must be a number from ${min} to ${max}`);
    return n;
  };
  const oneOf = <T extends string>(key: keyof ServerConfig, choices: readonly T[]): T => {
    const text = get(key) ?? choices[0];
    if (!choices.includes(text as T)) throw new ConfigError(`--${OPTIONS[key].flag} must be one of: ${choices.join(", ")}`);
    return text as T;
  };
  const bool = (key: keyof ServerConfig): boolean => ["1", "true", "yes"].includes((get(key) ?? "").toLowerCase());

  const dataDir = resolve(get("dataDir") ?? ".coffer");
  const region = get("region") ?? "us-east-1";
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) throw new ConfigError(`not a region name: ${region}`);
  const accountId = get("accountId");
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) throw new ConfigError("--account-id must be 12 digits");
  const tlsCert = get("tlsCert");
  const tlsKey = get("tlsKey");
  if ((tlsCert === undefined) !== (tlsKey === undefined)) throw new ConfigError("--tls-cert and --tls-key go together");
  return {
    host: get("host") ?? "127.0.0.1",
    port: int("port", 7600, 0, 65535),
    dataDir,
    store: get("store") ?? `sqlite:${join(dataDir, "coffer.db")}`,
    region,
    workers: int("workers", 1, 1, 64),
    accountId,
    tlsCert,
    tlsKey,
    insecureHttp: bool("insecureHttp"),
    logLevel: oneOf("logLevel", LOG_LEVELS),
    purgeIntervalSeconds: int("purgeIntervalSeconds", 60, 1, 86_400),
    clockSkewSeconds: int("clockSkewSeconds", 300, 1, 3_600),
    requestTimeoutSeconds: int("requestTimeoutSeconds", 30, 1, 3_600),
    auditFile: get("auditFile"),
    auditFileMaxBytes: int("auditFileMaxBytes", 100 * 1024 * 1024, 1024, Number.MAX_SAFE_INTEGER),
    auditFileMaxAgeSeconds: int("auditFileMaxAgeSeconds", 86_400, 1, 366 * 86_400),
    auditStdout: bool("auditStdout"),
    auditRetentionDays: decimal("auditRetentionDays", 0, 0, 36_500),
    auditDigestIntervalSeconds: int("auditDigestIntervalSeconds", 3_600, 1, 86_400),
    auditReadDurability: oneOf("auditReadDurability", ["process", "full"] as const),
  };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|\[::1\])$/;

/** Plain HTTP is only for loopback unless the operator says otherwise. */
export function checkTransportSafety(config: ServerConfig): void {
  if (config.tlsCert || LOOPBACK.test(config.host) || config.insecureHttp) return;
  throw new ConfigError(
    `refusing to serve plain HTTP on ${config.host}: give --tls-cert and --tls-key, or --insecure-http to accept the risk`,
  );
}
