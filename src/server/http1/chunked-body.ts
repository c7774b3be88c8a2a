// The chunked transfer coding of a request body (RFC 9112 §7.1), decoded as its bytes arrive:
// each call consumes what it can and keeps its place, so a body sent in many small pieces costs
// no more than one sent at once. Chunk extensions are skipped and trailer fields dropped.

export type ChunkedProgress =
  | { kind: "more"; consumed: number }
  | { kind: "done"; consumed: number; body: Buffer }
  | { kind: "error"; consumed: number; status: 400 | 413 };

/** Longest chunk-size line (size, extensions) and longest trailer line we read. */
const MAX_LINE = 4096;
const MAX_TRAILERS = 16 * 1024;

export class ChunkedBody {
  private phase: "size" | "data" | "data-end" | "trailer" = "size";
  private remaining = 0;
  private total = 0;
  private trailerBytes = 0;
  private readonly parts: Buffer[] = [];

  constructor(private readonly maxBytes: number) {}

  /** Consumes from `buf` at `offset`; `consumed` counts the bytes used up. */
  feed(buf: Buffer, offset: number): ChunkedProgress {
    let at = offset;
    const error = (status: 400 | 413): ChunkedProgress => ({ kind: "error", consumed: at - offset, status });
    while (at < buf.length) {
      if (this.phase === "data") {
        const take = Math.min(this.remaining, buf.length - at);
        this.parts.push(buf.subarray(at, at + take));
        at += take;
        this.remaining -= take;
        if (this.remaining === 0) this.phase = "data-end";
        continue;
      }
      const eol = buf.indexOf("\r\n", at, "latin1");
      if (eol === -1) {
        if (buf.length - at > MAX_LINE) return error(400);
        break;
      }
      const line = buf.toString("latin1", at, eol);
      at = eol + 2;
      if (this.phase === "data-end") {
        if (line !== "") return error(400);
        this.phase = "size";
      } else if (this.phase === "size") {
        const semicolon = line.indexOf(";");
        const sizeText = (semicolon === -1 ? line : line.slice(0, semicolon)).trimEnd();
        if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) return error(400);
        const size = parseInt(sizeText, 16);
        this.total += size;
        if (this.total > this.maxBytes) return error(413);
        if (size === 0) this.phase = "trailer";
        else {
          this.remaining = size;
          this.phase = "data";
        }
      } else {
        // trailer section: fields until the blank line that ends the message
        if (line === "") {
          const body = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.total);
          return { kind: "done", consumed: at - offset, body };
        }
        this.trailerBytes += line.length + 2;
        if (this.trailerBytes > MAX_TRAILERS || line.indexOf(":") <= 0) return error(400);
      }
    }
    return { kind: "more", consumed: at - offset };
  }
}
