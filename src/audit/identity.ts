// The userIdentity element of a record (security-and-identity.md §6.2) for each kind of caller
// Coffer serves: account root, IAM user, assumed-role session, AWS service principal, anonymous.

import type { JsonObject } from "./parameters.js";
import { formatEventTime } from "./parameters.js";

/** Who made the call, as the request pipeline knows it. */
export type AuditIdentity =
  | { type: "Root"; accountId: string; accessKeyId: string; partition?: string; accountAlias?: string; session?: LongTermSession }
  | { type: "IAMUser"; arn: string; principalId: string; accountId: string; accessKeyId: string; userName: string; session?: LongTermSession }
  | {
      type: "AssumedRole";
      /** The role's ARN, path included; account, partition and role name are read from it. */
      roleArn: string;
      /** The role's unique id (AROA…). */
      roleId: string;
      sessionName: string;
      accessKeyId: string;
      /** When AssumeRole issued the session's credentials. */
      issuedAt: Date | number;
      mfaAuthenticated?: boolean;
      sourceIdentity?: string;
    }
  /** A service calling with its own credentials (§6.2 `AWSService`). */
  | { type: "AWSService"; service: string }
  | { type: "Anonymous" };

/** A root or user calling with GetSessionToken's credentials: when they were issued. */
export interface LongTermSession {
  issuedAt: Date | number;
}

export interface UserIdentity {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: {
    /** Empty for the root's or a user's own session (GetSessionToken): no role issued it. */
    sessionIssuer: { type: "Role"; principalId: string; arn: string; accountId: string; userName: string } | Record<string, never>;
    webIdFederationData: JsonObject;
    attributes: { creationDate: string; mfaAuthenticated: "true" | "false" };
    sourceIdentity?: string;
  };
  invokedBy?: string;
}

/** The record's userIdentity element for a caller. */
export function identityElement(identity: AuditIdentity): UserIdentity {
  switch (identity.type) {
    case "Root": {
      const element: UserIdentity = {
        type: "Root",
        principalId: identity.accountId,
        arn: `arn:${identity.partition ?? "aws"}:iam::${identity.accountId}:root`,
        accountId: identity.accountId,
        accessKeyId: identity.accessKeyId,
      };
      if (identity.accountAlias !== undefined) element.userName = identity.accountAlias;
      if (identity.session !== undefined) element.sessionContext = ownSessionContext(identity.session);
      return element;
    }
    case "IAMUser": {
      const element: UserIdentity = {
        type: "IAMUser",
        principalId: identity.principalId,
        arn: identity.arn,
        accountId: identity.accountId,
        accessKeyId: identity.accessKeyId,
        userName: identity.userName,
      };
      if (identity.session !== undefined) element.sessionContext = ownSessionContext(identity.session);
      return element;
    }
    case "AssumedRole": {
      const [, partition = "aws", , , accountId = ""] = identity.roleArn.split(":");
      const roleName = identity.roleArn.slice(identity.roleArn.lastIndexOf("/") + 1);
      const element: UserIdentity = {
        type: "AssumedRole",
        principalId: `${identity.roleId}:${identity.sessionName}`,
        // §4.3: the session ARN drops the role's path.
        arn: `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${identity.sessionName}`,
        accountId,
        accessKeyId: identity.accessKeyId,
        sessionContext: {
          sessionIssuer: { type: "Role", principalId: identity.roleId, arn: identity.roleArn, accountId, userName: roleName },
          webIdFederationData: {},
          attributes: {
            creationDate: formatEventTime(identity.issuedAt),
            mfaAuthenticated: identity.mfaAuthenticated === true ? "true" : "false",
          },
        },
      };
      if (identity.sourceIdentity !== undefined && element.sessionContext) {
        element.sessionContext.sourceIdentity = identity.sourceIdentity;
      }
      return element;
    }
    case "AWSService":
      return { type: "AWSService", invokedBy: identity.service };
    case "Anonymous":
      // Not covered by the spec; this is the form CloudTrail uses for unauthenticated S3 calls
      // (unverified for other services).
      return { type: "AWSAccount", principalId: "", accountId: "anonymous" };
  }
}

/** The sessionContext of GetSessionToken's credentials: the session's times, no issuer (unverified: the form of console and MFA sessions). */
function ownSessionContext(session: LongTermSession): NonNullable<UserIdentity["sessionContext"]> {
  return { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: formatEventTime(session.issuedAt), mfaAuthenticated: "false" } };
}
