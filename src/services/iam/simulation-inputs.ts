// The policies a simulation request brings along (PolicyInputList, the boundary list, a resource
// policy), checked with the policy grammar and named as the answer refers to them.
import type { PolicyDocument, PolicyKind } from "../../domain/policy/document.js";
import type { Principal } from "../../domain/policy/request.js";
import type { EntityRow } from "../../store/identity-ops.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { InvalidInput, NoSuchEntity, iamMessages } from "./errors.js";
import { parseIamArn } from "./identifiers.js";
import { checkIdentityPolicy, checkResourcePolicy } from "./policy-text.js";
import type { SimulatedPolicy } from "./simulate.js";

/** The user, group or role of the caller's account a PolicySourceArn names. */
export async function requirePolicySource(deps: ServiceDeps, ctx: RequestContext, sourceArn: string): Promise<EntityRow> {
  const parsed = parseIamArn(sourceArn);
  if (!parsed || !["user", "group", "role"].includes(parsed.type) || parsed.accountId !== ctx.caller.accountId) {
    throw new InvalidInput(`Invalid ARN: ${sourceArn}`);
  }
  const entity = await deps.store.identity.getEntityByArn(sourceArn);
  if (!entity) throw new NoSuchEntity(iamMessages.noSuchEntity(parsed.type as "user" | "group" | "role", parsed.name));
  return entity;
}

export function inputPolicies(texts: readonly string[] | undefined, listName: string, type: string, kind: PolicyKind = "identity"): SimulatedPolicy[] {
  return (texts ?? []).map((text, i) => {
    const document: PolicyDocument = kind === "identity" ? checkIdentityPolicy(text) : checkResourcePolicy(text);
    const id = `${listName}.${i + 1}`;
    return { source: { id, document }, text, sourcePolicyId: id, sourcePolicyType: type };
  });
}

export function inputResourcePolicy(text: string | undefined): SimulatedPolicy | undefined {
  if (text === undefined) return undefined;
  const parsed = inputPolicies([text], "ResourcePolicy", "Resource Policy", "resource")[0];
  return parsed && { ...parsed, source: { ...parsed.source, id: "ResourcePolicy" }, sourcePolicyId: "ResourcePolicy" };
}

/** The principal CallerArn names, for matching Principal elements of a resource policy. */
export function principalFromArn(arn: string, fallback: Principal): Principal {
  const user = /^arn:[^:]+:iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (user) return { ...fallback, kind: "user", arn, accountId: user[1] as string, username: user[2] as string };
  const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(arn);
  if (root) return { kind: "root", arn, accountId: root[1] as string };
  return { ...fallback, arn };
}
