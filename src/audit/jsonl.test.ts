import { test } from "node:test";
import assert from "node:assert/strict";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { chainRecord, type ChainedRecord, verifyChain } from "./chain.js";
import { formatJsonLine, jsonLineOfStored, JsonLinesError, parseJsonLine, parseJsonLines, parseJsonLineStream, toJsonLines } from "./jsonl.js";
import { buildRecord, buildServiceEvent, EVENT_SOURCES } from "./record.js";

function makeChain(length: number): ChainedRecord[] {
  const out: ChainedRecord[] = [];
  for (let n = 1; n <= length; n++) {
    const record = buildRecord({
      eventSource: EVENT_SOURCES.secretsmanager,
      eventName: "GetSecretValue",
      identity: { type: "Root", accountId: "111122223333", accessKeyId: "AKIAEXAMPLE" },
      region: "us-east-1",
      recipientAccountId: "111122223333",
      sourceIp: "203.0.113.10",
      userAgent: "agent with \"quotes\", a newline\n and ünïcödé",
      requestId: `req-${n}`,
      time: Date.UTC(2024, 0, 15, 12, n),
      request: { SecretId: `secret-${n}` },
    });
    out.push(chainRecord(out.at(-1), record));
  }
  return out;
}

function problemLine(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof JsonLinesError, String(err));
    return err.line;
  }
  assert.fail("no error");
}

test("export writes one line per record with seq, prevHash, hash and record, newline-terminated", () => {
  const chain = makeChain(3);
  const text = toJsonLines(chain);
  const lines = text.split("\n");
  assert.equal(lines.length, 4);
  assert.equal(lines[3], "");
  assert.deepEqual(Object.keys(JSON.parse(lines[0] ?? "") as object), ["seq", "prevHash", "hash", "record"]);
  assert.equal(formatJsonLine(chain[1] as ChainedRecord), `${lines[1]}\n`);
  assert.equal(toJsonLines([]), "");
});

test("round trip: parse(export) equals the records and verifies; the final newline is optional", () => {
  const chain = makeChain(5);
  const text = toJsonLines(chain);
  const parsed = parseJsonLines(text);
  assert.deepEqual(parsed, chain);
  assert.deepEqual(verifyChain(parsed), { ok: true, count: 5 });
  assert.deepEqual(parseJsonLines(text.slice(0, -1)), chain, "without the final newline");
  assert.deepEqual(parseJsonLines(text.replaceAll("\n", "\r\n")), chain, "CRLF line ends");
  assert.deepEqual(parseJsonLines(""), []);
});

test("malformed lines are reported by line number", () => {
  const lines = toJsonLines(makeChain(4)).split("\n");
  const withLine = (index: number, replacement: string) => {
    const copy = [...lines];
    copy[index] = replacement;
    return copy.join("\n");
  };
  assert.equal(problemLine(() => parseJsonLines(withLine(2, "{not json"))), 3);
  assert.equal(problemLine(() => parseJsonLines(withLine(1, ""))), 2, "blank line inside the file");
  assert.equal(problemLine(() => parseJsonLines(withLine(0, "[1,2]"))), 1);
  assert.equal(problemLine(() => parseJsonLines(withLine(3, '{"seq":4,"prevHash":"x","hash":"y","record":{}}'))), 4);
  assert.equal(problemLine(() => parseJsonLines(`${lines.slice(0, 4).join("\n")}\n\n`)), 5, "two trailing newlines");
  const line = JSON.parse(lines[0] ?? "") as Record<string, unknown>;
  assert.equal(problemLine(() => parseJsonLine(JSON.stringify({ ...line, seq: 0 }), 7)), 7);
  assert.equal(problemLine(() => parseJsonLine(JSON.stringify({ ...line, record: "text" }), 8)), 8);
  assert.match(new JsonLinesError(3, "bad").message, /^line 3: bad$/);
});

test("an edit inside an exported line parses but fails verification at that record", () => {
  const text = toJsonLines(makeChain(5));
  const edited = text.replace('"secretId":"secret-3"', '"secretId":"secret-X"');
  assert.notEqual(edited, text);
  const verdict = verifyChain(parseJsonLines(edited));
  assert.equal(verdict.ok, false);
  if (!verdict.ok) assert.deepEqual([verdict.at, verdict.problem], [3, "altered"]);

  const dropped = text.split("\n").filter((_, i) => i !== 1).join("\n");
  const removed = verifyChain(parseJsonLines(dropped));
  assert.equal(removed.ok, false);
  if (!removed.ok) assert.deepEqual([removed.at, removed.problem], [2, "removed"]);
});

test("streamed reading yields the same records and names the bad line", async () => {
  const chain = makeChain(4);
  const text = toJsonLines(chain);
  const streamed: ChainedRecord[] = [];
  for await (const entry of parseJsonLineStream(createInterface({ input: Readable.from([text]), crlfDelay: Infinity }))) {
    streamed.push(entry);
  }
  assert.deepEqual(streamed, chain);

  const bad = `${text}oops\n`;
  await assert.rejects(
    (async () => {
      for await (const _ of parseJsonLineStream(createInterface({ input: Readable.from([bad]), crlfDelay: Infinity }))) {
        // drain
      }
    })(),
    (err: unknown) => err instanceof JsonLinesError && err.line === 5,
  );
});

test("a stored record's line is the line of the parsed record", () => {
  const record = buildServiceEvent({
    eventName: "RotationStarted",
    accountId: "111122223333",
    region: "us-east-1",
    time: Date.UTC(2024, 0, 15),
    resourceArn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:x-AbCdEf",
  });
  const entry = chainRecord(undefined, record);
  const stored = { seq: entry.seq, prevHash: entry.prevHash, hash: entry.hash, record: JSON.stringify(record) };
  assert.equal(jsonLineOfStored(stored), formatJsonLine(entry));
  assert.deepEqual(parseJsonLine(jsonLineOfStored(stored).trimEnd(), 1), entry);
});
