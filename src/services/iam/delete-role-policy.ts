// DeleteRolePolicy: removes an inline policy of a role.
import { deleteInlinePolicy } from "./inline-policies.js";

export const DeleteRolePolicy = deleteInlinePolicy("role");
