// DeleteGroupPolicy: removes an inline policy of a group.
import { deleteInlinePolicy } from "./inline-policies.js";

export const DeleteGroupPolicy = deleteInlinePolicy("group");
