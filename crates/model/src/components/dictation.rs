//! DICTATION: the learner hears sentences and types them, with tolerance for small typos.

use super::review::Provenance;
use super::{Graded, Payload, current_version};
use crate::component::ComponentType;
use crate::course::AssetRef;
use crate::grading::{Grade, ItemFeedback, Outcome};
use crate::text::{MatchOptions, edit_distance, normalize, strip_punctuation};
use crate::validation::{Issues, ItemName, MAX_LONG_TEXT, MAX_SHORT_TEXT, Pointer, Problem};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::BTreeMap;

/// Words shorter than this must be typed exactly: `in` for `on` or `a` for `the` is a
/// listening mistake, not a typo.
pub const TYPO_MIN_WORD_CHARS: usize = 4;

/// Sentences the learner hears and types.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DictationPayload {
    /// Version of this payload's shape.
    #[serde(default = "current_version::<DictationPayload>")]
    pub schema_version: u32,
    /// Heading shown above the sentences.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// What the learner should do, e.g. "Listen and type each sentence."
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub instructions: String,
    /// The sentences, in the order they are played.
    #[serde(default)]
    pub sentences: Vec<Sentence>,
    /// Most typing mistakes (letters inserted, removed or replaced) a word of at least four
    /// letters may have and still count as right. 0 demands exact spelling.
    #[serde(default = "one_typo")]
    pub max_typos_per_word: u32,
    /// Ignore punctuation: commas and full stops are not what is being tested.
    #[serde(default = "yes")]
    pub ignore_punctuation: bool,
    /// `Paris` and `paris` are different words.
    #[serde(default)]
    pub case_sensitive: bool,
    /// `café` and `cafe` are different words.
    #[serde(default)]
    pub accent_sensitive: bool,
}

/// One sentence to hear and type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sentence {
    /// Short id, unique in the dictation, that learner responses refer to (e.g. `s1`).
    #[serde(default)]
    pub id: String,
    /// The sentence exactly as the learner should type it.
    #[serde(default)]
    pub text: String,
    /// Recorded or synthesized audio of the sentence; without it the player reads the text
    /// with speech synthesis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<AssetRef>,
    /// BCP 47 language tag of the sentence (`en`, `en-GB`, `ko`) when it differs from the course.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The lecture sentence this was drafted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

fn one_typo() -> u32 {
    1
}

fn yes() -> bool {
    true
}

impl DictationPayload {
    /// The words of `text` as they are compared: [`normalize`] with the case and accent
    /// settings; when punctuation is ignored, commas between two digits removed
    /// (`250,000` is one word, `250000`) and then [`strip_punctuation`]; split at whitespace.
    pub fn words(&self, text: &str) -> Vec<String> {
        let options = MatchOptions {
            case_sensitive: self.case_sensitive,
            accent_sensitive: self.accent_sensitive,
        };
        let mut text = normalize(text, options);
        if self.ignore_punctuation {
            text = strip_punctuation(&join_digit_groups(&text));
        }
        text.split_whitespace().map(str::to_string).collect()
    }

    /// True when `typed` counts as the word `expected`: the same, or a tolerated typo of it.
    fn same_word(&self, expected: &str, typed: &str) -> bool {
        expected == typed || self.is_tolerated_typo(expected, typed)
    }

    fn is_tolerated_typo(&self, expected: &str, typed: &str) -> bool {
        expected.chars().count() >= TYPO_MIN_WORD_CHARS
            && !expected.chars().any(char::is_numeric)
            && edit_distance(expected, typed) <= self.max_typos_per_word as usize
    }
}

/// `text` without the commas that group digits (`250,000` becomes `250000`): the comma
/// is how the number is written, not what the learner heard. Only ASCII digits count, as in
/// the JavaScript expression `/(?<=[0-9]),(?=[0-9])/g`.
fn join_digit_groups(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let digit_at = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(char::is_ascii_digit)
    };
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| !(c == ',' && digit_at(i.checked_sub(1)) && digit_at(Some(i + 1))))
        .map(|(_, &c)| c)
        .collect()
}

impl Payload for DictationPayload {
    const TYPE: ComponentType = ComponentType::Dictation;
    const SCHEMA_VERSION: u32 = 1;

