// What every operation handler receives: who is calling, where, and the server's parts.
import type { Logger } from "pino";
import type { Keyring } from "../crypto/keyring.js";
import type { Store } from "../store/store.js";

export interface Caller {
  accountId: string;
  /** arn:aws:iam::<account>:root for an account's root key. */
  principalArn: string;
  accessKeyId: string;
}

export interface RequestContext {
  requestId: string;
  /** The region the request was signed for (SigV4 credential scope). */
  region: string;
  caller: Caller;
  /** Request time in ms; one clock reading per request so every date it sets agrees. */
  now: number;
  sourceIp: string;
  userAgent: string | undefined;
}

export interface ServiceDeps {
  store: Store;
  keyring: Keyring;
  log: Logger;
  partition: string;
}

export type Operation<I, O> = (input: I, ctx: RequestContext, deps: ServiceDeps) => Promise<O>;
