// TagUser: adds or replaces tags on a user (see entity-tags.ts).
import { tagEntity } from "./entity-tags.js";

export const TagUser = tagEntity("user");
