// UntagUser: removes tags from a user; keys it does not have are ignored.
import { untagEntity } from "./entity-tags.js";

export const UntagUser = untagEntity("user");
