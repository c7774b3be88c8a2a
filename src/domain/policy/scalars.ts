// Numbers and dates as the Numeric and Date condition operators read them (security spec §3.4; IAM User Guide,
// "Numeric condition operators", "Date condition operators"). Anything unparsable yields NaN, which compares
// false with everything, so such a value never matches (§3.4: "unparsable → no match").

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Integer or decimal; exponents and hex are not numbers here (unverified whether AWS accepts them). */
export const parseNumber = (text: string): number => (DECIMAL.test(text.trim()) ? Number(text.trim()) : NaN);

// W3C profiles of ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD, and with a time hh:mm[:ss[.s…]] plus a zone.
const ISO_DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;
const EPOCH_SECONDS = /^[+-]?\d+(?:\.\d+)?$/;

const zoneOffsetMinutes = (zone: string | undefined): number => {
  // A time without a zone designator is read as UTC (the profile requires one; unverified what AWS does).
  if (zone === undefined || zone === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
};

const field = (text: string | undefined, fallback: number): number => (text === undefined ? fallback : Number(text));

const parseIsoDate = (text: string): number => {
  const m = ISO_DATE.exec(text);
  if (m === null) return NaN;
  const year = Number(m[1]);
  const month = field(m[2], 1);
  const day = field(m[3], 1);
  const hour = field(m[4], 0);
  const minute = field(m[5], 0);
  const second = field(m[6], 0);
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return NaN;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 31 February over into March; such a date does not exist.
  if (new Date(utc).getUTCDate() !== day) return NaN;
  return utc - zoneOffsetMinutes(m[8]) * 60_000;
};

/**
 * Milliseconds since the epoch. An all-digit value is epoch seconds (what aws:EpochTime holds), so "2024"
 * is a second count, not a year; anything else must be an ISO 8601 date or date-time.
 */
export const parseDate = (text: string): number => {
  const trimmed = text.trim();
  if (EPOCH_SECONDS.test(trimmed)) return Number(trimmed) * 1000;
  return parseIsoDate(trimmed);
};
