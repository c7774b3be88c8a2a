// The one request pipeline. Every cross-cutting step happens here, in this order, for every
// service:  route → authenticate (SigV4) → decode → validate → authorize → audit → operation →
// encode. Handlers hold only their operation's logic. One catch maps service errors to the wire
// and anything else to InternalServiceError without detail.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import {
  InternalServiceError,
  MissingAuthenticationTokenException,
  SerializationException,
  ServiceError,
  UnknownOperationException,
  messages,
} from "../domain/errors.js";
import { encodeJsonError, JSON_CONTENT_TYPE, type WireResponse } from "../protocol/json-errors.js";
import { decodeJsonBody, encodeJsonBody } from "../protocol/json11.js";
import { SigV4Error, verifySigV4, type HttpRequestForSigning } from "../protocol/sigv4.js";
import type { HeaderTable } from "../protocol/sigv4/request-auth.js";
import type { AuditTrail, RequestAudit } from "../audit/trail.js";
import type { ServiceEventInput } from "../audit/record.js";
import type { Caller, Operation, RequestContext, ServiceDeps } from "../services/context.js";
import type { AccessKeyDirectory, CallerCredential } from "./access-keys.js";
import { requestHeader } from "./request-header.js";
import { findJsonService, type JsonService } from "./services.js";

export interface IncomingRequest extends HttpRequestForSigning {
  /** Every header by lower-cased name (read them with requestHeader()). */
  headerTable: HeaderTable;
  remoteAddress: string;
  secure: boolean;
  /** The negotiated TLS protocol and cipher of a TLS connection (the record's tlsDetails). */
  tls?: { protocol: string; cipher: string };
}

