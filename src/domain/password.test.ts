import { test } from "node:test";
import * as assert from "node:assert/strict";
import { generatePassword } from "./password.js";
import { InvalidParameterException, ValidationException, messages } from "./errors.js";

const LOWER = /[a-z]/;
const UPPER = /[A-Z]/;
const DIGIT = /[0-9]/;
const PUNCT = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const ALLOWED_DEFAULT = /^[a-zA-Z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]*$/;

test("defaults: 32 characters with every class present and no space", () => {
  for (let i = 0; i < 200; i++) {
    const p = generatePassword({});
    assert.equal(p.length, 32);
    assert.match(p, ALLOWED_DEFAULT);
    assert.match(p, LOWER);
    assert.match(p, UPPER);
    assert.match(p, DIGIT);
    assert.match(p, PUNCT);
  }
});

test("PasswordLength is honoured at both ends of the range", () => {
  assert.equal(generatePassword({ PasswordLength: 4 }).length, 4);
  assert.equal(generatePassword({ PasswordLength: 1, RequireEachIncludedType: false }).length, 1);
  const started = Date.now();
  const long = generatePassword({ PasswordLength: 4096 });
  assert.equal(long.length, 4096);
  assert.ok(Date.now() - started < 1000, "4096 characters must be quick");
});

test("ExcludeNumbers", () => {
  for (let i = 0; i < 50; i++) {
    const p = generatePassword({ ExcludeNumbers: true, PasswordLength: 64 });
    assert.doesNotMatch(p, DIGIT);
    assert.match(p, LOWER);
    assert.match(p, UPPER);
    assert.match(p, PUNCT);
  }
});

test("ExcludePunctuation", () => {
  for (let i = 0; i < 50; i++) {
    const p = generatePassword({ ExcludePunctuation: true, PasswordLength: 64 });
    assert.match(p, /^[a-zA-Z0-9]+$/);
    assert.match(p, LOWER);
    assert.match(p, UPPER);
    assert.match(p, DIGIT);
  }
});

test("ExcludeUppercase", () => {
  for (let i = 0; i < 50; i++) {
    const p = generatePassword({ ExcludeUppercase: true, PasswordLength: 64 });
    assert.doesNotMatch(p, UPPER);
    assert.match(p, LOWER);
    assert.match(p, DIGIT);
    assert.match(p, PUNCT);
  }
});

test("ExcludeLowercase", () => {
  for (let i = 0; i < 50; i++) {
    const p = generatePassword({ ExcludeLowercase: true, PasswordLength: 64 });
    assert.doesNotMatch(p, LOWER);
    assert.match(p, UPPER);
    assert.match(p, DIGIT);
    assert.match(p, PUNCT);
  }
});

test("ExcludeCharacters: the observed AWS request (length 120, \"xyzDje@?!.\") (§5.7)", () => {
  for (let i = 0; i < 50; i++) {
    const p = generatePassword({ PasswordLength: 120, ExcludeCharacters: "xyzDje@?!." });
    assert.equal(p.length, 120);
    assert.doesNotMatch(p, /[xyzDje@?!.]/);
    assert.match(p, LOWER);
    assert.match(p, UPPER);
    assert.match(p, DIGIT);
    assert.match(p, PUNCT);
  }
});

test("ExcludeCharacters can empty a class, which is then no longer required", () => {
  const p = generatePassword({ PasswordLength: 3, ExcludeCharacters: "0123456789" });
  assert.equal(p.length, 3);
  assert.doesNotMatch(p, DIGIT);
  assert.match(p, LOWER);
  assert.match(p, UPPER);
  assert.match(p, PUNCT);
});

test("IncludeSpace adds ' ' to the pool", () => {
  const p = generatePassword({
    PasswordLength: 200,
    IncludeSpace: true,
    ExcludeLowercase: true,
    ExcludeUppercase: true,
    ExcludePunctuation: true,
    ExcludeCharacters: "23456789",
  });
  assert.match(p, /^[01 ]+$/);
  assert.match(p, / /); // 200 draws from 3 characters: a missing space has probability (2/3)^199
  assert.doesNotMatch(generatePassword({ PasswordLength: 500 }), / /);
});

