// ListServiceSpecificCredentials: Coffer issues no service-specific credentials (see features-absent.ts).
import { emptyList } from "./features-absent.js";

export const ListServiceSpecificCredentials = emptyList("ServiceSpecificCredentials", { kind: "user", field: "UserName" });
