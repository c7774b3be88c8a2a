// What each IAM and STS operation asks the policy engine: the action `iam:<Operation>` on the user,
// group, role or policy it names (its ARN, path included, when it exists), or "*" for account-wide
// listings; with iam:PolicyARN / iam:PermissionsBoundary where the operation takes a policy.
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

async function entityResource(store: Store, ctx: RequestContext, partition: string, kind: EntityKind, name: string, path: unknown): Promise<string> {
  const found = await store.identity.getEntity(ctx.caller.accountId, kind, name);
  return found?.arn ?? entityArn(partition, ctx.caller.accountId, kind, str(path) ?? "/", name);
}

/** The ARN an IAM operation acts on. */
export async function iamResource(store: Store, ctx: RequestContext, partition: string, operation: string, input: Input): Promise<string> {
  if (operation === "SimulatePrincipalPolicy" || operation === "GetContextKeysForPrincipalPolicy") return str(input.PolicySourceArn) ?? "*";
  if (operation === "CreatePolicy") return policyArn(partition, ctx.caller.accountId, str(input.Path) ?? "/", String(input.PolicyName));
  const role = str(input.RoleName);
  if (role !== undefined) return entityResource(store, ctx, partition, "role", role, input.Path);
  const group = str(input.GroupName);
  if (group !== undefined) return entityResource(store, ctx, partition, "group", group, input.Path);
  const user = str(input.UserName);
  if (user !== undefined) return entityResource(store, ctx, partition, "user", user, input.Path);
  if (SELF_WHEN_UNNAMED.has(operation)) return ctx.caller.principalArn;
  return str(input.PolicyArn) ?? "*";
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
