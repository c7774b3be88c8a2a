// The CloudTrail API as Coffer serves it: LookupEvents over the audit trail. Every other
// operation of the model answers UnsupportedOperationException (trails, event data stores and
// the rest have no meaning here); `satisfies` makes a missing entry a compile error.
import { UnsupportedOperationException } from "../../domain/errors.js";
import { type OperationName, operationNames } from "../../generated/cloudtrail-model.js";
import type { Operation } from "../context.js";
import { LookupEvents } from "./lookup-events.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOperation = Operation<any, any>;

const unsupported =
  (name: string): AnyOperation =>
  async () => {
    throw new UnsupportedOperationException(`${name} is not supported; this endpoint serves LookupEvents of the CloudTrail API.`);
  };

export const cloudTrailOperations = {
  ...(Object.fromEntries(operationNames.map((name) => [name, unsupported(name)])) as { [K in OperationName]: AnyOperation }),
  LookupEvents,
} satisfies { [K in OperationName]: AnyOperation };
