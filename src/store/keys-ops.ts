// The storage contract for KMS keys, aliases, key policies, sealing and root-key rotation. Part of every StoreOps as `ops.keys`: inside a
// transaction it writes in that transaction; on the Store itself it serves plain reads.
// Each backend implements it in <backend>/keys-ops.ts and both pass the same contract suite.

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface KeyOps {}
