// ListRolePolicies: the names of a role's inline policies.
import { listInlinePolicies } from "./inline-policies.js";

export const ListRolePolicies = listInlinePolicies("role");
