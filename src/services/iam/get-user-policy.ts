// GetUserPolicy: one inline policy of a user, its document URL-encoded as IAM returns it.
import { getInlinePolicy } from "./inline-policies.js";

export const GetUserPolicy = getInlinePolicy("user");
