// DeleteRolePermissionsBoundary: removes the role's permissions boundary.
import { deleteBoundary } from "./boundaries.js";

export const DeleteRolePermissionsBoundary = deleteBoundary("role");
