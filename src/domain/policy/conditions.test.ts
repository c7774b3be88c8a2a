// Condition operators through the evaluator (security spec §3.4; IAM User Guide, "Condition operators" and
// "Single-valued vs. multivalued context keys"). Each row is one identity statement allowing GetSecretValue
// under a Condition: "Allow" means the condition holds, "ImplicitDeny" that it does not. Deny rows put the
// condition on a Deny next to an allow-everything policy.
import { allowAll, allowStatement, denyStatement, holds, identityPolicy, runRows } from "./evaluation-fixtures.js";
import type { Row } from "./evaluation-fixtures.js";

type Context = Record<string, string | string[]>;

const T = "aws:ResourceTag/team";
const E = "aws:ResourceTag/env";
const TK = "aws:TagKeys";
const IP = "aws:SourceIp";
const CT = "aws:CurrentTime";
const ET = "aws:EpochTime";
const ST = "aws:SecureTransport";
const MFA = "aws:MultiFactorAuthPresent";
const SA = "aws:SourceArn";
const R = "secretsmanager:RecoveryWindowInDays";
const VS = "secretsmanager:VersionStage";
const BIN = "example:Blob";

const MISSING = "§3.4 missing key: positive operators false, negated true";
const IF_EXISTS = "§3.4 …IfExists: missing key true, present normal test";
const SETS = "§3.4 set operators";

const c = (name: string, cite: string, condition: Record<string, unknown>, context: Context, yes: boolean): Row => ({
  name,
  cite,
  expect: holds(yes),
  request: { context, identityPolicies: [identityPolicy(allowStatement({ Condition: condition }))] },
});

const d = (name: string, cite: string, condition: Record<string, unknown>, context: Context, denies: boolean): Row => ({
  name,
  cite,
  expect: denies ? "ExplicitDeny" : "Allow",
  request: { context, identityPolicies: [allowAll(), identityPolicy(denyStatement({ Condition: condition }))] },
});

const op = (operator: string, key: string, values: unknown): Record<string, unknown> => ({ [operator]: { [key]: values } });

