// GetLoginProfile: users have no console password in Coffer (see features-absent.ts).
import { noLoginProfile } from "./features-absent.js";

export const GetLoginProfile = noLoginProfile;
