// The audit trail as the request pipeline uses it: one CloudTrail record per authenticated
// request (allowed, denied, invalid or failed), stored durably before the answer leaves.
//
//   begin()      the request step: refuses the request (503) while the trail cannot store records
//   deps()       a write's store: its transaction commits the record with the change (carrying-store.ts)
//   succeeded()  a read's record (or a write that made no transaction) goes through group commit
//   failed()     the failure record, also through group commit
//
// Fail-closed: when a record cannot be stored, the request answers AuditUnavailableError and its
// effect never becomes visible (a write rolls back with its record; a read's value is withheld).
// After such a failure the trail refuses requests up front for a short while, then lets traffic
// through again; the first commit that succeeds ends the outage.
import type { Logger } from "pino";
import { InternalServiceError, ServiceError, messages } from "../domain/errors.js";
import type { RequestContext, ServiceDeps } from "../services/context.js";
import type { Store, StoreOps } from "../store/store.js";
import { appendPrepared, prepareRecord, type PreparedRecord } from "./append.js";
import { auditIdentityOf } from "./caller-identity.js";
import { carryingStore, type RecordCarrier } from "./carrying-store.js";
import type { ChainLink } from "./chain.js";
import { timeOrderedEventId } from "./event-id.js";
import { GroupCommit } from "./group-commit.js";
import { lookupResourcesOfCall, lookupResourcesOfRecord, recordResourcesOfCall } from "./lookup-resources.js";
import { RecordTemplates, TEMPLATED_OPERATIONS } from "./record-templates.js";
import {
  buildRecord,
  buildServiceEvent,
  type CloudTrailRecord,
  EVENT_SOURCES,
  type EventSource,
  isAuditedError,
  isReadOnly,
  type ServiceEventInput,
  type TlsDetails,
} from "./record.js";
import { AuditUnavailableError, describeCause } from "./unavailable.js";

export interface AuditTrailOptions {
  store: Store;
  log: Logger;
  /** How long requests are refused after a record could not be stored. Default 1 s. */
  retryAfterMs?: number;
  /** Most records per group commit. */
  maxBatch?: number;
  /**
   * How a group commit of read and failure records is synced. Writes' records always commit
   * with their write, fully synced. Default "full".
   */
  readDurability?: "full" | "process";
}

/** An authenticated request as the pipeline knows it when the audit step begins. */
export interface AuditedCall {
  /** The SigV4 signing name of the service (secretsmanager, kms, cloudtrail, iam, sts). */
  service: string;
  operation: string;
  ctx: RequestContext;
  tls?: TlsDetails;
}

export interface AuditTrailHealth {
  status: "ok" | "unavailable";
  /** Records waiting for their group commit. */
  pendingRecords: number;
  /** The last seq this process committed. */
  lastSeq: number;
  error?: string;
}

/** What the catch step knows of a request that failed before it was attributable. */
export interface UnattributedRequest {
  /** Headers by lower-cased name. */
  headerTable: ReadonlyMap<string, string | string[]>;
  rawUrl: string;
  remoteAddress: string;
}

function headerOf(req: UnattributedRequest, name: string): string | undefined {
  const value = req.headerTable.get(name);
  return Array.isArray(value) ? value[0] : value;
}

export function eventSourceOf(service: string): EventSource {
  return (EVENT_SOURCES as Record<string, EventSource>)[service] ?? (`${service}.amazonaws.com` as EventSource);
}

export class AuditTrail {
  readonly log: Logger;
  /** Templates of repeated reads' records (record-templates.ts). */
  readonly templates = new RecordTemplates();
  private readonly writer: GroupCommit;
  private readonly retryAfterMs: number;
  private unavailableUntil = 0;
  private failure: string | undefined;
  private lastSeq = 0;

  constructor(options: AuditTrailOptions) {
    this.log = options.log;
    this.retryAfterMs = options.retryAfterMs ?? 1000;
    this.writer = new GroupCommit(
      (records) =>
        options.store.transaction((tx) => appendPrepared(tx.audit, records), { durability: options.readDurability ?? "full" }),
      {
        committed: (head) => this.recovered(head),
        failed: (err, count) => this.unavailable(err, `${count} record(s) of a group commit were not stored`),
      },
      // SQLite commits on this thread, so a second batch in flight would only split what one
      // commit could carry (and each commit costs about as much as a dozen records); with
      // PostgreSQL a second batch overlaps the first one's round trip.
      { maxBatch: options.maxBatch, maxInFlight: options.store.kind === "sqlite" ? 1 : 2 },
    );
  }

  /** The audit step of a request. Throws AuditUnavailableError while records cannot be stored. */
  begin(call: AuditedCall): RequestAudit {
    if (this.unavailableUntil > Date.now()) {
      this.refused(call, this.failure);
      throw new AuditUnavailableError(this.failure);
    }
    return new RequestAudit(this, call);
  }

