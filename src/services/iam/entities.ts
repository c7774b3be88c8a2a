// Users, groups and roles as IAM operations see them: lookups that answer NoSuchEntity in AWS's
// words, the attributes kept in EntityRow.attrs, and the wire shapes (User, Group, Role).
import type { Group, Role, Tag, User } from "@aws-sdk/client-iam";
import { ValidationError } from "../../domain/errors.js";
import type { EntityKind, EntityRow } from "../../store/identity-ops.js";
import type { StoreOps } from "../../store/store.js";
import type { RequestContext } from "../context.js";
import { NoSuchEntity, iamMessages } from "./errors.js";
import { encodePolicyText } from "./policy-text.js";

/** What an entity keeps besides its identity columns; opaque to the store. */
export interface EntityAttrs {
  tags?: Tag[];
  /** ARN of the managed policy used as permissions boundary (users and roles). */
  permissionsBoundary?: string;
  /** Roles: the trust policy as given, its description and session bound. */
  assumeRolePolicy?: string;
  description?: string;
  maxSessionDuration?: number;
}

export const attrsOf = (row: EntityRow): EntityAttrs => row.attrs as EntityAttrs;

export async function requireEntity(ops: StoreOps, accountId: string, kind: EntityKind, name: string): Promise<EntityRow> {
  const row = await ops.identity.getEntity(accountId, kind, name);
  if (!row) throw new NoSuchEntity(iamMessages.noSuchEntity(kind, name));
  return row;
}

/**
 * The user an operation acts on: the one named, or (UserName omitted) the caller itself, as
 * IAM's access-key and GetUser operations do. Undefined when the caller is not an IAM user
 * (the account root, a role session).
 */
export async function targetUser(ops: StoreOps, ctx: RequestContext, userName: string | undefined): Promise<EntityRow | undefined> {
  if (userName !== undefined) return requireEntity(ops, ctx.caller.accountId, "user", userName);
  // [O] IAM's answer to a role session that leaves UserName out.
  if (ctx.caller.principal?.kind === "assumed-role") throw new ValidationError("Must specify userName when calling with non-User credentials");
  if (ctx.caller.principal?.kind !== "user") return undefined;
  const self = await ops.identity.getEntityByArn(ctx.caller.principalArn);
  if (!self) throw new NoSuchEntity(iamMessages.noSuchEntity("user", ctx.caller.principal.username ?? ""));
  return self;
}

const boundaryOf = (attrs: EntityAttrs) =>
  attrs.permissionsBoundary === undefined
    ? undefined
    : { PermissionsBoundaryType: "PermissionsBoundaryPolicy" as const, PermissionsBoundaryArn: attrs.permissionsBoundary };

const tagsOf = (attrs: EntityAttrs) => (attrs.tags !== undefined && attrs.tags.length > 0 ? attrs.tags : undefined);

export function userShape(row: EntityRow, detail = true): User {
  const attrs = attrsOf(row);
  return {
    Path: row.path,
    UserName: row.name,
    UserId: row.id,
    Arn: row.arn,
    CreateDate: new Date(row.createdAt),
    ...(detail ? { PermissionsBoundary: boundaryOf(attrs), Tags: tagsOf(attrs) } : {}),
  };
}

export function groupShape(row: EntityRow): Group {
  return { Path: row.path, GroupName: row.name, GroupId: row.id, Arn: row.arn, CreateDate: new Date(row.createdAt) };
}

export const DEFAULT_MAX_SESSION_DURATION = 3600;

/** GetRole carries boundary and tags; ListRoles leaves them out, as AWS does. */
export function roleShape(row: EntityRow, detail = true): Role {
  const attrs = attrsOf(row);
  return {
    Path: row.path,
    RoleName: row.name,
    RoleId: row.id,
    Arn: row.arn,
    CreateDate: new Date(row.createdAt),
    AssumeRolePolicyDocument: attrs.assumeRolePolicy === undefined ? undefined : encodePolicyText(attrs.assumeRolePolicy),
    Description: attrs.description,
    MaxSessionDuration: attrs.maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
    ...(detail ? { PermissionsBoundary: boundaryOf(attrs), Tags: tagsOf(attrs) } : {}),
  };
}
