// ListVirtualMFADevices: Coffer has no virtual MFA devices (see features-absent.ts).
import { emptyList } from "./features-absent.js";

export const ListVirtualMFADevices = emptyList("VirtualMFADevices");
