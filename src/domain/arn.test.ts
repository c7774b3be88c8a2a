import { test } from "node:test";
import * as assert from "node:assert/strict";
import { isValidSecretName, parseSecretId, randomSuffix, secretArn, validateSecretIdName } from "./arn.js";
import { ValidationException, messages } from "./errors.js";

const PREFIX = "arn:aws:secretsmanager:us-east-1:123456789012:secret:";

test("isValidSecretName accepts letters, digits and / _ + = . @ - (§2.2)", () => {
  for (const name of ["MySecret", "/prod/db", "a", "Valid/_+=.@-Name", "s-c64bdc03", "prod/AppBeta/3f2ad1", "x".repeat(512)]) {
    assert.ok(isValidSecretName(name), name);
  }
});

test("isValidSecretName rejects the characters AWS was seen to reject (§2.2)", () => {
  for (const name of ["with space", "star*", "question?", "bang!", "bracket]", "back\\slash", "", "colon:", "tab\t", "é"]) {
    assert.equal(isValidSecretName(name), false, JSON.stringify(name));
  }
});

test("secretArn builds the §2.3 format", () => {
  assert.equal(
    secretArn("aws", "us-east-1", "123456789012", "prod/db", "AbC12x"),
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbC12x",
  );
  assert.equal(
    secretArn("aws-cn", "cn-north-1", "123456789012", "n", "a1b2c3"),
    "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:n-a1b2c3",
  );
});

test("randomSuffix is six characters from [A-Za-z0-9] and varies", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const s = randomSuffix();
    assert.match(s, /^[A-Za-z0-9]{6}$/);
    seen.add(s);
  }
  assert.ok(seen.size > 990, "62^6 values: collisions among 1000 should be rare");
});

test("randomSuffix's full ARN is recognised as full by parseSecretId", () => {
  const parsed = parseSecretId(secretArn("aws", "us-east-1", "123456789012", "x", randomSuffix()));
  assert.equal(parsed.kind, "arn");
  assert.ok(parsed.kind === "arn" && parsed.looksFull);
});

test("parseSecretId: a non-ARN id is a name", () => {
  assert.deepEqual(parseSecretId("prod/db"), { kind: "name", name: "prod/db" });
  // Only a lower-case `arn:` prefix makes an ARN; anything else is a (possibly invalid) name.
  assert.deepEqual(parseSecretId("ARN:aws:secretsmanager"), { kind: "name", name: "ARN:aws:secretsmanager" });
});

test("parseSecretId: full ARN", () => {
  assert.deepEqual(parseSecretId(`${PREFIX}prod/db-AbC12x`), {
    kind: "arn",
    partition: "aws",
    region: "us-east-1",
    accountId: "123456789012",
    resource: "prod/db-AbC12x",
    looksFull: true,
    nameIfPartial: "prod/db-AbC12x",
  });
});

test("parseSecretId: partial ARNs observed to work on AWS are partial (§2.4 step 3)", () => {
  for (const name of ["s-c64bdc03", "Valid/_+=.@-Name", "Valid/_+=.@-Name-a1b2", "Valid/_+=.@-Name-a1b2c3-"]) {
    const parsed = parseSecretId(PREFIX + name);
    assert.equal(parsed.kind, "arn", name);
    if (parsed.kind !== "arn") continue;
    assert.equal(parsed.looksFull, false, name);
    assert.equal(parsed.nameIfPartial, name);
    assert.equal(parsed.resource, name);
  }
});

test("parseSecretId: the partial ARN of `Invalid/_+=.@-Name-a1b2c3` reads as full (AWS answers E1)", () => {
  const parsed = parseSecretId(`${PREFIX}Invalid/_+=.@-Name-a1b2c3`);
  assert.equal(parsed.kind, "arn");
  assert.ok(parsed.kind === "arn" && parsed.looksFull);
});

test("parseSecretId: the last hyphen decides; fewer or more than six characters is partial", () => {
  const looksFull = (rest: string) => {
    const p = parseSecretId(PREFIX + rest);
    return p.kind === "arn" && p.looksFull;
  };
  assert.equal(looksFull("a-abcdef"), true);
  assert.equal(looksFull("a-abcde"), false);
  assert.equal(looksFull("a-abcdefg"), false);
  assert.equal(looksFull("-abcdef"), false); // nothing before the hyphen
  assert.equal(looksFull("a-abc_ef"), false);
  assert.equal(looksFull("abcdefgh"), false);
});

test("parseSecretId: other region, account and partition come from the ARN (§2.4 step 2)", () => {
  const parsed = parseSecretId("arn:aws-us-gov:secretsmanager:us-gov-west-1:210987654321:secret:db");
  assert.deepEqual(parsed, {
    kind: "arn",
    partition: "aws-us-gov",
    region: "us-gov-west-1",
    accountId: "210987654321",
    resource: "db",
    looksFull: false,
    nameIfPartial: "db",
  });
});

test("parseSecretId: ARNs that are not secret ARNs are invalid", () => {
  for (const id of [
    "arn:",
    "arn:aws",
    "arn:aws:secretsmanager:us-east-1:123456789012",
    "arn:aws:secretsmanager:us-east-1:123456789012:secret",
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:",
    "arn:aws:kms:us-east-1:123456789012:key/abc",
    "arn:aws:ssm:us-east-1:123456789012:secret:x",
    "arn:aws:secretsmanager:us-east-1:123456789012:parameter:x",
    "arn::secretsmanager:us-east-1:123456789012:secret:x",
    "arn:aws:secretsmanager::123456789012:secret:x",
    "arn:aws:secretsmanager:us-east-1::secret:x",
  ]) {
    assert.deepEqual(parseSecretId(id), { kind: "invalid" }, id);
  }
});

test("parseSecretId: a resource with ':' stays an ARN (it can match no name)", () => {
  const parsed = parseSecretId(`${PREFIX}a:b`);
  assert.equal(parsed.kind, "arn");
  assert.ok(parsed.kind === "arn" && parsed.resource === "a:b");
});

test("validateSecretIdName: bad characters in a name are ValidationException E10", () => {
  for (const id of ["with space", "star*", "q?", "bang!", "x]", "a\\b"]) {
    assert.throws(
      () => validateSecretIdName(id),
      (e: unknown) => e instanceof ValidationException && e.code === "ValidationException" && e.message === messages.invalidName,
      id,
    );
  }
});

test("validateSecretIdName: good names and any ARN pass", () => {
  validateSecretIdName("prod/db");
  validateSecretIdName(`${PREFIX}prod/db-AbC12x`);
  validateSecretIdName("arn:not a secret arn at all");
});
