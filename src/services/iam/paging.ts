// IAM's pagination (Marker / MaxItems → IsTruncated / Marker): MaxItems defaults to 100; a marker
// is opaque to callers and names the last item of the previous page.
import { InvalidInput } from "./errors.js";

export const DEFAULT_MAX_ITEMS = 100;

export interface PageInput {
  Marker?: string;
  MaxItems?: number;
}

export interface PageOutput {
  IsTruncated: boolean;
  Marker?: string;
}

const encodeMarker = (key: string): string => Buffer.from(key, "utf8").toString("base64url");

/** The key a marker stands for; undefined without a marker. */
export function markerKey(marker: string | undefined): string | undefined {
  if (marker === undefined) return undefined;
  const key = Buffer.from(marker, "base64url").toString("utf8");
  if (key === "" || encodeMarker(key) !== marker) throw new InvalidInput("Invalid Marker.");
  return key;
}

export const maxItemsOf = (input: PageInput): number => input.MaxItems ?? DEFAULT_MAX_ITEMS;

/**
 * A page from `fetched`: up to max+1 items that follow the marker (store lists ask for one more
 * than they show, to know whether the list goes on).
 */
export function pageFrom<T>(fetched: T[], max: number, keyOf: (item: T) => string): { items: T[] } & PageOutput {
  if (fetched.length <= max) return { items: fetched, IsTruncated: false };
  const items = fetched.slice(0, max);
  return { items, IsTruncated: true, Marker: encodeMarker(keyOf(items[items.length - 1] as T)) };
}

/** A page of an in-memory list already in key order. */
export function pageOfList<T>(all: readonly T[], input: PageInput, keyOf: (item: T) => string): { items: T[] } & PageOutput {
  const after = markerKey(input.Marker);
  const rest = after === undefined ? [...all] : all.filter((item) => keyOf(item) > after);
  return pageFrom(rest, maxItemsOf(input), keyOf);
}
