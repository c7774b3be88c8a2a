// ListSigningCertificates: Coffer keeps no signing certificates (see features-absent.ts).
import { emptyList } from "./features-absent.js";

export const ListSigningCertificates = emptyList("Certificates", { kind: "user", field: "UserName" });
