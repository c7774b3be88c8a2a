// STS's errors on the Query protocol, with the codes and statuses of the model's error shapes.
import { ServiceError } from "../../domain/errors.js";
import { errorShapes } from "../../generated/sts-model.js";

const fromShape = (shapeName: string) => {
  const shape = errorShapes[shapeName];
  if (shape === undefined) throw new Error(`the STS model has no error ${shapeName}`);
  const { code, status } = shape;
  return class extends ServiceError {
    constructor(message: string) {
      super(code, message, status);
    }
  };
};

export const MalformedPolicyDocument = fromShape("MalformedPolicyDocumentException");
export const PackedPolicyTooLarge = fromShape("PackedPolicyTooLargeException");

export const stsMessages = {
  exceedsMaxSessionDuration: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", // [O]
  exceedsChainingLimit: "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", // [O]
  packedPolicyTooLarge: (percent: number) => `Packed policy consumes ${percent}% of allotted space, please use smaller policy.`, // [O]
  sourceIdentityFixed: "Source identity of a chained session cannot be changed.",
  rootMayNotAssume: "Roles may not be assumed by root accounts.", // [O]
  sessionCredentialsRefused: (operation: string) => `Cannot call ${operation} with session credentials`, // [O] for GetSessionToken
  mfaNotValidated:
    "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.", // [O]
  tooManySessionTags: "The number of session tags, including transitive tags passed from the previous session, exceeds 50.",
} as const;
