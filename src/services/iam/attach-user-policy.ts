// AttachUserPolicy: a managed policy now applies to the user (see attached-policies.ts).
import { attachPolicy } from "./attached-policies.js";

export const AttachUserPolicy = attachPolicy("user");
