// ListGroupPolicies: the names of a group's inline policies.
import { listInlinePolicies } from "./inline-policies.js";

export const ListGroupPolicies = listInlinePolicies("group");
