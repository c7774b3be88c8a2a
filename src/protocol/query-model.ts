// Model types for AWS Query services (IAM, STS). The generated src/generated/<service>-model.ts
// modules of query services conform to these. They extend the JSON model types of validate.ts
// with the serialization traits the query protocol needs, so a QueryServiceModel is also a
// ServiceModel and validateInput checks its requests with the same constraint tables.
//
// Trait meanings follow the botocore model format: a member's `locationName` renames its
// parameter and its XML element; a list's member `locationName` replaces "member"; a
// `flattened` list or map drops the wrapping level; map entries use "entry"/"key"/"value"
// unless renamed; timestamps default to ISO 8601 in both directions.

import type {
  BlobShape,
  ListShape,
  MapShape,
  NumberShape,
  OperationShapes,
  PlainShape,
  ServiceModel,
  StringShape,
  StructureShape,
} from "./validate.js";

export interface QueryStructureShape extends StructureShape {
  /** Wire names of members that differ from the member name. */
  readonly locationNames?: { readonly [member: string]: string };
}

export interface QueryListShape extends ListShape {
  /** Element name instead of "member" (or, flattened, instead of the member's own name). */
  readonly memberName?: string;
  readonly flattened?: true;
}

export interface QueryMapShape extends MapShape {
  readonly keyName?: string;
  readonly valueName?: string;
  readonly flattened?: true;
}

export type TimestampFormat = "iso8601" | "unixTimestamp" | "rfc822";

export interface QueryTimestampShape extends PlainShape {
  readonly type: "timestamp";
  readonly timestampFormat?: TimestampFormat;
}

export interface QueryBooleanShape extends PlainShape {
  readonly type: "boolean";
}

export type QueryShape =
  | QueryStructureShape
  | QueryListShape
  | QueryMapShape
  | QueryTimestampShape
  | QueryBooleanShape
  | StringShape
  | NumberShape
  | BlobShape;

export interface QueryOperation extends OperationShapes {
  /** Element wrapping the output members inside <{Op}Response>; "{Op}Result" when absent. */
  readonly resultWrapper?: string;
  /** Error shapes the model lists for the operation (keys of QueryServiceModel.errorShapes). */
  readonly errors?: readonly string[];
  /** The operation is called without a signature (the request carries its own proof). */
  readonly unsigned?: true;
}

export interface QueryErrorShape {
  /** The <Code> on the wire (not the shape name: NoSuchEntityException answers "NoSuchEntity"). */
  readonly code: string;
  readonly status: number;
  readonly fault: "client" | "server";
}

export interface QueryServiceModel extends ServiceModel {
  /** Always "": query services select the operation with the Action parameter, not a target. */
  readonly targetPrefix: "";
  readonly apiVersion: string;
  readonly xmlNamespace: string;
  readonly operations: { readonly [operation: string]: QueryOperation };
  readonly shapes: { readonly [name: string]: QueryShape };
  readonly errorShapes: { readonly [name: string]: QueryErrorShape };
}
