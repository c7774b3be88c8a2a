// Reading one header of a request the way node:http's `req.headers` would give it.
import { headerValue } from "./http1/request-head.js";
import type { IncomingRequest } from "./pipeline.js";

/** `name` in lower case. */
export function requestHeader(req: IncomingRequest, name: string): string | undefined {
  return headerValue(req.headerTable, name);
}
