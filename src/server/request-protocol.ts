// Which protocol a request speaks, so that answers made before (or without) routing it, such as
// "sealed" or "body too large", reach the client in a form its SDK parses: the Query protocol
// (IAM, STS: no X-Amz-Target, a form body or an Action in the URL) gets an XML error document in
// the namespace of the service its signature names, everything else AWS JSON.
import { randomUUID } from "node:crypto";
import { ServiceError } from "../domain/errors.js";
import { model as iamModel } from "../generated/iam-model.js";
import { model as stsModel } from "../generated/sts-model.js";
import { encodeJsonError, type WireResponse } from "../protocol/json-errors.js";
import { queryErrorResponse } from "../protocol/query-xml.js";
import { scopeOf } from "../protocol/sigv4.js";
import type { HeaderTable } from "../protocol/sigv4/request-auth.js";
import { headerValue } from "./http1/request-head.js";
import { findJsonService } from "./services.js";

/** What the protocol is read from: the head of a request is enough. */
export interface RequestShape {
  method: string;
  rawUrl: string;
  rawHeaders: readonly string[];
  headerTable: HeaderTable;
}

const QUERY_XMLNS: Readonly<Record<string, string>> = { iam: iamModel.xmlNamespace, sts: stsModel.xmlNamespace };

export function isQueryRequest(req: RequestShape): boolean {
  if (req.headerTable.has("x-amz-target")) return false;
  const type = headerValue(req.headerTable, "content-type");
  if (type !== undefined && /^application\/x-www-form-urlencoded\b/i.test(type)) return true;
  return /[?&]Action=/.test(req.rawUrl);
}

/**
 * `json` as the request's protocol answers it; a Query request gets `queryCode` (the Query APIs
 * spell codes without "Exception") with the same message and status.
 */
export function errorInRequestProtocol(req: RequestShape, json: ServiceError, queryCode: string): WireResponse {
  const requestId = randomUUID();
  if (isQueryRequest(req)) {
    const service = scopeOf({ method: req.method, rawUrl: req.rawUrl, rawHeaders: req.rawHeaders, body: Buffer.alloc(0) })?.service;
    const xmlns = QUERY_XMLNS[service ?? "iam"] ?? iamModel.xmlNamespace;
    return queryErrorResponse(new ServiceError(queryCode, json.message, json.status), requestId, xmlns);
  }
  const target = headerValue(req.headerTable, "x-amz-target");
  const route = target === undefined ? undefined : findJsonService(target);
  return encodeJsonError(json, requestId, route?.service.messageKey ?? "Message");
}
