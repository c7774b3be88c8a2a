import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RequestContext } from "../context.js";
import { parseKeyId } from "./key-ids.js";

const ctx = {
  region: "us-east-2",
  caller: { accountId: "111122223333", principalArn: "arn:aws:iam::111122223333:root", accessKeyId: "AKIA" },
} as RequestContext;
const ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

describe("KeyId forms (security spec §5.2)", () => {
  it("reads key ids, key ARNs, alias names and alias ARNs", () => {
    assert.deepEqual(parseKeyId(ID, ctx, "any"), { kind: "key", accountId: "111122223333", region: "us-east-2", keyId: ID, arnGiven: false });
    assert.deepEqual(parseKeyId(`arn:aws:kms:us-east-2:444455556666:key/${ID}`, ctx, "any"), {
      kind: "key",
      accountId: "444455556666",
      region: "us-east-2",
      keyId: ID,
      arnGiven: true,
    });
    assert.deepEqual(parseKeyId("alias/ExampleAlias", ctx, "any"), { kind: "alias", accountId: "111122223333", region: "us-east-2", aliasName: "alias/ExampleAlias" });
    assert.deepEqual(parseKeyId("arn:aws:kms:us-east-2:111122223333:alias/ExampleAlias", ctx, "any"), {
      kind: "alias",
      accountId: "111122223333",
      region: "us-east-2",
      aliasName: "alias/ExampleAlias",
    });
    assert.equal(parseKeyId(`mrk-${"a".repeat(32)}`, ctx, "any").kind, "key");
  });

  it("answers AWS's NotFoundException texts for what it cannot read", () => {
    const fails = (input: string, message: string, forms: "any" | "id-or-arn" = "any") =>
      assert.throws(() => parseKeyId(input, ctx, forms), (e: Error) => e.name === "NotFoundException" && e.message === message);
    fails("fake-key-id", "Invalid keyId 'fake-key-id'");
    fails("134f2428cec14b25a1ae9048164dba47", "Invalid keyId '134f2428cec14b25a1ae9048164dba47'");
    fails(`arn:aws:kms:eu-west-1:111122223333:key/${ID}`, "Invalid arn eu-west-1");
    fails("alias/ExampleAlias", "Invalid keyId 'alias/ExampleAlias'", "id-or-arn");
    fails("arn:aws:kms:us-east-2:111122223333:alias/x", "Invalid keyId 'arn:aws:kms:us-east-2:111122223333:alias/x'", "id-or-arn");
  });
});
