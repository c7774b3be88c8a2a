import { test } from "node:test";
import * as assert from "node:assert/strict";
import { checkFilters, matchesFilters, splitWords } from "./secret-filters.js";
import type { FilterableSecret, SecretFilter } from "./secret-filters.js";
import { InvalidParameterException, messages } from "./errors.js";

const secret = (name: string, more: Partial<FilterableSecret> = {}): FilterableSecret => ({ name, tags: [], ...more });

/** Names of the secrets a filter list keeps, in input order. */
const keep = (secrets: FilterableSecret[], filters: SecretFilter[]): string[] =>
  secrets.filter((s) => matchesFilters(s, filters)).map((s) => s.name);

const one = (key: string, ...values: string[]): SecretFilter[] => [{ Key: key, Values: values }];

// Fixed stand-in for the random 6-character ids of the AWS test runs.
const ID = "3f2ad1";

// --- §6.1 keys ------------------------------------------------------------------------------

test("name: prefix of the whole name, case-sensitive", () => {
  const secrets = [secret("foo"), secret("bar"), secret("foobar"), secret("Foo"), secret("/prod/foo")];
  assert.deepEqual(keep(secrets, one("name", "foo")), ["foo", "foobar"]);
  assert.deepEqual(keep(secrets, one("name", "/")), ["/prod/foo"]);
  assert.deepEqual(keep(secrets, one("name", "prod")), []);
});

test("name: a space is a literal character (`testing1 one` matches nothing)", () => {
  const secrets = [secret("testing1"), secret("testing1/one"), secret("testing1-one"), secret("one")];
  assert.deepEqual(keep(secrets, one("name", "testing1 one")), []);
  assert.deepEqual(keep(secrets, one("name", "testing1")), ["testing1", "testing1/one", "testing1-one"]);
});

test("description: word based and case-insensitive, not a prefix of the whole text", () => {
  const secrets = [secret("foo", { description: "baz qux" }), secret("bar"), secret("up", { description: "Some QUX" })];
  assert.deepEqual(keep(secrets, one("description", "baz")), ["foo"]);
  assert.deepEqual(keep(secrets, one("description", "qux")), ["foo", "up"]);
  assert.deepEqual(keep(secrets, one("description", "QU")), ["foo", "up"]);
  assert.deepEqual(keep(secrets, one("description", "ux")), []);
});

test("description `a secret` matches `a secret` and `an secret`, not `asecret` or `thesecret`", () => {
  const secrets = [
    secret("s1", { description: "a secret" }),
    secret("s2", { description: "an secret" }),
    secret("s3", { description: "asecret" }),
    secret("s4", { description: "thesecret" }),
  ];
  assert.deepEqual(keep(secrets, one("description", "a secret")), ["s1", "s2"]);
});

const numbers = [
  secret("foo", { description: "one two" }),
  secret("bar", { description: "one and two" }),
  secret("baz", { description: "one" }),
  secret("qux", { description: "two" }),
  secret("none", { description: "unrelated" }),
];

test("description `one two`: every word must match, order irrelevant", () => {
  assert.deepEqual(keep(numbers, one("description", "one two")), ["foo", "bar"]);
  assert.deepEqual(keep(numbers, one("description", "two one")), ["foo", "bar"]);
});

test("description `o t` matches `one two` and `one and two`", () => {
  assert.deepEqual(keep(numbers, one("description", "o t")), ["foo", "bar"]);
});

test("description `t` matches `one two`, `one and two`, `two`; not `one`, `unrelated`", () => {
  assert.deepEqual(keep(numbers, one("description", "t")), ["foo", "bar", "qux"]);
});

test("tag-key and tag-value: prefix of any tag, case-sensitive", () => {
  const secrets = [
    secret("foo", { tags: [{ Key: "baz", Value: "1" }] }),
    secret("bar"),
    secret("qux", { tags: [{ Key: "1", Value: "bazooka" }] }),
    secret("up", { tags: [{ Key: "Baz", Value: "Baz" }] }),
  ];
  assert.deepEqual(keep(secrets, one("tag-key", "baz")), ["foo"]);
  assert.deepEqual(keep(secrets, one("tag-key", "ba")), ["foo"]);
  assert.deepEqual(keep(secrets, one("tag-value", "baz")), ["qux"]);
  assert.deepEqual(keep(secrets, one("tag-value", "Baz")), ["up"]);
});

test("primary-region: prefix, case-sensitive; secrets without one never match", () => {
  const secrets = [secret("a", { primaryRegion: "us-east-1" }), secret("b", { primaryRegion: "eu-west-1" }), secret("c")];
  assert.deepEqual(keep(secrets, one("primary-region", "us-")), ["a"]);
  assert.deepEqual(keep(secrets, one("primary-region", "US-")), []);
  assert.deepEqual(keep(secrets, one("primary-region", "!us")), ["b", "c"]);
});

