// Alias names (security spec §5.4 CreateAlias): "alias/" + name; "alias/aws/" is reserved for
// AWS-managed keys.
import { ValidationException } from "../../domain/errors.js";
import { InvalidAliasNameException, kmsMessages } from "./errors.js";

export function checkAliasName(name: string, creating: boolean): void {
  if (!name.startsWith("alias/")) throw new ValidationException(kmsMessages.aliasPrefix);
  if (creating && name.startsWith("alias/aws/")) throw new InvalidAliasNameException(kmsMessages.reservedAlias(name));
}
