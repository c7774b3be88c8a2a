// CofferAccounts.CreateAccount: a new, isolated account (12-digit id) with its root access key.
// The key's secret is in this answer only; it rests sealed under the root key like every key.
import { randomInt } from "node:crypto";
import { UniqueViolationError } from "../../../store/store.js";
import type { Operation } from "../../context.js";
import { accessKeyAad, newKeyId, newSecretKey } from "../credentials.js";
import { rootArn } from "../identifiers.js";

export interface CreateAccountInput {
  Name?: string;
}

export interface CreateAccountOutput {
  AccountId: string;
  Name: string;
  CreatedDate: Date;
  AccessKeyId: string;
  SecretAccessKey: string;
}

const newAccountId = (): string => String(randomInt(1, 10)) + String(randomInt(0, 100_000_000_000)).padStart(11, "0");

export const CreateAccount: Operation<CreateAccountInput, CreateAccountOutput> = async (input, ctx, deps) => {
  const accessKeyId = newKeyId("AKIA");
  const secretAccessKey = newSecretKey();
  for (let attempt = 0; ; attempt++) {
    const accountId = newAccountId();
    const name = input.Name ?? `account-${accountId}`;
    try {
      await deps.store.transaction(async (tx) => {
        await tx.insertAccount({ accountId, name, createdAt: ctx.now });
        await tx.insertAccessKey({
          accessKeyId,
          accountId,
          principalArn: rootArn(deps.partition, accountId),
          sealedSecret: deps.keyring.wrapWithRoot(Buffer.from(secretAccessKey, "utf8"), accessKeyAad(accessKeyId)),
          status: "Active",
          createdAt: ctx.now,
        });
      });
      return { AccountId: accountId, Name: name, CreatedDate: new Date(ctx.now), AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey };
    } catch (err) {
      // One in ninety billion: draw another id.
      if (!(err instanceof UniqueViolationError) || attempt >= 3) throw err;
    }
  }
};
