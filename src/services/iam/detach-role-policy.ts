// DetachRolePolicy: the managed policy no longer applies to the role.
import { detachPolicy } from "./attached-policies.js";

export const DetachRolePolicy = detachPolicy("role");