  /**
   * The pipeline's catch step. For a request that reached the audit step: its failure record,
   * returning the error to answer with (the audit's own error when the record could not be
   * stored). Before that point the request is not attributable (§6.3: authentication failures
   * are not recorded); it leaves a log line instead, without any secret.
   */
  async settle(audit: RequestAudit | undefined, err: unknown, requestId: string, req: UnattributedRequest): Promise<unknown> {
    if (audit) {
      try {
        await audit.failed(err);
        return err;
      } catch (auditErr) {
        return auditErr;
      }
    }
    if (err instanceof AuditUnavailableError) return err; // refused at the audit step, logged there
    const code = (err as { code?: unknown } | null)?.code;
    const target = headerOf(req, "x-amz-target");
    const accessKeyId = /Credential=([A-Za-z0-9]{1,128})(?:\/|%2F)/i.exec(headerOf(req, "authorization") ?? req.rawUrl)?.[1];
    const name = typeof code === "string" ? code : "InternalServiceError";
    const unauthenticated = !isAuditedError(name) || name === "MissingAuthenticationTokenException";
    this.log.warn(
      { requestId, code: name, target: target?.slice(0, 200), accessKeyId, sourceIp: req.remoteAddress },
      unauthenticated ? "request not authenticated: no audit record" : "request for no known service: no audit record",
    );
    return err;
  }

  /**
   * Runs work the server does on its own, committing the service events `events` derives from
   * its result in the same transaction as its change (or on their own when it made none).
   */
  async runService<O>(base: ServiceDeps, run: (deps: ServiceDeps) => Promise<O>, events: (result: O) => ServiceEventInput[]): Promise<O> {
    let carried = false;
    let stored = false;
    const carrier: RecordCarrier = {
      recordsFor: (result) => {
        if (carried || stored) return [];
        carried = true;
        return events(result as O).map((e) => this.prepareServiceEvent(e));
      },
      committed: () => {
        carried = false;
        stored = true;
      },
      rolledBack: () => (carried = false),
      appendFailed: (err) => {
        carried = false;
        this.unavailable(err, "service event not stored");
      },
    };
    const result = await run({ ...base, store: carryingStore(base.store, carrier) });
    if (!stored) await Promise.all(events(result).map((e) => this.commit(this.prepareServiceEvent(e))));
    return result;
  }

  /** A service event on its own (e.g. a rotation step with no store change), durably. */
  recordServiceEvent(input: ServiceEventInput): Promise<void> {
    return this.commit(this.prepareServiceEvent(input));
  }

  /** A service event inside the caller's own transaction, committed with it. */
  async recordServiceEventIn(tx: StoreOps, input: ServiceEventInput): Promise<void> {
    try {
      await appendPrepared(tx.audit, [this.prepareServiceEvent(input)]);
    } catch (err) {
      this.unavailable(err, "service event not stored");
      throw new AuditUnavailableError(err);
    }
  }

  health(): AuditTrailHealth {
    const health: AuditTrailHealth = {
      status: this.failure === undefined ? "ok" : "unavailable",
      pendingRecords: this.writer.pending,
      lastSeq: this.lastSeq,
    };
    if (this.failure !== undefined) health.error = this.failure;
    return health;
  }

  /** Commits what is queued; call once no request can begin any more. */
  drain(): Promise<void> {
    return this.writer.drain();
  }

  /** Group commit; rejects with AuditUnavailableError when the record was not stored. */
  async commit(prepared: PreparedRecord): Promise<void> {
    try {
      await this.writer.append(prepared);
    } catch (err) {
      throw new AuditUnavailableError(err);
    }
  }

  /** The trail could not store a record: refuse requests for a while, and say so once. */
  unavailable(err: unknown, what: string): void {
    const reason = describeCause(err);
    if (this.failure === undefined) this.log.error({ reason }, `audit trail unavailable: ${what}; refusing requests until records can be stored`);
    this.failure = reason;
    this.unavailableUntil = Date.now() + this.retryAfterMs;
  }

  recovered(head: ChainLink): void {
    this.lastSeq = Math.max(this.lastSeq, head.seq);
    if (this.failure !== undefined) {
      this.failure = undefined;
      this.unavailableUntil = 0;
      this.log.warn({ seq: head.seq }, "audit trail recovered: records are stored again");
    }
  }

  refused(call: AuditedCall, reason: string | undefined): void {
    // The request has no record; this line is what remains of it.
    const { ctx } = call;
    this.log.warn(
      {
        requestId: ctx.requestId,
        eventSource: eventSourceOf(call.service),
        eventName: call.operation,
        accountId: ctx.caller.accountId,
        accessKeyId: ctx.caller.accessKeyId,
        sourceIp: ctx.sourceIp,
        reason,
      },
      "request refused: its audit record could not be stored",
    );
  }

  private prepareServiceEvent(input: ServiceEventInput): PreparedRecord {
    const record = buildServiceEvent(input);
    return prepareRecord(record, lookupResourcesOfRecord(record));
  }
}

