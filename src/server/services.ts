// The JSON 1.1 services this endpoint serves, found by their X-Amz-Target prefix.
import { model as secretsmanagerModel } from "../generated/secretsmanager-model.js";
import { validateInput } from "../protocol/validate.js";
import type { Operation } from "../services/context.js";
import { secretsManagerOperations } from "../services/secretsmanager/index.js";

export interface JsonService {
  signingName: string;
  targetPrefix: string;
  messageKey: "Message" | "message";
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  operations: Record<string, Operation<any, any>>;
  validate(operation: string, input: Record<string, unknown>): Record<string, unknown>;
}

const secretsManager: JsonService = {
  signingName: "secretsmanager",
  targetPrefix: "secretsmanager",
  messageKey: "Message",
  operations: secretsManagerOperations,
  validate: (operation, input) => validateInput(secretsmanagerModel, operation, input),
};

const byPrefix = new Map<string, JsonService>([[secretsManager.targetPrefix, secretsManager]]);

export function findJsonService(target: string): { service: JsonService; operation: string } | undefined {
  const dot = target.indexOf(".");
  if (dot < 0) return undefined;
  const service = byPrefix.get(target.slice(0, dot));
  return service ? { service, operation: target.slice(dot + 1) } : undefined;
}
