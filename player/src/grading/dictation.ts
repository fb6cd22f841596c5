// DICTATION grading: crates/model/src/components/dictation.rs (`Graded for DictationPayload`).
import type { Grade, Outcome } from "@ui/generated/ipc";
import type { Filled, PayloadOf } from "@ui/schema";
import { fromItems, item, mapOf, readGraded, readResponse, text } from "./shared";
import { editDistance, normalize, splitWhitespace, stripPunctuation } from "./text";

type Dictation = Filled<PayloadOf<"DICTATION">>;

/** dictation.rs `TYPO_MIN_WORD_CHARS`: shorter words must be typed exactly. */
const TYPO_MIN_WORD_CHARS = 4;

/** dictation.rs `join_digit_groups`: `250,000` is `250000`. */
const DIGIT_GROUP_COMMA = /(?<=[0-9]),(?=[0-9])/g;
const NUMERIC = /\p{N}/u;

/** dictation.rs `DictationPayload::words`. */
function words(dictation: Dictation, typed: string): string[] {
  let s = normalize(typed, dictation);
  if (dictation.ignore_punctuation) s = stripPunctuation(s.replace(DIGIT_GROUP_COMMA, ""));
  return splitWhitespace(s);
}

/** dictation.rs `same_word` and `is_tolerated_typo`. */
function sameWord(dictation: Dictation, expected: string, typed: string): boolean {
  return (
    expected === typed ||
    ([...expected].length >= TYPO_MIN_WORD_CHARS &&
      !NUMERIC.test(expected) &&
      editDistance(expected, typed) <= dictation.max_typos_per_word)
  );
}

/** dictation.rs `Alignment`: fewer edits is better, then more matched words. */
type Alignment = { edits: number; matched: number };

const better = (a: Alignment, b: Alignment): Alignment =>
  a.edits < b.edits || (a.edits === b.edits && a.matched >= b.matched) ? a : b;

/** dictation.rs `matched_words`: a word-level Levenshtein table counting matched words. */
function matchedWords(dictation: Dictation, expected: string[], typed: string[]): number {
  let row: Alignment[] = Array.from({ length: typed.length + 1 }, (_, j) => ({ edits: j, matched: 0 }));
  expected.forEach((expectedWord, i) => {
    const next: Alignment[] = [{ edits: i + 1, matched: 0 }];
    typed.forEach((typedWord, j) => {
      const diagonal = row[j] as Alignment;
      const paired = sameWord(dictation, expectedWord, typedWord)
        ? { edits: diagonal.edits, matched: diagonal.matched + 1 }
        : { edits: diagonal.edits + 1, matched: diagonal.matched };
      const missed = row[j + 1] as Alignment;
      const extra = next[j] as Alignment;
      next.push(
        better(
          better(paired, { edits: missed.edits + 1, matched: missed.matched }),
          { edits: extra.edits + 1, matched: extra.matched },
        ),
      );
    });
    row = next;
  });
  return row[row.length - 1]?.matched ?? 0;
}

/** dictation.rs `DictationPayload::grade`: one point per sentence, partial for the words right. */
export function gradeDictation(payload: unknown, response: unknown): Grade {
  const dictation = readGraded("DICTATION", payload, 1);
  const { answers } = readResponse<{ answers: Map<string, string> }>("DICTATION", response, {
    answers: mapOf(text),
  });
  return fromItems(
    dictation.sentences.map((sentence, i) => {
      const expected = words(dictation, sentence.text);
      const given = answers.get(sentence.id);
      const typed = given === undefined ? [] : words(dictation, given);
      let outcome: Outcome = "unanswered";
      let score = 0;
      if (typed.length > 0 && typed.length === expected.length && typed.every((w, k) => w === expected[k])) {
        outcome = "correct";
        score = 1;
      } else if (typed.length > 0) {
        const matched = matchedWords(dictation, expected, typed);
        score = matched / Math.max(expected.length, typed.length);
        outcome = matched === 0 ? "incorrect" : "partial";
      }
      return item(`/sentences/${i}`, outcome, score, 1);
    }),
  );
}
