// GenerateDataKey*: exactly one of KeySpec and NumberOfBytes (security spec §5.4).
import { ValidationException } from "../../domain/errors.js";
import { kmsMessages } from "./errors.js";

export function dataKeyBytes(keySpec: string | undefined, numberOfBytes: number | undefined): number {
  if ((keySpec === undefined) === (numberOfBytes === undefined)) throw new ValidationException(kmsMessages.dataKeySize);
  if (numberOfBytes !== undefined) return numberOfBytes;
  return keySpec === "AES_128" ? 16 : 32;
}
