// ListUserTags: the tags on a user.
import { listEntityTags } from "./entity-tags.js";

export const ListUserTags = listEntityTags("user");
