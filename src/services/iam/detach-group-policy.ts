// DetachGroupPolicy: the managed policy no longer applies to the group.
import { detachPolicy } from "./attached-policies.js";

export const DetachGroupPolicy = detachPolicy("group");
