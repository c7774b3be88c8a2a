// The pipeline's first step for key custody. While the server is sealed (Shamir mode before
// operators unseal it, or after `coffer operator seal`) no request can be authenticated or
// served: access keys and KMS key material rest wrapped under the root key. Every API then answers
// 503 ServiceUnavailableException at once.
//
// It also serves Coffer's operator API (X-Amz-Target "CofferOperator.<Operation>"), sealed or not.
// That API is not an AWS one and stays out of the CloudTrail-format trail, whose records copy
// request and response members (an unseal share, a new root key's shares); operator calls are
// logged to the server log instead, without shares. Seal and RotateRootKey need a SigV4 signature
// (signing name "coffer") by the operator; Unseal and Status need none while sealed, because
// nothing can be authenticated then: an unseal share is its own credential.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { ServiceError, ServiceUnavailableException, UnknownOperationException } from "../domain/errors.js";
import type { Keyring } from "../crypto/keyring.js";
import { encodeJsonError, JSON_CONTENT_TYPE, type WireResponse } from "../protocol/json-errors.js";
import { decodeJsonBody, encodeJsonBody } from "../protocol/json11.js";
import { SigV4Error, verifySigV4 } from "../protocol/sigv4.js";
import type { Caller, RequestContext, ServiceDeps } from "../services/context.js";
import { SEALED_OPERATIONS, operatorOperations, validateOperatorInput } from "../services/operator/index.js";
import type { AccessKeyDirectory, CallerCredential } from "./access-keys.js";
import type { IncomingRequest } from "./pipeline.js";
import { requestHeader } from "./request-header.js";
import { errorInRequestProtocol } from "./request-protocol.js";

export const SEALED_MESSAGE =
  "Coffer is sealed: it serves no request until operators unseal it with `coffer operator unseal` (see `coffer operator status`).";

const OPERATOR_PREFIX = "CofferOperator.";
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ANONYMOUS: Caller = { accountId: "", principalArn: "anonymous", accessKeyId: "" };

export interface GateOptions {
  keyring: Keyring;
  deps: ServiceDeps;
  accessKeys: AccessKeyDirectory;
  skewMs: number;
  log: Logger;
}

/** An answer for operator calls and for everything while sealed; undefined (at no cost) otherwise. */
export function sealGate(options: GateOptions): (req: IncomingRequest) => Promise<WireResponse> | undefined {
  return (req) => {
    const target = requestHeader(req, "x-amz-target");
    if (target !== undefined && target.startsWith(OPERATOR_PREFIX)) return operatorCall(req, target.slice(OPERATOR_PREFIX.length), options);
    return options.keyring.sealed ? Promise.resolve(sealedAnswer(req)) : undefined;
  };
}

// "ServiceUnavailable" is the 503 of the Query APIs' common errors.
function sealedAnswer(req: IncomingRequest): WireResponse {
  return errorInRequestProtocol(req, new ServiceUnavailableException(SEALED_MESSAGE), "ServiceUnavailable");
}

async function operatorCall(req: IncomingRequest, operation: string, options: GateOptions): Promise<WireResponse> {
  const requestId = randomUUID();
  const now = Date.now();
  let caller = ANONYMOUS;
  try {
    const handler = Object.hasOwn(operatorOperations, operation) ? operatorOperations[operation] : undefined;
    if (!handler) throw new UnknownOperationException("");
    // Unseal on an unsealed server only answers so (as /health would), so it needs no signature either.
    const unauthenticated = SEALED_OPERATIONS.has(operation) && (options.keyring.sealed || operation === "Unseal");
    if (!unauthenticated) {
      if (options.keyring.sealed) throw new ServiceUnavailableException(SEALED_MESSAGE);
      const identity = await verifySigV4(req, {
        now,
        skewMs: options.skewMs,
        isValidRegion: (region) => REGION_PATTERN.test(region),
        expectedService: "coffer",
        lookup: options.accessKeys.lookup,
      });
      const credential = identity.credential as CallerCredential;
      caller = credential.caller ?? { accountId: credential.accountId, principalArn: credential.principalArn, accessKeyId: identity.accessKeyId };
    }
    const input = validateOperatorInput(operation, decodeJsonBody(req.body));
    const ctx: RequestContext = { requestId, region: "", caller, now, sourceIp: req.remoteAddress, userAgent: requestHeader(req, "user-agent") };
    const result = await handler(input, ctx, options.deps);
    // Sealing forgets what was opened under the root key, cached access-key secrets included.
    if (options.keyring.sealed) options.accessKeys.invalidate();
    options.log.info({ requestId, operation, principal: caller.principalArn, sourceIp: req.remoteAddress }, "operator call");
    return { status: 200, headers: { "content-type": JSON_CONTENT_TYPE, "x-amzn-requestid": requestId }, body: encodeJsonBody(result) };
  } catch (err) {
    let error: ServiceError;
    if (err instanceof ServiceError) error = err;
    else if (err instanceof SigV4Error) error = new ServiceError(err.code, err.message, 400);
    else {
      options.log.error({ requestId, operation, err: err instanceof Error ? err.message : String(err) }, "operator call failed");
      error = new ServiceError("InternalServiceError", "An internal error occurred.", 500);
    }
    options.log.info({ requestId, operation, principal: caller.principalArn, sourceIp: req.remoteAddress, error: error.code }, "operator call refused");
    return encodeJsonError(error, requestId, "Message");
  }
}
