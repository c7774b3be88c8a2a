// The HTTP adapter: limits, /health, and hand-off to the pipeline. Malformed or abusive traffic
// is answered (or the connection closed) by the HTTP/1.1 server (http1/) without ever reaching
// the pipeline, and never stalls other clients.
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { createSecureContext, type TLSSocket } from "node:tls";
import { RequestEntityTooLargeException, SerializationException } from "../domain/errors.js";
import { encodeJsonError } from "../protocol/json-errors.js";
import type { Http1Connection, Http1Request, Http1Response } from "./http1/connection.js";
import { Http1Server } from "./http1/server.js";
import type { IncomingRequest, Pipeline } from "./pipeline.js";
import { errorInRequestProtocol } from "./request-protocol.js";

/** Largest legitimate request: a 65,536-character value JSON-escaped as \uXXXX, plus members. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Largest request line and header fields together: larger ones get 431. */
const MAX_HEADER_BYTES = 16 * 1024;

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

function isHealthCheck(method: string, target: string): boolean {
  return (method === "GET" || method === "HEAD") && (target === "/health" || target.startsWith("/health?"));
}

export function createListener(pipeline: Pipeline, options: ListenerOptions): Http1Server {
  const handle = async ({ head, body }: Http1Request, connection: Http1Connection): Promise<Http1Response> => {
    if (isHealthCheck(head.method, head.target)) {
      const health = options.health();
      return { status: health.status, headers: { "content-type": "application/json" }, body: JSON.stringify(health.body) };
    }
    try {
      const socket = connection.socket;
      const secure = "encrypted" in socket && socket.encrypted === true;
      const request: IncomingRequest = {
        method: head.method,
        rawUrl: head.target,
        rawHeaders: head.rawHeaders,
        headerTable: head.table,
        body,
        remoteAddress: socket.remoteAddress ?? "",
        secure,
      };
      if (secure) request.tls = tlsOf(socket as TLSSocket);
      return await pipeline.handle(request);
    } catch {
      return encodeJsonError(new SerializationException("The request could not be read."), randomUUID());
    }
  };
  return new Http1Server({
    maxHeaderBytes: MAX_HEADER_BYTES,
    maxBodyBytes: MAX_BODY_BYTES,
    requestTimeoutMs: options.requestTimeoutMs, // a client that never finishes its request is cut off
    headersTimeoutMs: Math.min(15_000, options.requestTimeoutMs),
    keepAliveTimeoutMs: 65_000,
    checkIntervalMs: Math.min(1_000, options.requestTimeoutMs),
    tls: options.tlsCert && options.tlsKey ? readTlsFiles(options.tlsCert, options.tlsKey) : undefined,
    handle,
    // Before routing, in the request's own protocol (a Query client reads XML).
    tooLarge: (head) =>
      errorInRequestProtocol(
        { method: head.method, rawUrl: head.target, rawHeaders: head.rawHeaders, headerTable: head.table },
        new RequestEntityTooLargeException(`Request body exceeds the maximum of ${MAX_BODY_BYTES} bytes.`),
        "RequestEntityTooLarge",
      ),
  });
}

/** The certificate and key files, checked as a pair now: a bad one is named at start, not at the first handshake. */
function readTlsFiles(certPath: string, keyPath: string): { cert: Buffer; key: Buffer } {
  const cert = readFileSync(certPath);
  const key = readFileSync(keyPath);
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new Error(`--tls-cert ${certPath} and --tls-key ${keyPath} are not a PEM certificate and its private key (${(err as Error).message})`);
  }
  return { cert, key };
}
