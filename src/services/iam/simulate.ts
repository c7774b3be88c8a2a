// The policy simulator behind SimulatePrincipalPolicy and SimulateCustomPolicy: the request's
// actions × resources run through the same evaluator that authorizes requests, and each result
// names the statements that decided it (policy, and the statement's position in its text).
import type { ContextEntry, EvaluationResult, SimulatePolicyResponse, Statement } from "@aws-sdk/client-iam";
import { evaluate, type Decision } from "../../domain/policy/evaluate.js";
import type { PolicySource, Principal } from "../../domain/policy/request.js";
import { InvalidInput } from "./errors.js";
import { pageOfList, type PageInput } from "./paging.js";
import { statementSpans } from "./statement-positions.js";

/** A policy taking part in a simulation, with what the answer calls it. */
export interface SimulatedPolicy {
  source: PolicySource;
  /** The document's text, for statement positions; undefined when unknown. */
  text: string | undefined;
  sourcePolicyId: string;
  sourcePolicyType: string;
}

export interface Simulation {
  principal: Principal;
  identity: SimulatedPolicy[];
  boundary?: SimulatedPolicy;
  resourcePolicy?: SimulatedPolicy;
  actions: readonly string[];
  resources: readonly string[];
  resourceOwner?: string;
  contextEntries: readonly ContextEntry[];
}

const DECISIONS = { Allow: "allowed", ExplicitDeny: "explicitDeny", ImplicitDeny: "implicitDeny" } as const;

/** ContextEntries as condition-key values: list types stay lists. */
export function contextOf(entries: readonly ContextEntry[]): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  for (const entry of entries) {
    const name = entry.ContextKeyName;
    if (name === undefined) continue;
    const values = entry.ContextKeyValues ?? [];
    const list = entry.ContextKeyType?.endsWith("List") === true;
    if (list) context[name] = values;
    else if (values.length > 0) context[name] = values[0] as string;
  }
  return context;
}

const accountOfArn = (arn: string): string | undefined => {
  const parts = arn.split(":");
  return parts.length >= 6 && /^\d{12}$/.test(parts[4] ?? "") ? parts[4] : undefined;
};

function matchedStatements(decision: Decision, policies: Map<string, SimulatedPolicy>): Statement[] {
  // The statements that decided: the denies of an explicit deny, otherwise the allows that applied.
  const wanted = decision.effect === "ExplicitDeny" ? "Deny" : "Allow";
  const out: Statement[] = [];
  for (const m of decision.matched) {
    if (m.effect !== wanted) continue;
    const policy = policies.get(m.policyId);
    const span = policy?.text === undefined ? undefined : statementSpans(policy.text)[m.statementIndex];
    out.push({
      SourcePolicyId: policy?.sourcePolicyId ?? m.policyId,
      SourcePolicyType: (policy?.sourcePolicyType ?? "IAM Policy") as Statement["SourcePolicyType"],
      ...(span ? { StartPosition: span.start, EndPosition: span.end } : {}),
    });
  }
  return out;
}

export function simulate(sim: Simulation, page: PageInput): SimulatePolicyResponse {
  if (sim.actions.length === 0) throw new InvalidInput("ActionNames must contain at least one action.");
  const policies = new Map<string, SimulatedPolicy>();
  for (const p of [...sim.identity, sim.boundary, sim.resourcePolicy]) if (p) policies.set(p.source.id, p);
  const context = contextOf(sim.contextEntries);
  const results: EvaluationResult[] = [];
  for (const action of sim.actions) {
    for (const resource of sim.resources) {
      const decision = evaluate({
        principal: sim.principal,
        action,
        resource,
        resourceAccount: resource === "*" ? undefined : (sim.resourceOwner !== undefined ? accountOfArn(sim.resourceOwner) ?? sim.resourceOwner : accountOfArn(resource)),
        context,
        identityPolicies: sim.identity.map((p) => p.source),
        ...(sim.boundary ? { permissionsBoundary: sim.boundary.source } : {}),
        ...(sim.resourcePolicy ? { resourcePolicy: sim.resourcePolicy.source } : {}),
      });
      const result: EvaluationResult = {
        EvalActionName: action,
        EvalResourceName: resource,
        EvalDecision: DECISIONS[decision.effect],
        MatchedStatements: matchedStatements(decision, policies),
        MissingContextValues: [],
      };
      if (sim.boundary) {
        result.PermissionsBoundaryDecisionDetail = {
          AllowedByPermissionsBoundary: decision.matched.some((m) => m.kind === "boundary" && m.effect === "Allow"),
        };
      }
      results.push(result);
    }
  }
  const paged = pageOfList(results, page, (r) => String(results.indexOf(r)).padStart(8, "0"));
  return { EvaluationResults: paged.items, IsTruncated: paged.IsTruncated, Marker: paged.Marker };
}
