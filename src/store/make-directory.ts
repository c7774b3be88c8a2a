// `mkdir -p` that always ends. Node's recursive mkdir retries forever when a directory's parent
// exists but cannot hold it (a path under /proc, a symlink to a disk that is not mounted):
// mkdir says ENOENT, the parent says EEXIST, and round it goes. Here each missing directory is
// made once, from the top down, and the first refusal is the error.
import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

const codeOf = (err: unknown) => (err as { code?: unknown } | null)?.code;

/** Makes `path` and any missing parents (new ones with `mode`); a directory already there is fine. */
export function makeDirectory(path: string, mode = 0o777): void {
  const missing: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      if (statSync(dir).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: "ENOTDIR" });
    } catch (err) {
      if (codeOf(err) !== "ENOENT" || dirname(dir) === dir) throw err;
      missing.push(dir);
    }
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir, { mode });
    } catch (err) {
      // Made meanwhile by another process: fine, if it is a directory (statSync throws otherwise).
      if (codeOf(err) !== "EEXIST" || !statSync(dir).isDirectory()) throw err;
    }
  }
}
