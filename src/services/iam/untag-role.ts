// UntagRole: removes tags from a role; keys it does not have are ignored.
import { untagEntity } from "./entity-tags.js";

export const UntagRole = untagEntity("role");
