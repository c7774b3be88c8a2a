// Operations and options that belong to features Coffer has not built yet answer a clear,
// non-retryable client error rather than pretending to work.
import { InvalidRequestException } from "../../domain/errors.js";

export function notSupportedYet(what: string): never {
  throw new InvalidRequestException(`${what} is not supported by this Coffer server yet.`);
}
