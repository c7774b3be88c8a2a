// Number and date parsing for the Numeric and Date operators (security spec §3.4).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDate, parseNumber } from "./scalars.js";

test("numbers: integers and decimals, nothing else", () => {
  assert.equal(parseNumber("7"), 7);
  assert.equal(parseNumber("-1.5"), -1.5);
  assert.equal(parseNumber(".5"), 0.5);
  assert.equal(parseNumber("+3"), 3);
  for (const bad of ["", "seven", "1e3", "0x10", "1.2.3", "Infinity", "NaN"]) assert.ok(Number.isNaN(parseNumber(bad)), bad);
});

test("dates: epoch seconds and the W3C ISO 8601 profiles", () => {
  const june = Date.UTC(2024, 5, 1);
  assert.equal(parseDate("1717200000"), june);
  assert.equal(parseDate("2024-06-01T00:00:00Z"), june);
  assert.equal(parseDate("2024-06-01"), june);
  assert.equal(parseDate("2024-06"), june);
  assert.equal(parseDate("2024-06-01T02:00+02:00"), june);
  assert.equal(parseDate("2024-05-31T19:00:00-05:00"), june);
  assert.equal(parseDate("2024-06-01T00:00:00.250Z"), june + 250);
});

test("dates: impossible or malformed values are NaN", () => {
  for (const bad of ["2024-02-30", "2024-13-01", "2024-06-01T24:00:00Z", "June 1 2024", "2024-06-01 00:00:00Z", ""]) {
    assert.ok(Number.isNaN(parseDate(bad)), bad);
  }
});
