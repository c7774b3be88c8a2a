// ListAttachedUserPolicies: the managed policies attached to a user.
import { listAttachedPolicies } from "./attached-policies.js";

export const ListAttachedUserPolicies = listAttachedPolicies("user");
