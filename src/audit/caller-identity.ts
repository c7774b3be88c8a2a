// Who made a call, as a record's userIdentity sees it (§6.2): read from the authenticated
// caller's principal ARN, plus the unique id and session issue time when the identity layer
// knows them.
import type { Caller } from "../services/context.js";
import type { AuditIdentity } from "./identity.js";

const ROOT = /^arn:([^:]+):iam::(\d{12}):root$/;
const USER = /^arn:([^:]+):iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/;
const ROLE_SESSION = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;

export function auditIdentityOf(caller: Caller, now: number): AuditIdentity {
  const arn = caller.principalArn;
  const root = ROOT.exec(arn);
  // GetSessionToken's credentials act as the root or user itself, within a session.
  const session = caller.sessionIssuedAt === undefined ? undefined : { issuedAt: caller.sessionIssuedAt };
  if (root) return { type: "Root", partition: root[1], accountId: root[2] as string, accessKeyId: caller.accessKeyId, ...(session && { session }) };
  const user = USER.exec(arn);
  if (user) {
    return {
      type: "IAMUser",
      arn,
      principalId: caller.principalId ?? "",
      accountId: user[2] as string,
      accessKeyId: caller.accessKeyId,
      userName: user[3] as string,
      ...(session && { session }),
    };
  }
  const roleSession = ROLE_SESSION.exec(arn);
  if (roleSession) {
    const [, partition, accountId, roleName, sessionName] = roleSession as unknown as [string, string, string, string, string];
    const principalId = caller.principalId ?? "";
    return {
      type: "AssumedRole",
      // The session ARN drops the role's path (§4.3): the identity layer knows the role's ARN;
      // failing that it is rebuilt without a path.
      roleArn: caller.principal?.roleArn ?? `arn:${partition}:iam::${accountId}:role/${roleName}`,
      roleId: principalId.includes(":") ? principalId.slice(0, principalId.indexOf(":")) : principalId,
      sessionName,
      accessKeyId: caller.accessKeyId,
      issuedAt: caller.sessionIssuedAt ?? now,
    };
  }
  // The server's own workers call as the service they stand for (e.g. secretsmanager.amazonaws.com).
  if (!arn.startsWith("arn:")) return { type: "AWSService", service: arn };
  return { type: "IAMUser", arn, principalId: caller.principalId ?? "", accountId: caller.accountId, accessKeyId: caller.accessKeyId, userName: arn.slice(arn.lastIndexOf("/") + 1) };
}