test("owning-service: prefix, case-insensitive; `n/a` matches an unowned secret not", () => {
  const secrets = [secret("a", { owningService: "rds" }), secret("b", { owningService: "appflow" }), secret("foo")];
  assert.deepEqual(keep(secrets, one("owning-service", "RD")), ["a"]);
  assert.deepEqual(keep(secrets, one("owning-service", "n/a")), []);
});

// --- §6.3 the `all` filter ------------------------------------------------------------------

const allSecrets = [
  secret(`SecretOne${ID}`),
  secret(`SecretTwo${ID}`, { description: "DescTwo" }),
  secret(`Thirdsecret${ID}`),
  secret(`SecretFTag${ID}`, { tags: [{ Key: "1", Value: "foo" }] }),
  secret(`SecretFValue${ID}`, { tags: [{ Key: "foo", Value: "v" }] }),
  secret(`none${ID}`),
];
const all = (value: string) => keep(allSecrets, one("all", value));

test("all `SecretOne` → only SecretOne…", () => {
  assert.deepEqual(all("SecretOne"), [`SecretOne${ID}`]);
});

test("all `Secret`, `secret`, `sec` → the Secret* names, not Thirdsecret…", () => {
  const expected = [`SecretOne${ID}`, `SecretTwo${ID}`, `SecretFTag${ID}`, `SecretFValue${ID}`];
  assert.deepEqual(all("Secret"), expected);
  assert.deepEqual(all("secret"), expected);
  assert.deepEqual(all("sec"), expected);
});

test("all `ret` → nothing (no word starts with it)", () => {
  assert.deepEqual(all("ret"), []);
});

test("all `foo` → both tagged secrets (tag value and tag key)", () => {
  assert.deepEqual(all("foo"), [`SecretFTag${ID}`, `SecretFValue${ID}`]);
});

test("all `d` → only the DescTwo secret", () => {
  assert.deepEqual(all("d"), [`SecretTwo${ID}`]);
});

test("all `d t` → the DescTwo secret", () => {
  assert.deepEqual(all("d t"), [`SecretTwo${ID}`]);
});

test("all `t` → SecretTwo…, Thirdsecret…, SecretFTag…", () => {
  assert.deepEqual(all("t"), [`SecretTwo${ID}`, `Thirdsecret${ID}`, `SecretFTag${ID}`]);
});

test("all `SomeSecret` → nothing", () => {
  assert.deepEqual(all("SomeSecret"), []);
});

const separatorNames = ["/", "_", "+", "=", ".", "@", "-"].map((sep) => `prod${sep}AppBeta${sep}${ID}`);
const upperNames = [`uat/COMPANY/${ID}`, `uat/COMPANYthings/${ID}`];
const separatorSecrets = [...separatorNames, ...upperNames].map((n) => secret(n));
const allSep = (...values: string[]) => keep(separatorSecrets, one("all", ...values));

test("separators: every single-separator name matches `AppBeta`", () => {
  assert.deepEqual(allSep("AppBeta"), separatorNames);
});

test("separators: `Beta` matches (case transition splits AppBeta)", () => {
  assert.deepEqual(allSep("Beta"), separatorNames);
});

test("separators: the id after the last separator matches, also in the uat names", () => {
  assert.deepEqual(allSep(ID), [...separatorNames, ...upperNames]);
});

test("separators: value list [AppBeta, prod] matches the same secrets", () => {
  assert.deepEqual(allSep("AppBeta", "prod"), separatorNames);
});

test("separators: searching a separator itself (`+`) matches nothing", () => {
  assert.deepEqual(allSep("+"), []);
});

test("capital runs: `company` matches uat/COMPANY/… but not uat/COMPANYthings/…", () => {
  assert.deepEqual(allSep("company"), [`uat/COMPANY/${ID}`]);
});

test("capital runs: `Ythings` matches uat/COMPANYthings/… (COMPAN + Ythings)", () => {
  assert.deepEqual(allSep("Ythings"), [`uat/COMPANYthings/${ID}`]);
});

test("capital runs: `things`, `N` and `pany` match nothing", () => {
  assert.deepEqual(allSep("things"), []);
  assert.deepEqual(allSep("N"), []);
  assert.deepEqual(allSep("pany"), []);
});

test("splitWords", () => {
  assert.deepEqual(splitWords("test"), ["test"]);
  assert.deepEqual(splitWords("my test"), ["my", "test"]);
  assert.deepEqual(splitWords("Mytest"), ["Mytest"]);
  assert.deepEqual(splitWords("MyTestPhrase"), ["My", "Test", "Phrase"]);
  assert.deepEqual(splitWords("myTest"), ["my", "Test"]);
  assert.deepEqual(splitWords("my/test"), ["my", "test"]);
  assert.deepEqual(splitWords("AppBeta"), ["App", "Beta"]);
  assert.deepEqual(splitWords("COMPANYthings"), ["COMPAN", "Ythings"]);
  assert.deepEqual(splitWords("credsDatabase#892"), ["creds", "Database", "892"]);
  assert.deepEqual(splitWords("abc123"), ["abc", "123"]);
  assert.deepEqual(splitWords("+"), []);
  assert.deepEqual(splitWords("  one\tand  two "), ["one", "and", "two"]);
  assert.deepEqual(splitWords("prod-AppBeta/x1"), ["prod", "App", "Beta", "x", "1"]);
});

