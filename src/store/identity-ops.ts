// The storage contract for identity and access (IAM users, groups, roles, policies, STS sessions). Part of every StoreOps as `ops.identity`: inside a
// transaction it writes in that transaction; on the Store itself it serves plain reads.
// Each backend implements it in <backend>/identity-ops.ts and both pass the same contract suite.

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface IdentityOps {}
