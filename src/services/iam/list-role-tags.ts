// ListRoleTags: the tags on a role.
import { listEntityTags } from "./entity-tags.js";

export const ListRoleTags = listEntityTags("role");