    fn validate(&self, issues: &mut Issues) {
        let root = Pointer::root();
        issues.limit_text(&root.key("title"), &self.title, MAX_SHORT_TEXT);
        issues.limit_text(&root.key("instructions"), &self.instructions, MAX_LONG_TEXT);
        let sentences = root.key("sentences");
        if self.sentences.is_empty() {
            issues.push(&sentences, Problem::DictationNeedsSentence);
        }
        issues.check_ids(
            &sentences,
            self.sentences.iter().map(|s| s.id.as_str()),
            ItemName::Sentence,
        );
        for (i, sentence) in self.sentences.iter().enumerate() {
            let at = sentences.index(i);
            if sentence.text.trim().is_empty() {
                issues.push(&at.key("text"), Problem::SentenceNeedsText);
            } else if self.words(&sentence.text).is_empty() {
                issues.push(&at.key("text"), Problem::SentenceHasNoWords);
            }
            issues.limit_text(&at.key("text"), &sentence.text, MAX_SHORT_TEXT);
            issues.check_asset(&at.key("audio"), sentence.audio.as_ref());
            if let Some(tag) = sentence.language.as_deref() {
                issues.check_language(&at.key("language"), tag);
            }
        }
    }
}

/// What the learner typed for each sentence.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DictationResponse {
    /// The typed text of each sentence, by sentence id; sentences left out are unanswered.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
}

/// The cost and benefit of aligning some expected words with some typed words. The derived
/// order makes the better alignment the smaller: fewer edits, then more matched words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Alignment {
    /// Expected words missed, typed words extra, and words typed wrong.
    edits: usize,
    /// Expected words typed right or with a tolerated typo.
    matched: Reverse<usize>,
}

impl Alignment {
    fn edits(edits: usize) -> Self {
        Self {
            edits,
            matched: Reverse(0),
        }
    }

    fn then(self, same_word: bool) -> Self {
        if same_word {
            Self {
                matched: Reverse(self.matched.0 + 1),
                ..self
            }
        } else {
            Self {
                edits: self.edits + 1,
                ..self
            }
        }
    }
}

impl DictationPayload {
    /// The number of expected words the typed words match, by the word-level alignment
    /// described on the [`Graded`] implementation.
    fn matched_words(&self, expected: &[String], typed: &[String]) -> usize {
        // row[j]: the best alignment of the expected words so far with typed[..j].
        let mut row: Vec<Alignment> = (0..=typed.len()).map(Alignment::edits).collect();
        for (i, expected_word) in expected.iter().enumerate() {
            let mut next = Vec::with_capacity(row.len());
            next.push(Alignment::edits(i + 1));
            for (j, typed_word) in typed.iter().enumerate() {
                let paired = row[j].then(self.same_word(expected_word, typed_word));
                let missed = row[j + 1].then(false);
                let extra = next[j].then(false);
                next.push(paired.min(missed).min(extra));
            }
            row = next;
        }
        row.last().map_or(0, |a| a.matched.0)
    }

    fn grade_sentence(
        &self,
        at: &Pointer,
        sentence: &Sentence,
        typed: Option<&str>,
    ) -> ItemFeedback {
        let expected = self.words(&sentence.text);
        let typed = typed.map(|t| self.words(t)).unwrap_or_default();
        let (outcome, score) = if typed.is_empty() {
            (Outcome::Unanswered, 0.0)
        } else if typed == expected {
            (Outcome::Correct, 1.0)
        } else {
            let matched = self.matched_words(&expected, &typed);
            let score = matched as f64 / expected.len().max(typed.len()) as f64;
            let outcome = if matched == 0 {
                Outcome::Incorrect
            } else {
                Outcome::Partial
            };
            (outcome, score)
        };
        ItemFeedback {
            pointer: at.to_string(),
            outcome,
            score,
            max_score: 1.0,
            feedback: Vec::new(),
        }
    }
}

/// Each sentence scores up to 1 point.
///
/// 1. Both texts become word lists by [`DictationPayload::words`]: Unicode NFC, whitespace
///    collapsed, lowercased unless `case_sensitive`, accents removed unless
///    `accent_sensitive`; when `ignore_punctuation`, commas between two digits removed
///    (`250,000` → `250000`) and then punctuation removed by [`strip_punctuation`].
/// 2. No typed words: unanswered, 0. Word lists equal: correct, 1.
/// 3. Otherwise the lists are aligned like a Levenshtein distance over words: pairing a typed
///    word with an expected word costs 0 when they count as the same word and 1 otherwise; a
///    missed expected word or an extra typed word costs 1. Among the alignments of least
///    cost, the one with the most same-word pairs is taken; `matched` is that number.
///    A typed word counts as the same as an expected word when it is equal, or when the
///    expected word has at least [`TYPO_MIN_WORD_CHARS`] characters, no digit (Unicode
///    numeric) and an edit distance in Unicode scalar values of at most `max_typos_per_word`.
/// 4. Score = `matched / max(expected words, typed words)`, so extra words cost as much as
///    missing ones; partial when `matched > 0` (also at score 1 when typos were tolerated),
///    incorrect when 0. There is no feedback text.
impl Graded for DictationPayload {
    type Response = DictationResponse;

