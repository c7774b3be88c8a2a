// Policy documents as IAM takes and gives them: checked with the one policy grammar (identity
// policies without Principal, trust policies with it), sized without whitespace as IAM counts
// them, and returned URL-encoded (RFC 3986) as IAM's API returns every document; the AWS CLI and
// boto3 decode them, the JS SDK hands the encoded text to the caller.
import { MalformedPolicyDocumentException, messages } from "../../domain/errors.js";
import { InvalidPrincipalError, parsePolicyDocument, policyMessages, type PolicyDocument } from "../../domain/policy/document.js";
import { MalformedPolicyDocument, iamMessages } from "./errors.js";

/**
 * An identity (permissions, boundary) policy: no Principal, Resource required. IAM reports text
 * that is not a policy at all, or an unknown Version, as "Syntax errors in policy." [O]; a managed
 * policy (CreatePolicy, CreatePolicyVersion) must also be written in the 2012-10-17 language [O].
 */
export function checkIdentityPolicy(text: string, options: { managed?: boolean } = {}): PolicyDocument {
  const document = asIamError(() => parsePolicyDocument(text, "identity"), SYNTAX_ERRORS);
  if (options.managed && document.version !== "2012-10-17") throw new MalformedPolicyDocument(iamMessages.managedPolicyVersion);
  return document;
}

/** A resource policy (a simulation's ResourcePolicy): every statement names a principal. */
export function checkResourcePolicy(text: string): PolicyDocument {
  return asIamError(() => parsePolicyDocument(text, "resource"), new Map());
}

/**
 * A role trust policy: a resource policy on the role, so every statement names a principal; and,
 * being about the role itself, it names no resource [O].
 */
export function checkTrustPolicy(text: string): PolicyDocument {
  const document = checkResourcePolicy(text);
  if (document.statements.some((statement) => statement.resource !== undefined)) {
    throw new MalformedPolicyDocument(iamMessages.prohibitedField(document.statements.some((st) => st.resource?.negated) ? "NotResource" : "Resource"));
  }
  return document;
}

/** The grammar's texts IAM words differently for identity policies. */
const SYNTAX_ERRORS = new Map<string, string>([
  [policyMessages.invalidJson, policyMessages.syntaxErrors],
  [messages.policyInvalidSyntax, policyMessages.syntaxErrors],
]);

function asIamError<T>(parse: () => T, reworded: ReadonlyMap<string, string>): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof InvalidPrincipalError) throw new MalformedPolicyDocument(iamMessages.invalidPrincipal(err.principalType, err.principal));
    if (err instanceof MalformedPolicyDocumentException) throw new MalformedPolicyDocument(reworded.get(err.message) ?? err.message);
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
