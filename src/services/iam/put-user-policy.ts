// PutUserPolicy: creates or replaces an inline policy of a user (see inline-policies.ts).
import { putInlinePolicy } from "./inline-policies.js";

export const PutUserPolicy = putInlinePolicy("user");
