// CIDR parsing and containment (security spec §3.4 IpAddress; RFC 4632, RFC 4291 text forms).
import { test } from "node:test";
import assert from "node:assert/strict";
import { cidrContains, parseCidr, parseIpAddress } from "./ip.js";
import type { Cidr } from "./ip.js";

const block = (text: string): Cidr => {
  const cidr = parseCidr(text);
  assert.ok(cidr, text);
  return cidr;
};

const contains = (cidr: string, address: string): boolean => {
  const parsed = parseIpAddress(address);
  assert.ok(parsed, address);
  return cidrContains(block(cidr), parsed);
};

test("IPv4 addresses parse strictly", () => {
  assert.deepEqual(parseIpAddress("10.1.2.3"), { v6: false, groups: [0, 0, 0, 0, 0, 0, 0x0a01, 0x0203] });
  for (const bad of ["10.1.2", "10.1.2.3.4", "256.0.0.1", "1.2.3.-4", "a.b.c.d", "", "01.2.3.4"]) {
    assert.equal(parseIpAddress(bad), undefined, bad);
  }
});

test("IPv6 addresses: full, compressed, embedded IPv4", () => {
  assert.deepEqual(parseIpAddress("2001:db8::1")?.groups, [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(parseIpAddress("::")?.groups, [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(parseIpAddress("1:2:3:4:5:6:7:8")?.groups, [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(parseIpAddress("64:ff9b::192.0.2.33")?.groups, [0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x0221]);
  for (const bad of ["1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "g::1", "1:2:3:4:5:6:7", ":::"]) {
    assert.equal(parseIpAddress(bad), undefined, bad);
  }
});

test("IPv4-mapped IPv6 addresses read as IPv4", () => {
  assert.deepEqual(parseIpAddress("::ffff:10.1.2.3"), parseIpAddress("10.1.2.3"));
});

test("prefixes: bare addresses are host routes; out-of-range prefixes are rejected", () => {
  assert.equal(block("10.0.0.1").prefix, 128);
  assert.equal(block("10.0.0.0/8").prefix, 104);
  assert.equal(block("2001:db8::/32").prefix, 32);
  for (const bad of ["10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/8/9"]) {
    assert.equal(parseCidr(bad), undefined, bad);
  }
});

test("containment at prefix boundaries", () => {
  assert.equal(contains("10.0.0.0/8", "10.255.255.255"), true);
  assert.equal(contains("10.0.0.0/8", "11.0.0.0"), false);
  assert.equal(contains("192.0.2.128/25", "192.0.2.127"), false);
  assert.equal(contains("192.0.2.128/25", "192.0.2.200"), true);
  assert.equal(contains("0.0.0.0/0", "255.255.255.255"), true);
  assert.equal(contains("::/0", "ffff::1"), true);
  assert.equal(contains("2001:db8::/31", "2001:db9::1"), true);
  assert.equal(contains("2001:db8::/33", "2001:db8:8000::1"), false);
  assert.equal(contains("::/0", "10.0.0.1"), false);
});