// --- §6.2 combination rules -----------------------------------------------------------------

test("different keys are ANDed (`description=a` AND `name=secret` → nothing)", () => {
  const secrets = [secret("secret-one", { description: "the value" }), secret("other", { description: "a thing" })];
  assert.deepEqual(keep(secrets, one("description", "a")), ["other"]);
  assert.deepEqual(keep(secrets, one("name", "secret")), ["secret-one"]);
  assert.deepEqual(
    keep(secrets, [
      { Key: "description", Values: ["a"] },
      { Key: "name", Values: ["secret"] },
    ]),
    [],
  );
});

test("tag-key AND tag-value across filters", () => {
  const secrets = [
    secret("foo", { tags: [{ Key: "right", Value: "right" }] }),
    secret("bar", { tags: [{ Key: "right", Value: "wrong" }] }),
    secret("baz", { tags: [{ Key: "wrong", Value: "right" }] }),
    secret("qux", { tags: [{ Key: "wrong", Value: "wrong" }] }),
  ];
  const filters = [
    { Key: "tag-key", Values: ["right"] },
    { Key: "tag-value", Values: ["right"] },
  ];
  assert.deepEqual(keep(secrets, filters), ["foo"]);
});

test("the same key twice is ANDed (`description=one` + `description=two` → only `one two`)", () => {
  const secrets = [
    secret("foo", { description: "one two" }),
    secret("bar", { description: "one" }),
    secret("baz", { description: "two" }),
    secret("qux", { description: "unrelated" }),
  ];
  const filters = [
    { Key: "description", Values: ["one"] },
    { Key: "description", Values: ["two"] },
  ];
  assert.deepEqual(keep(secrets, filters), ["foo"]);
});

test("several values in one list are ORed", () => {
  const secrets = [secret("foo"), secret("bar"), secret("baz")];
  assert.deepEqual(keep(secrets, one("name", "foo", "bar")), ["foo", "bar"]);
});

test("no filters keep everything", () => {
  assert.deepEqual(keep([secret("a"), secret("b")], []), ["a", "b"]);
});

// --- negation -------------------------------------------------------------------------------

test("negation: `name=!/` keeps names not starting with /", () => {
  const secrets = [secret("/prod/db"), secret("prod/db"), secret("/x"), secret("y/")];
  assert.deepEqual(keep(secrets, one("name", "!/")), ["prod/db", "y/"]);
});

test("negation: `description=!a` keeps only descriptions with no word starting with a", () => {
  const secrets = [
    secret("s1", { description: "a secret" }),
    secret("s2", { description: "an secret" }),
    secret("s3", { description: "asecret" }),
    secret("s4", { description: "thesecret" }),
  ];
  assert.deepEqual(keep(secrets, one("description", "!a")), ["s4"]);
});

test("negation: `description=!c` keeps all when no word starts with c", () => {
  const secrets = [secret("s1", { description: "a secret" }), secret("s2", { description: "asecret" })];
  assert.deepEqual(keep(secrets, one("description", "!c")), ["s1", "s2"]);
});

test("negation: `description=!o` keeps `two` and `unrelated`", () => {
  assert.deepEqual(keep(numbers, one("description", "!o")), ["qux", "none"]);
});

test("negation: a secret lacking the attribute is kept by a negated value", () => {
  const secrets = [secret("plain"), secret("tagged", { tags: [{ Key: "env", Value: "prod" }] })];
  assert.deepEqual(keep(secrets, one("description", "!x")), ["plain", "tagged"]);
  assert.deepEqual(keep(secrets, one("tag-key", "!env")), ["plain"]);
  assert.deepEqual(keep(secrets, one("description", "x")), []);
});

test("negation mixed with positives: some positive matches and no negated one does", () => {
  assert.deepEqual(keep(numbers, one("description", "one", "!two")), ["baz"]);
  assert.deepEqual(keep(numbers, one("description", "one", "two", "!and")), ["foo", "baz", "qux"]);
});

// --- checkFilters ---------------------------------------------------------------------------

test("checkFilters: a filter without Key → InvalidParameterException `Invalid filter key`", () => {
  assert.throws(
    () => checkFilters([{ Values: ["foo"] }]),
    (e: unknown) => e instanceof InvalidParameterException && e.code === "InvalidParameterException" && e.message === "Invalid filter key",
  );
});

test("checkFilters: absent or empty Values → `Invalid filter values for key: <key>`", () => {
  assert.throws(() => checkFilters([{ Key: "description" }]), {
    message: "Invalid filter values for key: description",
  });
  assert.throws(() => checkFilters([{ Key: "name", Values: ["x"] }, { Key: "tag-key", Values: [] }]), {
    message: messages.invalidFilterValues("tag-key"),
  });
});

test("checkFilters: well-formed filters pass", () => {
  checkFilters([]);
  checkFilters([{ Key: "all", Values: ["x"] }, { Key: "name", Values: ["!/", "a"] }]);
});
