// Addresses and CIDR blocks for the IpAddress / NotIpAddress condition operators (security spec §3.4; IAM User
// Guide, "IP address condition operators": RFC 4632 CIDR for IPv4, IPv6 likewise; a bare address is /32 or /128).
//
// Both families are held as eight 16-bit groups so one masked comparison serves both; an IPv4 address sits in
// the last two groups behind a family tag, so an IPv4 block never matches an IPv6 address or the reverse. An
// IPv4-mapped IPv6 request address (::ffff:a.b.c.d, what dual-stack sockets report) is read as the IPv4
// address it carries.

export interface IpAddress {
  readonly v6: boolean;
  readonly groups: readonly number[];
}

export interface Cidr extends IpAddress {
  readonly prefix: number;
}

const IPV4_OCTET = /^(?:0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

const parseIpv4Groups = (text: string): number[] | undefined => {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!IPV4_OCTET.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes.push(value);
  }
  const [a = 0, b = 0, c = 0, d = 0] = bytes;
  return [(a << 8) | b, (c << 8) | d];
};

const parseGroupList = (text: string): number[] | undefined => {
  if (text === "") return [];
  const groups: number[] = [];
  const parts = text.split(":");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (i === parts.length - 1 && part.includes(".")) {
      const tail = parseIpv4Groups(part);
      if (tail === undefined) return undefined;
      groups.push(...tail);
    } else if (HEX_GROUP.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
};

const parseIpv6Groups = (text: string): number[] | undefined => {
  const gap = text.indexOf("::");
  if (gap === -1) {
    const groups = parseGroupList(text);
    return groups !== undefined && groups.length === 8 ? groups : undefined;
  }
  if (text.indexOf("::", gap + 1) !== -1) return undefined;
  const head = parseGroupList(text.slice(0, gap));
  const tail = parseGroupList(text.slice(gap + 2));
  if (head === undefined || tail === undefined || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
};

const isMappedIpv4 = (groups: readonly number[]): boolean =>
  groups[5] === 0xffff && groups.slice(0, 5).every((group) => group === 0);

/** A bare IPv4 or IPv6 address; undefined when it is neither. */
export const parseIpAddress = (text: string): IpAddress | undefined => {
  if (text.includes(":")) {
    const groups = parseIpv6Groups(text);
    if (groups === undefined) return undefined;
    return isMappedIpv4(groups) ? { v6: false, groups: [0, 0, 0, 0, 0, 0, groups[6] ?? 0, groups[7] ?? 0] } : { v6: true, groups };
  }
  const low = parseIpv4Groups(text);
  return low === undefined ? undefined : { v6: false, groups: [0, 0, 0, 0, 0, 0, ...low] };
};

/** `address[/prefix]`; undefined when malformed (such a policy value then never matches). */
export const parseCidr = (text: string): Cidr | undefined => {
  const slash = text.indexOf("/");
  const address = parseIpAddress(slash === -1 ? text : text.slice(0, slash));
  if (address === undefined) return undefined;
  const bits = address.v6 ? 128 : 32;
  let prefix = bits;
  if (slash !== -1) {
    const prefixText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > bits) return undefined;
  }
  // IPv4 lives in the last 32 of the 128 bits.
  return { ...address, prefix: address.v6 ? prefix : prefix + 96 };
};

/** The address lies in the block; host bits set in the block's address are ignored. */
export const cidrContains = (cidr: Cidr, address: IpAddress): boolean => {
  if (cidr.v6 !== address.v6) return false;
  let remaining = cidr.prefix;
  for (let i = 0; i < 8 && remaining > 0; i++, remaining -= 16) {
    const mask = remaining >= 16 ? 0xffff : (0xffff << (16 - remaining)) & 0xffff;
    if (((cidr.groups[i] ?? 0) & mask) !== ((address.groups[i] ?? 0) & mask)) return false;
  }
  return true;
};
