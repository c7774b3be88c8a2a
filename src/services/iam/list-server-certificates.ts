// ListServerCertificates: Coffer has no server certificates (see features-absent.ts).
import { emptyList } from "./features-absent.js";

export const ListServerCertificates = emptyList("ServerCertificateMetadataList");
