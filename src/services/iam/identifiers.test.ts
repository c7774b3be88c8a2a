import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { entityArn, newUniqueId, parseIamArn, sessionArn } from "./identifiers.js";
import { encodePolicyText, policySize } from "./policy-text.js";
import { markerKey, pageFrom, pageOfList } from "./paging.js";

describe("IAM identifiers", () => {
  it("unique ids have the kind's prefix and 17 characters", () => {
    assert.match(newUniqueId("user"), /^AIDA[A-Z2-7]{17}$/);
    assert.match(newUniqueId("group"), /^AGPA[A-Z2-7]{17}$/);
    assert.match(newUniqueId("role"), /^AROA[A-Z2-7]{17}$/);
    assert.match(newUniqueId("policy"), /^ANPA[A-Z2-7]{17}$/);
  });

  it("ARNs keep the path; session ARNs drop it (§4.3)", () => {
    assert.equal(entityArn("aws", "111122223333", "user", "/eng/", "alice"), "arn:aws:iam::111122223333:user/eng/alice");
    assert.equal(sessionArn("aws", "111122223333", "app", "s1"), "arn:aws:sts::111122223333:assumed-role/app/s1");
  });

  it("parses IAM ARNs of every type, and refuses others", () => {
    assert.deepEqual(parseIamArn("arn:aws:iam::111122223333:user/eng/alice"), { partition: "aws", accountId: "111122223333", type: "user", path: "/eng/", name: "alice" });
    assert.deepEqual(parseIamArn("arn:aws:iam::aws:policy/AdministratorAccess"), { partition: "aws", accountId: "aws", type: "policy", path: "/", name: "AdministratorAccess" });
    assert.deepEqual(parseIamArn("arn:aws:iam::111122223333:root"), { partition: "aws", accountId: "111122223333", type: "root", path: "", name: "" });
    assert.equal(parseIamArn("arn:aws:iam::111122223333:user/"), undefined);
    assert.equal(parseIamArn("arn:aws:s3:::bucket"), undefined);
    assert.equal(parseIamArn("arn:aws:iam::1111:user/x"), undefined);
  });
});

describe("policy text", () => {
  it("sizes without whitespace and encodes as RFC 3986", () => {
    assert.equal(policySize('{ "a" :\n\t"b c" }'), 10);
    assert.equal(encodePolicyText('{"A":"s3:*","B":"(x)!\'"}'), "%7B%22A%22%3A%22s3%3A%2A%22%2C%22B%22%3A%22%28x%29%21%27%22%7D");
    assert.equal(decodeURIComponent(encodePolicyText('{"A":"é ü"}')), '{"A":"é ü"}');
  });
});

describe("paging", () => {
  it("pages follow their markers and refuse markers they did not make", () => {
    const all = ["a", "b", "c", "d", "e"];
    const first = pageOfList(all, { MaxItems: 2 }, (x) => x);
    assert.deepEqual(first, { items: ["a", "b"], IsTruncated: true, Marker: first.Marker });
    const second = pageOfList(all, { MaxItems: 2, Marker: first.Marker }, (x) => x);
    assert.deepEqual(second.items, ["c", "d"]);
    const last = pageOfList(all, { MaxItems: 2, Marker: second.Marker }, (x) => x);
    assert.deepEqual(last, { items: ["e"], IsTruncated: false });
    assert.throws(() => markerKey("%%%"), /Invalid Marker/);
    assert.equal(markerKey(undefined), undefined);
    assert.deepEqual(pageFrom([1, 2, 3], 3, String), { items: [1, 2, 3], IsTruncated: false });
  });
});
