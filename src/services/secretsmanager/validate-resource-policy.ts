// ValidateResourcePolicy (API spec §5.23): findings come back as ValidationErrors, not errors.
import type { ValidateResourcePolicyRequest, ValidateResourcePolicyResponse } from "@aws-sdk/client-secrets-manager";
import { validateResourcePolicy } from "../../domain/policy/public-access.js";
import type { Operation } from "../context.js";
import { resolveSecret } from "./resolve-secret.js";

export const ValidateResourcePolicy: Operation<ValidateResourcePolicyRequest, ValidateResourcePolicyResponse> = async (
  input,
  ctx,
  deps,
) => {
  if (input.SecretId !== undefined) await resolveSecret(deps.store, ctx, input.SecretId, "ValidateResourcePolicy");
  return validateResourcePolicy(input.ResourcePolicy as string);
};
