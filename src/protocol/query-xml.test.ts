import { test } from "node:test";
import assert from "node:assert/strict";
import { ServiceError } from "../domain/errors.js";
import { model as iam } from "../generated/iam-model.js";
import { model as sts } from "../generated/sts-model.js";
import type { QueryServiceModel } from "./query-model.js";
import { encodeQueryError, encodeQueryResponse, escapeXml, formatTimestamp, queryErrorResponse } from "./query-xml.js";

const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
const metadata = (id: string) => `<ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata>`;

test("GetCallerIdentity: the §1.2 envelope, members in model order", () => {
  const xml = encodeQueryResponse(sts, "GetCallerIdentity", { UserId: "AIDA1", Arn: "arn:aws:iam::111122223333:user/alice", Account: "111122223333" }, "rid-1");
  assert.equal(
    xml,
    `<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult>` +
      "<Account>111122223333</Account><Arn>arn:aws:iam::111122223333:user/alice</Arn><UserId>AIDA1</UserId>" +
      `</GetCallerIdentityResult>${metadata("rid-1")}</GetCallerIdentityResponse>`,
  );
});

test("an operation without output answers only ResponseMetadata", () => {
  assert.equal(
    encodeQueryResponse(iam, "AttachRolePolicy", {}, "r"),
    `<AttachRolePolicyResponse xmlns="${IAM_NS}">${metadata("r")}</AttachRolePolicyResponse>`,
  );
});

test("an output with no members set still has its Result element (botocore looks it up)", () => {
  assert.equal(
    encodeQueryResponse(sts, "GetCallerIdentity", {}, "r"),
    `<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult></GetCallerIdentityResult>${metadata("r")}</GetCallerIdentityResponse>`,
  );
});

test("AssumeRole: nested structures, timestamps, integers; absent and unmodeled members are left out", () => {
  const xml = encodeQueryResponse(
    sts,
    "AssumeRole",
    {
      PackedPolicySize: 6,
      SourceIdentity: undefined,
      Extra: "not in the model",
      Credentials: { SessionToken: "t", Expiration: new Date("2024-01-15T13:00:00Z"), AccessKeyId: "ASIA1", SecretAccessKey: "s+/=" },
      AssumedRoleUser: { Arn: "arn:aws:sts::111122223333:assumed-role/app/s", AssumedRoleId: "AROA1:s" },
    },
    "r",
  );
  assert.equal(
    xml,
    `<AssumeRoleResponse xmlns="${STS_NS}"><AssumeRoleResult>` +
      "<AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/app/s</Arn><AssumedRoleId>AROA1:s</AssumedRoleId></AssumedRoleUser>" +
      "<Credentials><AccessKeyId>ASIA1</AccessKeyId><Expiration>2024-01-15T13:00:00Z</Expiration><SecretAccessKey>s+/=</SecretAccessKey><SessionToken>t</SessionToken></Credentials>" +
      `<PackedPolicySize>6</PackedPolicySize></AssumeRoleResult>${metadata("r")}</AssumeRoleResponse>`,
  );
});

test("ListUsers: lists as <member> elements, an empty list as an empty element, booleans as words", () => {
  const created = new Date("2024-01-15T12:00:00.250Z");
  const xml = encodeQueryResponse(
    iam,
    "ListUsers",
    { Users: [{ UserName: "a", Path: "/", UserId: "AIDA1", Arn: "arn:a", CreateDate: created, Tags: [] }], IsTruncated: true, Marker: "m" },
    "r",
  );
  assert.ok(
    xml.includes(
      "<ListUsersResult><IsTruncated>true</IsTruncated><Marker>m</Marker><Users><member><Arn>arn:a</Arn>" +
        "<CreateDate>2024-01-15T12:00:00.250Z</CreateDate><Path>/</Path><Tags></Tags><UserId>AIDA1</UserId>" +
        "<UserName>a</UserName></member></Users></ListUsersResult>",
    ),
    xml,
  );
});

test("text is escaped; characters XML cannot carry become U+FFFD", () => {
  assert.equal(escapeXml("plain text"), "plain text");
  assert.equal(escapeXml(`a&b<c>d"e'f`), "a&amp;b&lt;c&gt;d&quot;e'f");
  assert.equal(escapeXml("line\r\nnext\ttab"), "line&#xD;\nnext\ttab");
  assert.equal(escapeXml("nul\u0000 bell\u0007 ff\uFFFF"), "nul\uFFFD bell\uFFFD ff\uFFFD");
  assert.equal(escapeXml("lone \uD800 and \uDC00, pair 🔑"), "lone \uFFFD and \uFFFD, pair 🔑");
  const xml = encodeQueryResponse(sts, "GetCallerIdentity", { Arn: "<a&b>" }, "id&1");
  assert.ok(xml.includes("<Arn>&lt;a&amp;b&gt;</Arn>"));
  assert.ok(xml.includes("<RequestId>id&amp;1</RequestId>"));
});

test("timestamps: whole seconds without a fraction, milliseconds when present, epoch seconds accepted", () => {
  assert.equal(formatTimestamp(new Date("2024-01-15T12:00:00Z")), "2024-01-15T12:00:00Z");
  assert.equal(formatTimestamp(new Date("2024-01-15T12:00:00.123Z")), "2024-01-15T12:00:00.123Z");
  assert.equal(formatTimestamp(new Date("2024-01-15T12:00:00.5Z"), "unixTimestamp"), "1705320000.5");
  assert.equal(formatTimestamp(new Date("2024-01-15T12:00:00Z"), "rfc822"), "Mon, 15 Jan 2024 12:00:00 GMT");
  const xml = encodeQueryResponse(sts, "GetSessionToken", { Credentials: { AccessKeyId: "A", SecretAccessKey: "S", SessionToken: "T", Expiration: 1705320000 } }, "r");
  assert.ok(xml.includes("<Expiration>2024-01-15T12:00:00Z</Expiration>"), xml);
});

