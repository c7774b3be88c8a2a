// A lean HTTP/1.1 server over node:net (or node:tls): the connections of connection.ts, the
// timeouts that cut off slow or stalled clients, and a graceful close. It serves what AWS clients
// send (keep-alive, pipelining, Content-Length or chunked bodies, Expect: 100-continue) with a
// fraction of node:http's per-request work: no request and response streams, no header objects
// nobody reads, one write per answer.
import { type AddressInfo, type ListenOptions, type Server, type Socket, createServer as createNetServer } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { type ConnectionHooks, type ConnectionLimits, Http1Connection, type Http1Request, type Http1Response } from "./connection.js";
import type { RequestHead } from "./request-head.js";

export interface Http1ServerOptions extends ConnectionLimits {
  /** A client must send a whole request within this time (ms) of its first byte: else 408. */
  requestTimeoutMs: number;
  /** … and its head within this time (ms). */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long (ms). */
  keepAliveTimeoutMs: number;
  /** How often the timeouts are checked (ms). */
  checkIntervalMs: number;
  tls?: { cert: Buffer; key: Buffer };
  handle(request: Http1Request, connection: Http1Connection): Promise<Http1Response>;
  tooLarge(head: RequestHead): Http1Response;
}

export class Http1Server {
  readonly server: Server;
  private readonly connections = new Set<Http1Connection>();
  private readonly hooks: ConnectionHooks;
  private dateText = new Date().toUTCString();
  private dateSecond = Math.floor(Date.now() / 1000);
  private isClosing = false;
  private timer: NodeJS.Timeout | undefined;
  private whenClosed: Array<() => void> = [];

  constructor(private readonly options: Http1ServerOptions) {
    this.hooks = {
      handle: options.handle,
      tooLarge: options.tooLarge,
      date: () => this.date(),
      closing: () => this.isClosing,
      keepAliveSeconds: Math.round(options.keepAliveTimeoutMs / 1000),
      closed: (connection) => {
        this.connections.delete(connection);
        this.checkClosed();
      },
    };
    const accept = (socket: Socket) => {
      if (this.isClosing) return socket.destroy();
      socket.setNoDelay(true);
      this.connections.add(new Http1Connection(socket, options, this.hooks));
    };
    if (options.tls) {
      const server = createTlsServer({ cert: options.tls.cert, key: options.tls.key, allowHalfOpen: true }, accept);
      // A failed handshake concerns that client only.
      server.on("tlsClientError", (_err, socket) => socket.destroy());
      this.server = server;
    } else {
      // Half-open: a client that shuts down its sending side after a request still gets the answer.
      this.server = createNetServer({ allowHalfOpen: true }, accept);
    }
    this.server.on("listening", () => {
      this.timer = setInterval(() => this.checkTimeouts(), options.checkIntervalMs);
      this.timer.unref();
    });
  }

  listen(options: ListenOptions, ready: () => void): void {
    this.server.listen(options, ready);
  }

  address(): AddressInfo | string | null {
    return this.server.address();
  }

  /** Stops accepting; `done` runs once every connection has closed. Idle ones close at once. */
  close(done: () => void): void {
    this.isClosing = true;
    this.whenClosed.push(done);
    this.server.close();
    if (this.timer) clearInterval(this.timer);
    this.closeIdleConnections();
    this.checkClosed();
  }

  closeIdleConnections(): void {
    for (const connection of this.connections) {
      if (connection.state === "idle") connection.socket.destroy();
    }
  }

  closeAllConnections(): void {
    for (const connection of this.connections) connection.socket.destroy();
  }

  private checkClosed(): void {
    if (!this.isClosing || this.connections.size > 0) return;
    const waiting = this.whenClosed;
    this.whenClosed = [];
    for (const done of waiting) done();
  }

  /** node:http's Date header text, made once a second rather than once an answer. */
  private date(): string {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.dateSecond) {
      this.dateSecond = second;
      this.dateText = new Date(second * 1000).toUTCString();
    }
    return this.dateText;
  }

  private checkTimeouts(): void {
    const now = Date.now();
    const { requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs } = this.options;
    for (const connection of this.connections) {
      if (connection.state === "idle") {
        if (now - connection.idleSince > keepAliveTimeoutMs) connection.socket.destroy();
      } else if (connection.state === "head" || connection.state === "body") {
        const waited = now - connection.requestStartedAt;
        if (waited > requestTimeoutMs || (connection.state === "head" && waited > headersTimeoutMs)) connection.refuse(408);
      }
    }
  }
}
