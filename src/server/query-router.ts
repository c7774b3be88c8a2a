// The pipeline for the Query protocol (IAM 2010-05-08, STS 2011-06-15): form-encoded requests
// without X-Amz-Target, told apart by the SigV4 credential scope's service name (DESIGN.md
// "Endpoint"). Same steps as the JSON pipeline — authenticate → decode → validate → authorize →
// audit → operation → encode — with the Query protocol's XML answers, and errors in its spellings
// (security spec §2.8: SignatureDoesNotMatch, InvalidClientTokenId, ExpiredToken, AccessDenied 403).
import type { Logger } from "pino";
import type { AuditTrail, RequestAudit } from "../audit/trail.js";
import { InvalidAction, ServiceError, messages } from "../domain/errors.js";
import { model as iamModel } from "../generated/iam-model.js";
import { model as stsModel } from "../generated/sts-model.js";
import type { WireResponse } from "../protocol/json-errors.js";
import { QUERY_CONTENT_TYPE, decodeQueryRequest, encodeQueryResponse, queryErrorResponse, readQueryInput, resolveQueryOperation } from "../protocol/query.js";
import type { QueryServiceModel } from "../protocol/query-model.js";
import { SigV4Error, scopeOf, verifySigV4 } from "../protocol/sigv4.js";
import type { Operation, RequestContext, ServiceDeps } from "../services/context.js";
import { iamMessages } from "../services/iam/errors.js";
import { iamOperations } from "../services/iam/index.js";
import { stsOperations } from "../services/sts/index.js";
import type { AccessKeyDirectory, CallerCredential } from "./access-keys.js";
import type { Authorizer } from "./authorize.js";
import type { IncomingRequest } from "./pipeline.js";
import { requestHeader } from "./request-header.js";
import { isQueryRequest } from "./request-protocol.js";

export interface QueryRouterOptions {
  deps: ServiceDeps;
  accessKeys: AccessKeyDirectory;
  authorizer: Authorizer;
  audit: AuditTrail;
  log: Logger;
  skewMs: number;
}

interface QueryService {
  name: "iam" | "sts";
  model: QueryServiceModel;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  operations: Record<string, Operation<any, any>>;
  /** The <Code> of an unexpected failure. */
  internalCode: string;
}

const IAM: QueryService = { name: "iam", model: iamModel, operations: iamOperations, internalCode: "ServiceFailure" };
const STS: QueryService = { name: "sts", model: stsModel, operations: stsOperations, internalCode: "InternalFailure" };

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** JSON-protocol spellings → the Query protocol's code and status (§2.8). */
const QUERY_SPELLINGS: Readonly<Record<string, [string, number]>> = {
  MissingAuthenticationTokenException: ["MissingAuthenticationToken", 403],
  IncompleteSignatureException: ["IncompleteSignature", 400],
  InvalidSignatureException: ["SignatureDoesNotMatch", 403],
  UnrecognizedClientException: ["InvalidClientTokenId", 403],
  ExpiredTokenException: ["ExpiredToken", 403],
  AccessDeniedException: ["AccessDenied", 403],
  ValidationException: ["ValidationError", 400],
  MalformedPolicyDocumentException: ["MalformedPolicyDocument", 400],
  SerializationException: ["MalformedQueryString", 404],
};

const READ_ONLY = /^(Get|List|Simulate)/;


export class QueryRouter {
  constructor(private readonly options: QueryRouterOptions) {}

  /** A Query-protocol request: no X-Amz-Target, and a form body or an Action in the query string. */
  accepts(req: IncomingRequest): boolean {
    return isQueryRequest(req);
  }

  async handle(req: IncomingRequest, requestId: string, now: number): Promise<WireResponse> {
    // The scope's service picks IAM or STS; anything else is checked against IAM and fails there.
    const scope = scopeOf(req);
    const service = scope?.service === "sts" ? STS : IAM;
    let audit: RequestAudit | undefined;
    try {
      const identity = await verifySigV4(req, {
        now,
        skewMs: this.options.skewMs,
        isValidRegion: (region) => REGION_PATTERN.test(region),
        expectedService: service.name,
        lookup: this.options.accessKeys.lookup,
      });
      const credential = identity.credential as CallerCredential;
      const ctx: RequestContext = {
        requestId,
        region: identity.region,
        caller: credential.caller,
        now,
        sourceIp: req.remoteAddress,
        userAgent: requestHeader(req, "user-agent"),
        secure: req.secure,
      };
      const queryAt = req.rawUrl.indexOf("?");
      const decoded = decodeQueryRequest(req.body, queryAt === -1 ? "" : req.rawUrl.slice(queryAt + 1));
      const operation = resolveQueryOperation(service.model, decoded);
      const handler = Object.hasOwn(service.operations, operation) ? service.operations[operation] : undefined;
      if (!handler) throw new InvalidAction(iamMessages.notImplemented(service.name.toUpperCase(), operation));

      audit = this.options.audit.begin({ service: service.name, operation, ctx });
      const input = readQueryInput(service.model, operation, decoded.params);
      audit.request = input;
      await this.options.authorizer.authorizeQuery(service.name, operation, input, ctx);
      const result = (await handler(input, ctx, audit.deps(this.options.deps))) as Record<string, unknown>;
      // This process's cached callers may hold what just changed; other processes notice the
      // identity generation the change raised.
      if (!READ_ONLY.test(operation)) this.options.accessKeys.invalidate();
      await audit.succeeded(result);
      return {
        status: 200,
        headers: { "content-type": QUERY_CONTENT_TYPE, "x-amzn-requestid": requestId },
        body: encodeQueryResponse(service.model, operation, result, requestId),
      };
    } catch (err) {
      return this.fail(await this.options.audit.settle(audit, err, requestId, req), requestId, service);
    }
  }

  private fail(err: unknown, requestId: string, service: QueryService): WireResponse {
    let error: ServiceError;
    if (err instanceof ServiceError) error = err;
    else if (err instanceof SigV4Error) error = new ServiceError(err.code, err.message, 400);
    else {
      this.options.log.error({ requestId, err: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err) }, "internal error");
      error = new ServiceError(service.internalCode, messages.internal, 500);
    }
    const spelling = QUERY_SPELLINGS[error.code];
    if (spelling) error = new ServiceError(spelling[0], error.message, spelling[1]);
    return queryErrorResponse(error, requestId, service.model.xmlNamespace);
  }
}