test("IncludeSpace alone is a usable pool and space is not a required class", () => {
  const only = {
    IncludeSpace: true,
    ExcludeLowercase: true,
    ExcludeUppercase: true,
    ExcludeNumbers: true,
    ExcludePunctuation: true,
  };
  assert.equal(generatePassword({ ...only, PasswordLength: 5 }), "     ");
  // Four required classes fit in four characters even with IncludeSpace.
  const p = generatePassword({ PasswordLength: 4, IncludeSpace: true });
  assert.match(p, LOWER);
  assert.match(p, UPPER);
  assert.match(p, DIGIT);
  assert.match(p, PUNCT);
});

test("RequireEachIncludedType=false allows a single class to be missing", () => {
  // With one character and four classes, the required-types rule would throw.
  assert.throws(() => generatePassword({ PasswordLength: 1 }), InvalidParameterException);
  let sawDigitsOnly = false;
  for (let i = 0; i < 2000 && !sawDigitsOnly; i++) {
    const p = generatePassword({ PasswordLength: 2, RequireEachIncludedType: false });
    assert.equal(p.length, 2);
    sawDigitsOnly = /^[0-9]+$/.test(p);
  }
  // P(two digits) = (10/94)^2 ≈ 1.1 %; 2000 tries miss it with probability < 1e-9.
  assert.ok(sawDigitsOnly, "without the requirement a password may lack classes");
});

test("error: every class excluded", () => {
  assert.throws(
    () =>
      generatePassword({
        ExcludeLowercase: true,
        ExcludeUppercase: true,
        ExcludeNumbers: true,
        ExcludePunctuation: true,
      }),
    (e: unknown) =>
      e instanceof InvalidParameterException && e.code === "InvalidParameterException" && e.message === messages.passwordNoCharacters,
  );
});

test("error: ExcludeCharacters removes the whole pool", () => {
  assert.throws(
    () => generatePassword({ ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true, ExcludeCharacters: "0123456789" }),
    { message: messages.passwordNoCharacters },
  );
  assert.throws(() => generatePassword({ IncludeSpace: true, ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true, ExcludeCharacters: " " }), {
    message: messages.passwordNoCharacters,
  });
});

test("error: length shorter than the number of required classes", () => {
  assert.throws(() => generatePassword({ PasswordLength: 3 }), (e: unknown) => e instanceof InvalidParameterException && e.message === messages.passwordTooShort);
  assert.throws(() => generatePassword({ PasswordLength: 1, ExcludeNumbers: true }), { message: messages.passwordTooShort });
  assert.equal(generatePassword({ PasswordLength: 3, ExcludeNumbers: true }).length, 3);
});

test("error: PasswordLength outside 1–4096 is a model violation", () => {
  assert.throws(() => generatePassword({ PasswordLength: 0 }), ValidationException);
  assert.throws(() => generatePassword({ PasswordLength: 4097 }), ValidationException);
  assert.throws(() => generatePassword({ PasswordLength: 2.5 }), ValidationException);
});

// Chi-square critical values at p = 1e-9 are about 61 for 9 degrees of freedom and 37 for 1; the
// thresholds below sit above those (p ≈ 1e-11), so a correct generator practically never fails.
// Over 819,200 digits, the bias of `byte % 10` (26/256 vs 25/256) would score about 300.
test("characters are uniformly distributed over a small pool (chi-square)", () => {
  const digitsOnly = { ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true };
  const counts = new Map<string, number>();
  const draws = 200;
  const length = 4096;
  for (let i = 0; i < draws; i++) {
    for (const c of generatePassword({ ...digitsOnly, PasswordLength: length })) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  assert.equal(counts.size, 10);
  const expected = (draws * length) / 10;
  let chi2 = 0;
  for (const n of counts.values()) chi2 += (n - expected) ** 2 / expected;
  assert.ok(chi2 < 70, `chi-square ${chi2.toFixed(1)} too large for 9 degrees of freedom`);
});

test("the guaranteed characters are shuffled into every position (chi-square)", () => {
  // Pool = {a, 1}, both required: the only outputs are "a1" and "1a", which must be equally likely.
  const opts = {
    PasswordLength: 2,
    ExcludeUppercase: true,
    ExcludePunctuation: true,
    ExcludeCharacters: "bcdefghijklmnopqrstuvwxyz023456789",
  };
  let first = 0;
  const draws = 20000;
  for (let i = 0; i < draws; i++) {
    const p = generatePassword(opts);
    assert.ok(p === "a1" || p === "1a", p);
    if (p === "a1") first++;
  }
  const expected = draws / 2;
  const chi2 = ((first - expected) ** 2 / expected) * 2;
  assert.ok(chi2 < 45, `chi-square ${chi2.toFixed(1)} too large for 1 degree of freedom`);
});
