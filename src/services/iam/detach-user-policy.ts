// DetachUserPolicy: the managed policy no longer applies to the user.
import { detachPolicy } from "./attached-policies.js";

export const DetachUserPolicy = detachPolicy("user");
