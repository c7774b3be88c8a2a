// DeleteUserPolicy: removes an inline policy of a user.
import { deleteInlinePolicy } from "./inline-policies.js";

export const DeleteUserPolicy = deleteInlinePolicy("user");
