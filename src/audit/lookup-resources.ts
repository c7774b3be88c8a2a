// The resources LookupEvents shows for a record and finds it by (ResourceName, ResourceType).
// CloudTrail's event history derives these from the call rather than from the record's own
// `resources` field (which Secrets Manager records leave out, §6.1), so they are kept beside the
// record: a secret by its ARN once the call resolved it, otherwise by the id the caller gave. A
// secret's name finds its ARN by prefix (LookupEvents asks for both), so it is not stored again;
// only an id that is neither (a partial ARN) is kept as a further name. Only identifiers are read
// here, never a value member.
import type { AuditResourceRef } from "../store/audit-ops.js";
import type { AuditResource, CloudTrailRecord } from "./record.js";
import { EVENT_SOURCES, IAM_ROLE_RESOURCE_TYPE, KMS_KEY_RESOURCE_TYPE, SECRET_RESOURCE_TYPE, resourceFromArn } from "./record.js";

export interface LookupResources {
  resources: AuditResourceRef[];
  lookupNames: string[];
}

type Members = Readonly<Record<string, unknown>>;

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
const members = (value: unknown): Members | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Members) : undefined;

class Collector {
  private readonly resources = new Map<string, AuditResourceRef>();
  private readonly names = new Set<string>();

  add(type: string, name: string | undefined): void {
    if (name !== undefined) this.resources.set(`${type}\n${name}`, { type, name });
  }

  alias(name: string | undefined): void {
    if (name !== undefined) this.names.add(name);
  }

  result(): LookupResources {
    const resources = [...this.resources.values()];
    const shown = new Set(resources.map((r) => r.name));
    return { resources, lookupNames: [...this.names].filter((n) => !shown.has(n)) };
  }
}

/** A partial ARN the caller gave for a secret whose full ARN is known: kept to find the record by. */
const partialArn = (given: string | undefined, arn: string | undefined) =>
  given !== undefined && arn !== undefined && given.startsWith("arn:") && given !== arn ? given : undefined;

function secret(out: Collector, request: Members | undefined, response: Members | undefined): void {
  const arn = text(response?.ARN);
  const given = text(request?.SecretId) ?? text(request?.Name);
  if (arn !== undefined) {
    out.add(SECRET_RESOURCE_TYPE, arn);
    out.alias(partialArn(given, arn));
  } else {
    out.add(SECRET_RESOURCE_TYPE, given);
  }
  // BatchGetSecretValue: every secret it read.
  const values = response?.SecretValues;
  if (Array.isArray(values)) for (const entry of values) out.add(SECRET_RESOURCE_TYPE, text(members(entry)?.ARN));
}

/** The prefix of the ARNs of secrets named `name` (their six-character suffix follows it). */
export function secretArnPrefix(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${name}-`;
}
export const SECRET_SUFFIX_LENGTH = 6;

/** For an API call: from the request as decoded and the operation's result (undefined on failure). */
export function lookupResourcesOfCall(eventSource: string, request: unknown, response: unknown): LookupResources {
  const out = new Collector();
  const req = members(request);
  const res = members(response);
  switch (eventSource) {
    case EVENT_SOURCES.secretsmanager:
      secret(out, req, res);
      break;
    case EVENT_SOURCES.kms: {
      const key = text(members(res?.KeyMetadata)?.Arn) ?? text(res?.KeyId);
      out.add(KMS_KEY_RESOURCE_TYPE, key ?? text(req?.KeyId));
      if (key !== undefined) out.alias(text(req?.KeyId));
      break;
    }
    case EVENT_SOURCES.iam:
      out.add("AWS::IAM::User", text(req?.UserName));
      out.add(IAM_ROLE_RESOURCE_TYPE, text(req?.RoleName));
      out.add("AWS::IAM::Policy", text(req?.PolicyArn));
      out.add("AWS::IAM::Group", text(req?.GroupName));
      break;
    case EVENT_SOURCES.sts:
      out.add(IAM_ROLE_RESOURCE_TYPE, text(req?.RoleArn));
      break;
  }
  return out.result();
}

/** For a record the service wrote on its own (§6.4): the secret or key it concerns. */
export function lookupResourcesOfRecord(record: CloudTrailRecord): LookupResources {
  const out = new Collector();
  out.add(SECRET_RESOURCE_TYPE, text(record.additionalEventData?.SecretId));
  for (const resource of record.resources ?? []) out.add(resource.type, resource.ARN);
  return out.result();
}

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The record's own `resources` field (§6.1): a KMS call names the key it used (by ARN: given, or
 * answered, or made from a bare key id in the caller's account and region), AssumeRole the role.
 * Secrets Manager calls carry none, as in AWS's samples.
 */
export function recordResourcesOfCall(
  eventSource: string,
  operation: string,
  request: unknown,
  response: unknown,
  where: { partition: string; region: string; accountId: string },
): AuditResource[] | undefined {
  const req = members(request);
  const res = members(response);
  if (eventSource === EVENT_SOURCES.kms) {
    const named = [text(members(res?.KeyMetadata)?.Arn), text(res?.KeyId), text(req?.KeyId), text(req?.TargetKeyId)];
    let arn = named.find((id) => id?.startsWith("arn:") && id.includes(":key/"));
    if (arn === undefined) {
      const bare = named.find((id) => id !== undefined && KEY_ID.test(id));
      if (bare !== undefined) arn = `arn:${where.partition}:kms:${where.region}:${where.accountId}:key/${bare}`;
    }
    return arn === undefined ? undefined : [resourceFromArn(arn, KMS_KEY_RESOURCE_TYPE)];
  }
  if (eventSource === EVENT_SOURCES.sts && operation === "AssumeRole") {
    const role = text(req?.RoleArn);
    return role?.startsWith("arn:") ? [resourceFromArn(role, IAM_ROLE_RESOURCE_TYPE)] : undefined;
  }
  return undefined;
}
