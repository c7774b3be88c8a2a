// ListMFADevices: Coffer has no MFA devices (see features-absent.ts).
import { emptyList } from "./features-absent.js";

export const ListMFADevices = emptyList("MFADevices", { kind: "user", field: "UserName" });
