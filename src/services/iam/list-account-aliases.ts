// ListAccountAliases: accounts have no aliases in Coffer (see features-absent.ts).
import { emptyList } from "./features-absent.js";

export const ListAccountAliases = emptyList("AccountAliases");
