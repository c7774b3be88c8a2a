// IAM and KMS refuse a trust or key policy that names a user or role that does not exist (AWS
// stores principals by their unique ids, so it must find them when the policy is saved). Coffer
// knows every account it serves, so it can check an ARN of any of them; an account it does not
// serve is outside what it can know, and its principals are taken as written.
import type { PolicyDocument } from "../domain/policy/document.js";
import type { Store } from "../store/store.js";

const ENTITY_ARN = /^arn:[^:]+:iam::(\d{12}):(user|role)\/.+$/;

/** The first user or role ARN among the document's AWS principals that does not exist. */
export async function firstMissingPrincipal(store: Store, document: PolicyDocument): Promise<string | undefined> {
  for (const statement of document.statements) {
    const principals = statement.principal?.value;
    if (principals === undefined || principals === "*") continue;
    for (const arn of principals.AWS ?? []) {
      const entity = ENTITY_ARN.exec(arn);
      if (!entity) continue;
      if ((await store.getAccount(entity[1] as string)) === undefined) continue;
      if ((await store.identity.getEntityByArn(arn)) === undefined) return arn;
    }
  }
  return undefined;
}
