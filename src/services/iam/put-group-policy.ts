// PutGroupPolicy: creates or replaces an inline policy of a group (see inline-policies.ts).
import { putInlinePolicy } from "./inline-policies.js";

export const PutGroupPolicy = putInlinePolicy("group");
