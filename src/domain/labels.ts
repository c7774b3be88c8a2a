// Staging labels (§2.5) as pure functions over one map per secret: label → versionId. A map key
// holds one value, so "a label is on at most one version" (L1) holds by construction.
//
// Maps are read with Object.entries and built with Object.fromEntries, so user-chosen labels such
// as "__proto__" are plain own keys and never touch the prototype.

import { InvalidParameterException, LimitExceededException, messages } from "./errors.js";

export type Stages = Record<string, string>;

export const AWSCURRENT = "AWSCURRENT";
export const AWSPREVIOUS = "AWSPREVIOUS";
export const AWSPENDING = "AWSPENDING";

/** Distinct labels attached across all versions of a secret (L3, quota `[DOC]`). */
export const MAX_LABELS = 20;

/**
 * Labels after PutSecretValue / CreateSecret / UpdateSecret create `newVersionId` (§5.13 step 3):
 * every requested label (default AWSCURRENT; AWSCURRENT is added for the secret's first value,
 * `[DOC]`) moves to the new version. When AWSCURRENT moves, rule M applies, including its step-5
 * AWSPENDING cleanup. Throws LimitExceededException beyond 20 distinct labels.
 */
export function applyPut(
  stages: Stages,
  newVersionId: string,
  requested: readonly string[] | undefined,
  isFirstValue: boolean,
): Stages {
  const labels = new Set(requested ?? [AWSCURRENT]);
  if (isFirstValue) labels.add(AWSCURRENT);

  const map = toMap(stages);
  const previousCurrent = map.get(AWSCURRENT);
  for (const label of labels) map.set(label, newVersionId);

  if (labels.has(AWSCURRENT) && previousCurrent !== undefined && previousCurrent !== newVersionId) {
    // Rule M step 5 [AWS-OBS]: the version that was both current and pending (a finished rotation)
    // loses AWSPENDING too, unless this call put AWSPENDING somewhere itself.
    if (!labels.has(AWSPENDING) && map.get(AWSPENDING) === previousCurrent) map.delete(AWSPENDING);
    moveCurrent(map, previousCurrent);
  }

  const result = fromMap(map);
  assertLabelLimit(result);
  return result;
}

/**
 * UpdateSecretVersionStage (§5.22): detach `label` from `removeFrom`, attach it to `moveTo`.
 * Moving AWSCURRENT gives the old holder AWSPREVIOUS (rule M steps 2–4); unlike PutSecretValue
 * it leaves AWSPENDING alone (§2.5 recommends keeping this explicit, which also matches the
 * observed sequence where v2 ends as [AWSCURRENT, AWSPENDING]).
 */
export function applyStageUpdate(
  stages: Stages,
  label: string,
  removeFrom: string | undefined,
  moveTo: string | undefined,
  knownVersionIds: ReadonlySet<string>,
): Stages {
  // Step 1: both ids must name versions of this secret.
  for (const id of [removeFrom, moveTo]) {
    if (id !== undefined && !knownVersionIds.has(id)) throw new InvalidParameterException(messages.notAValidVersion(id));
  }

  const map = toMap(stages);
  const holder = map.get(label);

  // Step 3: taking a label from another version requires naming that version (E14 for AWSCURRENT).
  if (moveTo !== undefined && holder !== undefined && holder !== moveTo && removeFrom === undefined) {
    throw new InvalidParameterException(
      label === AWSCURRENT ? messages.removeFromRequired(holder) : messages.removeFromRequiredFor(label, holder),
    );
  }
  // Step 4: RemoveFromVersionId must currently carry the label.
  if (removeFrom !== undefined && holder !== removeFrom) {
    throw new InvalidParameterException(messages.stageNotFoundInVersion(label, removeFrom));
  }
  // Step 7: a secret with a value always keeps one AWSCURRENT version (L2).
  if (label === AWSCURRENT && removeFrom !== undefined && moveTo === undefined) {
    throw new InvalidParameterException(messages.moveToRequiredForCurrent(removeFrom));
  }

  if (removeFrom !== undefined) map.delete(label);
  if (moveTo !== undefined) map.set(label, moveTo);
  if (label === AWSCURRENT && moveTo !== undefined && holder !== undefined && holder !== moveTo) {
    moveCurrent(map, holder);
  }

  const result = fromMap(map);
  assertLabelLimit(result);
  return result;
}

/**
 * A version's labels in ascending ordinal order, as AWS lists them (L6 `[AWS-OBS]`:
 * ["one","two","three"] → ["one","three","two"]). JavaScript's default sort compares UTF-16
 * code units, which is that ordinal order.
 */
export function stagesOf(stages: Stages, versionId: string): string[] {
  return Object.entries(stages)
    .filter(([, id]) => id === versionId)
    .map(([label]) => label)
    .sort();
}

/** Versions carrying at least one label; every other version is deprecated (L4). */
export function labelledVersionIds(stages: Stages): Set<string> {
  return new Set(Object.values(stages));
}

/** At most 20 distinct labels across a secret's versions (L3). */
export function assertLabelLimit(stages: Stages): void {
  if (Object.keys(stages).length > MAX_LABELS) throw new LimitExceededException(messages.stagingLabelLimit);
}

/**
 * Rule M steps 2–4, after AWSCURRENT has been set on its new holder: AWSPREVIOUS leaves whichever
 * version had it (the new holder included) and goes to the old holder, whose custom labels stay.
 */
function moveCurrent(map: Map<string, string>, oldCurrent: string): void {
  map.set(AWSPREVIOUS, oldCurrent);
}

function toMap(stages: Stages): Map<string, string> {
  return new Map(Object.entries(stages));
}

function fromMap(map: Map<string, string>): Stages {
  return Object.fromEntries(map);
}
