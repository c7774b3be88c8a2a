// ListOpenIDConnectProviders: Coffer has no OpenID Connect providers (see features-absent.ts).
import { emptyList } from "./features-absent.js";

export const ListOpenIDConnectProviders = emptyList("OpenIDConnectProviderList");
