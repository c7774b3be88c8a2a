// Prepared records of repeated reads, from templates. A client that reads the same secret over
// and over makes records that differ only in their time, request id and event id; building,
// serialising and canonicalising each one anew was most of what auditing a read cost. The first
// such record is built the ordinary way with markers in those three fields; both of its texts
// (as stored, and canonical for the chain hash) are split at the markers, and later records are
// the texts with the values put back in. The three values are plain ASCII that JSON writes as is
// (an ISO time and two UUIDs) and key order does not depend on values, so the result is exactly
// the text the ordinary way produces — record-templates.test.ts compares the two.
import { prepareRecord, type PreparedRecord } from "./append.js";
import type { LookupResources } from "./lookup-resources.js";
import { formatEventTime } from "./parameters.js";
import type { CloudTrailRecord } from "./record.js";

/** Operations whose successful records are made from templates: reads whose record depends
 * only on who asked, from where, what the request said and which secret it found. */
export const TEMPLATED_OPERATIONS: ReadonlySet<string> = new Set(["GetSecretValue", "DescribeSecret"]);

const MARK = { time: "\u2063t\u2063", request: "\u2063r\u2063", event: "\u2063e\u2063" } as const;
type Slot = keyof typeof MARK;
/** Only these may go in a slot: what JSON writes unchanged inside quotes. */
const PLAIN = /^[0-9A-Za-z:.\-]+$/;

interface Text {
  parts: string[];
  slots: Slot[];
}

interface Template {
  json: Text;
  canonical: Text;
  record: Omit<PreparedRecord, "json" | "canonical" | "eventTime" | "eventId">;
}

/** The values that change from one record of a template to the next. */
export interface SlotValues {
  time: number;
  requestId: string;
  eventId: string;
}

const MAX_PER_OWNER = 256;

/**
 * `text` as a string V8 stores one byte a character when it can be. A slice of a text that held
 * a marker is stored two bytes a character even where all of it is ASCII, and every record
 * filled from it would be too: slower to hash and to hand to the store, both of which take it
 * apart into UTF-8 again.
 */
function compact(text: string): string {
  return /^[\x00-\xff]*$/.test(text) ? Buffer.from(text, "latin1").toString("latin1") : text;
}

function split(text: string): Text | undefined {
  const found = (Object.keys(MARK) as Slot[])
    .map((slot) => ({ slot, at: text.indexOf(MARK[slot]) }))
    .sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let from = 0;
  for (const { slot, at } of found) {
    // Each marker exactly once: otherwise the text is not a template of this record.
    if (at < from || text.indexOf(MARK[slot], at + 1) !== -1) return undefined;
    parts.push(compact(text.slice(from, at)));
    from = at + MARK[slot].length;
  }
  parts.push(compact(text.slice(from)));
  return { parts, slots: found.map((f) => f.slot) };
}

function fill(text: Text, values: Record<Slot, string>): string {
  let out = text.parts[0] as string;
  for (let i = 0; i < text.slots.length; i++) out += values[text.slots[i] as Slot] + (text.parts[i + 1] as string);
  return out;
}

/**
 * Templates keyed by an owner object (the caller, whose identity is part of every record) and a
 * string naming everything else the record depends on.
 */
export class RecordTemplates {
  private readonly byOwner = new WeakMap<object, Map<string, Template | null>>();

  /**
   * The prepared record for `values`: from the template for (owner, key), made on first use from
   * the record `build` gives (any time, request and event id: they are replaced by markers).
   * Undefined when no template can be made; the caller then prepares the record the ordinary way.
   */
  prepare(
    owner: object,
    key: string,
    values: SlotValues,
    build: () => { record: CloudTrailRecord; lookup: LookupResources },
  ): PreparedRecord | undefined {
    if (!PLAIN.test(values.requestId) || !PLAIN.test(values.eventId)) return undefined;
    let templates = this.byOwner.get(owner);
    if (templates === undefined) this.byOwner.set(owner, (templates = new Map()));
    let template = templates.get(key);
    if (template === undefined) {
      if (templates.size >= MAX_PER_OWNER) templates.clear();
      template = makeTemplate(build());
      templates.set(key, template);
    }
    if (template === null) return undefined;
    const eventTime = formatEventTime(values.time);
    const slotValues = { time: eventTime, request: values.requestId, event: values.eventId };
    const r = template.record;
    // Member by member rather than a spread with extra members, which V8 makes slowly.
    return {
      json: fill(template.json, slotValues),
      canonical: fill(template.canonical, slotValues),
      eventTime: Math.floor(values.time / 1000) * 1000, // the second eventTime names
      accountId: r.accountId,
      region: r.region,
      eventId: values.eventId,
      eventName: r.eventName,
      eventSource: r.eventSource,
      username: r.username,
      accessKeyId: r.accessKeyId,
      readOnly: r.readOnly,
      lookup: r.lookup,
    };
  }
}

function makeTemplate(built: { record: CloudTrailRecord; lookup: LookupResources }): Template | null {
  // Same keys in the same order, the three values replaced by markers.
  const marked: CloudTrailRecord = { ...built.record, eventTime: MARK.time, requestID: MARK.request, eventID: MARK.event };
  const prepared = prepareRecord(marked, built.lookup);
  const json = split(prepared.json);
  const canonical = split(prepared.canonical);
  if (json === undefined || canonical === undefined) return null;
  const { json: _json, canonical: _canonical, eventTime: _time, eventId: _id, ...rest } = prepared;
  return { json, canonical, record: rest };
}
