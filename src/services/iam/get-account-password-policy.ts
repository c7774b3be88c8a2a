// GetAccountPasswordPolicy: Coffer has no console passwords, so no account has a password policy
// (see features-absent.ts); AWS answers such an account NoSuchEntity.
import type { Operation } from "../context.js";
import { NoSuchEntity } from "./errors.js";

export const GetAccountPasswordPolicy: Operation<Record<string, never>, never> = async (_input, ctx) => {
  // [O] AWS's text for an account without a password policy.
  throw new NoSuchEntity(`The Password Policy with domain name ${ctx.caller.accountId} cannot be found.`);
};
