import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FileSink } from "./file-sink.js";

const line = (seq: number) => `{"seq":${seq},"prevHash":"${"0".repeat(64)}","hash":"${"1".repeat(64)}","record":{"n":${seq}}}\n`;
const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(from + i)).join("");

test("writes lines, rotates by size and by age, and names rotated files by time", async () => {
  const dir = mkdtempSync(join(tmpdir(), "coffer-sink-"));
  let now = Date.UTC(2024, 0, 15, 12, 0, 0);
  try {
    const sink = new FileSink(join(dir, "audit.jsonl"), { maxBytes: 400, maxAgeMs: 60_000 }, () => now);
    assert.equal(sink.name, `file:${join(dir, "audit.jsonl")}`);
    assert.equal(await sink.open(), undefined);
    await sink.write(lines(1, 2), 1);
    await sink.write(lines(3, 4), 3); // the file is past 400 bytes after this
    await sink.write(lines(5, 5), 5); // so this goes to a new file
    now += 61_000;
    await sink.write(lines(6, 6), 6); // the new file is too old now
    await sink.close();
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, ["audit.jsonl", "audit.jsonl.20240115T120000Z", "audit.jsonl.20240115T120101Z"]);
    assert.equal(readFileSync(join(dir, "audit.jsonl.20240115T120000Z"), "utf8"), lines(1, 4));
    assert.equal(readFileSync(join(dir, "audit.jsonl.20240115T120101Z"), "utf8"), lines(5, 5));
    assert.equal(readFileSync(join(dir, "audit.jsonl"), "utf8"), lines(6, 6));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("on opening, reports the last seq it holds and cuts off a torn last line", async () => {
  const dir = mkdtempSync(join(tmpdir(), "coffer-sink-"));
  try {
    const path = join(dir, "audit.jsonl");
    appendFileSync(path, lines(1, 7) + line(8).slice(0, 40));
    const sink = new FileSink(path, { maxBytes: 1 << 20, maxAgeMs: 3_600_000 });
    assert.equal(await sink.open(), 7);
    await sink.write(lines(8, 9), 8);
    await sink.close();
    assert.equal(readFileSync(path, "utf8"), lines(1, 9));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
