import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { makeDirectory } from "./make-directory.js";

/** Runs makeDirectory(path) in a child process, so that a call that never returns fails the test instead of hanging it. */
function makeInChild(path: string): { status: number | null; stderr: string; timedOut: boolean } {
  const script = `import(${JSON.stringify(new URL("./make-directory.js", import.meta.url).href)}).then(({ makeDirectory }) => makeDirectory(${JSON.stringify(path)}))`;
  const result = spawnSync(process.execPath, ["-e", script], { timeout: 5000, encoding: "utf8" });
  return { status: result.status, stderr: result.stderr, timedOut: result.error !== undefined || result.signal !== null };
}

describe("makeDirectory", () => {
  it("makes missing parents with the mode asked for, and takes a directory that is already there", () => {
    const root = mkdtempSync(join(tmpdir(), "coffer-mkdir-"));
    try {
      const deep = join(root, "a", "b", "c");
      makeDirectory(deep, 0o700);
      assert.ok(statSync(deep).isDirectory());
      assert.equal(statSync(join(root, "a")).mode & 0o777, 0o700);
      makeDirectory(deep, 0o700);
      makeDirectory(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("refuses a path through a file", () => {
    const root = mkdtempSync(join(tmpdir(), "coffer-mkdir-"));
    try {
      writeFileSync(join(root, "file"), "");
      assert.throws(() => makeDirectory(join(root, "file")), { code: "ENOTDIR" });
      assert.throws(() => makeDirectory(join(root, "file", "below")), { code: "ENOTDIR" });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("fails, instead of spinning for ever, under a parent that exists but cannot hold it", () => {
    const root = mkdtempSync(join(tmpdir(), "coffer-mkdir-"));
    try {
      // A symlink to a disk that is not mounted: the link is there, what it names is not.
      symlinkSync(join(root, "not-mounted"), join(root, "data"));
      const dangling = makeInChild(join(root, "data", "coffer"));
      assert.equal(dangling.timedOut, false, "makeDirectory under a dangling symlink did not return");
      assert.notEqual(dangling.status, 0);
      assert.match(dangling.stderr, /ENOENT/);
      assert.equal(existsSync(join(root, "not-mounted")), false);
      if (existsSync("/proc/self")) {
        const proc = makeInChild("/proc/coffer-cannot-be-here/data");
        assert.equal(proc.timedOut, false, "makeDirectory under /proc did not return");
        assert.notEqual(proc.status, 0);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
