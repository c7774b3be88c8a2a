import { test } from "node:test";
import assert from "node:assert/strict";
import { model as iam } from "../generated/iam-model.js";
import { model as sts } from "../generated/sts-model.js";
import type { QueryServiceModel } from "./query-model.js";
import {
  decodeQueryRequest,
  parseTimestamp,
  queryParamsToInput,
  readQueryInput,
  resolveQueryOperation,
  type QueryRequest,
} from "./query.js";
import { createValidator } from "./validate.js";

const decode = (body: string | Buffer, query = ""): QueryRequest =>
  decodeQueryRequest(typeof body === "string" ? Buffer.from(body, "utf8") : body, query);

/** Decodes a body and reads the operation's validated input, as a server would. */
function input(model: QueryServiceModel, body: string): Record<string, unknown> {
  const request = decode(body);
  return readQueryInput(model, resolveQueryOperation(model, request), request.params);
}

/** Asserts a thrown ServiceError with this code, status and (optionally) message. */
function assertError(fn: () => unknown, code: string, status: number, message?: string): void {
  assert.throws(fn, (error: unknown) => {
    const e = error as { code?: string; status?: number; message?: string };
    assert.equal(e.code, code);
    assert.equal(e.status, status);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Form decoding.

test("a POST body decodes: + is a space, percent escapes are UTF-8, Action and Version are split off", () => {
  const request = decode("Action=CreateUser&Version=2010-05-08&UserName=a+b%2Bc&Path=%2Fp%C3%A4th%2F&Empty=&Bare");
  assert.equal(request.action, "CreateUser");
  assert.equal(request.version, "2010-05-08");
  assert.deepEqual([...request.params], [["UserName", "a b+c"], ["Path", "/päth/"], ["Empty", ""], ["Bare", ""]]);
});

test("raw UTF-8 bytes and empty pairs are accepted", () => {
  const request = decode(Buffer.from("&&Action=GetUser&&UserName=j\u00f6rg&", "utf8"));
  assert.deepEqual([...request.params], [["UserName", "jörg"]]);
  assert.equal(request.version, "");
});

test("a GET query string carries the parameters (leading ? optional), presigning parameters included", () => {
  const request = decode("", "?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ab");
  assert.equal(request.action, "GetCallerIdentity");
  assert.equal(request.params.get("X-Amz-Algorithm"), "AWS4-HMAC-SHA256");
  assert.deepEqual(queryParamsToInput(sts, request.action, request.params), {});
  assert.equal(decode("", "Action=GetCallerIdentity").action, "GetCallerIdentity");
});

test("query string and body parameters are merged", () => {
  const request = decode("UserName=bob", "Action=GetUser&Version=2010-05-08");
  assert.equal(request.action, "GetUser");
  assert.deepEqual(queryParamsToInput(iam, request.action, request.params), { UserName: "bob" });
});

test("a missing or empty Action is MissingAction (400)", () => {
  assertError(() => decode("Version=2011-06-15"), "MissingAction", 400);
  assertError(() => decode("Action=&Version=2011-06-15"), "MissingAction", 400);
  assertError(() => decode(""), "MissingAction", 400);
});

test("broken escapes, invalid UTF-8 and repeated parameters are MalformedQueryString (404)", () => {
  const malformed = ["Action=X&A=%G1", "Action=X&A=%2", "Action=X&A=%", "Action=X&A=%C3%28", "Action=X&A=%FF", "Action=X%", "Action=X&A=1&A=2"];
  for (const body of malformed) assertError(() => decode(body), "MalformedQueryString", 404, "The query string contains a syntax error.");
  assertError(() => decode(Buffer.from([0x41, 0x3d, 0xc3])), "MalformedQueryString", 404);
  assertError(() => decode("Action=X", "Action=X"), "MalformedQueryString", 404);
});

// ---------------------------------------------------------------------------------------------
// Action and Version.

test("the operation is looked up by Action and Version", () => {
  assert.equal(resolveQueryOperation(sts, decode("Action=AssumeRole&Version=2011-06-15")), "AssumeRole");
  assertError(
    () => resolveQueryOperation(sts, decode("Action=CreateUser&Version=2011-06-15")),
    "InvalidAction",
    400,
    "Could not find operation CreateUser for version 2011-06-15",
  );
  assertError(
    () => resolveQueryOperation(sts, decode("Action=GetCallerIdentity&Version=2010-05-08")),
    "InvalidAction",
    400,
    "Could not find operation GetCallerIdentity for version 2010-05-08",
  );
  for (const action of ["__proto__", "constructor", "toString"]) {
    assertError(() => resolveQueryOperation(iam, decode(`Action=${action}&Version=2010-05-08`)), "InvalidAction", 400);
  }
  assertError(() => resolveQueryOperation(sts, decode("Action=AssumeRole")), "MissingParameter", 400);
  assertError(() => queryParamsToInput(sts, "Nope", new Map()), "InvalidAction", 400);
});

// ---------------------------------------------------------------------------------------------
// Parameters of real IAM and STS operations, in the form the SDKs write them.

test("CreateUser with Tags and PermissionsBoundary", () => {
  const body =
    "Action=CreateUser&Version=2010-05-08&UserName=alice&Path=%2Feng%2F" +
    "&PermissionsBoundary=arn%3Aaws%3Aiam%3A%3A111122223333%3Apolicy%2Fboundary" +
    "&Tags.member.1.Key=team&Tags.member.1.Value=platform&Tags.member.2.Key=empty&Tags.member.2.Value=";
  assert.deepEqual(input(iam, body), {
    Path: "/eng/",
    PermissionsBoundary: "arn:aws:iam::111122223333:policy/boundary",
    Tags: [
      { Key: "team", Value: "platform" },
      { Key: "empty", Value: "" },
    ],
    UserName: "alice",
  });
});

test("PutUserPolicy keeps the policy document byte for byte", () => {
  const doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/a+b c&d"}]}';
  const body = `Action=PutUserPolicy&Version=2010-05-08&UserName=alice&PolicyName=p1&PolicyDocument=${encodeURIComponent(doc)}`;
  assert.deepEqual(input(iam, body), { PolicyDocument: doc, PolicyName: "p1", UserName: "alice" });
});

test("CreatePolicy with a description and tags", () => {
  const doc = '{"Version":"2012-10-17","Statement":[]}';
  const body =
    `Action=CreatePolicy&Version=2010-05-08&PolicyName=admin&Path=%2F&PolicyDocument=${encodeURIComponent(doc)}` +
    "&Description=Full+access&Tags.member.1.Key=k&Tags.member.1.Value=v";
  assert.deepEqual(input(iam, body), {
    Description: "Full access",
    Path: "/",
    PolicyDocument: doc,
    PolicyName: "admin",
    Tags: [{ Key: "k", Value: "v" }],
  });
});

test("ListUsers reads MaxItems as a number and Marker as text", () => {
  assert.deepEqual(input(iam, "Action=ListUsers&Version=2010-05-08&Marker=AAA%2Fb%3D%3D&MaxItems=100&PathPrefix=%2F"), {
    Marker: "AAA/b==",
    MaxItems: 100,
    PathPrefix: "/",
  });
  assert.deepEqual(input(iam, "Action=ListUsers&Version=2010-05-08"), {});
});

test("AttachRolePolicy", () => {
  const body = "Action=AttachRolePolicy&Version=2010-05-08&RoleName=app&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess";
  assert.deepEqual(input(iam, body), { PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess", RoleName: "app" });
});

test("AssumeRole with PolicyArns, Tags, TransitiveTagKeys and ProvidedContexts", () => {
  const body =
    "Action=AssumeRole&Version=2011-06-15&RoleSessionName=mysession&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fapp" +
    "&DurationSeconds=900&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess" +
    "&Tags.member.1.Key=project&Tags.member.1.Value=coffer&TransitiveTagKeys.member.1=project" +
    "&ProvidedContexts.member.1.ProviderArn=arn%3Aaws%3Aiam%3A%3Aaws%3Acontextprovider%2FIdentityCenter" +
    "&ProvidedContexts.member.1.ContextAssertion=abcdefghijklmnopqrstuvwxyz";
  assert.deepEqual(input(sts, body), {
    DurationSeconds: 900,
    PolicyArns: [{ arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
    ProvidedContexts: [
      { ProviderArn: "arn:aws:iam::aws:contextprovider/IdentityCenter", ContextAssertion: "abcdefghijklmnopqrstuvwxyz" },
    ],
    RoleArn: "arn:aws:iam::111122223333:role/app",
    RoleSessionName: "mysession",
    Tags: [{ Key: "project", Value: "coffer" }],
    TransitiveTagKeys: ["project"],
  });
});

test("GetCallerIdentity has no input", () => {
  assert.deepEqual(input(sts, "Action=GetCallerIdentity&Version=2011-06-15"), {});
});

test("list elements are taken in index order; gaps, bad indexes and unknown parameters are ignored", () => {
  const body =
    "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fapp&RoleSessionName=s1" +
    "&TransitiveTagKeys.member.10=c&TransitiveTagKeys.member.2=b&TransitiveTagKeys.member.1=a" +
    "&TransitiveTagKeys.member.0=zero&TransitiveTagKeys.member.01=lead&TransitiveTagKeys.member.x=x&TransitiveTagKeys.1=flat" +
    "&Unknown=1&RoleArn.Nested=2";
  const out = input(sts, body);
  assert.deepEqual(out["TransitiveTagKeys"], ["a", "b", "c"]);
  assert.equal(out["RoleArn"], "arn:aws:iam::111122223333:role/app");
  assert.equal("Unknown" in out, false);
});

test("an empty list is sent as the bare list name", () => {
  const out = input(sts, "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fapp&RoleSessionName=s1&PolicyArns=&Tags=");
  assert.deepEqual(out["PolicyArns"], []);
  assert.deepEqual(out["Tags"], []);
});

test("booleans and integers of UpdateAccountPasswordPolicy", () => {
  const body =
    "Action=UpdateAccountPasswordPolicy&Version=2010-05-08&MinimumPasswordLength=12&RequireSymbols=true" +
    "&RequireNumbers=FALSE&MaxPasswordAge=90";
  assert.deepEqual(input(iam, body), { MaxPasswordAge: 90, MinimumPasswordLength: 12, RequireNumbers: false, RequireSymbols: true });
});

test("values that are not of their shape's type are InvalidParameterValue", () => {
  const base = "Action=UpdateAccountPasswordPolicy&Version=2010-05-08&";
  assertError(() => input(iam, `${base}RequireSymbols=yes`), "InvalidParameterValue", 400, "Value (yes) for parameter RequireSymbols is invalid.");
  for (const n of ["abc", "1.5", "", "2147483648", "1e3"]) {
    assertError(() => input(iam, `${base}MinimumPasswordLength=${n}`), "InvalidParameterValue", 400);
  }
  assertError(
    () => input(sts, "Action=AssumeRole&Version=2011-06-15&Tags.member.1.Key=k&DurationSeconds=x"),
    "InvalidParameterValue",
    400,
    "Value (x) for parameter DurationSeconds is invalid.",
  );
});

test("model constraints are checked by validateInput and answered as ValidationError", () => {
  assertError(
    () => input(sts, "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fapp&DurationSeconds=100"),
    "ValidationError",
    400,
    "2 validation errors detected: Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900; " +
      "Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
  );
  assertError(
    () => input(iam, "Action=CreateUser&Version=2010-05-08&UserName=bob&Tags.member.1.Key=k"),
    "ValidationError",
    400,
    "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null",
  );
});

test("every pattern of the IAM and STS models translates", () => {
  assert.doesNotThrow(() => createValidator(iam));
  assert.doesNotThrow(() => createValidator(sts));
});

// ---------------------------------------------------------------------------------------------
// Serialization traits the IAM and STS models do not use, on a small model.

const traits: QueryServiceModel = {
  targetPrefix: "",
  apiVersion: "2020-01-01",
  xmlNamespace: "https://example.com/doc/2020-01-01/",
  operations: { Op: { input: "In" } },
  shapes: {
    In: {
      type: "structure",
      members: { Renamed: "Str", Flat: "FlatList", Named: "NamedFlatList", Items: "ItemList", Attrs: "Attrs", FlatMap: "FlatMap", Outer: "Outer", When: "Time", Epoch: "Epoch", Http: "Http", Data: "Bytes", Ratio: "Num", Big: "Long" },
      locationNames: { Renamed: "wire-name" },
    },
    Str: { type: "string" },
    FlatList: { type: "list", member: "Str", flattened: true },
    NamedFlatList: { type: "list", member: "Str", flattened: true, memberName: "Thing" },
    ItemList: { type: "list", member: "Str", memberName: "item" },
    Attrs: { type: "map", key: "Str", value: "Str" },
    FlatMap: { type: "map", key: "Str", value: "Long", flattened: true, keyName: "Name", valueName: "Count" },
    Outer: { type: "structure", members: { Inner: "Outer", Leaf: "Str" } },
    Time: { type: "timestamp" },
    Epoch: { type: "timestamp", timestampFormat: "unixTimestamp" },
    Http: { type: "timestamp", timestampFormat: "rfc822" },
    Bytes: { type: "blob" },
    Num: { type: "double" },
    Long: { type: "long" },
  },
  errorShapes: {},
};

test("location names, flattened and renamed lists, maps and nested structures", () => {
  const params = new Map([
    ["wire-name", "x"],
    ["Renamed", "ignored: the member is known by its location name"],
    ["Flat.2", "b"],
    ["Flat.1", "a"],
    ["Thing.1", "t"],
    ["Items.item.1", "i"],
    ["Attrs.entry.1.key", "__proto__"],
    ["Attrs.entry.1.value", "v1"],
    ["Attrs.entry.2.key", "k2"],
    ["Attrs.entry.2.value", "v2"],
    ["Attrs.entry.3.value", "no key: dropped"],
    ["FlatMap.1.Name", "n"],
    ["FlatMap.1.Count", "-9007199254740991"],
    ["Outer.Inner.Inner.Leaf", "deep"],
    ["Outer.Leaf", "top"],
  ]);
  const out = queryParamsToInput(traits, "Op", params);
  assert.equal(out["Renamed"], "x");
  assert.deepEqual(out["Flat"], ["a", "b"]);
  assert.deepEqual(out["Named"], ["t"]);
  assert.deepEqual(out["Items"], ["i"]);
  const attrs = out["Attrs"] as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(attrs), null);
  assert.deepEqual(Object.entries(attrs), [["__proto__", "v1"], ["k2", "v2"]]);
  assert.deepEqual({ ...(out["FlatMap"] as object) }, { n: -9007199254740991 });
  assert.deepEqual(out["Outer"], { Inner: { Inner: { Leaf: "deep" } }, Leaf: "top" });
  assert.deepEqual(Object.keys(queryParamsToInput(traits, "Op", new Map([["Attrs", ""]]))["Attrs"] as object), []);
});

test("timestamps become epoch seconds in each format; blobs stay base64; doubles parse", () => {
  const out = queryParamsToInput(traits, "Op", new Map([
    ["When", "2024-01-15T12:00:00.123456Z"],
    ["Epoch", "1705320000.5"],
    ["Http", "Mon, 15 Jan 2024 12:00:00 GMT"],
    ["Data", "aGVsbG8="],
    ["Ratio", "-1.5e3"],
    ["Big", "9223372036854775807"],
  ]));
  assert.equal(out["When"], 1705320000.123);
  assert.equal(out["Epoch"], 1705320000.5);
  assert.equal(out["Http"], 1705320000);
  assert.equal(out["Data"], "aGVsbG8=");
  assert.equal(out["Ratio"], -1500);
  assert.equal(out["Big"], 9223372036854775807);
  for (const [name, value] of [["When", "2024-01-15"], ["Epoch", "soon"], ["Http", "2024-01-15T12:00:00Z"], ["Data", "a*b"], ["Ratio", "1,5"], ["Big", "9223372036854775808"]] as const) {
    assertError(() => queryParamsToInput(traits, "Op", new Map([[name, value]])), "InvalidParameterValue", 400);
  }
});

test("ISO 8601 timestamps: offsets, fractions, and impossible dates", () => {
  assert.equal(parseTimestamp("2024-01-15T12:00:00Z", "iso8601"), Date.UTC(2024, 0, 15, 12));
  assert.equal(parseTimestamp("2024-01-15t12:00:00.5z", "iso8601"), Date.UTC(2024, 0, 15, 12, 0, 0, 500));
  assert.equal(parseTimestamp("2024-01-15T14:30:00+02:30", "iso8601"), Date.UTC(2024, 0, 15, 12));
  assert.equal(parseTimestamp("2024-01-15T10:00:00-0200", "iso8601"), Date.UTC(2024, 0, 15, 12));
  assert.equal(parseTimestamp("2024-02-29T00:00:00Z", "iso8601"), Date.UTC(2024, 1, 29));
  assert.equal(parseTimestamp("0099-01-01T00:00:00Z", "iso8601"), new Date("0099-01-01T00:00:00Z").getTime()); // not 1999
  for (const bad of ["2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-04-31T00:00:00Z", "2024-01-15T24:00:00Z", "2024-01-15T12:00:00", "2024-01-15 12:00:00Z", "x"]) {
    assert.equal(parseTimestamp(bad, "iso8601"), undefined, bad);
  }
});