const stringRows: Row[] = [
  c("StringEquals exact value", "§3.4 String", op("StringEquals", T, "blue"), { [T]: "blue" }, true),
  c("StringEquals is case-sensitive", "§3.4 truth table", op("StringEquals", T, "Blue"), { [T]: "blue" }, false),
  c("StringEquals several values are OR", "§3.4 values OR", op("StringEquals", T, ["red", "blue"]), { [T]: "blue" }, true),
  c("StringEquals none of several values", "§3.4 values OR", op("StringEquals", T, ["red", "green"]), { [T]: "blue" }, false),
  c("StringEquals missing key", MISSING, op("StringEquals", T, "red"), {}, false),
  c("StringEquals number value compared as string", "§3.1 numbers as strings", op("StringEquals", R, 7), { [R]: "7" }, true),
  c("StringEquals boolean value compared as string", "§3.1 booleans as strings", op("StringEquals", ST, true), { [ST]: "true" }, true),
  c("StringEquals has no wildcards", "IAM UG String operators: wildcards only in Like", op("StringEquals", T, "blu*"), { [T]: "blue" }, false),
  c("StringEquals treats * literally", "IAM UG String operators", op("StringEquals", T, "blu*"), { [T]: "blu*" }, true),
  c("StringEquals key name is case-insensitive", "§3.4 keys case-insensitive", op("StringEquals", "AWS:RESOURCETAG/TEAM", "blue"), { [T]: "blue" }, true),
  c("StringEquals tag key part is case-insensitive", "§3.4 tag keys case-insensitive", op("StringEquals", "aws:ResourceTag/Team", "blue"), { [T]: "blue" }, true),
  c("StringEquals on a multivalued key: any value", "§3.4 plain operator on multivalued key", op("StringEquals", TK, "b"), { [TK]: ["a", "b"] }, true),
  c("StringEquals on a multivalued key: no value", "§3.4 plain operator on multivalued key", op("StringEquals", TK, "c"), { [TK]: ["a", "b"] }, false),
  c("StringEquals on an empty list counts as missing", "§3.4 empty list is null", op("StringEquals", TK, "a"), { [TK]: [] }, false),
  c("StringEquals empty string is a value", "§3.4 String", op("StringEquals", T, ""), { [T]: "" }, true),
  c("StringEquals value with surrounding space differs", "§3.4 String exact", op("StringEquals", T, "blue"), { [T]: "blue " }, false),
  c("StringNotEquals other value", "§3.4 String", op("StringNotEquals", T, "red"), { [T]: "blue" }, true),
  c("StringNotEquals same value", "§3.4 String", op("StringNotEquals", T, "red"), { [T]: "red" }, false),
  c("StringNotEquals missing key", "§3.4 truth table", op("StringNotEquals", T, "red"), {}, true),
  c("StringNotEquals several values: matches one", "§3.4 negated: matches none", op("StringNotEquals", T, ["red", "blue"]), { [T]: "blue" }, false),
  c("StringNotEquals several values: matches none", "§3.4 negated: matches none", op("StringNotEquals", T, ["red", "green"]), { [T]: "blue" }, true),
  c("StringNotEquals is case-sensitive", "§3.4 String", op("StringNotEquals", T, "Red"), { [T]: "red" }, true),
  c("StringNotEquals multivalued key containing the value", "§3.4 plain operator on multivalued key", op("StringNotEquals", TK, "b"), { [TK]: ["a", "b"] }, false),
  c("StringNotEquals multivalued key without the value", "§3.4 plain operator on multivalued key", op("StringNotEquals", TK, "b"), { [TK]: ["a", "c"] }, true),
  c("StringEqualsIgnoreCase different case", "§3.4 truth table", op("StringEqualsIgnoreCase", T, "Blue"), { [T]: "blue" }, true),
  c("StringEqualsIgnoreCase mixed case both sides", "§3.4 String", op("StringEqualsIgnoreCase", T, "BLUE"), { [T]: "bLuE" }, true),
  c("StringEqualsIgnoreCase other value", "§3.4 String", op("StringEqualsIgnoreCase", T, "red"), { [T]: "blue" }, false),
  c("StringEqualsIgnoreCase missing key", MISSING, op("StringEqualsIgnoreCase", T, "red"), {}, false),
  c("StringEqualsIgnoreCase has no wildcards", "IAM UG String operators", op("StringEqualsIgnoreCase", T, "B*"), { [T]: "blue" }, false),
  c("StringNotEqualsIgnoreCase same value other case", "§3.4 String", op("StringNotEqualsIgnoreCase", T, "Blue"), { [T]: "blue" }, false),
  c("StringNotEqualsIgnoreCase other value", "§3.4 String", op("StringNotEqualsIgnoreCase", T, "red"), { [T]: "blue" }, true),
  c("StringNotEqualsIgnoreCase missing key", MISSING, op("StringNotEqualsIgnoreCase", T, "red"), {}, true),
  c("StringLike trailing *", "§3.4 String Like", op("StringLike", T, "b*"), { [T]: "blue" }, true),
  c("StringLike ? is one character", "§3.4 String Like", op("StringLike", T, "bl?e"), { [T]: "blue" }, true),
  c("StringLike ? is not two characters", "§3.4 String Like", op("StringLike", T, "bl?e"), { [T]: "blaae" }, false),
  c("StringLike ? is not zero characters", "§3.4 String Like", op("StringLike", T, "blu?e"), { [T]: "blue" }, false),
  c("StringLike is case-sensitive", "§3.4 String Like", op("StringLike", T, "B*"), { [T]: "blue" }, false),
  c("StringLike * matches the empty string", "§3.4 String Like", op("StringLike", T, "*"), { [T]: "" }, true),
  c("StringLike * with missing key", MISSING, op("StringLike", T, "*"), {}, false),
  c("StringLike * spans slashes", "§3.4 String Like", op("StringLike", "secretsmanager:Name", "prod/*"), { "secretsmanager:Name": "prod/a/b" }, true),
  c("StringLike several stars", "§3.4 String Like", op("StringLike", T, "a*b*c"), { [T]: "aXbYc" }, true),
  c("StringLike several stars, missing tail", "§3.4 String Like", op("StringLike", T, "a*b*c"), { [T]: "aXbY" }, false),
  c("StringLike leading and trailing star", "§3.4 String Like", op("StringLike", T, "*lu*"), { [T]: "blue" }, true),
  c("StringLike star needing backtracking", "§3.4 String Like", op("StringLike", T, "*ab"), { [T]: "aabab" }, true),
  c("StringLike several patterns are OR", "§3.4 values OR", op("StringLike", T, ["x*", "b*"]), { [T]: "blue" }, true),
  c("StringLike without wildcards is equality", "§3.4 String Like", op("StringLike", T, "blue"), { [T]: "blue" }, true),
  c("StringLike without wildcards, longer value", "§3.4 String Like", op("StringLike", T, "blue"), { [T]: "blue2" }, false),
  c("StringLike * spans newlines", "§3.2 patterns may span newlines", op("StringLike", "secretsmanager:Description", "a*b"), { "secretsmanager:Description": "a\nb" }, true),
  c("StringLike ? needs a character", "§3.4 String Like", op("StringLike", T, "?"), { [T]: "" }, false),
  c("StringLike regex metacharacters are literal", "§3.2 escape regex metacharacters", op("StringLike", T, "a.c"), { [T]: "abc" }, false),
  c("StringLike brackets are literal", "§3.2 escape regex metacharacters", op("StringLike", T, "[ab]*"), { [T]: "[ab]x" }, true),
  c("StringNotLike matching pattern", "§3.4 String Like", op("StringNotLike", T, "b*"), { [T]: "blue" }, false),
  c("StringNotLike other pattern", "§3.4 String Like", op("StringNotLike", T, "r*"), { [T]: "blue" }, true),
  c("StringNotLike missing key", MISSING, op("StringNotLike", T, "r*"), {}, true),
  c("StringNotLike several patterns, one matches", "§3.4 negated: matches none", op("StringNotLike", T, ["r*", "b*"]), { [T]: "blue" }, false),
];

