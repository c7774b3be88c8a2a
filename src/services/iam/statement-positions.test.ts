import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { statementSpans } from "./statement-positions.js";

describe("statementSpans", () => {
  it("finds each statement of a Statement array, 1-based, end at the closing brace", () => {
    const text = '{"Version":"2012-10-17",\n "Statement":[\n  {"Effect":"Allow","Action":"a:b","Resource":"*"},\n  {"Effect":"Deny","Action":"a:c","Resource":"*"}\n ]}';
    assert.deepEqual(statementSpans(text), [
      { start: { Line: 3, Column: 3 }, end: { Line: 3, Column: 50 } },
      { start: { Line: 4, Column: 3 }, end: { Line: 4, Column: 49 } },
    ]);
  });

  it("reads a single statement object, skips other members and strings with braces and escapes", () => {
    const text = '{"Id":"x}{\\"]","Statement":{"Sid":"S","Effect":"Allow","Action":"a:b","Resource":["*"]},"Version":"2012-10-17"}';
    const [span] = statementSpans(text);
    assert.deepEqual(span?.start, { Line: 1, Column: 28 });
    assert.equal(text[(span?.end.Column ?? 0) - 1], "}");
  });

  it("answers [] for text it cannot read", () => {
    assert.deepEqual(statementSpans("[]"), []);
    assert.deepEqual(statementSpans('{"Version":"2012-10-17"}'), []);
  });
});