/** The audit of one request, from the audit step to the answer. */
export class RequestAudit implements RecordCarrier {
  /** The request members as decoded from the wire; set once decoding succeeded. */
  request: Readonly<Record<string, unknown>> | undefined;
  private state: "open" | "carried" | "stored" = "open";
  private readonly eventSource: EventSource;
  private readonly readOnly: boolean;

  constructor(
    private readonly trail: AuditTrail,
    private readonly call: AuditedCall,
  ) {
    this.eventSource = eventSourceOf(call.service);
    this.readOnly = isReadOnly(this.eventSource, call.operation);
  }

  /** The deps the operation runs with: for a write, a store whose transaction carries the record. */
  deps(base: ServiceDeps): ServiceDeps {
    return this.readOnly ? base : { ...base, store: carryingStore(base.store, this) };
  }

  /** The result step: returns once the success record is durable. */
  async succeeded(result: unknown): Promise<void> {
    if (this.state === "stored") return;
    await this.trail.commit(this.prepare(result, undefined));
    this.state = "stored";
  }

  /** The record of a failed request; throws AuditUnavailableError when it cannot be stored. */
  async failed(err: unknown): Promise<void> {
    // A change that committed with its record stays the truth of what happened.
    if (this.state === "stored") return;
    if (err instanceof AuditUnavailableError) {
      this.trail.refused(this.call, err.reason);
      return;
    }
    // What the client is told: the service error, or InternalServiceError without detail.
    const error = err instanceof ServiceError ? err : new InternalServiceError(messages.internal);
    if (!isAuditedError(error.code)) return;
    try {
      await this.trail.commit(this.prepare(undefined, { code: error.code, message: error.message }));
    } catch (auditErr) {
      this.trail.refused(this.call, describeCause(auditErr));
      throw auditErr;
    }
    this.state = "stored";
  }

  recordsFor(result: unknown): PreparedRecord[] {
    if (this.state !== "open") return [];
    this.state = "carried";
    return [this.prepare(result, undefined)];
  }

  committed(): void {
    this.state = "stored";
  }

  rolledBack(): void {
    this.state = "open";
  }

  appendFailed(err: unknown): void {
    this.state = "open";
    this.trail.unavailable(err, "a write's record could not be appended");
  }

  private prepare(result: unknown, error: { code: string; message: string } | undefined): PreparedRecord {
    if (error === undefined && this.readOnly && TEMPLATED_OPERATIONS.has(this.call.operation)) {
      const templated = this.fromTemplate(result);
      if (templated !== undefined) return templated;
    }
    const built = this.build(result, error, Date.now());
    return prepareRecord(built.record, built.lookup);
  }

  /** A repeated read's record (record-templates.ts), or undefined when it has no template. */
  private fromTemplate(result: unknown): PreparedRecord | undefined {
    const { ctx, tls } = this.call;
    const caller = ctx.caller;
    // A session's identity element carries its issue time; without it the element takes the
    // request's time, so each record differs beyond the template's slots.
    if (caller.sessionIssuedAt === undefined && caller.principalArn.includes(":assumed-role/")) return undefined;
    const arn = (result as { ARN?: unknown } | null)?.ARN;
    const key = [
      this.eventSource,
      this.call.operation,
      ctx.region,
      ctx.sourceIp,
      ctx.userAgent ?? "\u0001",
      tls === undefined ? "" : `${tls.tlsVersion}\u0001${tls.cipherSuite}\u0001${tls.clientProvidedHostHeader}`,
      typeof arn === "string" ? arn : "",
      JSON.stringify(this.request ?? null),
    ].join("\u0000");
    const time = Date.now();
    return this.trail.templates.prepare(caller, key, { time, requestId: ctx.requestId, eventId: timeOrderedEventId(time) }, () =>
      this.build(result, undefined, time),
    );
  }

  private build(result: unknown, error: { code: string; message: string } | undefined, time: number) {
    const { ctx } = this.call;
    const record: CloudTrailRecord = buildRecord({
      eventSource: this.eventSource,
      eventName: this.call.operation,
      identity: auditIdentityOf(ctx.caller, ctx.now),
      region: ctx.region,
      recipientAccountId: ctx.caller.accountId,
      sourceIp: ctx.sourceIp,
      userAgent: ctx.userAgent,
      requestId: ctx.requestId,
      time,
      request: this.request ?? null,
      response: result,
      error,
      tls: this.call.tls,
      resources: recordResourcesOfCall(this.eventSource, this.call.operation, this.request, error ? undefined : result, {
        partition: ctx.caller.principalArn.split(":")[1] ?? "aws",
        region: ctx.region,
        accountId: ctx.caller.accountId,
      }),
    });
    return { record, lookup: lookupResourcesOfCall(this.eventSource, this.request, error ? undefined : result) };
  }
}
