// What a session row keeps besides its identity columns (SessionRow.attrs): the session policies,
// session tags and source identity given at AssumeRole, for every later request of the session.
export interface SessionAttrs {
  /** The inline session policy, as given. */
  policy?: string;
  /** Managed session policies (PolicyArns). */
  policyArns?: string[];
  /** Session tags: aws:PrincipalTag/<key> of the session, over the role's own tags. */
  tags?: Record<string, string>;
  /** Keys of tags that pass on to sessions this session assumes (role chaining). */
  transitiveTagKeys?: string[];
  sourceIdentity?: string;
  /** The role's name, for the session ARN. */
  roleName?: string;
}
