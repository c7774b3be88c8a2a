// ListInstanceProfiles: Coffer has no instance profiles (see features-absent.ts).
import { emptyList } from "./features-absent.js";

export const ListInstanceProfiles = emptyList("InstanceProfiles");
