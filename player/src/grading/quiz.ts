// QUIZ grading: crates/model/src/components/quiz.rs (`Graded for QuizPayload`).
import type { Grade, ItemFeedback, Outcome, QuizAnswer } from "@ui/generated/ipc";
import type { Filled, PayloadOf } from "@ui/schema";
import { fromItems, isObject, item, listOf, mapOf, readGraded, readResponse, text, wrongForm, written } from "./shared";
import type { Reader, Upgrade } from "./shared";
import { answersMatch, isBlank } from "./text";

type Question = Filled<PayloadOf<"QUIZ">>["questions"][number];

/** Credit earned as a fraction `earned / of` of a question's points; `null`: unanswered. */
type Credit = { earned: number; of: number } | null;

const credit = (right: boolean): Credit => ({ earned: right ? 1 : 0, of: 1 });

/**
 * quiz/v1.rs `upgrade`: version 1 had single-choice questions only,
 * `{"prompt": "…", "choices": ["a", "b"], "answer": 1}`. Question `n` (from 1) gets the id `qn`
 * unless it has one, its choices become options `qna`, `qnb`, … (`qn_27` on after `z`) with
 * `correct` set on the one at index `answer`, `prompt` becomes `text`, the kind single choice.
 * No vector is in version 1, but stored quizzes may be, and Rust grades them so.
 */
const upgradeV1: Upgrade = (_from, payload) => {
  const questions = payload["questions"];
  if (!Array.isArray(questions)) return payload;
  return {
    ...payload,
    questions: questions.map((question: unknown, i) => {
      if (!isObject(question)) return question;
      const { answer, prompt, choices, ...rest } = question;
      const id = `q${i + 1}`;
      // `as_u64`: a whole number from 0.
      const right = typeof answer === "number" && Number.isInteger(answer) && answer >= 0 ? answer : null;
      const out: Record<string, unknown> = rest;
      if (prompt !== undefined) out["text"] = prompt;
      if (choices !== undefined) {
        out["options"] = Array.isArray(choices)
          ? choices.map((choice: unknown, j) => ({
              id: j < 26 ? `${id}${String.fromCharCode(97 + j)}` : `${id}_${j + 1}`,
              text: choice,
              correct: right === j,
            }))
          : choices;
      }
      out["kind"] = "single_choice";
      if (out["id"] === undefined) out["id"] = id;
      return out;
    }),
  };
};

/** The untagged `QuizAnswer`: `true`/`false`, a string or a list of strings. */
const quizAnswer: Reader<QuizAnswer> = (value, at) => {
  if (typeof value === "boolean" || typeof value === "string") return value;
  if (Array.isArray(value)) return listOf(text)(value, at);
  throw wrongForm(at, "true, false, a string or a list of strings", value);
};

/** quiz.rs `Question::chosen_options`: the ids of this question's options that the answer names. */
function chosenOptions(question: Question, answer: string | string[]): Set<string> {
  const named = typeof answer === "string" ? [answer] : answer;
  return new Set(named.filter((id) => question.options.some((o) => o.id === id)));
}

/** quiz.rs `Question::choice_credit`. */
function choiceCredit(question: Question, chosen: Set<string>): Credit {
  if (chosen.size === 0) return null;
  const correct = new Set(question.options.filter((o) => o.correct).map((o) => o.id));
  if (question.kind === "single_choice") {
    return credit(chosen.size === correct.size && [...chosen].every((id) => correct.has(id)));
  }
  const right = [...chosen].filter((id) => correct.has(id)).length;
  const wrong = chosen.size - right;
  return { earned: Math.max(0, right - wrong), of: Math.max(1, correct.size) };
}

/** quiz.rs `Question::grade`. */
function gradeQuestion(question: Question, pointer: string, given: QuizAnswer | undefined): ItemFeedback {
  const feedback: string[] = [];
  const hasOptions = question.kind === "single_choice" || question.kind === "multiple_choice";
  let earned: Credit;
  if (given === undefined) {
    earned = null;
  } else if (hasOptions && typeof given !== "boolean") {
    const chosen = chosenOptions(question, given);
    for (const option of question.options) if (chosen.has(option.id)) feedback.push(option.feedback);
    earned = choiceCredit(question, chosen);
  } else if (typeof given === "boolean" && question.kind === "true_false") {
    earned = credit(question.answer === given);
  } else if (typeof given === "string" && question.kind === "short_answer") {
    const options = { case_sensitive: question.case_sensitive, accent_sensitive: question.accent_sensitive };
    earned = isBlank(given) ? null : credit(question.accepted_answers.some((a) => answersMatch(given, a, options)));
  } else {
    // An answer of the wrong form for the question.
    earned = credit(false);
  }
  let outcome: Outcome = "unanswered";
  let score = 0;
  if (earned) {
    outcome = earned.earned >= earned.of ? "correct" : earned.earned === 0 ? "incorrect" : "partial";
    score = (question.points * earned.earned) / earned.of;
    feedback.push(outcome === "correct" ? question.correct_feedback : question.incorrect_feedback);
  }
  return item(pointer, outcome, score, question.points, written(...feedback));
}

/** quiz.rs `QuizPayload::grade`: each question on its own, in payload order. */
export function gradeQuiz(payload: unknown, response: unknown): Grade {
  const quiz = readGraded("QUIZ", payload, 2, upgradeV1);
  const { answers } = readResponse<{ answers: Map<string, QuizAnswer> }>("QUIZ", response, {
    answers: mapOf(quizAnswer),
  });
  return fromItems(quiz.questions.map((q, i) => gradeQuestion(q, `/questions/${i}`, answers.get(q.id))));
}
