// CloudTrail records for the calls Coffer serves and the events it raises on its own, in the
// record format of security-and-identity.md §6.1–§6.5. Secret material never reaches a record:
// request and response members are kept only when the generated service model says they are
// not sensitive (§6.3), blobs are dropped as AWS drops them, and credential-like member names
// are dropped whatever the model says.

import { randomUUID } from "node:crypto";
import { timeOrderedEventId } from "./event-id.js";
import { model as cloudTrailModel } from "../generated/cloudtrail-model.js";
import { model as kmsModel } from "../generated/kms-model.js";
import { model as secretsManagerModel } from "../generated/secretsmanager-model.js";
import { type AuditIdentity, identityElement, type UserIdentity } from "./identity.js";
import { formatEventTime, type JsonObject, loggableMembers, type ServiceModelTables } from "./parameters.js";

export type { AuditIdentity, UserIdentity } from "./identity.js";
export type { JsonObject, JsonValue } from "./parameters.js";
export { formatEventTime } from "./parameters.js";

export const EVENT_SOURCES = {
  secretsmanager: "secretsmanager.amazonaws.com",
  kms: "kms.amazonaws.com",
  iam: "iam.amazonaws.com",
  sts: "sts.amazonaws.com",
  cloudtrail: "cloudtrail.amazonaws.com",
} as const;

export type EventSource = (typeof EVENT_SOURCES)[keyof typeof EVENT_SOURCES];

/** §6.1: 1.08 covers every field emitted here, tlsDetails included. */
export const EVENT_VERSION = "1.08";

// Resource types for `resources`. §6.1: KMS records name the key, AssumeRole the role; Secrets
// Manager API records carry none in AWS's samples, so the secret type is for callers that opt in.
export const SECRET_RESOURCE_TYPE = "AWS::SecretsManager::Secret";
export const KMS_KEY_RESOURCE_TYPE = "AWS::KMS::Key";
export const IAM_ROLE_RESOURCE_TYPE = "AWS::IAM::Role";

export interface TlsDetails {
  tlsVersion: string;
  cipherSuite: string;
  clientProvidedHostHeader: string;
}

export interface AuditResource {
  ARN: string;
  accountId: string;
  type: string;
}

export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity: UserIdentity;
  eventTime: string;
  eventSource: EventSource;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: JsonObject | null;
  responseElements: JsonObject | null;
  additionalEventData?: JsonObject;
  /** Absent from KMS's own service events, as AWS writes them. */
  requestID?: string;
  eventID: string;
  readOnly: boolean;
  resources?: AuditResource[];
  eventType: "AwsApiCall" | "AwsServiceEvent";
  managementEvent: true;
  recipientAccountId: string;
  sharedEventID?: string;
  serviceEventDetails?: JsonObject;
  eventCategory: "Management";
  tlsDetails?: TlsDetails;
  omitted?: true;
}

/** One API call, as the request pipeline saw it. */
export interface AuditInput {
  eventSource: EventSource;
  /** The API operation name. */
  eventName: string;
  identity: AuditIdentity;
  /** A service calling for the identity (Secrets Manager's KMS calls, §5.7): becomes `invokedBy`, source IP and agent. */
  invokedBy?: string;
  /** Endpoint region. */
  region: string;
  /** Owner of the resource; its log receives the record. */
  recipientAccountId: string;
  sourceIp: string;
  userAgent?: string;
  /** The x-amzn-RequestId returned to the client. */
  requestId: string;
  /** Completion time of the request. */
  time: Date | number;
  /** The request members as decoded from the wire (model member names). */
  request?: Readonly<Record<string, unknown>> | null;
  /** The operation's result; ignored on failure. */
  response?: unknown;
  error?: { code: string; message: string };
  tls?: TlsDetails;
  resources?: readonly AuditResource[];
  additionalEventData?: JsonObject;
  /** Same id in the caller's and the owner's copy of one cross-account call. */
  sharedEventId?: string;
  /** Overrides the classification by operation name (§6.4). */
  readOnly?: boolean;
  /** Defaults to a fresh UUID. */
  eventId?: string;
}

