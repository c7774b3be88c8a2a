// The policies that decide what an IAM user or role may do (security spec §3.8): its inline and
// attached managed policies, for a user also those of its groups, and its permissions boundary.
// Documents are parsed once per distinct text and kept (PolicyDocuments), so the engine's
// per-document compilation is reused by every request that shares them.
import { parsePolicyDocument, type PolicyDocument, type PolicyKind } from "../../domain/policy/document.js";
import type { PolicySource } from "../../domain/policy/request.js";
import type { EntityRow } from "../../store/identity-ops.js";
import type { StoreOps } from "../../store/store.js";
import type { CallerPolicies } from "../context.js";
import { awsManagedPolicy, isAwsManagedArn } from "./aws-managed-policies.js";
import { attrsOf } from "./entities.js";

const MAX_DOCUMENTS = 5_000;

/** Parsed policy documents by text. A text that no longer parses yields undefined (and is left out: deny, §3.8 notes). */
export class PolicyDocuments {
  // One map per kind: the texts (often a secret row's own string) are looked up as they are, so
  // their hash, which V8 keeps with the string, is computed once.
  private readonly parsed: Record<PolicyKind, Map<string, PolicyDocument | null>> = { identity: new Map(), resource: new Map() };
  private readonly texts = new WeakMap<PolicyDocument, string>();

  /** The text a document was parsed from (SimulatePrincipalPolicy reports statement positions in it). */
  textOf(document: PolicyDocument): string | undefined {
    return this.texts.get(document);
  }

  get(text: string, kind: PolicyKind): PolicyDocument | undefined {
    const parsed = this.parsed[kind];
    let doc = parsed.get(text);
    if (doc === undefined) {
      try {
        doc = parsePolicyDocument(text, kind);
        this.texts.set(doc, text);
      } catch {
        doc = null;
      }
      if (parsed.size >= MAX_DOCUMENTS) parsed.clear();
      parsed.set(text, doc);
    }
    return doc ?? undefined;
  }
}

/** Where a policy of a principal comes from; SimulatePrincipalPolicy reports it. */
export interface SourceInfo {
  /** SourcePolicyId: the policy name for inline policies, the ARN for managed ones. */
  id: string;
  /** SourcePolicyType: "user", "group", "role" for inline policies; "IAM Policy" for managed ones. */
  type: string;
}

const inlineId = (owner: EntityRow, policyName: string) => `inline:${owner.kind}/${owner.name}/${policyName}`;

/** The SimulatePrincipalPolicy view of a PolicySource id. */
export function sourceInfo(id: string): SourceInfo {
  const inline = /^inline:(user|group|role)\/[^/]+\/(.+)$/.exec(id);
  if (inline) return { id: inline[2] as string, type: inline[1] as string };
  if (id.startsWith("boundary:")) return { id: id.slice("boundary:".length), type: "permissions boundary" };
  if (id.startsWith("resource:")) return { id: "ResourcePolicy", type: "Resource Policy" };
  return { id, type: "IAM Policy" };
}

/** The default version's document of a managed policy the account may use; undefined when gone. */
export async function managedPolicyText(ops: StoreOps, accountId: string, arn: string): Promise<string | undefined> {
  if (isAwsManagedArn(arn)) return awsManagedPolicy(arn)?.version.document;
  const policy = await ops.identity.getManagedPolicy(arn);
  if (!policy || policy.accountId !== accountId) return undefined;
  return (await ops.identity.getPolicyVersion(arn, policy.defaultVersionId))?.document;
}

async function ownPolicies(ops: StoreOps, docs: PolicyDocuments, owner: EntityRow, out: PolicySource[]): Promise<void> {
  for (const inline of await ops.identity.listInlinePolicies(owner.id)) {
    const document = docs.get(inline.document, "identity");
    if (document) out.push({ id: inlineId(owner, inline.policyName), document });
  }
  for (const arn of await ops.identity.listAttachedPolicies(owner.id)) {
    const text = await managedPolicyText(ops, owner.accountId, arn);
    const document = text === undefined ? undefined : docs.get(text, "identity");
    if (document) out.push({ id: arn, document });
  }
}

/** Everything that governs a user or a role. */
export async function entityPolicies(ops: StoreOps, docs: PolicyDocuments, entity: EntityRow): Promise<CallerPolicies> {
  const identity: PolicySource[] = [];
  await ownPolicies(ops, docs, entity, identity);
  if (entity.kind === "user") {
    for (const group of await ops.identity.listGroupsOfUser(entity.id)) await ownPolicies(ops, docs, group, identity);
  }
  const boundaryArn = attrsOf(entity).permissionsBoundary;
  if (boundaryArn === undefined) return { identity };
  const text = await managedPolicyText(ops, entity.accountId, boundaryArn);
  // A boundary whose policy is gone allows nothing: an empty statement list would not parse, so
  // a policy that matches no action stands in for it.
  const document = (text === undefined ? undefined : docs.get(text, "identity")) ?? ALLOWS_NOTHING;
  return { identity, boundary: { id: `boundary:${boundaryArn}`, document } };
}

/** A policy that allows nothing: stands in for a boundary or session policy that no longer exists. */
export const ALLOWS_NOTHING: PolicyDocument = parsePolicyDocument(
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", NotAction: "*", Resource: "*" }] }),
  "identity",
);

/** The process's parsed documents, shared by authorization and the simulator. */
export const policyDocuments = new PolicyDocuments();
