// The condition keys a policy reads (IAM's GetContextKeysFor…Policy): the keys of its Condition
// blocks and the policy variables in its resources and condition values, as written, each once
// (keys compare without regard to case, §3.3), in the order the document uses them: for each
// statement its resources, then each condition key followed by the variables in its values.
// Variables exist only in Version 2012-10-17 documents.
import type { PolicyDocument } from "./document.js";

const VARIABLE = /\$\{([^}]*)\}/g;
const ESCAPES: ReadonlySet<string> = new Set(["*", "?", "$"]);

function variablesIn(text: string): string[] {
  const keys: string[] = [];
  for (const match of text.matchAll(VARIABLE)) {
    const key = (match[1] ?? "").split(",")[0]?.trim() ?? "";
    if (key !== "" && !ESCAPES.has(key)) keys.push(key);
  }
  return keys;
}

export function contextKeysOf(documents: readonly PolicyDocument[]): string[] {
  const seen = new Map<string, string>();
  const add = (key: string) => {
    const lower = key.toLowerCase();
    if (!seen.has(lower)) seen.set(lower, key);
  };
  for (const document of documents) {
    const variables = document.version === "2012-10-17";
    for (const statement of document.statements) {
      if (variables) for (const pattern of statement.resource?.value ?? []) variablesIn(pattern).forEach(add);
      for (const keys of statement.condition.values()) {
        for (const [key, values] of keys) {
          add(key);
          if (variables) for (const value of values) variablesIn(value).forEach(add);
        }
      }
    }
  }
  return [...seen.values()];
}
