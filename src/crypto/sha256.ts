// SHA-256 as lowercase hex, for the request path (SigV4) and the audit chain. One-shot hashing
// (crypto.hash, Node 20.12+) makes no Hash object per call, which is most of what hashing a
// short input costs.
import * as crypto from "node:crypto";

const oneShot = (crypto as { hash?: typeof crypto.hash }).hash;

export function sha256Hex(data: string | Buffer): string {
  return oneShot ? oneShot("sha256", data, "hex") : crypto.createHash("sha256").update(data).digest("hex");
}
