// Request checks of the CloudTrail API that come before the model's constraints: LookupEvents
// answers its own modeled errors for the attribute list, MaxResults and EventCategory rather
// than a generic ValidationException (§6.6).
import {
  InvalidEventCategoryException,
  InvalidLookupAttributesException,
  InvalidMaxResultsException,
} from "../../domain/errors.js";
import { model } from "../../generated/cloudtrail-model.js";
import { validateInput } from "../../protocol/validate.js";

const KEYS = ["EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId"];

function checkLookupEvents(input: Record<string, unknown>): void {
  const attributes = input.LookupAttributes;
  if (Array.isArray(attributes)) {
    if (attributes.length > 1) throw new InvalidLookupAttributesException("You cannot specify more than one lookup attribute.");
    for (const attribute of attributes) {
      const key = (attribute as { AttributeKey?: unknown } | null)?.AttributeKey;
      if (typeof key === "string" && !KEYS.includes(key)) {
        throw new InvalidLookupAttributesException(`Invalid lookup attribute key: ${key.slice(0, 100)}. Valid keys are ${KEYS.join(", ")}.`);
      }
    }
  }
  const max = input.MaxResults;
  if (typeof max === "number" && (!Number.isInteger(max) || max < 1 || max > 50)) {
    throw new InvalidMaxResultsException("This exception is thrown if the limit specified is not valid.");
  }
  const category = input.EventCategory;
  if (typeof category === "string" && category !== "insight") {
    throw new InvalidEventCategoryException(
      "Occurs if an event category that is not valid is specified as a value of EventCategory.",
    );
  }
}

export function validateCloudTrailInput(operation: string, input: Record<string, unknown>): Record<string, unknown> {
  if (operation === "LookupEvents") checkLookupEvents(input);
  return validateInput(model, operation, input);
}
