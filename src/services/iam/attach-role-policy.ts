// AttachRolePolicy: a managed policy now applies to the role (see attached-policies.ts).
import { attachPolicy } from "./attached-policies.js";

export const AttachRolePolicy = attachPolicy("role");
