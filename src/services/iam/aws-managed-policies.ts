// A few AWS managed policies (arn:aws:iam::aws:policy/…), so that scripts written for AWS that
// attach them work unchanged. They are read-only and belong to no account. Documents keep the
// statements that concern the services Coffer serves.
import type { ManagedPolicyRow, PolicyVersionRow } from "../../store/identity-ops.js";

interface AwsPolicy {
  name: string;
  id: string;
  description: string;
  createdAt: string;
  statements: Record<string, unknown>[];
}

const POLICIES: readonly AwsPolicy[] = [
  {
    name: "AdministratorAccess",
    id: "ANPAIWMBCKSKIEE64ZLYK",
    description: "Provides full access to AWS services and resources.",
    createdAt: "2015-02-06T18:39:46Z",
    statements: [{ Effect: "Allow", Action: "*", Resource: "*" }],
  },
  {
    name: "IAMFullAccess",
    id: "ANPAI7XKCFMBPM3QQRRVQ",
    description: "Provides full access to IAM via the AWS Management Console.",
    createdAt: "2015-02-06T18:40:38Z",
    statements: [{ Effect: "Allow", Action: "iam:*", Resource: "*" }],
  },
  {
    name: "IAMReadOnlyAccess",
    id: "ANPAJKSO7NDY4T57MWDSQ",
    description: "Provides read only access to IAM via the AWS Management Console.",
    createdAt: "2015-02-06T18:40:39Z",
    statements: [
      {
        Effect: "Allow",
        Action: ["iam:GenerateCredentialReport", "iam:Get*", "iam:List*", "iam:SimulateCustomPolicy", "iam:SimulatePrincipalPolicy"],
        Resource: "*",
      },
    ],
  },
  {
    name: "SecretsManagerReadWrite",
    id: "ANPAJVIVPQHXVIRKOHPAI",
    description: "Provides read/write access to AWS Secrets Manager via the AWS Management Console.",
    createdAt: "2018-04-04T18:05:29Z",
    statements: [
      { Sid: "BasePermissions", Effect: "Allow", Action: ["secretsmanager:*", "kms:DescribeKey", "kms:ListAliases", "kms:ListKeys"], Resource: "*" },
    ],
  },
  {
    name: "AWSKeyManagementServicePowerUser",
    id: "ANPAJNPP7PPPPMJRV2SA4",
    description: "Provides access to AWS Key Management Service (KMS).",
    createdAt: "2015-02-06T18:40:40Z",
    statements: [
      {
        Effect: "Allow",
        Action: [
          "kms:CreateAlias",
          "kms:CreateKey",
          "kms:DeleteAlias",
          "kms:Describe*",
          "kms:GenerateRandom",
          "kms:Get*",
          "kms:List*",
          "kms:TagResource",
          "kms:UntagResource",
          "iam:ListGroups",
          "iam:ListRoles",
          "iam:ListUsers",
        ],
        Resource: "*",
      },
    ],
  },
];

const byArn = new Map<string, { policy: ManagedPolicyRow; version: PolicyVersionRow }>();
for (const p of POLICIES) {
  const arn = `arn:aws:iam::aws:policy/${p.name}`;
  const at = Date.parse(p.createdAt);
  byArn.set(arn, {
    policy: {
      arn,
      accountId: "aws",
      id: p.id,
      name: p.name,
      path: "/",
      defaultVersionId: "v1",
      nextVersion: 2,
      createdAt: at,
      updatedAt: at,
      attrs: { description: p.description },
    },
    version: { policyArn: arn, versionId: "v1", document: JSON.stringify({ Version: "2012-10-17", Statement: p.statements }), createdAt: at },
  });
}

export function awsManagedPolicy(arn: string): { policy: ManagedPolicyRow; version: PolicyVersionRow } | undefined {
  return byArn.get(arn);
}

export function awsManagedPolicies(): { policy: ManagedPolicyRow; version: PolicyVersionRow }[] {
  return [...byArn.values()];
}

export const isAwsManagedArn = (arn: string): boolean => /^arn:[^:]+:iam::aws:policy\//.test(arn);
