// Comparing what a learner typed with what the author accepts, exactly as
// crates/model/src/text.rs does (the rules: crates/model/tests/vectors/README.md, "Text matching").
//
// Rust's `char::is_whitespace` is the Unicode White_Space property. JavaScript's `\s` and
// `String.prototype.trim` also take U+FEFF (and `trim` leaves U+0085), so neither is used here.

/** How strictly typed answers are compared (text.rs `MatchOptions`). */
export interface MatchOptions {
  /** `Paris` and `paris` differ. */
  case_sensitive: boolean;
  /** `café` and `cafe` differ. */
  accent_sensitive: boolean;
}

/** Both sensitivities off: `MatchOptions::default()`. */
export const LOOSE: MatchOptions = { case_sensitive: false, accent_sensitive: false };

const WHITE_SPACE = /\p{White_Space}+/u;
const NOT_WHITE_SPACE = /[^\p{White_Space}]/u;
const MARK = /^\p{M}$/u;
/** Not alphanumeric (Alphabetic or Numeric), a combining mark, whitespace, `'` or `’`. */
const PUNCTUATION = /[^\p{Alphabetic}\p{N}\p{M}\p{White_Space}'’]/gu;

/** `text.split_whitespace()`: the words between runs of White_Space. */
export function splitWhitespace(text: string): string[] {
  return text.split(WHITE_SPACE).filter((word) => word !== "");
}

/** `text.trim().is_empty()`: nothing but White_Space. */
export function isBlank(text: string): boolean {
  return !NOT_WHITE_SPACE.test(text);
}

/** text.rs `normalize`: whitespace collapsed, NFC, then lowercase and accents removed unless
 * the options say otherwise. */
export function normalize(text: string, options: MatchOptions = LOOSE): string {
  let s = splitWhitespace(text).join(" ").normalize("NFC");
  if (!options.case_sensitive) s = s.toLowerCase();
  if (!options.accent_sensitive) s = foldAccents(s);
  return s;
}

/** text.rs `takes_accents`: Latin, Greek, Cyrillic, Armenian and their extended blocks. */
function takesAccents(c: number): boolean {
  return c <= 0x052f || (c >= 0x1e00 && c <= 0x1fff) || (c >= 0x2c60 && c <= 0x2c7f) || (c >= 0xa720 && c <= 0xa7ff);
}

/** text.rs `fold_accents`: NFD, drop each mark that follows a letter of an accented script, NFC. */
function foldAccents(text: string): string {
  let baseTakesAccents = false;
  let out = "";
  for (const c of text.normalize("NFD")) {
    if (MARK.test(c)) {
      if (!baseTakesAccents) out += c;
    } else {
      baseTakesAccents = takesAccents(c.codePointAt(0) ?? 0);
      out += c;
    }
  }
  return out.normalize("NFC");
}

/** text.rs `answers_match`: equal once both are normalized under `options`. */
export function answersMatch(answer: string, expected: string, options: MatchOptions = LOOSE): boolean {
  return normalize(answer, options) === normalize(expected, options);
}

/** text.rs `strip_punctuation`: punctuation turned into spaces, `’` into `'`, whitespace collapsed. */
export function stripPunctuation(text: string): string {
  return splitWhitespace(text.replace(PUNCTUATION, " ").replaceAll("’", "'")).join(" ");
}

/** text.rs `edit_distance` (strsim::levenshtein): Levenshtein distance in code points. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 0; i < x.length; i++) {
    const next = [i + 1];
    for (let j = 0; j < y.length; j++) {
      const substitute = (row[j] ?? 0) + (x[i] === y[j] ? 0 : 1);
      next.push(Math.min(substitute, (row[j + 1] ?? 0) + 1, (next[j] ?? 0) + 1));
    }
    row = next;
  }
  return row[y.length] ?? 0;
}
