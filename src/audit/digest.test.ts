import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { chainRecord, type ChainedRecord, verifyChain } from "./chain.js";
import {
  type Digest,
  digestLink,
  exportPublicKeyPem,
  generateDigestKeyPair,
  importPublicKeyPem,
  makeDigest,
  publicKeyFingerprint,
  verifyDigest,
  verifyDigestChain,
} from "./digest.js";
import { buildServiceEvent } from "./record.js";

const keys = generateDigestKeyPair();
const pem = exportPublicKeyPem(keys.publicKey);

function makeChain(length: number): ChainedRecord[] {
  const out: ChainedRecord[] = [];
  for (let n = 1; n <= length; n++) {
    const record = buildServiceEvent({
      eventName: "EndSecretVersionDelete",
      accountId: "111122223333",
      region: "us-east-1",
      time: Date.UTC(2024, 0, 15, n),
      resourceArn: `arn:aws:secretsmanager:us-east-1:111122223333:secret:s${n}-AbCdEf`,
    });
    out.push(chainRecord(out.at(-1), record));
  }
  return out;
}

function digestOver(records: readonly ChainedRecord[], from: number, to: number, previous?: Digest): Digest {
  const last = records[to - 1] as ChainedRecord;
  return makeDigest(
    {
      firstSeq: from,
      lastSeq: to,
      lastHash: last.hash,
      startTime: Date.UTC(2024, 0, 15, from - 1),
      endTime: new Date(Date.UTC(2024, 0, 15, to, 0, 0, 500)),
    },
    previous,
    keys.privateKey,
  );
}

test("a digest verifies with the signer's public key and carries the documented fields", () => {
  const records = makeChain(5);
  const digest = digestOver(records, 1, 5);
  assert.equal(verifyDigest(digest, pem), true);
  assert.equal(digest.firstSeq, 1);
  assert.equal(digest.lastSeq, 5);
  assert.equal(digest.lastHash, records[4]?.hash);
  assert.equal(digest.startTime, "2024-01-15T00:00:00Z");
  assert.equal(digest.endTime, "2024-01-15T05:00:00Z");
  assert.equal(digest.previousDigestHash, null, "the first digest has null previous fields (§6.7)");
  assert.equal(digest.previousDigestSignature, null);
  assert.equal(digest.signatureAlgorithm, "Ed25519");
  assert.equal(digest.publicKeyFingerprint, publicKeyFingerprint(keys.publicKey));
  assert.match(digest.hash, /^[0-9a-f]{64}$/);
  assert.match(digest.signature, /^[0-9a-f]{128}$/);
  assert.equal(verifyDigest(JSON.parse(JSON.stringify(digest)) as Digest, pem), true, "survives a JSON round trip");
});

test("a tampered digest is rejected, field by field", () => {
  const digest = digestOver(makeChain(5), 1, 5);
  const tampered: Digest[] = [
    { ...digest, lastSeq: 4 },
    { ...digest, firstSeq: 2 },
    { ...digest, lastHash: "0".repeat(64) },
    { ...digest, endTime: "2024-01-15T06:00:00Z" },
    { ...digest, previousDigestHash: "a".repeat(64) },
    { ...digest, hash: "b".repeat(64) },
    { ...digest, signature: `${digest.signature.slice(0, -2)}${digest.signature.endsWith("00") ? "01" : "00"}` },
    { ...digest, signature: "zz" },
    { ...digest, signatureAlgorithm: "none" },
  ];
  for (const candidate of tampered) assert.equal(verifyDigest(candidate, pem), false, JSON.stringify(candidate).slice(0, 80));
  const { lastHash: _dropped, ...missing } = digest;
  assert.equal(verifyDigest(missing as Digest, pem), false, "a missing field does not verify");
});

test("a digest does not verify under another key or an unusable PEM", () => {
  const digest = digestOver(makeChain(2), 1, 2);
  const other = exportPublicKeyPem(generateDigestKeyPair().publicKey);
  assert.equal(verifyDigest(digest, other), false);
  assert.equal(verifyDigest(digest, "not a pem"), false);
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  assert.equal(verifyDigest(digest, rsa.publicKey.export({ type: "spki", format: "pem" }).toString()), false);
});

