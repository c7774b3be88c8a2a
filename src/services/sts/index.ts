// The STS operations Coffer serves, by name. Others of the model answer InvalidAction from the
// Query router (server/query-router.ts).
import type { Operation } from "../context.js";
import { AssumeRole } from "./assume-role.js";
import { GetAccessKeyInfo } from "./get-access-key-info.js";
import { GetCallerIdentity } from "./get-caller-identity.js";
import { GetSessionToken } from "./get-session-token.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const stsOperations: Record<string, Operation<any, any>> = { AssumeRole, GetAccessKeyInfo, GetCallerIdentity, GetSessionToken };