const numericRows: Row[] = [
  c("NumericEquals equal", "§3.4 Numeric", op("NumericEquals", R, "7"), { [R]: "7" }, true),
  c("NumericEquals JSON number", "§3.1 numbers as strings", op("NumericEquals", R, 7), { [R]: "7" }, true),
  c("NumericEquals different", "§3.4 Numeric", op("NumericEquals", R, "7"), { [R]: "8" }, false),
  c("NumericEquals compares numbers, not text", "§3.4 Numeric integer or decimal", op("NumericEquals", R, "7.0"), { [R]: "7" }, true),
  c("NumericEquals leading zero", "§3.4 Numeric", op("NumericEquals", R, "7"), { [R]: "007" }, true),
  c("NumericEquals missing key", MISSING, op("NumericEquals", R, "7"), {}, false),
  c("NumericEquals unparsable request value", "§3.4 unparsable → no match", op("NumericEquals", R, "7"), { [R]: "seven" }, false),
  c("NumericEquals unparsable policy value", "§3.4 unparsable → no match", op("NumericEquals", R, "abc"), { [R]: "abc" }, false),
  c("NumericEquals several values are OR", "§3.4 values OR", op("NumericEquals", R, ["7", "30"]), { [R]: "30" }, true),
  c("NumericNotEquals equal", "§3.4 Numeric", op("NumericNotEquals", R, "7"), { [R]: "7" }, false),
  c("NumericNotEquals different", "§3.4 Numeric", op("NumericNotEquals", R, "7"), { [R]: "8" }, true),
  c("NumericNotEquals missing key", MISSING, op("NumericNotEquals", R, "7"), {}, true),
  c("NumericNotEquals several values, one equal", "§3.4 negated: matches none", op("NumericNotEquals", R, ["7", "30"]), { [R]: "30" }, false),
  c("NumericNotEquals several values, none equal", "§3.4 negated: matches none", op("NumericNotEquals", R, ["7", "30"]), { [R]: "14" }, true),
  c("NumericLessThan smaller", "§3.4 Numeric", op("NumericLessThan", R, "30"), { [R]: "7" }, true),
  c("NumericLessThan equal", "§3.4 Numeric", op("NumericLessThan", R, "30"), { [R]: "30" }, false),
  c("NumericLessThan larger", "§3.4 Numeric", op("NumericLessThan", R, "30"), { [R]: "31" }, false),
  c("NumericLessThan missing key", MISSING, op("NumericLessThan", R, "30"), {}, false),
  c("NumericLessThan decimals", "§3.4 Numeric integer or decimal", op("NumericLessThan", R, "1.5"), { [R]: "1.25" }, true),
  c("NumericLessThan numeric not lexical order", "§3.4 Numeric", op("NumericLessThan", R, "10"), { [R]: "9" }, true),
  c("NumericLessThanEquals equal", "§3.4 Numeric", op("NumericLessThanEquals", R, "30"), { [R]: "30" }, true),
  c("NumericLessThanEquals larger", "§3.4 Numeric", op("NumericLessThanEquals", R, "30"), { [R]: "31" }, false),
  c("NumericGreaterThan larger", "§3.4 Numeric", op("NumericGreaterThan", R, "7"), { [R]: "30" }, true),
  c("NumericGreaterThan equal", "§3.4 Numeric", op("NumericGreaterThan", R, "7"), { [R]: "7" }, false),
  c("NumericGreaterThan negative bound", "§3.4 Numeric", op("NumericGreaterThan", R, "-1"), { [R]: "0" }, true),
  c("NumericGreaterThanEquals equal", "§3.4 Numeric", op("NumericGreaterThanEquals", R, "7"), { [R]: "7" }, true),
  c("NumericGreaterThanEquals smaller", "§3.4 Numeric", op("NumericGreaterThanEquals", R, "7"), { [R]: "6" }, false),
  c("NumericGreaterThanEquals missing key", MISSING, op("NumericGreaterThanEquals", R, "7"), {}, false),
];