test("a value of the wrong type is a programming error (TypeError naming the member)", () => {
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ["GetCallerIdentity", { Account: 111122223333 }, /number at GetCallerIdentityResult\.Account as a string/],
    ["AssumeRole", { PackedPolicySize: "6" }, /string at AssumeRoleResult\.PackedPolicySize as a integer/],
    ["AssumeRole", { PackedPolicySize: 1.5 }, /PackedPolicySize/],
    ["AssumeRole", { Credentials: "x" }, /as a structure/],
    ["GetSessionToken", { Credentials: { Expiration: new Date(NaN) } }, /Credentials\.Expiration as a timestamp/],
  ];
  for (const [op, output, message] of bad) assert.throws(() => encodeQueryResponse(sts, op, output, "r"), { name: "TypeError", message });
  assert.throws(() => encodeQueryResponse(iam, "ListUsers", { Users: {} }, "r"), /object at ListUsersResult\.Users as a list/);
  assert.throws(() => encodeQueryResponse(iam, "ListUsers", { IsTruncated: "true" }, "r"), TypeError);
  assert.throws(() => encodeQueryResponse(sts, "Nope", {}, "r"), /no operation Nope/);
});

// Serialization traits the IAM and STS models do not use, on a small model.
const traits: QueryServiceModel = {
  targetPrefix: "",
  apiVersion: "2020-01-01",
  xmlNamespace: "https://example.com/ns",
  operations: { Op: { output: "Out", resultWrapper: "Wrapped" } },
  shapes: {
    Out: {
      type: "structure",
      members: { Renamed: "Str", Flat: "FlatList", Named: "NamedFlatList", Items: "ItemList", Attrs: "Attrs", FlatMap: "FlatMap", Epoch: "Epoch", Data: "Bytes", Ratio: "Num", Big: "Long" },
      locationNames: { Renamed: "wire-name" },
    },
    Str: { type: "string" },
    FlatList: { type: "list", member: "Str", flattened: true },
    NamedFlatList: { type: "list", member: "Str", flattened: true, memberName: "Thing" },
    ItemList: { type: "list", member: "Str", memberName: "item" },
    Attrs: { type: "map", key: "Str", value: "Str" },
    FlatMap: { type: "map", key: "Str", value: "Long", flattened: true, keyName: "Name", valueName: "Count" },
    Epoch: { type: "timestamp", timestampFormat: "unixTimestamp" },
    Bytes: { type: "blob" },
    Num: { type: "double" },
    Long: { type: "long" },
  },
  errorShapes: {},
};

test("location names, result wrapper, flattened and renamed lists, maps (objects or Maps), blobs, doubles, longs", () => {
  const xml = encodeQueryResponse(
    traits,
    "Op",
    {
      Renamed: "r",
      Flat: ["a", null, "b"],
      Named: ["t"],
      Items: ["i"],
      Attrs: { k: "v", skipped: null },
      FlatMap: new Map([["n", 1]]),
      Epoch: new Date(1500),
      Data: Buffer.from("hello"),
      Ratio: Number.NaN,
      Big: 2n ** 63n - 1n,
    },
    "r",
  );
  assert.equal(
    xml,
    `<OpResponse xmlns="https://example.com/ns"><Wrapped>` +
      "<wire-name>r</wire-name><Flat>a</Flat><Flat>b</Flat><Thing>t</Thing><Items><item>i</item></Items>" +
      "<Attrs><entry><key>k</key><value>v</value></entry></Attrs><FlatMap><Name>n</Name><Count>1</Count></FlatMap>" +
      "<Epoch>1.5</Epoch><Data>aGVsbG8=</Data><Ratio>NaN</Ratio><Big>9223372036854775807</Big>" +
      `</Wrapped>${metadata("r")}</OpResponse>`,
  );
});

test("ErrorResponse: Sender for 4xx, Receiver for 5xx, RequestId beside Error", () => {
  assert.equal(
    encodeQueryError("AccessDenied", "User: arn:aws:iam::111122223333:user/alice is not authorized", 403, "rid", STS_NS),
    `<ErrorResponse xmlns="${STS_NS}"><Error><Type>Sender</Type><Code>AccessDenied</Code>` +
      "<Message>User: arn:aws:iam::111122223333:user/alice is not authorized</Message></Error><RequestId>rid</RequestId></ErrorResponse>",
  );
  assert.ok(encodeQueryError("ServiceFailure", "x", 500, "r", IAM_NS).includes("<Type>Receiver</Type>"));
  assert.ok(encodeQueryError("ServiceUnavailable", "x", 503, "r", IAM_NS).includes("<Type>Receiver</Type>"));
  assert.ok(encodeQueryError("Throttling", "x", 400, "r", IAM_NS).includes("<Type>Sender</Type>"));
  assert.equal(
    encodeQueryError("MalformedQueryString", "", 404, "r", IAM_NS),
    `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>MalformedQueryString</Code></Error><RequestId>r</RequestId></ErrorResponse>`,
  );
  assert.ok(encodeQueryError("X", "a<b & c", 400, "r", IAM_NS).includes("<Message>a&lt;b &amp; c</Message>"));
});

test("queryErrorResponse: status, text/xml and the request id header", () => {
  const wire = queryErrorResponse(new ServiceError("NoSuchEntity", "missing", 404), "rid", IAM_NS);
  assert.equal(wire.status, 404);
  assert.deepEqual(wire.headers, { "content-type": "text/xml", "x-amzn-requestid": "rid" });
  assert.equal(wire.body, encodeQueryError("NoSuchEntity", "missing", 404, "rid", IAM_NS));
});
