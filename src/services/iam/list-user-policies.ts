// ListUserPolicies: the names of a user's inline policies.
import { listInlinePolicies } from "./inline-policies.js";

export const ListUserPolicies = listInlinePolicies("user");
