#!/usr/bin/env node
// Runs every test of the built tree (unit tests beside the code in dist/src, black-box tests
// in dist/test) with node's own test runner, one file at a time: the black-box suites start
// real servers and share the machine's two cores.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ["dist/scripts", "dist/src", "dist/test"];
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path);
    else if (entry.endsWith(".test.js")) files.push(path);
  }
};
for (const root of roots) statSync(root, { throwIfNoEntry: false }) ? (statSync(root).isDirectory() ? walk(root) : files.push(root)) : null;
if (files.length === 0) {
  console.error("no test files found");
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--test", "--test-concurrency=1", ...files], { stdio: "inherit" });
process.exit(result.status ?? 1);
