// BatchGetSecretValue (API spec §5.1): up to 20 current values by id list or by filters.
// Problems with one secret become entries of Errors; the call itself succeeds.
import type {
  APIErrorType,
  BatchGetSecretValueRequest,
  BatchGetSecretValueResponse,
  SecretValueEntry,
} from "@aws-sdk/client-secrets-manager";
import { InvalidParameterException, InvalidRequestException, ServiceError, messages } from "../../domain/errors.js";
import type { SecretRow } from "../../store/store.js";
import type { Operation, RequestContext, ServiceDeps } from "../context.js";
import { findSecretsPage } from "./list-secrets.js";
import { readValue, recordAccess, valueMembers } from "./read-value.js";
import { resolveSecret } from "./resolve-secret.js";

async function currentValue(deps: ServiceDeps, ctx: RequestContext, secret: SecretRow): Promise<SecretValueEntry> {
  if (secret.deletedAt !== null) throw new InvalidRequestException(messages.markedForDeletion);
  const read = await readValue(deps, ctx, secret, undefined, undefined);
  await recordAccess(deps, ctx, secret, read.version);
  return valueMembers(secret, read);
}

export const BatchGetSecretValue: Operation<BatchGetSecretValueRequest, BatchGetSecretValueResponse> = async (input, ctx, deps) => {
  const byIds = input.SecretIdList !== undefined;
  const byFilters = input.Filters !== undefined;
  if (byIds === byFilters) {
    throw new InvalidParameterException("Either 'SecretIdList' or 'Filters' must be provided, but not both.");
  }
  if (input.MaxResults !== undefined && !byFilters) {
    throw new InvalidParameterException("'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.");
  }
  const values: SecretValueEntry[] = [];
  const errors: APIErrorType[] = [];
  const collect = async (secretId: string, load: () => Promise<SecretRow>) => {
    try {
      values.push(await currentValue(deps, ctx, await load()));
    } catch (err) {
      if (!(err instanceof ServiceError) || err.status >= 500) throw err;
      errors.push({ SecretId: secretId, ErrorCode: err.code, Message: err.message });
    }
  };
  if (byIds) {
    for (const id of input.SecretIdList as string[]) {
      // BatchGetSecretValue needs GetSecretValue on each secret too (security spec §3.6); a denial is this entry's error.
      await collect(id, async () => {
        await deps.access?.checkSecret(ctx, "GetSecretValue", id);
        return resolveSecret(deps.store, ctx, id, "GetSecretValue");
      });
    }
    return { SecretValues: values, Errors: errors };
  }
  const page = await findSecretsPage(deps, ctx, {
    filters: input.Filters ?? [],
    maxResults: input.MaxResults ?? 20,
    nextToken: input.NextToken,
    sortBy: "created-date",
    descending: false,
    includePlannedDeletion: false,
  });
  for (const secret of page.secrets) {
    await collect(secret.name, async () => {
      await deps.access?.checkSecret(ctx, "GetSecretValue", secret.arn);
      return secret;
    });
  }
  return { SecretValues: values, Errors: errors, NextToken: page.nextToken };
};
