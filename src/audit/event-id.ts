// CloudTrail event ids. Each is a UUID in the version 7 layout (RFC 9562): 48 bits of Unix time
// in milliseconds, then 74 random bits. Records are stored in time order, so time-ordered ids
// land at the end of the EventId index instead of on a random page of it: a random (version 4)
// id dirtied one more index page per record, the largest single cost of storing a read's record.
import { randomFillSync } from "node:crypto";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
// Random bytes drawn in bulk: one getrandom call serves many ids.
const POOL_IDS = 256;
const pool = Buffer.alloc(10 * POOL_IDS);
let next = POOL_IDS;

export function timeOrderedEventId(nowMs: number = Date.now()): string {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const r = 10 * next++;
  const high = Math.floor(nowMs / 0x10000); // the top 32 of the 48 time bits
  const low = nowMs % 0x10000;
  const b = (i: number) => HEX[pool[r + i] as number] as string;
  return (
    high.toString(16).padStart(8, "0") +
    "-" +
    low.toString(16).padStart(4, "0") +
    "-" +
    HEX[0x70 | ((pool[r] as number) & 0x0f)] + b(1) +
    "-" +
    HEX[0x80 | ((pool[r + 2] as number) & 0x3f)] + b(3) +
    "-" +
    b(4) + b(5) + b(6) + b(7) + b(8) + b(9)
  );
}
