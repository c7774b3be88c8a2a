import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

/** Starts `count` processes that all load-or-create the root key file at `path` at once. */
function race(path: string, count: number): Promise<Array<{ code: number | null; out: string }>> {
  // Each waits, loaded, for the same moment, so that their calls overlap.
  const at = Date.now() + 700;
  const script =
    `import(${JSON.stringify(new URL("./root-key.js", import.meta.url).href)}).then(({ loadOrCreateRootKeyFile }) => {` +
    `  while (Date.now() < ${at});` +
    `  process.stdout.write(loadOrCreateRootKeyFile(${JSON.stringify(path)}).key.id);` +
    `})`;
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = spawn(process.execPath, ["-e", script]);
          let out = "";
          child.stdout.on("data", (d: Buffer) => (out += d.toString()));
          child.stderr.on("data", (d: Buffer) => (out += d.toString()));
          child.on("exit", (code) => resolve({ code, out }));
        }),
    ),
  );
}

describe("the root key file", () => {
  it("is made once when several processes of a fresh data dir start together, and each reads it whole", async () => {
    for (let round = 0; round < 5; round++) {
      const dir = mkdtempSync(join(tmpdir(), "coffer-root-key-"));
      try {
        const results = await race(join(dir, "keys", "root.key"), 6);
        for (const r of results) assert.equal(r.code, 0, `a process failed: ${r.out}`);
        assert.equal(new Set(results.map((r) => r.out)).size, 1, "the processes ended with different keys");
        assert.deepEqual(readdirSync(join(dir, "keys")), ["root.key"], "a staging file was left behind");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
