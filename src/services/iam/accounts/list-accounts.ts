// CofferAccounts.ListAccounts: every account of this server, by id.
import type { Operation } from "../../context.js";

export interface ListAccountsOutput {
  Accounts: { AccountId: string; Name: string; CreatedDate: Date }[];
}

export const ListAccounts: Operation<Record<string, never>, ListAccountsOutput> = async (_input, _ctx, deps) => ({
  Accounts: (await deps.store.listAccounts()).map((a) => ({ AccountId: a.accountId, Name: a.name, CreatedDate: new Date(a.createdAt) })),
});
