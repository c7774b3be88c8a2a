// Coffer's account API: JSON over the same endpoint, X-Amz-Target "CofferAccounts.<Operation>",
// SigV4-signed with signing name "coffer" by the operator (the root user of the account made at
// first start); `coffer account create|list` calls it. Not an AWS API: AWS makes accounts through
// Organizations, which Coffer does not model. Only the operator may call it (server/authorize.ts).
import { ValidationException } from "../../../domain/errors.js";
import type { Operation } from "../../context.js";
import { CreateAccount } from "./create-account.js";
import { ListAccounts } from "./list-accounts.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const accountOperations: Record<string, Operation<any, any>> = { CreateAccount, ListAccounts };

export const ACCOUNTS_TARGET_PREFIX = "CofferAccounts";

const ACCOUNT_NAME = /^[\w+=,.@ -]{1,50}$/;

export function validateAccountsInput(operation: string, input: Record<string, unknown>): Record<string, unknown> {
  if (operation !== "CreateAccount" || input.Name === undefined) return {};
  if (typeof input.Name !== "string" || !ACCOUNT_NAME.test(input.Name)) {
    throw new ValidationException("1 validation error detected: Value at 'name' failed to satisfy constraint: Member must be 1 to 50 letters, digits, spaces or any of _+=,.@-");
  }
  return { Name: input.Name };
}
