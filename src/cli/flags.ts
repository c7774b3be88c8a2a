// The command line of the coffer verbs: `--name value` and `--name=value` flags, bare boolean
// flags, and positional words. A UsageError says what was wrong, for the verb to print with its
// usage.
export class UsageError extends Error {}

export interface CommandLine {
  flags: Map<string, string>;
  words: string[];
}

/**
 * Splits `argv` into flags and words. `booleans` take no value (`--json`, or `--json=false`);
 * with `known`, any other flag name is a usage error.
 */
export function parseFlags(argv: readonly string[], booleans: readonly string[] = [], known?: ReadonlySet<string>): CommandLine {
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
    if (known !== undefined && !known.has(name) && !booleans.includes(name)) throw new UsageError(`unknown option --${name}`);
    if (booleans.includes(name)) flags.set(name, eq > 0 ? arg.slice(eq + 1) : "true");
    else if (eq > 0) flags.set(name, arg.slice(eq + 1));
    else {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    }
  }
  return { flags, words };
}
