// The operator API is for the operator alone: the root user of the account made at first start
// (whose keys `coffer server` wrote to <data-dir>/credentials), and only while the server is
// unsealed. While sealed, nobody can be authenticated (access keys rest wrapped under the root
// key), so Unseal and Status are answered by the seal gate without a signature: an unseal share
// is its own credential, and a wrong one is refused.
import { AccessDeniedException, InvalidRequestException, ValidationException } from "../../domain/errors.js";
import { CustodyError, ShareFormatError, type KeyCustody } from "../../crypto/custody.js";
import type { RequestContext, ServiceDeps } from "../context.js";

let operatorAccount: Promise<string | undefined> | undefined;

async function bootstrapAccount(deps: ServiceDeps): Promise<string | undefined> {
  operatorAccount ??= deps.store.getSetting("bootstrap").then((text) => (text ? (JSON.parse(text) as { accountId: string }).accountId : undefined));
  const id = await operatorAccount;
  if (id === undefined) operatorAccount = undefined;
  return id;
}

export async function assertOperator(deps: ServiceDeps, ctx: RequestContext): Promise<void> {
  const account = await bootstrapAccount(deps);
  if (account === undefined || ctx.caller.principalArn !== `arn:${deps.partition}:iam::${account}:root`) {
    throw new AccessDeniedException(
      `User: ${ctx.caller.principalArn} is not authorized to perform: coffer:Operator because only the root user of the account made at first start may use the operator API`,
    );
  }
}

export function custodyOf(deps: ServiceDeps): KeyCustody {
  const custody = deps.keyring.custody;
  if (!custody) throw new InvalidRequestException("This server has no key custody to operate on.");
  return custody;
}

/** Custody refusals as operator-API errors. */
export async function operatorCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ShareFormatError) throw new ValidationException(err.message);
    if (err instanceof CustodyError) throw new InvalidRequestException(err.message);
    throw err;
  }
}
