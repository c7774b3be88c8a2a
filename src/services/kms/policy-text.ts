// Checks a key policy given to CreateKey or PutKeyPolicy: it must parse as a resource policy
// (every statement names a principal), the users and roles it names must exist, and unless the
// caller bypasses the lockout safety check it must let the caller change the policy again
// (security spec §5.4).
import { MalformedPolicyDocumentException } from "../../domain/errors.js";
import { InvalidPrincipalError, parsePolicyDocument, type PolicyDocument } from "../../domain/policy/document.js";
import type { KeyRecord } from "../../store/keys-ops.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { firstMissingPrincipal } from "../policy-principals.js";
import { kmsMessages } from "./errors.js";
import { kmsDecision } from "./key-policy.js";

function parseKeyPolicy(text: string): PolicyDocument {
  try {
    return parsePolicyDocument(text, "resource");
  } catch (err) {
    if (err instanceof InvalidPrincipalError) throw new MalformedPolicyDocumentException(kmsMessages.invalidPrincipals);
    throw err;
  }
}

export async function checkPolicyText(
  deps: ServiceDeps,
  ctx: RequestContext,
  record: KeyRecord,
  text: string,
  bypassLockoutCheck: boolean,
): Promise<void> {
  const document = parseKeyPolicy(text);
  if ((await firstMissingPrincipal(deps.store, document)) !== undefined) throw new MalformedPolicyDocumentException(kmsMessages.invalidPrincipals);
  if (bypassLockoutCheck) return;
  const entry = { record, materials: new Map<string, Buffer>(), currentMaterialId: "" };
  const decision = kmsDecision(deps, ctx, { action: "kms:PutKeyPolicy", entry, policyOverride: document });
  if (decision.effect !== "Allow") throw new MalformedPolicyDocumentException(kmsMessages.lockout);
}