const dateRows: Row[] = [
  c("DateLessThan epoch seconds", "§3.4 truth table", op("DateLessThan", ET, "1735689600"), { [ET]: "1717200000" }, true),
  c("DateLessThan ISO before", "§3.4 Date", op("DateLessThan", CT, "2025-01-01T00:00:00Z"), { [CT]: "2024-06-01T00:00:00Z" }, true),
  c("DateLessThan ISO after", "§3.4 Date", op("DateLessThan", CT, "2025-01-01T00:00:00Z"), { [CT]: "2025-06-01T00:00:00Z" }, false),
  c("DateLessThan equal instant", "§3.4 Date", op("DateLessThan", CT, "2025-01-01T00:00:00Z"), { [CT]: "2025-01-01T00:00:00Z" }, false),
  c("DateLessThan missing key", MISSING, op("DateLessThan", CT, "2025-01-01T00:00:00Z"), {}, false),
  c("DateLessThanEquals equal instant", "§3.4 Date", op("DateLessThanEquals", CT, "2025-01-01T00:00:00Z"), { [CT]: "2025-01-01T00:00:00Z" }, true),
  c("DateGreaterThan after", "§3.4 Date", op("DateGreaterThan", CT, "2024-01-01T00:00:00Z"), { [CT]: "2024-06-01T12:00:00Z" }, true),
  c("DateGreaterThan before", "§3.4 Date", op("DateGreaterThan", CT, "2024-01-01T00:00:00Z"), { [CT]: "2023-12-31T23:59:59Z" }, false),
  c("DateGreaterThan fractional seconds", "§3.4 Date ISO 8601", op("DateGreaterThan", CT, "2024-06-01T00:00:00Z"), { [CT]: "2024-06-01T00:00:00.500Z" }, true),
  c("DateGreaterThanEquals equal", "§3.4 Date", op("DateGreaterThanEquals", CT, "2024-06-01T00:00:00Z"), { [CT]: "2024-06-01T00:00:00Z" }, true),
  c("DateGreaterThanEquals earlier", "§3.4 Date", op("DateGreaterThanEquals", CT, "2024-06-01T00:00:00Z"), { [CT]: "2024-05-31T00:00:00Z" }, false),
  c("DateEquals same instant", "§3.4 Date", op("DateEquals", CT, "2024-06-01T00:00:00Z"), { [CT]: "2024-06-01T00:00:00Z" }, true),
  c("DateEquals same instant, other zone", "§3.4 Date ISO 8601", op("DateEquals", CT, "2024-06-01T00:00:00Z"), { [CT]: "2024-06-01T02:00:00+02:00" }, true),
  c("DateEquals ISO policy vs epoch request", "§3.4 Date ISO or epoch", op("DateEquals", CT, "2024-06-01T00:00:00Z"), { [CT]: "1717200000" }, true),
  c("DateEquals date-only policy value", "§3.4 Date W3C profiles", op("DateEquals", CT, "2024-06-01"), { [CT]: "2024-06-01T00:00:00Z" }, true),
  c("DateEquals different instant", "§3.4 Date", op("DateEquals", CT, "2024-06-01T00:00:00Z"), { [CT]: "2024-06-01T00:00:01Z" }, false),
  c("DateEquals unparsable request value", "§3.4 Date", op("DateEquals", CT, "2024-06-01T00:00:00Z"), { [CT]: "yesterday" }, false),
  c("DateNotEquals same instant", "§3.4 Date", op("DateNotEquals", CT, "2024-06-01T00:00:00Z"), { [CT]: "2024-06-01T00:00:00Z" }, false),
  c("DateNotEquals other instant", "§3.4 Date", op("DateNotEquals", CT, "2024-06-01T00:00:00Z"), { [CT]: "2024-07-01T00:00:00Z" }, true),
  c("DateNotEquals missing key", MISSING, op("DateNotEquals", CT, "2024-06-01T00:00:00Z"), {}, true),
  c("DateGreaterThan epoch policy vs ISO request", "§3.4 Date ISO or epoch", op("DateGreaterThan", CT, "1717200000"), { [CT]: "2024-06-02T00:00:00Z" }, true),
];

const boolBinaryRows: Row[] = [
  c("Bool true", "§3.4 Bool", op("Bool", ST, "true"), { [ST]: "true" }, true),
  c("Bool true vs false", "§3.4 Bool", op("Bool", ST, "true"), { [ST]: "false" }, false),
  c("Bool JSON boolean", "§3.1 booleans as strings", op("Bool", ST, true), { [ST]: "true" }, true),
  c("Bool is case-insensitive", "§3.4 Bool case-insensitive", op("Bool", ST, "TRUE"), { [ST]: "true" }, true),
  c("Bool missing key", MISSING, op("Bool", MFA, "true"), {}, false),
  c("Bool false matches false", "§3.4 Bool", op("Bool", MFA, "false"), { [MFA]: "false" }, true),
  c("BinaryEquals same base64", "§3.4 Binary", op("BinaryEquals", BIN, "QmluYXJ5"), { [BIN]: "QmluYXJ5" }, true),
  c("BinaryEquals other bytes", "§3.4 Binary", op("BinaryEquals", BIN, "QmluYXJ5"), { [BIN]: "T3RoZXI=" }, false),
  c("BinaryEquals missing key", MISSING, op("BinaryEquals", BIN, "QmluYXJ5"), {}, false),
  d("Deny when Bool aws:SecureTransport false over HTTP", "§3.8 iam-simulate table", op("Bool", ST, "false"), { [ST]: "false" }, true),
  d("no deny over TLS", "§3.8 iam-simulate table", op("Bool", ST, "false"), { [ST]: "true" }, false),
  d("no deny when the key is missing", MISSING, op("Bool", ST, "false"), {}, false),
];

