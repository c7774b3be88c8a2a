// AWS JSON 1.1 error envelope. The code goes in both the body's __type and x-amzn-ErrorType,
// identical, because botocore and the JS SDK read the body while the Java and Go SDKs prefer the
// header (API spec §1.3–1.4).
import type { ServiceError } from "../domain/errors.js";

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const JSON_CONTENT_TYPE = "application/x-amz-json-1.1";

/** `messageKey` is "Message" for Secrets Manager and CloudTrail shapes, "message" for KMS. */
export function encodeJsonError(err: ServiceError, requestId: string, messageKey: "Message" | "message" = "Message"): WireResponse {
  return {
    status: err.status,
    headers: {
      "content-type": JSON_CONTENT_TYPE,
      "x-amzn-requestid": requestId,
      "x-amzn-errortype": err.code,
    },
    // AWS sends no message member at all for some framework errors (e.g. SerializationException).
    body: JSON.stringify(err.message === "" ? { __type: err.code } : { __type: err.code, [messageKey]: err.message }),
  };
}
