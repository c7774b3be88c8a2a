// PutUserPermissionsBoundary: caps the user's permissions with a managed policy (see boundaries.ts).
import { putBoundary } from "./boundaries.js";

export const PutUserPermissionsBoundary = putBoundary("user");