export interface PipelineOptions {
  deps: ServiceDeps;
  accessKeys: AccessKeyDirectory;
  log: Logger;
  /** One record per authenticated request, fail-closed (audit/trail.ts). */
  audit: AuditTrail;
  /** Allowed clock skew for SigV4, ms. */
  skewMs: number;
  /** The authorize step (authorize.ts): throws AccessDeniedException unless the caller may. */
  authorize?: (service: JsonService, operation: string, input: Record<string, unknown>, ctx: RequestContext) => Promise<void>;
  /** Form-encoded Query-protocol requests (IAM, STS) take their own path (query-router.ts). */
  query?: {
    accepts(req: IncomingRequest): boolean;
    handle(req: IncomingRequest, requestId: string, now: number): Promise<WireResponse>;
  };
  /** Key custody's first step (seal-gate.ts): the operator API, and 503 for everything while sealed; else undefined. */
  sealGate?: (req: IncomingRequest) => Promise<WireResponse> | undefined;
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export class Pipeline {
  constructor(private readonly options: PipelineOptions) {}

  async handle(req: IncomingRequest): Promise<WireResponse> {
    // sealed: nothing can be authenticated or decrypted, so every API answers 503 (seal-gate.ts)
    // (also where Coffer's operator API is served, sealed or not)
    const sealed = this.options.sealGate?.(req);
    if (sealed) return sealed;
    const requestId = randomUUID();
    const now = Date.now();
    let service: JsonService | undefined;
    let audit: RequestAudit | undefined;
    try {
      // route
      const target = requestHeader(req, "x-amz-target");
      if (target === undefined && this.options.query?.accepts(req)) return await this.options.query.handle(req, requestId, now);
      if (target === undefined && !req.headerTable.has("authorization") && !req.rawUrl.includes("X-Amz-Algorithm=")) {
        throw new MissingAuthenticationTokenException(messages.missingAuthenticationToken);
      }
      const route = target === undefined ? undefined : findJsonService(target);
      service = route?.service;

      // authenticate
      const identity = await verifySigV4(req, {
        now,
        skewMs: this.options.skewMs,
        isValidRegion: (region) => REGION_PATTERN.test(region),
        expectedService: service?.signingName,
        lookup: this.options.accessKeys.lookup,
      });
      if (!route || !service) throw new UnknownOperationException(""); // no message, as AWS JSON services
      const credential = identity.credential as CallerCredential;
      const caller: Caller = credential.caller; // principal and policies, loaded with the key (access-keys.ts)
      const ctx: RequestContext = {
        requestId,
        region: identity.region,
        caller,
        now,
        sourceIp: req.remoteAddress,
        userAgent: requestHeader(req, "user-agent"),
        secure: req.secure,
      };

      // audit request (fail-closed): from here on every outcome gets one record
      audit = this.options.audit.begin({ service: service.signingName, operation: route.operation, ctx, tls: tlsDetails(req) });

      // The operation is resolved before its body is read: an unknown one is reported as such
      // whatever the body holds (API spec §2.12 step 1).
      const handler = Object.hasOwn(service.operations, route.operation) ? service.operations[route.operation] : undefined;
      if (!handler) throw new UnknownOperationException("");
      // decode
      const contentType = requestHeader(req, "content-type");
      if (contentType !== undefined && !/^application\/(x-amz-json-1\.[01]|json)\b/i.test(contentType)) {
        throw new SerializationException(`Unsupported content type: ${contentType.slice(0, 100)}`);
      }
      const raw = decodeJsonBody(req.body);
      audit.request = raw;
      const result = await this.execute(service, route.operation, handler, raw, ctx, audit.deps(this.options.deps));
      // audit result: the record is durable before the answer leaves (a write's committed with it)
      await audit.succeeded(result);
      return {
        status: 200,
        headers: { "content-type": JSON_CONTENT_TYPE, "x-amzn-requestid": requestId },
        // An operation without output (a handler returning nothing) answers an empty body, as AWS does.
        body: result === undefined ? "" : encodeJsonBody(result),
      };
    } catch (err) {
      // the failure's record (an error storing it is what the client gets), or a log line when unattributable
      return this.fail(await this.options.audit.settle(audit, err, requestId, req), requestId, service);
    }
  }

  /** Everything after authentication and decoding, for an operation already found. */
  private async execute(
    service: JsonService,
    operation: string,
    handler: Operation<unknown, unknown>,
    raw: Record<string, unknown>,
    ctx: RequestContext,
    deps: ServiceDeps,
  ): Promise<unknown> {
    // validate (model constraints)
    const input = service.validate(operation, raw);
    // resolve resource + authorize (authorize.ts)
    await this.options.authorize?.(service, operation, input, ctx);
    // audit: handle() brackets this with the request's record; `deps` commits a write's record with it.
    return handler(input, ctx, deps);
  }

  /**
   * Work the server does on its own (deletion purge, later rotation and replication) enters
   * here as a system caller, so authorization and audit apply to it as to any request.
   */
  async runInternal<I, O>(
    handler: Operation<I, O>,
    input: I,
    ctx: RequestContext,
    events?: (result: O) => ServiceEventInput[],
  ): Promise<O> {
    // authorize hooks apply here as in execute(); audit records what the work did as service
    // events (§6.4), committed in the same transaction as its change.
    if (events) return this.options.audit.runService(this.options.deps, (deps) => handler(input, ctx, deps), events);
    return handler(input, ctx, this.options.deps);
  }

  private fail(err: unknown, requestId: string, service: JsonService | undefined): WireResponse {
    let error: ServiceError;
    if (err instanceof ServiceError) error = err;
    else if (err instanceof SigV4Error) error = new ServiceError(err.code, err.message, 400);
    else {
      // Never put the cause on the wire: it may carry internals (but never a secret value: those
      // are not in error messages anywhere).
      this.options.log.error({ requestId, err: describeError(err) }, "internal error");
      error = new InternalServiceError(messages.internal);
    }
    if (error.status >= 500 && err instanceof ServiceError) this.options.log.error({ requestId, code: error.code }, "server fault");
    return encodeJsonError(error, requestId, service?.messageKey ?? "Message");
  }
}

function tlsDetails(req: IncomingRequest) {
  if (!req.tls) return undefined;
  return { tlsVersion: req.tls.protocol, cipherSuite: req.tls.cipher, clientProvidedHostHeader: requestHeader(req, "host") ?? "" };
}

function describeError(err: unknown): { name: string; message: string; stack?: string } {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: typeof err, message: "non-error thrown" };
}
