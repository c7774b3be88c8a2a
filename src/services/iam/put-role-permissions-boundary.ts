// PutRolePermissionsBoundary: caps the role's permissions with a managed policy (see boundaries.ts).
import { putBoundary } from "./boundaries.js";

export const PutRolePermissionsBoundary = putBoundary("role");
