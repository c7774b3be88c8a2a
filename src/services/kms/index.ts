// Every KMS operation of the model, by name. `satisfies` makes a missing one a compile error.
import type { OperationName } from "../../generated/kms-model.js";
import type { Operation } from "../context.js";
import { CancelKeyDeletion } from "./cancel-key-deletion.js";
import { CreateAlias } from "./create-alias.js";
import { CreateKey } from "./create-key.js";
import { Decrypt } from "./decrypt.js";
import { DeleteAlias } from "./delete-alias.js";
import { DescribeKey } from "./describe-key.js";
import { DisableKey } from "./disable-key.js";
import { DisableKeyRotation } from "./disable-key-rotation.js";
import { EnableKey } from "./enable-key.js";
import { EnableKeyRotation } from "./enable-key-rotation.js";
import { Encrypt } from "./encrypt.js";
import { GenerateDataKey } from "./generate-data-key.js";
import { GenerateDataKeyWithoutPlaintext } from "./generate-data-key-without-plaintext.js";
import { GenerateRandom } from "./generate-random.js";
import { GetKeyPolicy } from "./get-key-policy.js";
import { GetKeyRotationStatus } from "./get-key-rotation-status.js";
import { ListAliases } from "./list-aliases.js";
import { ListKeyPolicies } from "./list-key-policies.js";
import { ListKeyRotations } from "./list-key-rotations.js";
import { ListKeys } from "./list-keys.js";
import { ListResourceTags } from "./list-resource-tags.js";
import { ListGrants } from "./list-grants.js";
import { grantsNotSupported, notSupported } from "./not-supported.js";
import { PutKeyPolicy } from "./put-key-policy.js";
import { ReEncrypt } from "./re-encrypt.js";
import { RotateKeyOnDemand } from "./rotate-key-on-demand.js";
import { ScheduleKeyDeletion } from "./schedule-key-deletion.js";
import { TagResource } from "./tag-resource.js";
import { UntagResource } from "./untag-resource.js";
import { UpdateAlias } from "./update-alias.js";
import { UpdateKeyDescription } from "./update-key-description.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOperation = Operation<any, any>;

export const kmsOperations = {
  CancelKeyDeletion,
  ConnectCustomKeyStore: notSupported("ConnectCustomKeyStore"),
  CreateAlias,
  CreateCustomKeyStore: notSupported("CreateCustomKeyStore"),
  CreateGrant: grantsNotSupported("CreateGrant"),
  CreateKey,
  Decrypt,
  DeleteAlias,
  DeleteCustomKeyStore: notSupported("DeleteCustomKeyStore"),
  DeleteImportedKeyMaterial: notSupported("DeleteImportedKeyMaterial"),
  DeriveSharedSecret: notSupported("DeriveSharedSecret"),
  DescribeCustomKeyStores: notSupported("DescribeCustomKeyStores"),
  DescribeKey,
  DisableKey,
  DisableKeyRotation,
  DisconnectCustomKeyStore: notSupported("DisconnectCustomKeyStore"),
  EnableKey,
  EnableKeyRotation,
  Encrypt,
  GenerateDataKey,
  GenerateDataKeyPair: notSupported("GenerateDataKeyPair"),
  GenerateDataKeyPairWithoutPlaintext: notSupported("GenerateDataKeyPairWithoutPlaintext"),
  GenerateDataKeyWithoutPlaintext,
  GenerateMac: notSupported("GenerateMac"),
  GenerateRandom,
  GetKeyLastUsage: notSupported("GetKeyLastUsage"),
  GetKeyPolicy,
  GetKeyRotationStatus,
  GetParametersForImport: notSupported("GetParametersForImport"),
  GetPublicKey: notSupported("GetPublicKey"),
  ImportKeyMaterial: notSupported("ImportKeyMaterial"),
  ListAliases,
  ListGrants,
  ListKeyPolicies,
  ListKeyRotations,
  ListKeys,
  ListResourceTags,
  ListRetirableGrants: grantsNotSupported("ListRetirableGrants"),
  PutKeyPolicy,
  ReEncrypt,
  ReplicateKey: notSupported("ReplicateKey"),
  RetireGrant: grantsNotSupported("RetireGrant"),
  RevokeGrant: grantsNotSupported("RevokeGrant"),
  RotateKeyOnDemand,
  ScheduleKeyDeletion,
  Sign: notSupported("Sign"),
  TagResource,
  UntagResource,
  UpdateAlias,
  UpdateCustomKeyStore: notSupported("UpdateCustomKeyStore"),
  UpdateKeyDescription,
  UpdatePrimaryRegion: notSupported("UpdatePrimaryRegion"),
  Verify: notSupported("Verify"),
  VerifyMac: notSupported("VerifyMac"),
} satisfies { [K in OperationName]: AnyOperation };
