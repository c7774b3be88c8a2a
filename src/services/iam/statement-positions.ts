// Where each statement of a policy document sits in its text, as SimulatePrincipalPolicy reports a
// matched statement (StartPosition / EndPosition, 1-based line and column). A small scanner over
// the JSON text: it only has to find the top-level "Statement" member and the extent of each of its
// elements; the document is known to be valid JSON by then.
import type { Position } from "@aws-sdk/client-iam";

export interface StatementSpan {
  start: Position;
  end: Position;
}

class Scanner {
  i = 0;
  constructor(readonly text: string) {}

  ws(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i] as string)) this.i++;
  }

  /** Skips a string starting at the current quote and returns its decoded value. */
  string(): string {
    const start = this.i;
    this.i++;
    while (this.i < this.text.length && this.text[this.i] !== '"') this.i += this.text[this.i] === "\\" ? 2 : 1;
    this.i++;
    return JSON.parse(this.text.slice(start, this.i)) as string;
  }

  /** Skips any JSON value. */
  value(): void {
    this.ws();
    const c = this.text[this.i];
    if (c === '"') {
      this.string();
      return;
    }
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      this.i++;
      this.ws();
      if (this.text[this.i] === close) {
        this.i++;
        return;
      }
      for (;;) {
        if (c === "{") {
          this.ws();
          this.string();
          this.ws();
          this.i++; // ':'
        }
        this.value();
        this.ws();
        if (this.text[this.i++] === close) return;
      }
    }
    while (this.i < this.text.length && !/[\s,\]}]/.test(this.text[this.i] as string)) this.i++;
  }
}

function positionAt(text: string, offset: number): Position {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      column = 1;
    } else column++;
  }
  return { Line: line, Column: column };
}

/** Spans of the statements in document order; [] when the text cannot be read this way. */
export function statementSpans(text: string): StatementSpan[] {
  try {
    const s = new Scanner(text);
    s.ws();
    if (text[s.i] !== "{") return [];
    s.i++;
    for (;;) {
      s.ws();
      if (text[s.i] === "}") return [];
      const key = s.string();
      s.ws();
      s.i++; // ':'
      s.ws();
      if (key !== "Statement") {
        s.value();
      } else {
        const spans: StatementSpan[] = [];
        const one = () => {
          s.ws();
          const start = s.i;
          s.value();
          // The end is the statement's last character (its closing brace), inclusive.
          spans.push({ start: positionAt(text, start), end: positionAt(text, s.i - 1) });
        };
        if (text[s.i] !== "[") one();
        else {
          s.i++;
          s.ws();
          while (text[s.i] !== "]") {
            one();
            s.ws();
            if (text[s.i] === ",") s.i++;
            s.ws();
          }
        }
        return spans;
      }
      s.ws();
      if (text[s.i] === ",") s.i++;
    }
  } catch {
    return [];
  }
}