/** Secrets Manager service events of §6.4, plus the KMS key deletion at the end of its waiting period. */
export type ServiceEventName =
  | "RotationStarted"
  | "RotationSucceeded"
  | "RotationFailed"
  | "RotationAbandoned"
  | "TestRotationStarted"
  | "TestRotationSucceeded"
  | "TestRotationFailed"
  | "StartSecretVersionDelete"
  | "CancelSecretVersionDelete"
  | "EndSecretVersionDelete"
  | "DeleteKey"
  | "RotateKey";

/** KMS's own events: a key deleted when its waiting period ends, material rotated on schedule. */
const KMS_SERVICE_EVENTS: ReadonlySet<ServiceEventName> = new Set(["DeleteKey", "RotateKey"]);
/** What AWS writes as the caller, source and agent of KMS's own events. */
const AWS_INTERNAL = "AWS Internal";

export interface ServiceEventInput {
  eventName: ServiceEventName;
  accountId: string;
  region: string;
  time: Date | number;
  /** The secret ARN (Secrets Manager events) or key ARN (KMS events). */
  resourceArn: string;
  /** RotateKey: rotationType, keyOrigin, previous and current key material ids. */
  serviceEventDetails?: JsonObject;
  /** RotationFailed/TestRotationFailed carry the reason here and no errorCode (§6.5). */
  errorMessage?: string;
  requestId?: string;
  eventId?: string;
}

// §6.4: exactly these Secrets Manager calls are read-only; ValidateResourcePolicy is unverified
// and the spec says to treat it as a write.
const SECRETS_MANAGER_READ_ONLY: ReadonlySet<string> = new Set([
  "BatchGetSecretValue",
  "DescribeSecret",
  "GetRandomPassword",
  "GetResourcePolicy",
  "GetSecretValue",
  "ListSecrets",
  "ListSecretVersionIds",
]);

// KMS logs its cryptographic calls as read-only (§6.5 documents Decrypt so); the rest of this
// list follows the same reading and is not individually confirmed.
const KMS_READ_ONLY: ReadonlySet<string> = new Set([
  "Decrypt",
  "Encrypt",
  "ReEncrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "GenerateMac",
  "GenerateRandom",
  "VerifyMac",
  "Sign",
  "Verify",
  "DeriveSharedSecret",
]);

const READ_ONLY_PREFIX = /^(Get|List|Describe|Lookup|BatchGet)[A-Z]/;

export function isReadOnly(eventSource: EventSource, eventName: string): boolean {
  if (eventSource === EVENT_SOURCES.secretsmanager) return SECRETS_MANAGER_READ_ONLY.has(eventName);
  if (eventSource === EVENT_SOURCES.kms && KMS_READ_ONLY.has(eventName)) return true;
  return READ_ONLY_PREFIX.test(eventName);
}

// §6.3: authentication failures are not logged; everything that got past authentication is.
const AUTHENTICATION_ERRORS: ReadonlySet<string> = new Set([
  "IncompleteSignatureException",
  "InvalidSignatureException",
  "MissingAuthenticationTokenException",
  "UnrecognizedClientException",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "ExpiredToken",
]);

/** Whether a call that failed with `errorCode` gets a record at all. */
export function isAuditedError(errorCode: string): boolean {
  return !AUTHENTICATION_ERRORS.has(errorCode);
}

/** `{ARN, accountId, type}` with the account read from the ARN. */
export function resourceFromArn(arn: string, type: string): AuditResource {
  return { ARN: arn, accountId: arn.split(":")[4] ?? "", type };
}

const MAX_TEXT_BYTES = 1024; // §6.1: userAgent, errorCode, errorMessage ≤ 1 KB
const MAX_PARAMETERS_BYTES = 100 * 1024; // §6.1: requestParameters, responseElements ≤ 100 KB