const ipRows: Row[] = [
  c("IpAddress inside /8", "§3.4 IP CIDR", op("IpAddress", IP, "10.0.0.0/8"), { [IP]: "10.1.2.3" }, true),
  c("IpAddress outside /8", "§3.4 IP CIDR", op("IpAddress", IP, "10.0.0.0/8"), { [IP]: "11.0.0.1" }, false),
  c("IpAddress bare address is /32", "§3.4 bare address = /32", op("IpAddress", IP, "203.0.113.5"), { [IP]: "203.0.113.5" }, true),
  c("IpAddress bare address, neighbour", "§3.4 bare address = /32", op("IpAddress", IP, "203.0.113.5"), { [IP]: "203.0.113.6" }, false),
  c("IpAddress explicit /32", "§3.4 IP CIDR", op("IpAddress", IP, "203.0.113.5/32"), { [IP]: "203.0.113.5" }, true),
  c("IpAddress /0 covers every IPv4 address", "§3.4 IP CIDR", op("IpAddress", IP, "0.0.0.0/0"), { [IP]: "198.51.100.9" }, true),
  c("IpAddress several blocks are OR", "§3.4 values OR", op("IpAddress", IP, ["10.0.0.0/8", "192.0.2.0/24"]), { [IP]: "192.0.2.44" }, true),
  c("IpAddress /20 last address", "§3.4 IP CIDR", op("IpAddress", IP, "192.168.16.0/20"), { [IP]: "192.168.31.255" }, true),
  c("IpAddress /20 first address after", "§3.4 IP CIDR", op("IpAddress", IP, "192.168.16.0/20"), { [IP]: "192.168.32.0" }, false),
  c("IpAddress host bits in the block are ignored", "§3.4 IP CIDR", op("IpAddress", IP, "10.1.2.3/8"), { [IP]: "10.200.0.1" }, true),
  c("IpAddress IPv6 inside /32", "§3.4 IPv6 CIDR", op("IpAddress", IP, "2001:db8::/32"), { [IP]: "2001:db8:1::5" }, true),
  c("IpAddress IPv6 outside /32", "§3.4 IPv6 CIDR", op("IpAddress", IP, "2001:db8::/32"), { [IP]: "2001:db9::1" }, false),
  c("IpAddress IPv6 /56 boundary inside", "§3.4 IPv6 CIDR", op("IpAddress", IP, "2001:db8:0:ab00::/56"), { [IP]: "2001:db8:0:abff:1::1" }, true),
  c("IpAddress IPv6 /56 boundary outside", "§3.4 IPv6 CIDR", op("IpAddress", IP, "2001:db8:0:ab00::/56"), { [IP]: "2001:db8:0:ac00::1" }, false),
  c("IpAddress IPv6 bare address is /128", "§3.4 bare IPv6 = /128", op("IpAddress", IP, "2001:db8::1"), { [IP]: "2001:db8:0:0:0:0:0:1" }, true),
  c("IpAddress IPv6 uppercase hex", "§3.4 IPv6 CIDR", op("IpAddress", IP, "2001:DB8::/32"), { [IP]: "2001:db8::7" }, true),
  c("IpAddress IPv4 block never matches IPv6", "§3.4 IP", op("IpAddress", IP, "0.0.0.0/0"), { [IP]: "2001:db8::1" }, false),
  c("IpAddress IPv6 block never matches IPv4", "§3.4 IP", op("IpAddress", IP, "::/0"), { [IP]: "10.0.0.1" }, false),
  c("IpAddress IPv4-mapped request address", "§3.5 aws:SourceIp is the client address", op("IpAddress", IP, "10.0.0.0/8"), { [IP]: "::ffff:10.1.2.3" }, true),
  c("IpAddress missing key", MISSING, op("IpAddress", IP, "10.0.0.0/8"), {}, false),
  c("IpAddress unparsable request value", "§3.4 IP", op("IpAddress", IP, "10.0.0.0/8"), { [IP]: "not-an-ip" }, false),
  c("IpAddress malformed block matches nothing", "§3.4 IP", op("IpAddress", IP, "10.0.0.0/33"), { [IP]: "10.0.0.1" }, false),
  c("NotIpAddress inside block", "§3.4 IP", op("NotIpAddress", IP, "10.0.0.0/8"), { [IP]: "10.1.2.3" }, false),
  c("NotIpAddress outside block", "§3.4 IP", op("NotIpAddress", IP, "10.0.0.0/8"), { [IP]: "192.0.2.1" }, true),
  c("NotIpAddress missing key", "§3.4 truth table", op("NotIpAddress", IP, "10.0.0.0/8"), {}, true),
  c("NotIpAddress several blocks: inside one", "§3.4 negated: matches none", op("NotIpAddress", IP, ["10.0.0.0/8", "192.0.2.0/24"]), { [IP]: "192.0.2.7" }, false),
  c("NotIpAddress IPv6 outside", "§3.4 IPv6", op("NotIpAddress", IP, "2001:db8::/32"), { [IP]: "2001:db9::1" }, true),
  d("Deny NotIpAddress from outside the office", "IAM UG aws:SourceIp example", op("NotIpAddress", IP, "192.0.2.0/24"), { [IP]: "198.51.100.1" }, true),
  d("Deny NotIpAddress from inside the office", "IAM UG aws:SourceIp example", op("NotIpAddress", IP, "192.0.2.0/24"), { [IP]: "192.0.2.10" }, false),
];

const LAMBDA = "arn:aws:lambda:us-east-1:111122223333:function:rotator";

