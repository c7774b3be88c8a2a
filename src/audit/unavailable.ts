// The error a request gets when its record cannot be stored durably (fail-closed): 503
// ServiceUnavailableException. A 5xx, because the fault is the server's, and 503 rather than
// InternalServiceError (500) because it is an operational condition that passes: the SDKs and
// the CLI treat 503 as transient and retry with backoff, which is what a caller should do. The
// request was not executed (a write rolled back with its record; a read's value was withheld).
import { ServiceUnavailableException } from "../domain/errors.js";

export const AUDIT_UNAVAILABLE_MESSAGE =
  "The request was not processed because its audit record could not be stored. Try again later.";

export class AuditUnavailableError extends ServiceUnavailableException {
  /** What went wrong underneath, for the server log only (never sent to the client). */
  readonly reason: string;
  constructor(cause: unknown) {
    super(AUDIT_UNAVAILABLE_MESSAGE);
    this.reason = describeCause(cause);
  }
}

export function describeCause(cause: unknown): string {
  if (cause instanceof AuditUnavailableError) return cause.reason;
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`.slice(0, 500);
  return String(cause).slice(0, 500);
}
