// DeleteUserPermissionsBoundary: removes the user's permissions boundary.
import { deleteBoundary } from "./boundaries.js";

export const DeleteUserPermissionsBoundary = deleteBoundary("user");
