// GenerateRandom (security spec §5.4): 1–1024 random bytes; needs no key.
import { randomBytes } from "node:crypto";
import type { GenerateRandomRequest, GenerateRandomResponse } from "@aws-sdk/client-kms";
import { ValidationException } from "../../domain/errors.js";
import type { Operation } from "../context.js";
import { UnsupportedOperationException, kmsMessages } from "./errors.js";
import { authorizeKms } from "./key-policy.js";

export const GenerateRandom: Operation<GenerateRandomRequest, GenerateRandomResponse> = async (input, ctx, deps) => {
  if (input.NumberOfBytes === undefined) throw new ValidationException(kmsMessages.numberOfBytesRequired);
  if (input.CustomKeyStoreId !== undefined) throw new UnsupportedOperationException("Custom key stores are not supported.");
  authorizeKms(deps, ctx, { action: "kms:GenerateRandom" });
  return { Plaintext: randomBytes(input.NumberOfBytes) };
};
