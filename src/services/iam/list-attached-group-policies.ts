// ListAttachedGroupPolicies: the managed policies attached to a group.
import { listAttachedPolicies } from "./attached-policies.js";

export const ListAttachedGroupPolicies = listAttachedPolicies("group");
