// ListSAMLProviders: Coffer has no SAML providers (see features-absent.ts).
import { emptyList } from "./features-absent.js";

export const ListSAMLProviders = emptyList("SAMLProviderList");
