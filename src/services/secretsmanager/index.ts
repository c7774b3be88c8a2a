// Every Secrets Manager operation of the model, by name. `satisfies` makes a missing one a
// compile error.
import type { OperationName } from "../../generated/secretsmanager-model.js";
import type { Operation } from "../context.js";
import { BatchGetSecretValue } from "./batch-get-secret-value.js";
import { CreateSecret } from "./create-secret.js";
import { DeleteResourcePolicy } from "./delete-resource-policy.js";
import { DeleteSecret } from "./delete-secret.js";
import { DescribeSecret } from "./describe-secret.js";
import { GetRandomPassword } from "./get-random-password.js";
import { GetResourcePolicy } from "./get-resource-policy.js";
import { GetSecretValue } from "./get-secret-value.js";
import { ListSecretVersionIds } from "./list-secret-version-ids.js";
import { ListSecrets } from "./list-secrets.js";
import {
  CancelRotateSecret,
  RemoveRegionsFromReplication,
  ReplicateSecretToRegions,
  RotateSecret,
  StopReplicationToReplica,
} from "./not-built.js";
import { PutResourcePolicy } from "./put-resource-policy.js";
import { PutSecretValue } from "./put-secret-value.js";
import { RestoreSecret } from "./restore-secret.js";
import { TagResource } from "./tag-resource.js";
import { UntagResource } from "./untag-resource.js";
import { UpdateSecret } from "./update-secret.js";
import { UpdateSecretVersionStage } from "./update-secret-version-stage.js";
import { ValidateResourcePolicy } from "./validate-resource-policy.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOperation = Operation<any, any>;

export const secretsManagerOperations = {
  BatchGetSecretValue,
  CancelRotateSecret,
  CreateSecret,
  DeleteResourcePolicy,
  DeleteSecret,
  DescribeSecret,
  GetRandomPassword,
  GetResourcePolicy,
  GetSecretValue,
  ListSecretVersionIds,
  ListSecrets,
  PutResourcePolicy,
  PutSecretValue,
  RemoveRegionsFromReplication,
  ReplicateSecretToRegions,
  RestoreSecret,
  RotateSecret,
  StopReplicationToReplica,
  TagResource,
  UntagResource,
  UpdateSecret,
  UpdateSecretVersionStage,
  ValidateResourcePolicy,
} satisfies { [K in OperationName]: AnyOperation };
