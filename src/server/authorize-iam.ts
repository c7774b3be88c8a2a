// What each IAM and STS operation asks the policy engine: the action `iam:<Operation>` on the user,
// group, role or policy it names (its ARN, path included, when it exists), on the listed path's
// ARN for ListUsers/Roles/Groups/Policies, or "*" for what is account-wide; with iam:PolicyARN / iam:PermissionsBoundary where the operation takes a policy.
// AssumeRole is decided against the role's trust policy as a mandatory resource policy (§3.8,
// §4.3), with the sts: condition keys of the request.
import type { RequestContext } from "../services/context.js";
import { entityArn, policyArn } from "../services/iam/identifiers.js";
import type { EntityKind } from "../store/identity-ops.js";
import type { Store } from "../store/store.js";

type Input = Record<string, unknown>;
type Context = Record<string, string | string[] | undefined>;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Operations on the caller itself when UserName is left out. */
const SELF_WHEN_UNNAMED = new Set(["GetUser", "CreateAccessKey", "ListAccessKeys", "UpdateAccessKey", "DeleteAccessKey"]);

/** What an IAM operation is decided on, and how its denial names it. */
export interface IamTarget {
  resource: string;
  /** After "on resource:" in a denial; undefined leaves the part out. */
  shown: string | undefined;
}

/** The listings whose resource is the path they list: `arn:…:user/` with PathPrefix appended. */
const LISTED_KIND: Record<string, EntityKind | "policy"> = { ListUsers: "user", ListRoles: "role", ListGroups: "group", ListPolicies: "policy" };

async function entityTarget(store: Store, ctx: RequestContext, partition: string, kind: EntityKind, name: string, path: unknown): Promise<IamTarget> {
  const found = await store.identity.getEntity(ctx.caller.accountId, kind, name);
  // IAM names an entity by kind and name in its denials: "on resource: user alice".
  return { resource: found?.arn ?? entityArn(partition, ctx.caller.accountId, kind, str(path) ?? "/", name), shown: `${kind} ${name}` };
}

/** A policy is named by its name in the caller's account, by its ARN elsewhere (AWS managed). */
function policyTarget(ctx: RequestContext, arn: string): IamTarget {
  const own = `:iam::${ctx.caller.accountId}:policy/`;
  const at = arn.indexOf(own);
  return { resource: arn, shown: `policy ${at < 0 ? arn : arn.slice(arn.lastIndexOf("/") + 1)}` };
}

/** The resource an IAM operation acts on, as IAM's denials show it (observed texts). */
export async function iamTarget(store: Store, ctx: RequestContext, partition: string, operation: string, input: Input): Promise<IamTarget> {
  if (operation === "SimulatePrincipalPolicy" || operation === "GetContextKeysForPrincipalPolicy") {
    const source = str(input.PolicySourceArn);
    return { resource: source ?? "*", shown: source };
  }
  if (operation === "CreatePolicy") {
    const name = String(input.PolicyName);
    return { resource: policyArn(partition, ctx.caller.accountId, str(input.Path) ?? "/", name), shown: `policy ${name}` };
  }
  const listed = LISTED_KIND[operation];
  if (listed !== undefined) {
    const prefix = str(input.PathPrefix) ?? "/";
    const resource = `arn:${partition}:iam::${ctx.caller.accountId}:${listed}${prefix}`;
    return { resource, shown: listed === "policy" ? `policy path ${prefix}` : resource };
  }
  const role = str(input.RoleName);
  if (role !== undefined) return entityTarget(store, ctx, partition, "role", role, input.Path);
  const group = str(input.GroupName);
  if (group !== undefined) return entityTarget(store, ctx, partition, "group", group, input.Path);
  const user = str(input.UserName);
  if (user !== undefined) return entityTarget(store, ctx, partition, "user", user, input.Path);
  if (SELF_WHEN_UNNAMED.has(operation)) {
    const self = ctx.caller.principalArn;
    const name = self.includes(":user/") ? self.slice(self.lastIndexOf("/") + 1) : undefined;
    return { resource: self, shown: name === undefined ? self : `user ${name}` };
  }
  const policy = str(input.PolicyArn);
  if (policy !== undefined) return policyTarget(ctx, policy);
  return { resource: "*", shown: undefined };
}

/** IAM's own condition keys for the operations that take a policy. */
export function iamContext(input: Input): Context {
  const context: Context = {};
  const policy = str(input.PolicyArn);
  if (policy !== undefined && str(input.UserName ?? input.GroupName ?? input.RoleName) !== undefined) context["iam:PolicyARN"] = policy;
  const boundary = str(input.PermissionsBoundary);
  if (boundary !== undefined) context["iam:PermissionsBoundary"] = boundary;
  return context;
}

interface TagInput {
  Key?: string;
  Value?: string;
}

/** The condition keys of an AssumeRole request (§4.3). */
export function assumeRoleContext(input: Input): Context {
  const context: Context = {
    "sts:RoleSessionName": str(input.RoleSessionName),
    "sts:ExternalId": str(input.ExternalId),
    "sts:SourceIdentity": str(input.SourceIdentity),
  };
  if (Array.isArray(input.Tags)) {
    const keys: string[] = [];
    for (const tag of input.Tags as TagInput[]) {
      if (typeof tag.Key !== "string") continue;
      context[`aws:RequestTag/${tag.Key}`] = tag.Value ?? "";
      keys.push(tag.Key);
    }
    context["aws:TagKeys"] = keys;
  }
  if (Array.isArray(input.TransitiveTagKeys)) context["sts:TransitiveTagKeys"] = input.TransitiveTagKeys as string[];
  return context;
}

/** The further STS actions an AssumeRole request needs (§4.3): session tags, source identity. */
export function assumeRoleAlso(input: Input): string[] {
  const also: string[] = [];
  if (Array.isArray(input.Tags) && input.Tags.length > 0) also.push("sts:TagSession");
  if (input.SourceIdentity !== undefined) also.push("sts:SetSourceIdentity");
  return also;
}
