// ListSecrets (API spec §5.10, filters §6). Pages are read from the store by keyset, so a page
// costs the same whatever the number of secrets; filters are applied to the rows read, with a
// bound on rows scanned per call (a page may then hold fewer items and a NextToken, as AWS
// documents).
import { createHash } from "node:crypto";
import type { Filter, ListSecretsRequest, ListSecretsResponse } from "@aws-sdk/client-secrets-manager";
import { InvalidNextTokenException } from "../../domain/errors.js";
import { checkFilters, matchesFilters } from "../../domain/secret-filters.js";
import type { SecretRow, SecretSortKey } from "../../store/store.js";
import type { Operation, RequestContext, ServiceDeps } from "../context.js";
import { listEntry } from "./describe.js";
import { metaOf } from "./secret-meta.js";

const SCAN_LIMIT = 2_000;
const BATCH = 200;

export interface PageQuery {
  filters: Filter[];
  maxResults: number;
  nextToken: string | undefined;
  sortBy: SecretSortKey;
  descending: boolean;
  includePlannedDeletion: boolean;
}

interface Position {
  sortValue: string | number | null;
  arn: string;
}

function sortValueOf(secret: SecretRow, sortBy: SecretSortKey): string | number {
  switch (sortBy) {
    case "name":
      return secret.name;
    case "last-changed-date":
      return secret.lastChangedAt;
    case "last-accessed-date":
      return secret.lastAccessedAt ?? 0;
    default:
      return secret.createdAt;
  }
}

/** A token names the last row seen and the query it belongs to, so a token from another query is refused. */
function encodeToken(position: Position, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ p: position, q: fingerprint })).toString("base64url");
}

function decodeToken(token: string | undefined, fingerprint: string): Position | undefined {
  if (token === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { p?: Position; q?: string };
    const p = parsed.p;
    if (parsed.q === fingerprint && p && typeof p.arn === "string") return p;
  } catch {
    // fall through: any token we did not make is invalid
  }
  throw new InvalidNextTokenException("The NextToken value is invalid.");
}

export async function findSecretsPage(
  deps: ServiceDeps,
  ctx: RequestContext,
  q: PageQuery,
): Promise<{ secrets: SecretRow[]; nextToken?: string }> {
  checkFilters(q.filters);
  const fingerprint = createHash("sha256")
    .update(JSON.stringify([ctx.caller.accountId, ctx.region, q.filters, q.sortBy, q.descending, q.includePlannedDeletion]))
    .digest("base64url")
    .slice(0, 16);
  let after = decodeToken(q.nextToken, fingerprint);
  const found: SecretRow[] = [];
  let scanned = 0;
  for (;;) {
    const want = q.filters.length === 0 ? q.maxResults - found.length + 1 : BATCH;
    const rows = await deps.store.listSecrets({
      accountId: ctx.caller.accountId,
      region: ctx.region,
      includePlannedDeletion: q.includePlannedDeletion,
      sortBy: q.sortBy,
      descending: q.descending,
      after,
      limit: want,
    });
    for (const row of rows) {
      if (found.length === q.maxResults) {
        // More rows exist: continue after the last one returned.
        const last = found[found.length - 1] as SecretRow;
        return { secrets: found, nextToken: encodeToken({ sortValue: sortValueOf(last, q.sortBy), arn: last.arn }, fingerprint) };
      }
      scanned++;
      const meta = metaOf(row);
      const matches =
        q.filters.length === 0 ||
        matchesFilters(
          { name: row.name, description: meta.description, tags: meta.tags ?? [], primaryRegion: meta.primaryRegion, owningService: meta.owningService },
          q.filters,
        );
      if (matches) found.push(row);
      after = { sortValue: sortValueOf(row, q.sortBy), arn: row.arn };
    }
    if (rows.length < want) return { secrets: found };
    if (scanned >= SCAN_LIMIT && found.length < q.maxResults) {
      return { secrets: found, nextToken: encodeToken(after as Position, fingerprint) };
    }
  }
}

export const ListSecrets: Operation<ListSecretsRequest, ListSecretsResponse> = async (input, ctx, deps) => {
  const page = await findSecretsPage(deps, ctx, {
    filters: input.Filters ?? [],
    maxResults: input.MaxResults ?? 100,
    nextToken: input.NextToken,
    sortBy: (input.SortBy as SecretSortKey | undefined) ?? "created-date",
    descending: input.SortOrder === "desc",
    includePlannedDeletion: input.IncludePlannedDeletion === true,
  });
  return { SecretList: page.secrets.map(listEntry), NextToken: page.nextToken };
};
