// GetRolePolicy: one inline policy of a role, its document URL-encoded as IAM returns it.
import { getInlinePolicy } from "./inline-policies.js";

export const GetRolePolicy = getInlinePolicy("role");
