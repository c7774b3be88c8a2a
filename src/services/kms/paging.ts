// List markers of the KMS List* operations: an opaque token naming where the next page starts.
// A marker that this server did not hand out is InvalidMarkerException.
import { InvalidMarkerException, kmsMessages } from "./errors.js";

export function encodeMarker(position: string): string {
  return Buffer.from(`coffer:${position}`, "utf8").toString("base64url");
}

export function decodeMarker(marker: string | undefined): string | undefined {
  if (marker === undefined) return undefined;
  const text = Buffer.from(marker, "base64url").toString("utf8");
  if (!text.startsWith("coffer:")) throw new InvalidMarkerException(kmsMessages.invalidMarker);
  return text.slice("coffer:".length);
}

/** A page of an in-memory list by index. */
export function pageByIndex<T>(items: readonly T[], marker: string | undefined, limit: number): { page: T[]; next?: string } {
  const startText = decodeMarker(marker);
  const start = startText === undefined ? 0 : Number(startText);
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw new InvalidMarkerException(kmsMessages.invalidMarker);
  const page = items.slice(start, start + limit);
  return start + limit < items.length ? { page, next: encodeMarker(String(start + limit)) } : { page };
}
