// PutRolePolicy: creates or replaces an inline policy of a role (see inline-policies.ts).
import { putInlinePolicy } from "./inline-policies.js";

export const PutRolePolicy = putInlinePolicy("role");
