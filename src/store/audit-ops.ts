// The storage contract for audit trail (CloudTrail records, chain, digests, sink cursors). Part of every StoreOps as `ops.audit`: inside a
// transaction it writes in that transaction; on the Store itself it serves plain reads.
// Each backend implements it in <backend>/audit-ops.ts and both pass the same contract suite.

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface AuditOps {}
