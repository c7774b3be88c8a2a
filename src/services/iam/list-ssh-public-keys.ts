// ListSSHPublicKeys: Coffer keeps no SSH keys (see features-absent.ts).
import { emptyList } from "./features-absent.js";

export const ListSSHPublicKeys = emptyList("SSHPublicKeys", { kind: "user", field: "UserName" });
