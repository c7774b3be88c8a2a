// A write that carries a value must name its version: SDKs fill ClientRequestToken themselves,
// so only a raw call can lack it (API spec §1.5, E9). AWS checks this once the body has been read
// into the input shape and before the model constraints (§2.12 steps 1-3), so it runs on the
// coerced input, where a JSON null already reads as an absent member.
import { InvalidRequestException, messages } from "../../domain/errors.js";

const TOKEN_REQUIRED_WITH_VALUE = new Set(["CreateSecret", "PutSecretValue", "UpdateSecret"]);

export function requireClientTokenWithValue(operation: string, input: Record<string, unknown>): void {
  if (!TOKEN_REQUIRED_WITH_VALUE.has(operation) || input.ClientRequestToken !== undefined) return;
  if (input.SecretString !== undefined || input.SecretBinary !== undefined) throw new InvalidRequestException(messages.tokenRequired);
}