export function buildRecord(input: AuditInput): CloudTrailRecord {
  let omitted = false;
  const text = (value: string): string => {
    const cut = truncateUtf8(value, MAX_TEXT_BYTES);
    if (cut !== value) omitted = true;
    return cut;
  };
  // An oversized parameter object is dropped whole (null, `omitted: true`): cutting JSON would
  // leave something that no longer parses.
  const bounded = (value: JsonObject | null): JsonObject | null => {
    if (value !== null && Buffer.byteLength(JSON.stringify(value)) > MAX_PARAMETERS_BYTES) {
      omitted = true;
      return null;
    }
    return value;
  };

  const userIdentity = identityElement(input.identity);
  const actingService = input.invokedBy ?? (input.identity.type === "AWSService" ? input.identity.service : undefined);
  if (input.invokedBy !== undefined) userIdentity.invokedBy = input.invokedBy;
  const readOnly = input.readOnly ?? isReadOnly(input.eventSource, input.eventName);
  const failed = input.error !== undefined;

  const record: CloudTrailRecord = {
    eventVersion: EVENT_VERSION,
    userIdentity,
    eventTime: formatEventTime(input.time),
    eventSource: input.eventSource,
    eventName: input.eventName,
    awsRegion: input.region,
    sourceIPAddress: actingService ?? input.sourceIp,
    requestParameters: null,
    responseElements: null,
    requestID: input.requestId,
    eventID: input.eventId ?? timeOrderedEventId(+input.time),
    readOnly,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: input.recipientAccountId,
    eventCategory: "Management",
  };
  const userAgent = actingService ?? input.userAgent;
  if (userAgent !== undefined) record.userAgent = text(userAgent);
  if (input.error) {
    record.errorCode = text(errorCodeFor(input.error.code));
    // An error without a message (InvalidCiphertextException, UnknownOperationException) has none.
    if (input.error.message !== "") record.errorMessage = text(input.error.message);
  }
  record.requestParameters = bounded(withKmsDefaults(input, requestParameters(input.eventSource, input.eventName, input.request)));
  if (!failed && !readOnly) {
    record.responseElements = bounded(responseElements(input.eventSource, input.eventName, input.response));
  }
  // Copies, so a caller changing its objects later cannot change a record that is already hashed.
  if (input.additionalEventData) record.additionalEventData = structuredClone(input.additionalEventData);
  if (input.resources && input.resources.length > 0) record.resources = input.resources.map((r) => ({ ...r }));
  if (input.sharedEventId !== undefined) record.sharedEventID = input.sharedEventId;
  if (input.tls) record.tlsDetails = { ...input.tls };
  if (omitted) record.omitted = true;
  return orderFields(record);
}

// Rotation events carry `Rotation-<secret ARN>-<uuid>` request ids (§6.1, §6.5).
const ROTATION_EVENTS: ReadonlySet<string> = new Set([
  "RotationStarted",
  "RotationSucceeded",
  "RotationFailed",
  "RotationAbandoned",
  "TestRotationStarted",
  "TestRotationSucceeded",
  "TestRotationFailed",
]);

/**
 * A record for something the service did on its own (§6.4): rotation progress, the version
 * deletion lifecycle (EndSecretVersionDelete is the deletion once the recovery window ends),
 * and KMS's DeleteKey when a key's deletion waiting period ends and RotateKey when its material
 * is rotated on schedule. KMS writes "AWS Internal" as the caller, source and agent of its own
 * events, names the key in `resources` and gives them no request id (the KMS developer guide's
 * DeleteKey and RotateKey samples).
 */
export function buildServiceEvent(input: ServiceEventInput): CloudTrailRecord {
  const kms = KMS_SERVICE_EVENTS.has(input.eventName);
  const service = kms ? EVENT_SOURCES.kms : EVENT_SOURCES.secretsmanager;
  const actor = kms ? AWS_INTERNAL : service;
  const record: CloudTrailRecord = {
    eventVersion: EVENT_VERSION,
    userIdentity: { accountId: input.accountId, invokedBy: actor },
    eventTime: formatEventTime(input.time),
    eventSource: service,
    eventName: input.eventName,
    awsRegion: input.region,
    sourceIPAddress: actor,
    userAgent: actor,
    requestParameters: null,
    responseElements: null,
    eventID: input.eventId ?? timeOrderedEventId(+input.time),
    readOnly: false,
    eventType: "AwsServiceEvent",
    managementEvent: true,
    recipientAccountId: input.accountId,
    eventCategory: "Management",
  };
  if (!kms) {
    record.requestID =
      input.requestId ?? (ROTATION_EVENTS.has(input.eventName) ? `Rotation-${input.resourceArn}-${randomUUID()}` : randomUUID());
  }
  if (input.errorMessage !== undefined) record.errorMessage = truncateUtf8(input.errorMessage, MAX_TEXT_BYTES);
  if (input.serviceEventDetails !== undefined) record.serviceEventDetails = input.serviceEventDetails;
  if (kms) record.resources = [resourceFromArn(input.resourceArn, KMS_KEY_RESOURCE_TYPE)];
  else record.additionalEventData = { SecretId: input.resourceArn };
  return orderFields(record);
}

