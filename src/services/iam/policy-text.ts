// Policy documents as IAM takes and gives them: checked with the one policy grammar (identity
// policies without Principal, trust policies with it), sized without whitespace as IAM counts
// them, and returned URL-encoded (RFC 3986) as IAM's API returns every document; the AWS CLI and
// boto3 decode them, the JS SDK hands the encoded text to the caller.
import { MalformedPolicyDocumentException } from "../../domain/errors.js";
import { parsePolicyDocument, type PolicyDocument } from "../../domain/policy/document.js";
import { MalformedPolicyDocument } from "./errors.js";

/** An identity (permissions, boundary) policy: no Principal, Resource required. */
export function checkIdentityPolicy(text: string): PolicyDocument {
  return asIamError(() => parsePolicyDocument(text, "identity"));
}

/** A role trust policy: a resource policy on the role, so every statement names a principal. */
export function checkTrustPolicy(text: string): PolicyDocument {
  return asIamError(() => parsePolicyDocument(text, "resource"));
}

function asIamError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof MalformedPolicyDocumentException) throw new MalformedPolicyDocument(err.message);
    throw err;
  }
}

/** IAM's quota for one managed policy version (characters, whitespace not counted). */
export const MANAGED_POLICY_LIMIT = 6144;

/** IAM's quotas count a policy's characters without whitespace. */
export function policySize(text: string): number {
  let size = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) size++;
  }
  return size;
}

/** What GetUserPolicy, GetPolicyVersion, GetRole, … put in their document members. */
export function encodePolicyText(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
