// One client connection: requests read one after another (pipelined ones wait their turn), each
// handed to the server's handler once its body is complete, each answer written in one piece.
import type { Socket } from "node:net";
import { STATUS_CODES } from "node:http";
import { ChunkedBody } from "./chunked-body.js";
import { type RequestHead, parseRequestHead } from "./request-head.js";

export interface Http1Request {
  head: RequestHead;
  body: Buffer;
}

export interface Http1Response {
  status: number;
  headers: Record<string, string | number>;
  body: string;
}

export interface ConnectionLimits {
  maxHeaderBytes: number;
  maxBodyBytes: number;
}

export interface ConnectionHooks {
  handle(request: Http1Request, connection: Http1Connection): Promise<Http1Response>;
  /** The answer to a body over the limit (an AWS-shaped error); the connection closes after it. */
  tooLarge(head: RequestHead): Http1Response;
  /** Date header text, renewed once a second by the server. */
  date(): string;
  /** True once the server is closing: answers then end their connection. */
  closing(): boolean;
  /** How long an idle keep-alive connection is kept, as the Keep-Alive header states it (seconds). */
  keepAliveSeconds: number;
  closed(connection: Http1Connection): void;
}

const EMPTY = Buffer.alloc(0);
/** How long a refused body is read and dropped before the connection closes. */
const REFUSED_BODY_LINGER_MS = 2_000;
const CRLFCRLF = Buffer.from("\r\n\r\n", "latin1");
/** While a request is being handled, at most this much of the next ones is buffered. */
const MAX_BUFFERED_WHILE_BUSY = 64 * 1024;

export class Http1Connection {
  /** "idle": between requests; "head"/"body": a request is arriving; "busy": it is being handled. */
  state: "idle" | "head" | "body" | "busy" | "done" = "idle";
  /** When the request now arriving sent its first byte (ms), for the request timeouts. */
  requestStartedAt = 0;
  /** When the connection last finished an answer or opened (ms), for the keep-alive timeout. */
  idleSince = Date.now();
  /**
   * Bytes received and not yet used, in the pieces they came in: joined only once a head or body
   * may be complete, so a client that trickles its request byte by byte costs linear work.
   */
  private pieces: Buffer[] = [];
  private buffered = 0;
  /** The last bytes of the head so far, to find its end when it falls across two pieces. */
  private headTail: Buffer = EMPTY;
  private peerEnded = false;
  private head: RequestHead | undefined;
  private chunked: ChunkedBody | undefined;
  private continueSent = false;

  constructor(
    readonly socket: Socket,
    private readonly limits: ConnectionLimits,
    private readonly hooks: ConnectionHooks,
  ) {
    socket.on("data", (chunk: Buffer) => {
      try {
        this.received(chunk);
      } catch {
        // Whatever a client sends must not take the process down; this connection ends instead.
        this.writeStatusAndClose(400);
      }
    });
    socket.on("error", () => socket.destroy());
    // The client has sent all it will: answer what it asked (if anything), then close.
    socket.on("end", () => {
      this.peerEnded = true;
      if (this.state === "idle" || this.state === "head" || this.state === "body") this.endWith("");
    });
    socket.on("close", () => {
      this.state = "done";
      hooks.closed(this);
    });
  }

  /** Refuses the request now arriving (a timeout) and closes. */
  refuse(status: number): void {
    if (this.state === "done") return;
    this.writeStatusAndClose(status);
  }

  private received(chunk: Buffer): void {
    if (this.state === "done") return;
    this.pieces.push(chunk);
    this.buffered += chunk.length;
    if (this.state === "busy") {
      // The next request waits for this one's answer; a client that floods meanwhile is paused.
      if (this.buffered > MAX_BUFFERED_WHILE_BUSY) this.socket.pause();
      return;
    }
    if (this.state === "idle") {
      this.state = "head";
      this.requestStartedAt = Date.now();
    } else if (this.state === "head" && !this.headMayEndIn(chunk)) {
      return;
    }
    this.advance();
  }

  /** Whether `chunk` (just added) may hold the blank line that ends a head, or the head is too long. */
  private headMayEndIn(chunk: Buffer): boolean {
    if (this.buffered > this.limits.maxHeaderBytes) return true;
    const window = this.headTail.length === 0 ? chunk : Buffer.concat([this.headTail, chunk]);
    if (window.indexOf(CRLFCRLF) !== -1) return true;
    this.headTail = Buffer.from(window.subarray(Math.max(0, window.length - 3)));
    return false;
  }

  /** Everything buffered, as one buffer. */
  private joined(): Buffer {
    if (this.pieces.length === 0) return EMPTY;
    if (this.pieces.length > 1) this.pieces = [Buffer.concat(this.pieces, this.buffered)];
    return this.pieces[0] as Buffer;
  }

