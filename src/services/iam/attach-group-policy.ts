// AttachGroupPolicy: a managed policy now applies to the group (see attached-policies.ts).
import { attachPolicy } from "./attached-policies.js";

export const AttachGroupPolicy = attachPolicy("group");
