// IAM features Coffer does not have (instance profiles, MFA devices, SSH keys, signing and server
// certificates, service-specific credentials, console passwords and their policy, SAML and OIDC
// providers), answered as AWS answers an account that never used them: empty lists, and
// NoSuchEntity for a login profile or a password policy. Tools that
// clean up before deleting a user or role (Terraform does) call these.
import type { Operation } from "../context.js";
import { requireEntity } from "./entities.js";
import { NoSuchEntity } from "./errors.js";

/** An empty list under `member`, after checking the named user or role exists (when one is named). */
export function emptyList(member: string, owner?: { kind: "user" | "role"; field: string }): Operation<Record<string, unknown>, Record<string, unknown>> {
  return async (input, ctx, deps) => {
    const name = owner === undefined ? undefined : input[owner.field];
    if (owner !== undefined && typeof name === "string") await requireEntity(deps.store, ctx.caller.accountId, owner.kind, name);
    return { [member]: [], IsTruncated: false };
  };
}

export const noLoginProfile: Operation<Record<string, unknown>, Record<string, unknown>> = async (input, ctx, deps) => {
  const name = input.UserName as string | undefined;
  if (name !== undefined) await requireEntity(deps.store, ctx.caller.accountId, "user", name);
  // [O] AWS's text for a user without a console password.
  throw new NoSuchEntity(`Login Profile for User ${name ?? "root"} cannot be found.`);
};
