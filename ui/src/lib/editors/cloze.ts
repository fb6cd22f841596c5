// The CLOZE editor's text model: the text as words, blanks and the rest, and the two edits an
// instructor makes on it (blank a word, put a blank's word back). A blank is written in the
// text as `[[id]]` (crates/model/src/components/cloze.rs).
import type { Blank } from "../generated/ipc";

export type Token =
  | { kind: "text"; text: string }
  | { kind: "word"; text: string; start: number; end: number }
  | { kind: "blank"; id: string; start: number; end: number };

const MARKER = /\[\[([^[\]]*)\]\]/g;
/** A word: letters or digits, with the apostrophes and hyphens inside it. */
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}'’-]*/gu;

/** The text cut into words (that can be blanked), blanks and everything else. */
export function clozeTokens(text: string): Token[] {
  const tokens: Token[] = [];
  const words = (from: number, to: number) => {
    const part = text.slice(from, to);
    let last = 0;
    for (const m of part.matchAll(WORD)) {
      const at = m.index ?? 0;
      if (at > last) tokens.push({ kind: "text", text: part.slice(last, at) });
      tokens.push({ kind: "word", text: m[0], start: from + at, end: from + at + m[0].length });
      last = at + m[0].length;
    }
    if (last < part.length) tokens.push({ kind: "text", text: part.slice(last) });
  };
  let last = 0;
  for (const m of text.matchAll(MARKER)) {
    const at = m.index ?? 0;
    words(last, at);
    tokens.push({ kind: "blank", id: m[1] ?? "", start: at, end: at + m[0].length });
    last = at + m[0].length;
  }
  words(last, text.length);
  return tokens;
}

/** An id no blank has yet: b1, b2, … */
export function freeBlankId(blanks: readonly Blank[]): string {
  const taken = new Set(blanks.map((b) => b.id));
  let n = blanks.length + 1;
  while (taken.has(`b${n}`)) n++;
  return `b${n}`;
}

/** Blanks the text between `start` and `end` (a word, or a selection): it becomes a marker
 * and a blank whose answer is the text taken out. Nothing changes for an empty range or one
 * that crosses a blank. */
export function blankRange(
  text: string,
  blanks: readonly Blank[],
  start: number,
  end: number,
): { text: string; blanks: Blank[]; id: string } | null {
  const answer = text.slice(start, end).trim();
  if (answer === "" || /\[\[|\]\]/.test(text.slice(start, end))) return null;
  // Spaces at the edges of a selection stay in the text.
  const from = start + (text.slice(start, end).length - text.slice(start, end).trimStart().length);
  const to = from + answer.length;
  const id = freeBlankId(blanks);
  return {
    text: `${text.slice(0, from)}[[${id}]]${text.slice(to)}`,
    blanks: [...blanks, { id, answers: [answer] } as Blank],
    id,
  };
}

/** Puts a blank's first answer back into the text in place of its marker, and removes it. */
export function unblank(text: string, blanks: readonly Blank[], id: string): { text: string; blanks: Blank[] } {
  const blank = blanks.find((b) => b.id === id);
  const word = blank?.answers?.[0] ?? "";
  return {
    text: text.replace(`[[${id}]]`, () => word),
    blanks: blanks.filter((b) => b.id !== id),
  };
}
