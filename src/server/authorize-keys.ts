// Which condition keys a request's policies can read. Building the request context of §3.5 costs
// more than evaluating most policies, and most policies read no request value at all (or only
// the caller's own attributes, which the engine derives from the principal itself), so the
// context is built only when some policy in play refers to a key that comes from the request.
import type { PolicyDocument } from "../domain/policy/document.js";
import type { PolicySource } from "../domain/policy/request.js";
import type { CallerPolicies } from "../services/context.js";

/** Keys the engine answers from the principal and the resource account without a context entry. */
const DERIVED = new Set(["aws:username", "aws:userid", "aws:principalarn", "aws:principalaccount", "aws:principaltype", "aws:principalservicename", "aws:resourceaccount"]);
const isDerived = (lowerKey: string) => DERIVED.has(lowerKey) || lowerKey.startsWith("aws:principaltag/");

const VARIABLE = /\$\{([^}]*)\}/g;

function variablesIn(text: string, into: Set<string>): void {
  if (!text.includes("${")) return;
  for (const match of text.matchAll(VARIABLE)) {
    const name = (match[1] ?? "").split(",")[0]?.trim().toLowerCase() ?? "";
    if (name !== "" && name !== "*" && name !== "?" && name !== "$" && !isDerived(name)) into.add(name);
  }
}

const byDocument = new WeakMap<PolicyDocument, boolean>();

/** Whether the document reads any request-dependent key (in a condition or a policy variable). */
export function readsRequest(document: PolicyDocument): boolean {
  let reads = byDocument.get(document);
  if (reads !== undefined) return reads;
  const keys = new Set<string>();
  for (const statement of document.statements) {
    for (const block of statement.condition.values()) {
      for (const [key, values] of block) {
        const lower = key.toLowerCase();
        if (!isDerived(lower)) keys.add(lower);
        for (const value of values) variablesIn(value, keys);
      }
    }
    for (const pattern of statement.resource?.value ?? []) variablesIn(pattern, keys);
  }
  reads = keys.size > 0;
  byDocument.set(document, reads);
  return reads;
}

const byPolicies = new WeakMap<CallerPolicies, boolean>();

/** Whether any of a caller's policies reads a request-dependent key; computed once per caller. */
export function policiesReadRequest(policies: CallerPolicies | undefined): boolean {
  if (policies === undefined) return false;
  let reads = byPolicies.get(policies);
  if (reads === undefined) {
    const all: PolicySource[] = [...policies.identity, ...(policies.boundary ? [policies.boundary] : []), ...(policies.session ?? [])];
    reads = all.some((p) => readsRequest(p.document));
    byPolicies.set(policies, reads);
  }
  return reads;
}
