// text.ts against the tests of crates/model/src/text.rs, and the places where JavaScript's own
// idea of whitespace and letters differs from Rust's.
import { describe, expect, it } from "vitest";
import {
  LOOSE,
  answersMatch,
  editDistance,
  isBlank,
  normalize,
  splitWhitespace,
  stripPunctuation,
} from "../src/grading/text";

const strictAccents = { ...LOOSE, accent_sensitive: true };
const strictCase = { ...LOOSE, case_sensitive: true };

describe("the tests of text.rs", () => {
  it("case_and_accents_follow_options", () => {
    expect(answersMatch("  Café  au  lait ", "cafe au lait", LOOSE)).toBe(true);
    expect(answersMatch("cafe", "café", strictAccents)).toBe(false);
    expect(answersMatch("CAFÉ", "café", strictAccents)).toBe(true);
    expect(answersMatch("Paris", "paris", strictCase)).toBe(false);
  });

  it("korean_survives_accent_folding", () => {
    expect(normalize("광합성", LOOSE)).toBe("광합성");
  });

  it("marks_of_other_scripts_are_not_accents", () => {
    expect(normalize("हिंदी", LOOSE)).toBe("हिंदी");
    expect(stripPunctuation("हिंदी!")).toBe("हिंदी");
    expect(normalize("Ελληνικά", LOOSE)).toBe("ελληνικα");
  });

  it("punctuation_is_dropped_but_apostrophes_kept", () => {
    expect(stripPunctuation("Well, we can’t go — sorry!")).toBe("Well we can't go sorry");
    expect(editDistance("recieve", "receive")).toBe(2);
  });
});

describe("whitespace is Unicode White_Space", () => {
  it("does not count U+FEFF (which JavaScript's \\s and trim do)", () => {
    expect(/\s/.test("\uFEFF")).toBe(true);
    expect(splitWhitespace("a\uFEFFb")).toEqual(["a\uFEFFb"]);
    expect(normalize(" \uFEFFParis ")).toBe("\uFEFFparis");
    expect(answersMatch("\uFEFFParis", "Paris")).toBe(false);
    expect(isBlank("\uFEFF")).toBe(false);
    // Not alphanumeric, so punctuation for dictation.
    expect(stripPunctuation("a\uFEFFb")).toBe("a b");
  });

  it("counts U+0085 (which trim does not) and the other spaces", () => {
    expect("\u0085".trim()).toBe("\u0085");
    expect(isBlank("\u0085")).toBe(true);
    expect(normalize("\u0085a\u00A0\u2003b\u3000\n\tc\u2028")).toBe("a b c");
    expect(isBlank(" \t\n\u00A0\u3000")).toBe(true);
    expect(isBlank("")).toBe(true);
    // U+200B is a format character, not whitespace.
    expect(isBlank("\u200B")).toBe(false);
  });
});

describe("normalize", () => {
  it("composes to NFC, so NFD input matches", () => {
    const nfd = "re\u0301sume\u0301";
    expect(answersMatch(nfd, "résumé", strictAccents)).toBe(true);
    expect(normalize(nfd, { case_sensitive: true, accent_sensitive: true })).toBe("résumé");
  });

  it("keeps Hangul whole, typed as syllables or as jamo", () => {
    const jamo = "광합성".normalize("NFD");
    expect(jamo).not.toBe("광합성");
    expect(normalize(jamo)).toBe("광합성");
    expect(answersMatch("  광합성 ", jamo)).toBe(true);
    expect(stripPunctuation("광합성, 엽록체!")).toBe("광합성 엽록체");
  });

  it("keeps the marks of Hindi and Thai but folds Vietnamese and Cyrillic accents", () => {
    expect(normalize("नमस्ते")).toBe("नमस्ते");
    expect(answersMatch("नमस्ते", "नमसत")).toBe(false);
    expect(normalize("ไม้")).toBe("ไม้");
    expect(normalize("Tiếng Việt")).toBe("tieng viet");
    expect(normalize("Ё")).toBe("е");
  });

  it("lowercases without a locale, with the final sigma", () => {
    expect(normalize("ΟΔΟΣ", { ...LOOSE, accent_sensitive: true })).toBe("οδος");
    expect(normalize("İ", strictAccents)).toBe("i\u0307");
    expect(normalize("İ")).toBe("i");
  });

  it("leaves a mark with no letter before it", () => {
    expect(normalize("\u0301a")).toBe("\u0301a");
  });
});

describe("stripPunctuation", () => {
  it("keeps letters, numbers, marks and apostrophes", () => {
    expect(stripPunctuation("“Ça va?” — ½ of 250,000…")).toBe("Ça va ½ of 250 000");
    expect(stripPunctuation("it's l’été")).toBe("it's l'été");
    expect(stripPunctuation("e\u0301")).toBe("e\u0301");
    expect(stripPunctuation("a😀b")).toBe("a b");
    expect(stripPunctuation("...")).toBe("");
  });
});

describe("editDistance", () => {
  it("counts code points, not UTF-16 units", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("abc", "")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
    expect(editDistance("😀a", "a")).toBe(1);
    expect(editDistance("𝒜𝒷", "𝒜𝒸")).toBe(1);
    expect(editDistance("광합성", "광합")).toBe(1);
  });
});