  /** Keeps `rest` (the tail of joined()) as what is buffered. */
  private keep(rest: Buffer): void {
    this.pieces = rest.length === 0 ? [] : [rest];
    this.buffered = rest.length;
  }

  /** Reads as far as the buffered bytes go; hands a complete request to the handler. */
  private advance(): void {
    if (this.state === "head") {
      const buf = this.joined();
      const result = parseRequestHead(buf, this.limits.maxHeaderBytes);
      if (result.kind === "incomplete") {
        this.headTail = Buffer.from(buf.subarray(Math.max(0, buf.length - 3)));
        return;
      }
      this.headTail = EMPTY;
      if (result.kind === "error") return this.writeStatusAndClose(result.status);
      this.head = result.head;
      this.keep(buf.subarray(result.size));
      if (this.head.contentLength > this.limits.maxBodyBytes) {
        // Refused before a byte of it is read.
        return this.answerAndClose(this.hooks.tooLarge(this.head));
      }
      this.chunked = this.head.chunked ? new ChunkedBody(this.limits.maxBodyBytes) : undefined;
      this.continueSent = false;
      this.state = "body";
    }
    const head = this.head as RequestHead;
    let body: Buffer | undefined;
    if (this.chunked) {
      // Only an unfinished size or trailer line stays buffered: chunk data is taken as it comes.
      const buf = this.joined();
      const progress = this.chunked.feed(buf, 0);
      this.keep(buf.subarray(progress.consumed));
      if (progress.kind === "error") {
        return progress.status === 413 ? this.answerAndClose(this.hooks.tooLarge(head)) : this.writeStatusAndClose(400);
      }
      if (progress.kind === "done") body = progress.body;
    } else if (this.buffered >= head.contentLength) {
      const buf = this.joined();
      body = buf.subarray(0, head.contentLength);
      this.keep(buf.subarray(head.contentLength));
    }
    if (body === undefined) {
      if (head.expectContinue && !this.continueSent) {
        this.continueSent = true;
        this.socket.write("HTTP/1.1 100 Continue\r\n\r\n");
      }
      return;
    }
    this.state = "busy";
    this.chunked = undefined;
    this.hooks.handle({ head, body }, this).then(
      (response) => this.answered(head, response),
      () => this.writeStatusAndClose(500),
    );
  }

  private answered(head: RequestHead, response: Http1Response): void {
    if (this.state === "done") return;
    const keepAlive = head.keepAlive && !this.hooks.closing() && !this.peerEnded;
    const text = this.responseText(head.method, response, keepAlive);
    if (!keepAlive) return this.endWith(text);
    this.head = undefined;
    if (this.socket.write(text)) return this.next();
    // A client that does not read its answers is not read from either (nor are its pipelined
    // requests handled) until it has caught up: what waits in memory stays bounded.
    this.socket.pause();
    this.socket.once("drain", () => {
      if (this.state !== "done") this.next();
    });
  }

  /** Ready for the next request: one already pipelined behind the last, or the next to come. */
  private next(): void {
    this.state = "idle";
    this.idleSince = Date.now();
    if (this.socket.isPaused()) this.socket.resume();
    if (this.buffered > 0) {
      this.state = "head";
      this.requestStartedAt = Date.now();
      this.advance();
    }
  }

  private responseText(method: string, response: Http1Response, keepAlive: boolean): string {
    let text = `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? "Unknown"}\r\n`;
    for (const name in response.headers) text += `${name}: ${response.headers[name]}\r\n`;
    text += `Content-Length: ${Buffer.byteLength(response.body)}\r\nDate: ${this.hooks.date()}\r\n`;
    text += keepAlive ? `Connection: keep-alive\r\nKeep-Alive: timeout=${this.hooks.keepAliveSeconds}\r\n\r\n` : "Connection: close\r\n\r\n";
    return method === "HEAD" ? text : text + response.body;
  }

  /**
   * Answers a request refused before its body was read, then closes. The client is most likely
   * still sending that body: closing at once would reset the connection and take our answer with
   * it, so what it sends is read and dropped for a short while first.
   */
  private answerAndClose(response: Http1Response): void {
    this.endWith(this.responseText("POST", response, false), REFUSED_BODY_LINGER_MS);
  }

  private writeStatusAndClose(status: number): void {
    this.endWith(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Unknown"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  /** Writes the last answer and closes, after `lingerMs` of dropping what the client still sends. */
  private endWith(text: string, lingerMs = 0): void {
    this.state = "done";
    this.keep(EMPTY);
    if (!this.socket.writable) {
      this.socket.destroy();
      return;
    }
    this.socket.once("finish", () => {
      if (lingerMs === 0 || this.peerEnded) {
        this.socket.destroy();
        return;
      }
      this.socket.resume();
      setTimeout(() => this.socket.destroy(), lingerMs).unref();
      this.socket.once("end", () => this.socket.destroy());
    });
    this.socket.end(text);
  }
}
