// Policy variables (security spec §3.3; IAM User Guide, "IAM policy elements: Variables and tags").
//
// A pattern or condition value is split once, at policy load, into tokens: literal text, the wildcards `*` and
// `?` (where the element allows them), and `${key}` / `${key, 'default'}` references that are looked up in the
// request context on every evaluation. The escapes `${*}`, `${?}` and `${$}` become literal text here, so a
// later wildcard matcher never sees them as wildcards (§3.2: `a${*}b` matches "a*b", not "axb").
//
// A reference whose key is absent and that has no default has no value at all: the pattern or value holding it
// cannot match anything (§3.3: it does not become an empty string). Substituted values are literal text too;
// the characters AWS allows in user names and tag values exclude `*` and `?`, so this only matters for
// defaults, which are literal by their quoting.

export type Token =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "star" }
  | { readonly kind: "one" }
  | { readonly kind: "var"; readonly key: string; readonly fallback: string | undefined };

export interface TemplateSyntax {
  /** `${…}` is a variable (Version 2012-10-17 and an element that allows variables); otherwise plain text. */
  readonly variables: boolean;
  /** `*` and `?` are wildcards (Like operators, ARN patterns, actions); otherwise plain text. */
  readonly wildcards: boolean;
}

/** Where variable values come from. Keys arrive lower-cased (§3.3: key names are case-insensitive). */
export interface VariableSource {
  /** The single value of a key; undefined when absent or multivalued. */
  scalar(lowerKey: string): string | undefined;
}

const STAR: Token = { kind: "star" };
const ONE: Token = { kind: "one" };

// `${aws:PrincipalTag/team, 'company-wide'}`: comma, optional spaces, single-quoted default (§3.3).
const REFERENCE = /^\s*([^\s,']+)\s*(?:,\s*'([^']*)'\s*)?$/;
const ESCAPES: ReadonlySet<string> = new Set(["*", "?", "$"]);

/** The token for the text between `${` and `}`, or undefined when it is not a valid reference. */
const reference = (inner: string): Token | undefined => {
  if (ESCAPES.has(inner)) return { kind: "text", text: inner };
  const found = REFERENCE.exec(inner);
  if (found === null) return undefined;
  return { kind: "var", key: (found[1] ?? "").toLowerCase(), fallback: found[2] };
};

/** Splits a pattern or value into tokens; adjacent literal text is merged into one token. */
export const tokenize = (source: string, syntax: TemplateSyntax): readonly Token[] => {
  const tokens: Token[] = [];
  let text = "";
  const flush = (): void => {
    if (text !== "") tokens.push({ kind: "text", text });
    text = "";
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] ?? "";
    if (syntax.variables && ch === "$" && source[i + 1] === "{") {
      const close = source.indexOf("}", i + 2);
      const token = close === -1 ? undefined : reference(source.slice(i + 2, close));
      // Malformed references stay literal text (unverified: AWS may reject such a policy instead).
      if (token !== undefined && close !== -1) {
        if (token.kind === "text") text += token.text;
        else {
          flush();
          tokens.push(token);
        }
        i = close;
        continue;
      }
    }
    if (syntax.wildcards && (ch === "*" || ch === "?")) {
      flush();
      tokens.push(ch === "*" ? STAR : ONE);
    } else {
      text += ch;
    }
  }
  flush();
  return tokens;
};

export const hasVariables = (tokens: readonly Token[]): boolean => tokens.some((token) => token.kind === "var");

/** The value a reference stands for: the key's value, else its default, else undefined (no value). */
export const resolveVariable = (token: Token & { kind: "var" }, source: VariableSource): string | undefined =>
  source.scalar(token.key) ?? token.fallback;

/** Replaces every reference by its value as literal text; undefined when one has no value. */
export const substitute = (tokens: readonly Token[], source: VariableSource): Token[] | undefined => {
  const out: Token[] = [];
  for (const token of tokens) {
    let text: string;
    if (token.kind === "text") text = token.text;
    else if (token.kind === "var") {
      const value = resolveVariable(token, source);
      if (value === undefined) return undefined;
      text = value;
    } else {
      out.push(token);
      continue;
    }
    const last = out[out.length - 1];
    if (last !== undefined && last.kind === "text") out[out.length - 1] = { kind: "text", text: last.text + text };
    else if (text !== "") out.push({ kind: "text", text });
  }
  return out;
};

/** The whole value as a string when it has no references and no wildcards; undefined otherwise. */
export const literalText = (tokens: readonly Token[]): string | undefined => {
  if (tokens.length === 0) return "";
  const [only] = tokens;
  return tokens.length === 1 && only !== undefined && only.kind === "text" ? only.text : undefined;
};
