import { test } from "node:test";
import * as assert from "node:assert/strict";
import { applyPut, applyStageUpdate, assertLabelLimit, labelledVersionIds, stagesOf } from "./labels.js";
import type { Stages } from "./labels.js";
import { InvalidParameterException, LimitExceededException, messages } from "./errors.js";

/** Each version's labels as AWS would list them; deprecated versions show []. */
const view = (stages: Stages, ...versions: string[]) =>
  Object.fromEntries(versions.map((v) => [v, stagesOf(stages, v)]));

const known = (...ids: string[]) => new Set(ids);

// --- §2.5 worked sequences ------------------------------------------------------------------

test("sequence: CreateSecret(value) → PutSecretValue → PutSecretValue", () => {
  // Step 1: CreateSecret with a value.
  let s = applyPut({}, "v1", undefined, true);
  assert.deepEqual(view(s, "v1"), { v1: ["AWSCURRENT"] });
  // Step 2.
  s = applyPut(s, "v2", undefined, false);
  assert.deepEqual(view(s, "v1", "v2"), { v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"] });
  // Step 3: v1 becomes deprecated (no labels, hidden from listings).
  s = applyPut(s, "v3", undefined, false);
  assert.deepEqual(view(s, "v1", "v2", "v3"), { v1: [], v2: ["AWSPREVIOUS"], v3: ["AWSCURRENT"] });
  assert.deepEqual(labelledVersionIds(s), new Set(["v2", "v3"]));
});

test("sequence: manual rotation with AWSPENDING and UpdateSecretVersionStage", () => {
  let s = applyPut({}, "v1", undefined, true);

  // PutSecretValue(VersionStages=[AWSPENDING]) on a v1-current secret: AWSCURRENT stays on v1.
  s = applyPut(s, "v2", ["AWSPENDING"], false);
  assert.deepEqual(view(s, "v1", "v2"), { v1: ["AWSCURRENT"], v2: ["AWSPENDING"] });
  assert.equal(s.AWSCURRENT, "v1"); // a default GetSecretValue still reads v1

  // UpdateSecretVersionStage(AWSCURRENT, MoveTo=v2, RemoveFrom=v1).
  s = applyStageUpdate(s, "AWSCURRENT", "v1", "v2", known("v1", "v2"));
  assert.deepEqual(view(s, "v1", "v2"), { v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT", "AWSPENDING"] });

  // PutSecretValue(VersionStages=[AWSPENDING]): the label moves to v3.
  s = applyPut(s, "v3", ["AWSPENDING"], false);
  assert.deepEqual(view(s, "v1", "v2", "v3"), { v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"], v3: ["AWSPENDING"] });

  // UpdateSecretVersionStage(AWSCURRENT, MoveTo=v3, RemoveFrom=v2).
  s = applyStageUpdate(s, "AWSCURRENT", "v2", "v3", known("v1", "v2", "v3"));
  assert.deepEqual(view(s, "v1", "v2", "v3"), {
    v1: [],
    v2: ["AWSPREVIOUS"],
    v3: ["AWSCURRENT", "AWSPENDING"],
  });
});

test("sequence: custom labels [one,two,three] then [one,two,three,four] deprecate the first custom version", () => {
  let s = applyPut({}, "v1", undefined, true);
  s = applyPut(s, "v2", ["one", "two", "three"], false);
  assert.deepEqual(view(s, "v1", "v2"), { v1: ["AWSCURRENT"], v2: ["one", "three", "two"] });
  s = applyPut(s, "v3", ["one", "two", "three", "four"], false);
  assert.deepEqual(view(s, "v1", "v2", "v3"), { v1: ["AWSCURRENT"], v2: [], v3: ["four", "one", "three", "two"] });
  assert.equal(s.AWSPREVIOUS, undefined);
});

test("sequence: custom labels [one,two,three] then [one,two,four] leave three on the first", () => {
  let s = applyPut({}, "v1", undefined, true);
  s = applyPut(s, "v2", ["one", "two", "three"], false);
  s = applyPut(s, "v3", ["one", "two", "four"], false);
  assert.deepEqual(view(s, "v1", "v2", "v3"), { v1: ["AWSCURRENT"], v2: ["three"], v3: ["four", "one", "two"] });
});

test("sequence: explicit [AWSCURRENT, PUT0] behaves like the default put", () => {
  let s = applyPut({}, "v1", undefined, true);
  s = applyPut(s, "v2", ["AWSCURRENT", "PUT0"], false);
  assert.deepEqual(view(s, "v1", "v2"), { v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT", "PUT0"] });
});

test("sequence: UpdateSecretVersionStage(PENDING, RemoveFrom=v2) without MoveTo just removes it", () => {
  let s = applyPut({}, "v1", undefined, true);
  s = applyPut(s, "v2", ["PENDING"], false);
  s = applyStageUpdate(s, "PENDING", "v2", undefined, known("v1", "v2"));
  assert.deepEqual(view(s, "v1", "v2"), { v1: ["AWSCURRENT"], v2: [] });
});

// --- rule M ---------------------------------------------------------------------------------

test("rule M step 4: custom labels on the old current stay ([AWSCURRENT, PUT0] → [AWSPREVIOUS, PUT0])", () => {
  let s = applyPut({}, "v1", ["AWSCURRENT", "PUT0"], true);
  s = applyPut(s, "v2", undefined, false);
  assert.deepEqual(view(s, "v1", "v2"), { v1: ["AWSPREVIOUS", "PUT0"], v2: ["AWSCURRENT"] });
});

test("rule M step 2: AWSPREVIOUS leaves the new holder (roll back to the previous version)", () => {
  const s = applyStageUpdate({ AWSCURRENT: "v2", AWSPREVIOUS: "v1" }, "AWSCURRENT", "v2", "v1", known("v1", "v2"));
  assert.deepEqual(view(s, "v1", "v2"), { v1: ["AWSCURRENT"], v2: ["AWSPREVIOUS"] });
});

test("rule M step 2 on put: AWSPREVIOUS requested for the new version still ends on the old current", () => {
  const s = applyPut({ AWSCURRENT: "v1" }, "v2", ["AWSCURRENT", "AWSPREVIOUS"], false);
  assert.deepEqual(view(s, "v1", "v2"), { v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"] });
});

test("rule M step 5: put after a finished rotation drops AWSPENDING from the old current", () => {
  const s = applyPut({ AWSCURRENT: "v2", AWSPENDING: "v2", AWSPREVIOUS: "v1" }, "v3", undefined, false);
  assert.deepEqual(view(s, "v1", "v2", "v3"), { v1: [], v2: ["AWSPREVIOUS"], v3: ["AWSCURRENT"] });
  assert.equal(s.AWSPENDING, undefined);
});

test("rule M step 5 does not apply when the same call places AWSPENDING", () => {
  const s = applyPut({ AWSCURRENT: "v2", AWSPENDING: "v2" }, "v3", ["AWSCURRENT", "AWSPENDING"], false);
  assert.deepEqual(view(s, "v2", "v3"), { v2: ["AWSPREVIOUS"], v3: ["AWSCURRENT", "AWSPENDING"] });
});

test("rule M step 5 leaves AWSPENDING on a version other than the old current", () => {
  const s = applyPut({ AWSCURRENT: "v1", AWSPENDING: "v2" }, "v3", undefined, false);
  assert.deepEqual(view(s, "v1", "v2", "v3"), { v1: ["AWSPREVIOUS"], v2: ["AWSPENDING"], v3: ["AWSCURRENT"] });
});

test("rule M step 5 is not applied by UpdateSecretVersionStage", () => {
  const s = applyStageUpdate({ AWSCURRENT: "v1", AWSPENDING: "v1" }, "AWSCURRENT", "v1", "v2", known("v1", "v2"));
  assert.deepEqual(view(s, "v1", "v2"), { v1: ["AWSPENDING", "AWSPREVIOUS"], v2: ["AWSCURRENT"] });
});

test("a put that does not move AWSCURRENT leaves AWSPREVIOUS alone", () => {
  const s = applyPut({ AWSCURRENT: "v2", AWSPREVIOUS: "v1" }, "v3", ["custom"], false);
  assert.deepEqual(view(s, "v1", "v2", "v3"), { v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"], v3: ["custom"] });
});

test("the first value always gets AWSCURRENT, even when other labels were requested", () => {
  assert.deepEqual(view(applyPut({}, "v1", ["AWSPENDING"], true), "v1"), { v1: ["AWSCURRENT", "AWSPENDING"] });
});

test("re-applying AWSCURRENT to the version that holds it changes nothing", () => {
  const before = { AWSCURRENT: "v2", AWSPREVIOUS: "v1" };
  assert.deepEqual(applyPut(before, "v2", ["AWSCURRENT"], false), before);
});

test("inputs are not modified", () => {
  const before = { AWSCURRENT: "v1", AWSPENDING: "v1" };
  applyPut(before, "v2", undefined, false);
  applyStageUpdate(before, "AWSCURRENT", "v1", "v2", known("v1", "v2"));
  assert.deepEqual(before, { AWSCURRENT: "v1", AWSPENDING: "v1" });
});

test("labels named like Object.prototype members are ordinary labels", () => {
  const s = applyPut({}, "v1", ["__proto__", "constructor"], true);
  assert.equal(Object.getPrototypeOf(s), Object.prototype);
  assert.deepEqual(stagesOf(s, "v1"), ["AWSCURRENT", "__proto__", "constructor"]);
  const moved = applyStageUpdate(s, "__proto__", "v1", "v2", known("v1", "v2"));
  assert.deepEqual(view(moved, "v1", "v2"), { v1: ["AWSCURRENT", "constructor"], v2: ["__proto__"] });
});

// --- UpdateSecretVersionStage (§5.22) --------------------------------------------------------

const twoVersions: Stages = { AWSCURRENT: "v1", AWSPENDING: "v2" };

test("USVS: unknown RemoveFromVersionId or MoveToVersionId", () => {
  assert.throws(
    () => applyStageUpdate(twoVersions, "AWSPENDING", "nope", undefined, known("v1", "v2")),
    (e: unknown) => e instanceof InvalidParameterException && e.message === "Not a valid version: nope",
  );
  assert.throws(() => applyStageUpdate(twoVersions, "AWSPENDING", "v2", "gone", known("v1", "v2")), {
    message: messages.notAValidVersion("gone"),
  });
});

test("USVS: moving AWSCURRENT without RemoveFromVersionId is E14", () => {
  assert.throws(
    () => applyStageUpdate(twoVersions, "AWSCURRENT", undefined, "v2", known("v1", "v2")),
    (e: unknown) =>
      e instanceof InvalidParameterException &&
      e.message ===
        "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version v1, so you must explicitly reference that version in RemoveFromVersionId.",
  );
});

test("USVS: moving another attached label without RemoveFromVersionId is rejected too", () => {
  assert.throws(() => applyStageUpdate(twoVersions, "AWSPENDING", undefined, "v1", known("v1", "v2")), {
    name: "InvalidParameterException",
    message: messages.removeFromRequiredFor("AWSPENDING", "v2"),
  });
});

test("USVS: RemoveFromVersionId that does not carry the label", () => {
  assert.throws(() => applyStageUpdate(twoVersions, "AWSPENDING", "v1", "v2", known("v1", "v2")), {
    name: "InvalidParameterException",
    message: "Version stage AWSPENDING not found in version v1",
  });
  assert.throws(() => applyStageUpdate(twoVersions, "custom", "v1", undefined, known("v1", "v2")), {
    message: messages.stageNotFoundInVersion("custom", "v1"),
  });
});

test("USVS: removing AWSCURRENT without MoveToVersionId is rejected", () => {
  assert.throws(() => applyStageUpdate(twoVersions, "AWSCURRENT", "v1", undefined, known("v1", "v2")), {
    name: "InvalidParameterException",
    message: messages.moveToRequiredForCurrent("v1"),
  });
});

test("USVS: label already on MoveToVersionId and no RemoveFrom is a no-op", () => {
  assert.deepEqual(applyStageUpdate(twoVersions, "AWSCURRENT", undefined, "v1", known("v1", "v2")), twoVersions);
});

test("USVS: attaching a new label needs only MoveToVersionId", () => {
  const s = applyStageUpdate(twoVersions, "blue", undefined, "v2", known("v1", "v2"));
  assert.deepEqual(view(s, "v1", "v2"), { v1: ["AWSCURRENT"], v2: ["AWSPENDING", "blue"] });
});

test("USVS: a custom label moves between versions when RemoveFrom names its holder", () => {
  const s = applyStageUpdate(twoVersions, "AWSPENDING", "v2", "v1", known("v1", "v2"));
  assert.deepEqual(view(s, "v1", "v2"), { v1: ["AWSCURRENT", "AWSPENDING"], v2: [] });
});

test("USVS: more than 20 distinct labels → LimitExceededException", () => {
  const twenty: Stages = { AWSCURRENT: "v1" };
  for (let i = 1; i < 20; i++) twenty[`L${i}`] = "v2";
  assertLabelLimit(twenty); // exactly 20 is allowed
  assert.deepEqual(applyStageUpdate(twenty, "L1", "v2", "v1", known("v1", "v2")).L1, "v1");
  assert.throws(
    () => applyStageUpdate(twenty, "L20", undefined, "v1", known("v1", "v2")),
    (e: unknown) => e instanceof LimitExceededException && e.code === "LimitExceededException" && e.message === messages.stagingLabelLimit,
  );
});

test("put: more than 20 distinct labels → LimitExceededException", () => {
  const labels = Array.from({ length: 19 }, (_, i) => `L${i}`);
  const s = applyPut({}, "v1", labels, true);
  assert.equal(Object.keys(s).length, 20);
  assert.throws(() => applyPut(s, "v2", ["extra"], false), LimitExceededException);
  // Moving existing labels does not add distinct ones.
  assert.equal(Object.keys(applyPut(s, "v2", labels, false)).length, 20);
});

test("assertLabelLimit: 21 labels", () => {
  const s: Stages = {};
  for (let i = 0; i < 21; i++) s[`L${i}`] = "v1";
  assert.throws(() => assertLabelLimit(s), LimitExceededException);
});

// --- L6 ordering and helpers ----------------------------------------------------------------

test("stagesOf sorts ascending by ordinal (L6)", () => {
  assert.deepEqual(stagesOf({ SAMPLESTAGE1: "v", SAMPLESTAGE0: "v" }, "v"), ["SAMPLESTAGE0", "SAMPLESTAGE1"]);
  assert.deepEqual(stagesOf({ one: "v", two: "v", three: "v" }, "v"), ["one", "three", "two"]);
  assert.deepEqual(stagesOf({ PUT1: "v", AWSPENDING: "v", AWSCURRENT: "v" }, "v"), ["AWSCURRENT", "AWSPENDING", "PUT1"]);
  // Ordinal, not locale: capitals sort before lowercase.
  assert.deepEqual(stagesOf({ b: "v", a: "v", B: "v", A: "v" }, "v"), ["A", "B", "a", "b"]);
  assert.deepEqual(stagesOf({ x: "other" }, "v"), []);
});

test("labelledVersionIds lists versions with at least one label", () => {
  assert.deepEqual(labelledVersionIds({}), new Set());
  assert.deepEqual(labelledVersionIds({ AWSCURRENT: "v3", AWSPREVIOUS: "v2", x: "v3" }), new Set(["v2", "v3"]));
});
