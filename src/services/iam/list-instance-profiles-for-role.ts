// ListInstanceProfilesForRole: Coffer has no instance profiles (see features-absent.ts).
import { emptyList } from "./features-absent.js";

export const ListInstanceProfilesForRole = emptyList("InstanceProfiles", { kind: "role", field: "RoleName" });
