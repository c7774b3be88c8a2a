// TagRole: adds or replaces tags on a role (see entity-tags.ts).
import { tagEntity } from "./entity-tags.js";

export const TagRole = tagEntity("role");
