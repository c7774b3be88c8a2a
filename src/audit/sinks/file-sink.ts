// A JSON Lines file sink (one record per line, the export format of jsonl.ts), rotated by size
// and by age: the current file is renamed to <path>.<UTC time> and a new one is started, so a
// log shipper can follow <path> and `coffer audit verify <path>*` checks them all. Each batch is
// written and fsynced before the sink's cursor moves, and on opening the sink reads its own last
// line, so a crash between the two neither loses nor repeats a record.
import { closeSync, fdatasyncSync, fstatSync, openSync, readSync, renameSync, existsSync, ftruncateSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { makeDirectory } from "../../store/make-directory.js";
import type { AuditSink } from "./sink-runner.js";

export interface FileSinkOptions {
  /** Rotate once the file reaches this size. */
  maxBytes: number;
  /** Rotate once the file is this old. */
  maxAgeMs: number;
}

const TAIL_BYTES = 256 * 1024;

export class FileSink implements AuditSink {
  readonly name: string;
  private readonly path: string;
  private fd: number | undefined;
  private size = 0;
  private startedAt = 0;

  constructor(
    path: string,
    private readonly options: FileSinkOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.path = resolve(path);
    this.name = `file:${this.path}`;
  }

  async open(): Promise<number | undefined> {
    makeDirectory(dirname(this.path));
    const fd = openSync(this.path, "a+", 0o600);
    this.fd = fd;
    const stat = fstatSync(fd);
    this.size = stat.size;
    this.startedAt = stat.size === 0 ? this.now() : stat.birthtimeMs || stat.mtimeMs;
    return this.lastHeldSeq(fd);
  }

  async write(lines: string, firstSeq: number): Promise<void> {
    if (this.fd === undefined) throw new Error("the audit file sink is not open");
    if (this.size > 0 && this.due()) this.rotate(firstSeq);
    const fd = this.fd as number;
    const bytes = Buffer.from(lines, "utf8");
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fdatasyncSync(fd);
    this.size += bytes.length;
  }

  async close(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private due(): boolean {
    return this.size >= this.options.maxBytes || this.now() - this.startedAt >= this.options.maxAgeMs;
  }

  private rotate(nextSeq: number): void {
    closeSync(this.fd as number);
    this.fd = undefined;
    const stamp = new Date(this.now()).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
    let target = `${this.path}.${stamp}`;
    // Two rotations within a second: the seq that starts the next file keeps the names apart.
    if (existsSync(target)) target = `${this.path}.${stamp}-${nextSeq}`;
    renameSync(this.path, target);
    this.fd = openSync(this.path, "a+", 0o600);
    this.size = 0;
    this.startedAt = this.now();
  }

  /** The seq of the file's last complete line; a torn last line (a crash mid-write) is cut off. */
  private lastHeldSeq(fd: number): number | undefined {
    if (this.size === 0) return undefined;
    const length = Math.min(this.size, TAIL_BYTES);
    const tail = Buffer.alloc(length);
    readSync(fd, tail, 0, length, this.size - length);
    const end = tail.lastIndexOf(0x0a);
    if (end < 0) return undefined;
    if (end !== length - 1) {
      ftruncateSync(fd, this.size - length + end + 1);
      this.size = this.size - length + end + 1;
    }
    const start = tail.lastIndexOf(0x0a, end - 1) + 1;
    const match = /^\{"seq":(\d+),/.exec(tail.subarray(start, end).toString("utf8"));
    return match ? Number(match[1]) : undefined;
  }
}