// §6.3: denials are logged as AccessDenied, not the wire's AccessDeniedException.
function errorCodeFor(code: string): string {
  return code === "AccessDeniedException" ? "AccessDenied" : code;
}

// ---------------------------------------------------------------------------------------------
// requestParameters / responseElements (§6.3, §6.4)

const MODELS: Partial<Record<EventSource, ServiceModelTables>> = {
  [EVENT_SOURCES.secretsmanager]: secretsManagerModel,
  [EVENT_SOURCES.kms]: kmsModel,
  [EVENT_SOURCES.cloudtrail]: cloudTrailModel,
};

function requestParameters(source: EventSource, operation: string, request: unknown): JsonObject | null {
  const model = MODELS[source];
  return loggableMembers(model, model?.operations[operation]?.input, request);
}

/** What KMS's CreateKey record shows for members the caller left out (KMS developer guide, ct-createkey). */
const CREATE_KEY_DEFAULTS: JsonObject = {
  description: "",
  origin: "AWS_KMS",
  bypassPolicyLockoutSafetyCheck: false,
  customerMasterKeySpec: "SYMMETRIC_DEFAULT",
  keySpec: "SYMMETRIC_DEFAULT",
  keyUsage: "ENCRYPT_DECRYPT",
};

/**
 * KMS writes the request as it took it: CreateKey with its defaults filled in, Encrypt and Decrypt
 * with the algorithm used even when the caller named none, and a Decrypt's key (found from the
 * ciphertext) as its keyId (KMS developer guide, ct-createkey and ct-decrypt).
 */
function withKmsDefaults(input: AuditInput, parameters: JsonObject | null): JsonObject | null {
  if (input.eventSource !== EVENT_SOURCES.kms) return parameters;
  if (input.eventName === "CreateKey") return { ...CREATE_KEY_DEFAULTS, ...(parameters ?? {}) };
  if (input.eventName !== "Encrypt" && input.eventName !== "Decrypt") return parameters;
  const out: JsonObject = { ...(parameters ?? {}) };
  out.encryptionAlgorithm ??= "SYMMETRIC_DEFAULT";
  const usedKey = (input.response as { KeyId?: unknown } | null | undefined)?.KeyId;
  if (input.eventName === "Decrypt" && out.keyId === undefined && typeof usedKey === "string" && input.error === undefined) out.keyId = usedKey;
  return out;
}

function responseElements(source: EventSource, operation: string, response: unknown): JsonObject | null {
  if (source === EVENT_SOURCES.secretsmanager) {
    // §6.4: mutating Secrets Manager calls log the secret ARN only, under `arn` (not the
    // pre-2024 `aRN`); a result without an ARN logs null.
    const arn = typeof response === "object" && response !== null ? (response as Record<string, unknown>).ARN : undefined;
    return typeof arn === "string" ? { arn } : null;
  }
  const model = MODELS[source];
  return loggableMembers(model, model?.operations[operation]?.output, response);
}

function truncateUtf8(value: string, maxBytes: number): string {
  if (Buffer.byteLength(value) <= maxBytes) return value;
  let bytes = 0;
  let end = 0;
  for (const char of value) {
    bytes += Buffer.byteLength(char);
    if (bytes > maxBytes) break;
    end += char.length;
  }
  return value.slice(0, end);
}

// Field order as CloudTrail writes records (§6.1, §6.5), for readable exports.
const FIELD_ORDER: readonly (keyof CloudTrailRecord)[] = [
  "eventVersion",
  "userIdentity",
  "eventTime",
  "eventSource",
  "eventName",
  "awsRegion",
  "sourceIPAddress",
  "userAgent",
  "errorCode",
  "errorMessage",
  "requestParameters",
  "responseElements",
  "additionalEventData",
  "requestID",
  "eventID",
  "readOnly",
  "resources",
  "eventType",
  "managementEvent",
  "recipientAccountId",
  "sharedEventID",
  "serviceEventDetails",
  "eventCategory",
  "tlsDetails",
  "omitted",
];

function orderFields(record: CloudTrailRecord): CloudTrailRecord {
  const ordered: Record<string, unknown> = {};
  for (const field of FIELD_ORDER) {
    if (record[field] !== undefined) ordered[field] = record[field];
  }
  return ordered as unknown as CloudTrailRecord;
}
