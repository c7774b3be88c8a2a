// ListAttachedRolePolicies: the managed policies attached to a role.
import { listAttachedPolicies } from "./attached-policies.js";

export const ListAttachedRolePolicies = listAttachedPolicies("role");
