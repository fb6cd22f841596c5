// Layout hints for the component editors, kept beside the schema (never a second copy of it):
// which fields come first, which wait under "More options", which items are one row, which
// boolean is a tick, where Enter adds the next item. The schema still decides what fields
// exist, their kinds and defaults; a field the hints do not name is drawn as before.

import { defaultFor, fieldOf, refName, resolve, type JsonSchema } from "../schema";

export interface DefLayout {
  /** A new value starts with this many (empty) items in these lists: a new question with
   * two options, a new quiz with one question. */
  start?: Readonly<Record<string, number>>;
  /** These fields first, in this order (the others follow in the usual order). */
  order?: readonly string[];
  /** Fields under "More options", closed unless one of them has a problem. */
  more?: readonly string[];
  /** Each item is one row: its fields side by side, their labels for screen readers only. */
  row?: boolean;
  /** Pressing Enter in this text field adds the next item of the list, and moves there. */
  enterAdds?: string;
  /** The list of these items is laid out as a grid of cards (flashcards). */
  grid?: boolean;
  /** The list of these items is a chat script: each a bubble on the side this field names
   * (`learner` on the right). */
  chat?: string;
}

/** Fields the app makes and keeps: never shown (their problems show on the item). */
export const HIDDEN: readonly string[] = ["id", "schema_version"];

export const layouts: Readonly<Record<string, DefLayout>> = {
  QuizPayload: { start: { questions: 1 }, order: ["questions"], more: ["title", "shuffle"] },
  Question: {
    start: { options: 2 },
    order: ["text", "kind", "options", "answer", "accepted_answers"],
    more: ["points", "case_sensitive", "accent_sensitive", "correct_feedback", "incorrect_feedback", "explanation"],
  },
  QuizOption: { row: true, order: ["correct", "text"], more: ["feedback"], enterAdds: "text" },
  ClozePayload: { order: ["title", "instructions", "text", "blanks", "mode"], more: ["case_sensitive", "accent_sensitive"] },
  Blank: { order: ["answers"], more: ["hint", "distractors", "case_sensitive", "accent_sensitive"] },
  FlashcardsPayload: { start: { cards: 1 }, order: ["cards"], more: ["title"] },
  Flashcard: { grid: true, order: ["term", "definition"], more: ["example", "image", "audio"], enterAdds: "definition" },
  MatchingPayload: {
    start: { pairs: 2 },
    order: ["instructions", "mode", "pairs", "categories", "items", "steps"],
    more: ["distractors"],
  },
  MatchingPair: { row: true, order: ["left", "right"], more: ["feedback"], enterAdds: "right" },
  MatchingCategory: { row: true, enterAdds: "name" },
  CategoryItem: { row: true, order: ["text", "category"], more: ["feedback"] },
  MatchingDistractor: { row: true, more: ["feedback"], enterAdds: "text" },
  OrderStep: { row: true, more: ["feedback"], enterAdds: "text" },
  DictationPayload: {
    start: { sentences: 1 },
    order: ["title", "instructions", "sentences"],
    more: ["case_sensitive", "accent_sensitive", "ignore_punctuation", "max_typos_per_word"],
  },
  Sentence: { order: ["text", "audio"], more: ["language"] },
  ShadowingPayload: {
    start: { items: 1 },
    order: ["instructions", "items"],
    more: ["language", "playback_rates", "repetitions"],
  },
  ShadowingItem: { order: ["text", "translation", "audio"], more: ["language"] },
  PronunciationPayload: { start: { items: 1 }, order: ["instructions", "items"], more: ["language"] },
  PronunciationItem: { order: ["target", "ipa", "tips", "audio"], more: ["language"] },
  RoleplayPayload: {
    order: ["title", "scenario", "persona", "learner_role", "learner_goal", "opening_line", "turns", "mode"],
    more: ["rubric"],
  },
  Persona: { order: ["name", "role", "personality"] },
  Turn: { chat: "speaker", order: ["speaker", "text"], more: ["expected_phrases", "hints"] },
  ReviewPayload: { start: { cards: 1 }, order: ["title", "cards"] },
  ReviewCard: { order: ["heading", "points"] },
  HotspotPayload: { order: ["mode", "prompt", "alt_text"], more: ["image_width", "image_height"] },
};

/** The hints of a definition (none for one the table does not name). */
export function layoutOf(def: string | null): DefLayout {
  return (def && layouts[def]) || {};
}

/** The keys of an object in the order its form shows them: the hints' order first, then
 * `rest` (the usual order of the others). */
export function orderedKeys(def: string | null, rest: string[]): string[] {
  const first = layoutOf(def).order ?? [];
  return [...first.filter((k) => rest.includes(k)), ...rest.filter((k) => !first.includes(k))];
}

/** A problem's place in words, from its JSON pointer: `/questions/1/options/0/text` →
 * "Question 2 › Option 1 › Text". `tr(key, fallback)` gives a message in the UI's language;
 * `{n}` in an item's name is its number. */
export function placeInWords(pointer: string, tr: (key: string, fallback: string) => string): string {
  const segments = pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const words: string[] = [];
  segments.forEach((segment, i) => {
    const list = segments[i - 1];
    if (/^\d+$/.test(segment) && list !== undefined) {
      // An item of a list: named by the list ("Question 2") instead of the list's name.
      const n = String(Number(segment) + 1);
      const name = tr(`item.${list}`, "");
      if (name !== "") {
        words.pop();
        words.push(name.replace("{n}", n));
      } else {
        words.push(n);
      }
    } else {
      const key = segment;
      words.push(tr(`field.${key}`, key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, " ")));
    }
  });
  return words.join(" › ");
}

/** A new value of a schema as an author starts it: the schema's defaults, with the lists the
 * hints name holding their first empty items (ids made as the editor makes them: `q1`, `o2`). */
export function startValue(schema: JsonSchema): unknown {
  const value = defaultFor(schema);
  const starts = layoutOf(refName(schema)).start;
  if (!starts || typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const props = resolve(schema).properties ?? {};
  const out = value as Record<string, unknown>;
  for (const [key, count] of Object.entries(starts)) {
    const prop = props[key];
    if (!prop) continue;
    const field = fieldOf(prop, key);
    if (field.kind !== "array") continue;
    out[key] = Array.from({ length: count }, (_, i) => {
      const item = startValue(field.items);
      if (typeof item === "object" && item !== null && "id" in item) {
        (item as Record<string, unknown>)["id"] = `${key.charAt(0)}${i + 1}`;
      }
      return item;
    });
  }
  return out;
}
