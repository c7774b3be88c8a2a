// LookupEvents (security-and-identity.md §6.6): the account's records in this region, newest
// first, found by at most one lookup attribute (exact, case-sensitive match) within an inclusive
// time range, 50 per page by default. Each event carries the whole record as the CloudTrailEvent
// JSON string. Management events only: there are no Insights events, so that category is empty.
import type { Event, LookupEventsRequest, LookupEventsResponse } from "@aws-sdk/client-cloudtrail";
import { InvalidTimeRangeException } from "../../domain/errors.js";
import { SECRET_SUFFIX_LENGTH, secretArnPrefix } from "../../audit/lookup-resources.js";
import type { AuditLookupKey, AuditLookupQuery, AuditLookupRow } from "../../store/audit-ops.js";
import type { Operation } from "../context.js";
import { decodeLookupToken, encodeLookupToken, queryFingerprint } from "./lookup-token.js";

const DEFAULT_MAX_RESULTS = 50;

function toEvent(row: AuditLookupRow): Event {
  const event: Event = {
    EventId: row.eventId,
    EventName: row.eventName,
    ReadOnly: row.readOnly ? "true" : "false",
    EventTime: new Date(row.eventTime),
    EventSource: row.eventSource,
    Resources: row.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
    CloudTrailEvent: row.record,
  };
  if (row.accessKeyId !== null) event.AccessKeyId = row.accessKeyId;
  if (row.username !== null) event.Username = row.username;
  return event;
}

export const LookupEvents: Operation<LookupEventsRequest, LookupEventsResponse> = async (input, ctx, deps) => {
  const startTime = input.StartTime?.getTime();
  const endTime = input.EndTime?.getTime();
  if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
    throw new InvalidTimeRangeException(
      "Occurs if the timestamp values are not valid. Either the start time occurs after the end time, or the time range is outside the range of possible values.",
    );
  }
  const lookup = input.LookupAttributes?.[0];
  const attribute: AuditLookupQuery["attribute"] = lookup
    ? { key: lookup.AttributeKey as AuditLookupKey, value: lookup.AttributeValue as string }
    : undefined;
  // A secret's name finds the events that name its ARN.
  if (attribute?.key === "ResourceName" && !attribute.value.startsWith("arn:")) {
    attribute.prefix = {
      text: secretArnPrefix(deps.partition, ctx.region, ctx.caller.accountId, attribute.value),
      suffixLength: SECRET_SUFFIX_LENGTH,
    };
  }
  const fingerprint = queryFingerprint([attribute?.key, attribute?.value, startTime, endTime, input.EventCategory]);
  const before = input.NextToken === undefined ? undefined : decodeLookupToken(input.NextToken, fingerprint);
  if (input.EventCategory === "insight") return { Events: [] };
  // ReadOnly is matched as the exact text "true" or "false" (§6.6): anything else names no event.
  if (attribute?.key === "ReadOnly" && attribute.value !== "true" && attribute.value !== "false") return { Events: [] };
  const limit = input.MaxResults ?? DEFAULT_MAX_RESULTS;
  // One more than a page tells whether another page follows.
  const rows = await deps.store.audit.lookupRecords({
    accountId: ctx.caller.accountId,
    region: ctx.region,
    attribute,
    startTime,
    endTime,
    before,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const response: LookupEventsResponse = { Events: page.map(toEvent) };
  if (rows.length > limit && last) response.NextToken = encodeLookupToken(last, fingerprint);
  return response;
};
