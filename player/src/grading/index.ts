// The learner player's grader: the same grades as the Rust model's `grading::grade`
// (crates/model/src/grading.rs), checked against the shared vectors in
// crates/model/tests/vectors (the rules are in the README there).
import type { ComponentType, Grade } from "@ui/generated/ipc";
import { gradeBranching } from "./branching";
import { gradeCloze } from "./cloze";
import { gradeDictation } from "./dictation";
import { gradeFlashcards } from "./flashcards";
import { gradeHotspot } from "./hotspot";
import { gradeMatching } from "./matching";
import { gradeQuiz } from "./quiz";
import { gradeRoleplay } from "./roleplay";
import { GradeError } from "./shared";

export { GradeError };

type Grader = (payload: unknown, response: unknown) => Grade;

/** The types that have a grading function (grading.rs `graded_types`). */
const GRADERS: Partial<Record<ComponentType, Grader>> = {
  QUIZ: gradeQuiz,
  ROLEPLAY: gradeRoleplay,
  FLASHCARDS: gradeFlashcards,
  CLOZE: gradeCloze,
  MATCHING: gradeMatching,
  HOTSPOT: gradeHotspot,
  BRANCHING: gradeBranching,
  DICTATION: gradeDictation,
};

/** Not graded by a function: REVIEW, SHADOWING and PRONUNCIATION. */
const UNGRADED: readonly ComponentType[] = ["REVIEW", "SHADOWING", "PRONUNCIATION"];

/** `ComponentType::is_graded`. */
export function isGraded(type: ComponentType): boolean {
  return Object.hasOwn(GRADERS, type);
}

/**
 * grading.rs `grade`: scores a learner's response to a payload. Throws a `GradeError` where Rust
 * returns an error: for a type that is not graded (`NotGraded`), a payload that is not an object
 * or has a schema version this code cannot read (`InvalidPayload`), or a response that does not
 * have the shape of the type's response (`InvalidResponse`).
 */
export function grade(type: ComponentType, payload: unknown, response: unknown): Grade {
  const grader = Object.hasOwn(GRADERS, type) ? GRADERS[type] : undefined;
  if (grader) return grader(payload, response);
  if (UNGRADED.includes(type)) throw new GradeError(`${type} components are not graded by a function`);
  throw new GradeError(`\`${String(type)}\` is not a component type`);
}