    fn grade(&self, response: &DictationResponse) -> Grade {
        let sentences = Pointer::root().key("sentences");
        Grade::from_items(
            self.sentences
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let typed = response.answers.get(&s.id).map(String::as_str);
                    self.grade_sentence(&sentences.index(i), s, typed)
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::component::check_payload;
    use serde_json::{Value, json};

    fn dictation() -> Value {
        json!({"sentences": [
            {"id": "s1", "text": "We'd like to propose 42 cents per unit."},
            {"id": "s2", "text": "광합성은 엽록체에서 일어납니다.", "language": "ko"}
        ]})
    }

    fn score(typed: &str) -> (Outcome, f64) {
        let response = json!({"answers": {"s1": typed}});
        let grade = crate::grading::grade(ComponentType::Dictation, &dictation(), &response)
            .expect("gradable");
        (grade.items[0].outcome, grade.items[0].score)
    }

    #[test]
    fn punctuation_and_case_are_ignored_by_default() {
        assert_eq!(
            score("we’d LIKE to propose 42 cents, per unit"),
            (Outcome::Correct, 1.0)
        );
    }

    #[test]
    fn a_missing_word_does_not_shift_the_rest() {
        // 7 of 8 words, not 2 of 8 as a position-by-position comparison would give.
        assert_eq!(
            score("We'd like propose 42 cents per unit"),
            (Outcome::Partial, 7.0 / 8.0)
        );
        // An extra word costs like a missing one.
        assert_eq!(
            score("We'd really like to propose 42 cents per unit"),
            (Outcome::Partial, 8.0 / 9.0)
        );
    }

    #[test]
    fn typos_are_tolerated_in_long_words_but_not_in_numbers_or_short_words() {
        assert_eq!(
            score("We'd like to propse 42 cents per unit"),
            (Outcome::Partial, 1.0)
        );
        assert_eq!(
            score("We'd like to propose 45 cents per unit"),
            (Outcome::Partial, 7.0 / 8.0)
        );
        assert_eq!(
            score("We'd like ti propose 42 cents per unit"),
            (Outcome::Partial, 7.0 / 8.0)
        );
        assert_eq!(score("nothing matches here"), (Outcome::Incorrect, 0.0));
        assert_eq!(score(" ... "), (Outcome::Unanswered, 0.0));
    }

    #[test]
    fn digit_group_commas_do_not_split_numbers() {
        assert_eq!(
            join_digit_groups("250,000 units, 1,2 and ,5"),
            "250000 units, 12 and ,5"
        );
        let payload: DictationPayload = serde_json::from_value(dictation()).expect("payload");
        assert_eq!(
            payload.words("For 250,000 units."),
            ["for", "250000", "units"]
        );
    }

    #[test]
    fn ties_prefer_the_alignment_with_more_matched_words() {
        let payload: DictationPayload = serde_json::from_value(dictation()).expect("payload");
        let words = |s: &str| payload.words(s);
        // Two substitutions and delete+match+insert both cost 2; the second matches "cents".
        assert_eq!(
            payload.matched_words(&words("forty cents"), &words("cents please")),
            1
        );
    }

    #[test]
    fn sentences_need_words_and_well_formed_audio_and_language() {
        let payload = json!({"sentences": [
            {"id": "s1", "text": "…!", "audio": "not-a-hash", "language": "english"}
        ]});
        let issues: Vec<String> = check_payload(ComponentType::Dictation, &payload)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            issues,
            [
                "/sentences/0/text: this sentence has no words to type once punctuation is ignored",
                "/sentences/0/audio: \"not-a-hash\" is not a stored asset; choose the file again \
                 (a reference is the 64-character sha256 of the file)",
                "/sentences/0/language: \"english\" is not a language tag; use a tag such as \"en\", \"en-GB\" or \"ko\"",
            ]
        );
    }
}