const arnRows: Row[] = [
  c("ArnEquals exact", "§3.4 ARN", op("ArnEquals", SA, LAMBDA), { [SA]: LAMBDA }, true),
  c("ArnEquals different function", "§3.4 ARN", op("ArnEquals", SA, LAMBDA), { [SA]: `${LAMBDA}2` }, false),
  c("ArnEquals accepts wildcards like ArnLike", "§3.4 ARN identical pairs", op("ArnEquals", SA, "arn:aws:lambda:*:111122223333:function:rot*"), { [SA]: LAMBDA }, true),
  c("ArnLike wildcard account", "§3.4 ARN", op("ArnLike", SA, "arn:aws:iam::*:role/app"), { [SA]: "arn:aws:iam::444455556666:role/app" }, true),
  c("ArnLike resource part spans slashes", "§3.4 ARN", op("ArnLike", SA, "arn:aws:iam::111122223333:role/*"), { [SA]: "arn:aws:iam::111122223333:role/path/app" }, true),
  c("ArnLike wildcard service component", "§3.4 ARN components", op("ArnLike", SA, "arn:aws:*:us-east-1:111122223333:function:rotator"), { [SA]: LAMBDA }, true),
  c("ArnLike * cannot swallow a colon", "§3.4 ARN: a * cannot swallow a ':'", op("ArnLike", SA, "arn:aws:lambda:*:function:rotator"), { [SA]: LAMBDA }, false),
  c("ArnLike is case-sensitive", "§3.4 ARN", op("ArnLike", SA, "arn:aws:iam::111122223333:role/App"), { [SA]: "arn:aws:iam::111122223333:role/app" }, false),
  c("ArnLike ? in the account", "§3.4 ARN", op("ArnLike", SA, "arn:aws:iam::11112222333?:root"), { [SA]: "arn:aws:iam::111122223333:root" }, true),
  c("ArnLike value that is not an ARN", "§3.4 ARN", op("ArnLike", SA, "arn:aws:lambda:*:*:function:*"), { [SA]: "rotator" }, false),
  c("ArnLike missing key", MISSING, op("ArnLike", SA, "arn:aws:lambda:*:*:function:*"), {}, false),
  c("ArnLike several patterns are OR", "§3.4 values OR", op("ArnLike", SA, ["arn:aws:s3:::*", "arn:aws:lambda:*:*:function:*"]), { [SA]: LAMBDA }, true),
  c("ArnNotEquals same ARN", "§3.4 ARN", op("ArnNotEquals", SA, LAMBDA), { [SA]: LAMBDA }, false),
  c("ArnNotEquals other ARN", "§3.4 ARN", op("ArnNotEquals", SA, LAMBDA), { [SA]: "arn:aws:lambda:us-east-1:111122223333:function:other" }, true),
  c("ArnNotEquals missing key", MISSING, op("ArnNotEquals", SA, LAMBDA), {}, true),
  c("ArnNotLike matching pattern", "§3.4 ARN", op("ArnNotLike", SA, "arn:aws:iam::111122223333:role/*"), { [SA]: "arn:aws:iam::111122223333:role/app" }, false),
  c("ArnNotLike other pattern", "§3.4 ARN", op("ArnNotLike", SA, "arn:aws:iam::111122223333:role/*"), { [SA]: "arn:aws:iam::111122223333:user/alice" }, true),
  c("ArnNotLike missing key", MISSING, op("ArnNotLike", SA, "arn:aws:iam::111122223333:role/*"), {}, true),
];

const nullRows: Row[] = [
  c("Null true, key absent", "§3.4 truth table", op("Null", T, "true"), {}, true),
  c("Null true, key present", "§3.4 Null", op("Null", T, "true"), { [T]: "blue" }, false),
  c("Null false, key present", "§3.4 Null", op("Null", T, "false"), { [T]: "blue" }, true),
  c("Null false, key absent", "§3.4 Null", op("Null", T, "false"), {}, false),
  c("Null JSON true, key absent", "§3.1 booleans as strings", op("Null", T, true), {}, true),
  c("Null false, key present with empty string", "§3.4 Null: presence, not content", op("Null", T, "false"), { [T]: "" }, true),
  c("Null key name is case-insensitive", "§3.4 keys case-insensitive", op("Null", "AWS:RESOURCETAG/TEAM", "false"), { [T]: "blue" }, true),
  d("Deny Null aws:ResourceTag/team true (untagged secret)", "§3.4 Null", op("Null", T, "true"), {}, true),
  d("no deny for a tagged secret", "§3.4 Null", op("Null", T, "true"), { [T]: "blue" }, false),
];

