// GetGroupPolicy: one inline policy of a group, its document URL-encoded as IAM returns it.
import { getInlinePolicy } from "./inline-policies.js";

export const GetGroupPolicy = getInlinePolicy("group");
