// FLASHCARDS grading: crates/model/src/components/flashcards.rs (`Graded for FlashcardsPayload`).
import type { Grade, Recall } from "@ui/generated/ipc";
import { fromItems, isObject, item, mapOf, readGraded, readResponse, wrongForm } from "./shared";
import type { Reader } from "./shared";

/** The outcome and score of each rating. */
const RATINGS = {
  again: ["incorrect", 0],
  hard: ["partial", 0.5],
  good: ["correct", 1],
  easy: ["correct", 1],
} as const satisfies Record<Recall, readonly [string, number]>;

function isRecall(value: unknown): value is Recall {
  return typeof value === "string" && Object.hasOwn(RATINGS, value);
}

/** flashcards.rs `Recall`, read as serde_json reads a unit variant: its name, or an object with
 * its name as the only key and `null` as the value (`{"good": null}`). */
const recall: Reader<Recall> = (value, at) => {
  if (isRecall(value)) return value;
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const [only] = entries;
    if (entries.length === 1 && only && only[1] === null && isRecall(only[0])) return only[0];
  }
  throw wrongForm(at, '"again", "hard", "good" or "easy"', value);
};

/** flashcards.rs `FlashcardsPayload::grade`: one point per card, by the learner's own rating. */
export function gradeFlashcards(payload: unknown, response: unknown): Grade {
  const deck = readGraded("FLASHCARDS", payload, 1);
  const { ratings } = readResponse<{ ratings: Map<string, Recall> }>("FLASHCARDS", response, {
    ratings: mapOf(recall),
  });
  return fromItems(
    deck.cards.map((card, i) => {
      const rating = ratings.get(card.id);
      const [outcome, score] = rating === undefined ? (["unanswered", 0] as const) : RATINGS[rating];
      return item(`/cards/${i}`, outcome, score, 1);
    }),
  );
}