const ifExistsRows: Row[] = [
  c("StringEqualsIfExists missing", "§3.4 truth table", op("StringEqualsIfExists", T, "red"), {}, true),
  c("StringEqualsIfExists present, other value", IF_EXISTS, op("StringEqualsIfExists", T, "red"), { [T]: "blue" }, false),
  c("StringEqualsIfExists present, same value", IF_EXISTS, op("StringEqualsIfExists", T, "red"), { [T]: "red" }, true),
  c("StringNotEqualsIfExists present, same value", IF_EXISTS, op("StringNotEqualsIfExists", T, "red"), { [T]: "red" }, false),
  c("StringNotEqualsIfExists missing", IF_EXISTS, op("StringNotEqualsIfExists", T, "red"), {}, true),
  c("StringEqualsIgnoreCaseIfExists present", IF_EXISTS, op("StringEqualsIgnoreCaseIfExists", T, "RED"), { [T]: "red" }, true),
  c("StringNotEqualsIgnoreCaseIfExists present", IF_EXISTS, op("StringNotEqualsIgnoreCaseIfExists", T, "RED"), { [T]: "red" }, false),
  c("StringLikeIfExists missing", IF_EXISTS, op("StringLikeIfExists", T, "r*"), {}, true),
  c("StringLikeIfExists present, no match", IF_EXISTS, op("StringLikeIfExists", T, "r*"), { [T]: "blue" }, false),
  c("StringNotLikeIfExists present, match", IF_EXISTS, op("StringNotLikeIfExists", T, "b*"), { [T]: "blue" }, false),
  c("NumericLessThanIfExists missing", IF_EXISTS, op("NumericLessThanIfExists", R, "30"), {}, true),
  c("NumericLessThanIfExists present, too large", IF_EXISTS, op("NumericLessThanIfExists", R, "30"), { [R]: "40" }, false),
  c("NumericEqualsIfExists present, equal", IF_EXISTS, op("NumericEqualsIfExists", R, "30"), { [R]: "30" }, true),
  c("NumericNotEqualsIfExists present, equal", IF_EXISTS, op("NumericNotEqualsIfExists", R, "30"), { [R]: "30" }, false),
  c("NumericGreaterThanEqualsIfExists missing", IF_EXISTS, op("NumericGreaterThanEqualsIfExists", R, "7"), {}, true),
  c("DateGreaterThanIfExists missing", IF_EXISTS, op("DateGreaterThanIfExists", CT, "2024-01-01T00:00:00Z"), {}, true),
  c("DateGreaterThanIfExists present, earlier", IF_EXISTS, op("DateGreaterThanIfExists", CT, "2024-01-01T00:00:00Z"), { [CT]: "2023-01-01T00:00:00Z" }, false),
  c("DateLessThanEqualsIfExists present, equal", IF_EXISTS, op("DateLessThanEqualsIfExists", CT, "2024-01-01T00:00:00Z"), { [CT]: "2024-01-01T00:00:00Z" }, true),
  c("DateNotEqualsIfExists present, equal", IF_EXISTS, op("DateNotEqualsIfExists", CT, "2024-01-01T00:00:00Z"), { [CT]: "2024-01-01T00:00:00Z" }, false),
  c("BoolIfExists missing (long-term keys have no MFA key)", "IAM UG …IfExists MultiFactorAuthPresent example", op("BoolIfExists", MFA, "true"), {}, true),
  c("BoolIfExists present false", IF_EXISTS, op("BoolIfExists", MFA, "true"), { [MFA]: "false" }, false),
  c("BinaryEqualsIfExists missing", IF_EXISTS, op("BinaryEqualsIfExists", BIN, "QmluYXJ5"), {}, true),
  c("BinaryEqualsIfExists present, other bytes", IF_EXISTS, op("BinaryEqualsIfExists", BIN, "QmluYXJ5"), { [BIN]: "T3RoZXI=" }, false),
  c("IpAddressIfExists missing", IF_EXISTS, op("IpAddressIfExists", IP, "10.0.0.0/8"), {}, true),
  c("IpAddressIfExists present, outside", IF_EXISTS, op("IpAddressIfExists", IP, "10.0.0.0/8"), { [IP]: "192.0.2.1" }, false),
  c("NotIpAddressIfExists present, inside", IF_EXISTS, op("NotIpAddressIfExists", IP, "10.0.0.0/8"), { [IP]: "10.0.0.1" }, false),
  c("ArnLikeIfExists missing", IF_EXISTS, op("ArnLikeIfExists", SA, "arn:aws:lambda:*:*:function:*"), {}, true),
  c("ArnLikeIfExists present, other service", IF_EXISTS, op("ArnLikeIfExists", SA, "arn:aws:lambda:*:*:function:*"), { [SA]: "arn:aws:s3:::bucket" }, false),
  c("ArnEqualsIfExists present, equal", IF_EXISTS, op("ArnEqualsIfExists", SA, LAMBDA), { [SA]: LAMBDA }, true),
  c("ArnNotLikeIfExists present, matching", IF_EXISTS, op("ArnNotLikeIfExists", SA, "arn:aws:lambda:*"), { [SA]: LAMBDA }, false),
  d("Deny StringNotEqualsIfExists: absent key denies", IF_EXISTS, op("StringNotEqualsIfExists", T, "blue"), {}, true),
  d("Deny StringNotEqualsIfExists: same value does not deny", IF_EXISTS, op("StringNotEqualsIfExists", T, "blue"), { [T]: "blue" }, false),
  d("Deny StringNotEqualsIfExists: other value denies", IF_EXISTS, op("StringNotEqualsIfExists", T, "blue"), { [T]: "red" }, true),
];

