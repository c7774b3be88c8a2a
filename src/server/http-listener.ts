// The node:http(s) adapter: limits, body reading, /health, and hand-off to the pipeline.
// Malformed or abusive traffic is answered (or the connection closed) here without ever
// reaching the pipeline, and never stalls other clients.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { TLSSocket } from "node:tls";
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { RequestEntityTooLargeException, SerializationException, type ServiceError } from "../domain/errors.js";
import { encodeJsonError, type WireResponse } from "../protocol/json-errors.js";
import type { IncomingRequest, Pipeline } from "./pipeline.js";

/** Largest legitimate request: a 65,536-character value JSON-escaped as \uXXXX, plus members. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface ListenerOptions {
  tlsCert?: string;
  tlsKey?: string;
  requestTimeoutMs: number;
  health: () => { status: number; body: unknown };
}

/** The negotiated protocol and cipher (OpenSSL name, as CloudTrail's tlsDetails show it). */
function tlsOf(socket: TLSSocket): { protocol: string; cipher: string } {
  return { protocol: socket.getProtocol() ?? "", cipher: socket.getCipher()?.name ?? "" };
}

function send(res: ServerResponse, response: WireResponse): void {
  // Object.assign, not a spread with an extra member: V8 builds the latter member by member,
  // which costs microseconds on every answer.
  const headers: Record<string, string | number> = Object.assign({}, response.headers);
  headers["content-length"] = Buffer.byteLength(response.body);
  res.writeHead(response.status, headers);
  res.end(response.body);
}

function reject(res: ServerResponse, error: ServiceError, close: boolean): void {
  if (close) res.setHeader("connection", "close");
  send(res, encodeJsonError(error, randomUUID()));
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too-large"> {
  return new Promise((resolvePromise, rejectPromise) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.pause();
        resolvePromise("too-large");
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolvePromise(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    req.on("error", rejectPromise);
  });
}

export function createListener(pipeline: Pipeline, options: ListenerOptions): Server {
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (req.method === "GET" && (req.url === "/health" || req.url?.startsWith("/health?"))) {
        const health = options.health();
        const body = JSON.stringify(health.body);
        res.writeHead(health.status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      const declared = Number(req.headers["content-length"] ?? 0);
      if (declared > MAX_BODY_BYTES) {
        // Refuse before reading a byte of it.
        reject(res, new RequestEntityTooLargeException(`Request body exceeds the maximum of ${MAX_BODY_BYTES} bytes.`), true);
        req.destroy();
        return;
      }
      const body = await readBody(req, MAX_BODY_BYTES);
      if (body === "too-large") {
        reject(res, new RequestEntityTooLargeException(`Request body exceeds the maximum of ${MAX_BODY_BYTES} bytes.`), true);
        req.destroy();
        return;
      }
      const socket = req.socket;
      const request: IncomingRequest = {
        method: req.method ?? "GET",
        rawUrl: req.url ?? "/",
        rawHeaders: req.rawHeaders,
        headers: req.headers,
        body,
        remoteAddress: socket.remoteAddress ?? "",
        secure: "encrypted" in socket && socket.encrypted === true,
      };
      if (request.secure) request.tls = tlsOf(socket as TLSSocket);
      send(res, await pipeline.handle(request));
    } catch {
      if (!res.headersSent) reject(res, new SerializationException("The request could not be read."), true);
      else res.destroy();
    }
  };
  const common = {
    maxHeaderSize: 16 * 1024, // larger header sections get 431 from node:http
    requestTimeout: options.requestTimeoutMs, // a client that never finishes its request is cut off
    headersTimeout: Math.min(15_000, options.requestTimeoutMs),
    keepAliveTimeout: 65_000,
    // How often node:http checks the two timeouts above (its default of 30 s lets a stalled
    // client hold a connection far longer than requestTimeout says).
    connectionsCheckingInterval: Math.min(1_000, options.requestTimeoutMs),
  };
  const server =
    options.tlsCert && options.tlsKey
      ? createHttpsServer({ ...common, cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) }, handler)
      : createHttpServer(common, handler);
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status =
      err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large"
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "408 Request Timeout"
      : "400 Bad Request";
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });
  return server;
}