test("keys: public key PEM round trip, private key accepted for export, only Ed25519 signs", () => {
  assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n/);
  const imported = importPublicKeyPem(pem);
  assert.equal(publicKeyFingerprint(imported), publicKeyFingerprint(keys.publicKey));
  assert.equal(exportPublicKeyPem(keys.privateKey), pem, "the public half of a private key");
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  assert.throws(() => importPublicKeyPem(rsa.publicKey.export({ type: "spki", format: "pem" }).toString()), TypeError);
  assert.throws(
    () => makeDigest({ firstSeq: 1, lastSeq: 1, lastHash: "0".repeat(64), startTime: 0, endTime: 0 }, undefined, rsa.privateKey),
    TypeError,
  );
  assert.throws(
    () => makeDigest({ firstSeq: 1, lastSeq: 1, lastHash: "0".repeat(64), startTime: 0, endTime: 0 }, undefined, keys.publicKey),
    TypeError,
  );
  assert.throws(
    () => makeDigest({ firstSeq: 5, lastSeq: 2, lastHash: "0".repeat(64), startTime: 0, endTime: 0 }, undefined, keys.privateKey),
    RangeError,
  );
});

test("digests chain to the previous digest's hash and signature; breaks and gaps are found", () => {
  const records = makeChain(9);
  const d1 = digestOver(records, 1, 3);
  const d2 = digestOver(records, 4, 6, d1);
  const d3 = digestOver(records, 7, 9, d2);
  assert.equal(d2.previousDigestHash, d1.hash);
  assert.equal(d2.previousDigestSignature, d1.signature);
  assert.deepEqual(verifyDigestChain([d1, d2, d3], pem), { ok: true, count: 3 });

  const unlinked = digestOver(records, 7, 9, d1);
  const broken = verifyDigestChain([d1, d2, unlinked], pem);
  assert.equal(broken.ok, false);
  if (!broken.ok) assert.equal(broken.index, 2);

  const gap = verifyDigestChain([d1, d3], pem);
  assert.equal(gap.ok, false);
  if (!gap.ok) assert.equal(gap.index, 1);

  const forged = verifyDigestChain([d1, { ...d2, lastSeq: 7 }, d3], pem);
  assert.equal(forged.ok, false);
  if (!forged.ok) assert.equal(forged.index, 1);
});

test("an hour with no records gets an empty digest that keeps the previous last hash", () => {
  const records = makeChain(3);
  const d1 = digestOver(records, 1, 3);
  const empty = makeDigest(
    { firstSeq: 4, lastSeq: 3, lastHash: d1.lastHash, startTime: "2024-01-15T03:00:00Z", endTime: "2024-01-15T04:00:00Z" },
    d1,
    keys.privateKey,
  );
  assert.deepEqual(verifyDigestChain([d1, empty], pem), { ok: true, count: 2 });
  const wrong = makeDigest({ ...empty, lastHash: "1".repeat(64) }, d1, keys.privateKey);
  assert.equal(verifyDigestChain([d1, wrong], pem).ok, false);
});

test("retention: records a digest covers are deleted, the rest verifies from the digest's link", () => {
  const records = makeChain(20);
  const d1 = digestOver(records, 1, 10);
  const d2 = digestOver(records, 11, 20, d1);
  const remaining = records.slice(10); // records 1..10 deleted, d1 kept

  assert.deepEqual(verifyDigestChain([d1, d2], pem), { ok: true, count: 2 });
  assert.equal(remaining[0]?.prevHash, d1.lastHash, "first remaining record links to the last deleted one");
  assert.deepEqual(verifyChain(remaining, { startAfter: digestLink(d1), through: digestLink(d2) }), { ok: true, count: 10 });

  const tampered = structuredClone(remaining);
  (tampered[4] as ChainedRecord).record.awsRegion = "eu-west-1";
  const verdict = verifyChain(tampered, { startAfter: digestLink(d1), through: digestLink(d2) });
  assert.equal(verdict.ok, false);
  if (!verdict.ok) assert.deepEqual([verdict.at, verdict.problem], [15, "altered"]);

  const truncated = verifyChain(remaining.slice(0, 7), { startAfter: digestLink(d1), through: digestLink(d2) });
  assert.equal(truncated.ok, false);
  if (!truncated.ok) assert.deepEqual([truncated.at, truncated.problem], [18, "removed"]);
});