const setRows: Row[] = [
  c("ForAllValues:StringEquals missing key", "§3.4 truth table", op("ForAllValues:StringEquals", TK, ["a", "b"]), {}, true),
  c("ForAllValues:StringEquals one value outside", "§3.4 truth table", op("ForAllValues:StringEquals", TK, ["a", "b"]), { [TK]: ["a", "c"] }, false),
  c("ForAllValues:StringEquals subset", SETS, op("ForAllValues:StringEquals", TK, ["a", "b"]), { [TK]: ["a"] }, true),
  c("ForAllValues:StringEquals same set", SETS, op("ForAllValues:StringEquals", TK, ["a", "b"]), { [TK]: ["b", "a"] }, true),
  c("ForAllValues:StringEquals empty list", "§3.4 empty set → true", op("ForAllValues:StringEquals", TK, ["a", "b"]), { [TK]: [] }, true),
  c("ForAllValues:StringEquals is case-sensitive", SETS, op("ForAllValues:StringEquals", TK, ["a"]), { [TK]: ["A"] }, false),
  c("ForAnyValue:StringEquals missing key", "§3.4 truth table", op("ForAnyValue:StringEquals", TK, "a"), {}, false),
  c("ForAnyValue:StringEquals one value inside", SETS, op("ForAnyValue:StringEquals", TK, "a"), { [TK]: ["b", "a"] }, true),
  c("ForAnyValue:StringEquals no value inside", SETS, op("ForAnyValue:StringEquals", TK, "a"), { [TK]: ["b", "c"] }, false),
  c("ForAnyValue:StringEquals empty list", "§3.4 empty set → false", op("ForAnyValue:StringEquals", TK, "a"), { [TK]: [] }, false),
  c("ForAnyValue:StringEquals on a single-valued key", SETS, op("ForAnyValue:StringEquals", T, ["blue"]), { [T]: "blue" }, true),
  c("ForAnyValue:StringLike pattern", SETS, op("ForAnyValue:StringLike", TK, "env*"), { [TK]: ["team", "environment"] }, true),
  c("ForAllValues:StringLike all covered", SETS, op("ForAllValues:StringLike", TK, ["env*", "team"]), { [TK]: ["environment", "team"] }, true),
  c("ForAllValues:StringLike one not covered", SETS, op("ForAllValues:StringLike", TK, ["env*", "team"]), { [TK]: ["environment", "owner"] }, false),
  c("ForAnyValue:StringNotEquals some value outside", "IAM UG multivalued keys: ForAnyValue with negated operator", op("ForAnyValue:StringNotEquals", TK, "a"), { [TK]: ["a", "b"] }, true),
  c("ForAnyValue:StringNotEquals only excluded values", "IAM UG multivalued keys: ForAnyValue with negated operator", op("ForAnyValue:StringNotEquals", TK, "a"), { [TK]: ["a"] }, false),
  c("ForAllValues:StringNotEquals all outside", "IAM UG multivalued keys: ForAllValues with negated operator", op("ForAllValues:StringNotEquals", TK, ["a", "b"]), { [TK]: ["c", "d"] }, true),
  c("ForAllValues:StringNotEquals one inside", "IAM UG multivalued keys: ForAllValues with negated operator", op("ForAllValues:StringNotEquals", TK, ["a", "b"]), { [TK]: ["c", "a"] }, false),
  c("ForAllValues:StringNotEquals missing key", "§3.4 ForAllValues missing → true", op("ForAllValues:StringNotEquals", TK, ["a"]), {}, true),
  c("ForAllValues:StringEqualsIgnoreCase", SETS, op("ForAllValues:StringEqualsIgnoreCase", TK, ["Env"]), { [TK]: ["env", "ENV"] }, true),
  c("ForAnyValue:StringEqualsIfExists missing key", "§3.4 IfExists with set operators", op("ForAnyValue:StringEqualsIfExists", TK, "a"), {}, true),
  c("ForAnyValue:StringEqualsIfExists present, no match", "§3.4 IfExists with set operators", op("ForAnyValue:StringEqualsIfExists", TK, "a"), { [TK]: ["b"] }, false),
  c("ForAnyValue:ArnLike on a multivalued key", SETS, op("ForAnyValue:ArnLike", "aws:CalledVia", "arn:aws:*:*:*:*"), { "aws:CalledVia": ["x", LAMBDA] }, true),
  c("ForAllValues:ArnLike one non-matching value", SETS, op("ForAllValues:ArnLike", "aws:CalledVia", "arn:aws:lambda:*:*:*"), { "aws:CalledVia": ["arn:aws:s3:::b", LAMBDA] }, false),
  c("VersionStage quirk: request without VersionStage", "§3.4 quirk [O]", op("ForAnyValue:StringEquals", VS, "AWSCURRENT"), {}, false),
  c("VersionStage quirk: request with AWSCURRENT", "§3.4 quirk [O]", op("ForAnyValue:StringEquals", VS, "AWSCURRENT"), { [VS]: "AWSCURRENT" }, true),
  c("VersionStage quirk: request with AWSPENDING", "§3.4 quirk [O]", op("ForAnyValue:StringEquals", VS, "AWSCURRENT"), { [VS]: ["AWSPENDING"] }, false),
  d("Deny ForAnyValue:StringEquals aws:TagKeys protected key", "IAM UG tag keys example", op("ForAnyValue:StringEquals", TK, "owner"), { [TK]: ["team", "owner"] }, true),
  d("no deny without the protected key", "IAM UG tag keys example", op("ForAnyValue:StringEquals", TK, "owner"), { [TK]: ["team"] }, false),
];

const combinationRows: Row[] = [
  c("two keys under one operator: both match", "§3.4 keys AND", { StringEquals: { [T]: "blue", [E]: "prod" } }, { [T]: "blue", [E]: "prod" }, true),
  c("two keys under one operator: one differs", "§3.4 truth table", { StringEquals: { [T]: "blue", [E]: "prod" } }, { [T]: "blue", [E]: "dev" }, false),
  c("two operators: both hold", "§3.4 operators AND", { StringEquals: { [T]: "blue" }, IpAddress: { [IP]: "10.0.0.0/8" } }, { [T]: "blue", [IP]: "10.9.9.9" }, true),
  c("two operators: one fails", "§3.4 operators AND", { StringEquals: { [T]: "blue" }, IpAddress: { [IP]: "10.0.0.0/8" } }, { [T]: "blue", [IP]: "192.0.2.1" }, false),
  c("three operators with a missing-key negation", "§3.4 AND + negated missing", { StringEquals: { [T]: "blue" }, StringNotEquals: { [E]: "prod" }, Bool: { [ST]: "true" } }, { [T]: "blue", [ST]: "true" }, true),
  c("empty Condition block", "§3.1 Condition optional", {}, {}, true),
];

runRows("conditions: String", stringRows);
runRows("conditions: Numeric", numericRows);
runRows("conditions: Date", dateRows);
runRows("conditions: Bool and Binary", boolBinaryRows);
runRows("conditions: IP", ipRows);
runRows("conditions: ARN", arnRows);
runRows("conditions: Null", nullRows);
runRows("conditions: IfExists", ifExistsRows);
runRows("conditions: set operators", setRows);
runRows("conditions: combinations", combinationRows);
