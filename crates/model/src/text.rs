//! Comparing what a learner typed with what the author accepts.
//!
//! These rules are part of grading and the JavaScript player repeats them exactly:
//! Unicode NFC, whitespace trimmed and collapsed, then optionally case folded
//! (lowercase) and accents removed (NFD, drop marks, NFC again).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// How strictly typed answers are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MatchOptions {
    /// `Paris` and `paris` differ.
    pub case_sensitive: bool,
    /// `café` and `cafe` differ.
    pub accent_sensitive: bool,
}

/// The form of `text` used for comparison under `options`.
pub fn normalize(text: &str, options: MatchOptions) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut s: String = collapsed.nfc().collect();
    if !options.case_sensitive {
        s = s.to_lowercase();
    }
    if !options.accent_sensitive {
        s = fold_accents(&s);
    }
    s
}

/// True for letters whose combining marks are accents (Latin, Greek, Cyrillic, Armenian and
/// their extended blocks). Marks on other scripts (Devanagari vowel signs, Thai tones) are
/// part of the letter and stay.
fn takes_accents(c: char) -> bool {
    matches!(u32::from(c), 0x0000..=0x052F | 0x1E00..=0x1FFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF)
}

/// Removes accents: NFD, drop each combining mark that follows a letter of an accented
/// script, NFC again.
fn fold_accents(text: &str) -> String {
    let mut base_takes_accents = false;
    text.nfd()
        .filter(|c| {
            if is_combining_mark(*c) {
                !base_takes_accents
            } else {
                base_takes_accents = takes_accents(*c);
                true
            }
        })
        .nfc()
        .collect()
}

/// True when `answer` equals `expected` under `options`.
pub fn answers_match(answer: &str, expected: &str, options: MatchOptions) -> bool {
    normalize(answer, options) == normalize(expected, options)
}

/// `text` with punctuation removed and whitespace collapsed, for dictation where
/// commas and full stops are not what is being tested.
pub fn strip_punctuation(text: &str) -> String {
    let kept: String = text
        .chars()
        .map(|c| {
            let keep = c.is_alphanumeric() || c.is_whitespace() || is_combining_mark(c);
            if keep || c == '\'' || c == '’' {
                c
            } else {
                ' '
            }
        })
        .collect();
    kept.replace('’', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Edit distance in Unicode scalar values (insertions, deletions, substitutions).
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_accents_follow_options() {
        let loose = MatchOptions::default();
        assert!(answers_match("  Café  au  lait ", "cafe au lait", loose));
        let strict_accents = MatchOptions {
            accent_sensitive: true,
            ..loose
        };
        assert!(!answers_match("cafe", "café", strict_accents));
        assert!(answers_match("CAFÉ", "café", strict_accents));
        let strict_case = MatchOptions {
            case_sensitive: true,
            ..loose
        };
        assert!(!answers_match("Paris", "paris", strict_case));
    }

    #[test]
    fn korean_survives_accent_folding() {
        // Hangul decomposes into jamo under NFD; they are letters, not marks, and recompose.
        assert_eq!(normalize("광합성", MatchOptions::default()), "광합성");
    }

    #[test]
    fn marks_of_other_scripts_are_not_accents() {
        // Hindi "हिंदी": the vowel signs and anusvara are marks that belong to the letters.
        assert_eq!(normalize("हिंदी", MatchOptions::default()), "हिंदी");
        assert_eq!(strip_punctuation("हिंदी!"), "हिंदी");
        assert_eq!(normalize("Ελληνικά", MatchOptions::default()), "ελληνικα");
    }

    #[test]
    fn punctuation_is_dropped_but_apostrophes_kept() {
        assert_eq!(
            strip_punctuation("Well, we can’t go — sorry!"),
            "Well we can't go sorry"
        );
        assert_eq!(edit_distance("recieve", "receive"), 2);
    }
}
