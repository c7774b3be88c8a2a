// DescribeSecret (API spec §5.6). Works on secrets scheduled for deletion.
import type { DescribeSecretRequest, DescribeSecretResponse } from "@aws-sdk/client-secrets-manager";
import type { Operation } from "../context.js";
import { describeSecret } from "./describe.js";
import { resolveSecret } from "./resolve-secret.js";

export const DescribeSecret: Operation<DescribeSecretRequest, DescribeSecretResponse> = async (input, ctx, deps) =>
  describeSecret(await resolveSecret(deps.store, ctx, input.SecretId as string, "DescribeSecret"));
