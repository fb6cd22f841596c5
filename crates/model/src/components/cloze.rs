//! CLOZE: a text with blanks the learner fills by typing or by dragging words.
//!
//! A blank is written in the text as a marker `[[id]]`, where `id` is the id of an entry in
//! `blanks`. A marker is `[[`, then any characters other than `[` and `]`, then `]]`
//! (the JavaScript regular expression `/\[\[([^\[\]]*)\]\]/g`); everything else is text.

use super::review::Provenance;
use super::{Graded, Payload, current_version};
use crate::component::ComponentType;
use crate::grading::{Grade, ItemFeedback, Outcome};
use crate::text::{MatchOptions, answers_match};
use crate::validation::{
    Issues, ItemName, MAX_LONG_TEXT, MAX_SHORT_TEXT, Pointer, Problem, is_plain_id,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A text with blanks to fill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClozePayload {
    /// Version of this payload's shape.
    #[serde(default = "current_version::<ClozePayload>")]
    pub schema_version: u32,
    /// Heading shown above the text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// What the learner should do, e.g. "Fill in the missing terms."
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub instructions: String,
    /// The text in Markdown, with each blank written as `[[id]]` where it belongs.
    #[serde(default)]
    pub text: String,
    /// The blanks, each used exactly once in the text.
    #[serde(default)]
    pub blanks: Vec<Blank>,
    /// Whether the learner types answers or drags them from a word bank.
    #[serde(default)]
    pub mode: ClozeMode,
    /// `Paris` and `paris` are different answers, unless a blank says otherwise.
    #[serde(default)]
    pub case_sensitive: bool,
    /// `café` and `cafe` are different answers, unless a blank says otherwise.
    #[serde(default)]
    pub accent_sensitive: bool,
    /// The lecture passage this text was drafted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// How the learner fills the blanks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClozeMode {
    /// Type each answer.
    #[default]
    Typed,
    /// Drag words from a bank holding each blank's first answer and every distractor.
    Drag,
}

/// One blank in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Blank {
    /// Short id written in the text as `[[id]]`; letters, digits, `-` and `_`.
    #[serde(default)]
    pub id: String,
    /// Every answer accepted; the first is the one shown in the word bank and as the solution.
    #[serde(default)]
    pub answers: Vec<String>,
    /// A hint the learner can reveal.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hint: String,
    /// Drag mode: wrong words added to the word bank.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distractors: Vec<String>,
    /// Overrides the text's `case_sensitive` for this blank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_sensitive: Option<bool>,
    /// Overrides the text's `accent_sensitive` for this blank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent_sensitive: Option<bool>,
}

impl ClozePayload {
    /// How answers to `blank` are compared.
    pub fn match_options(&self, blank: &Blank) -> MatchOptions {
        MatchOptions {
            case_sensitive: blank.case_sensitive.unwrap_or(self.case_sensitive),
            accent_sensitive: blank.accent_sensitive.unwrap_or(self.accent_sensitive),
        }
    }

    fn validate_text(&self, issues: &mut Issues) {
        let at = Pointer::root().key("text");
        issues.limit_text(&at, &self.text, MAX_LONG_TEXT);
        let markers = markers(&self.text);
        if markers.is_empty() {
            issues.push(&at, Problem::ClozeNeedsBlank);
        }
        // Each distinct marker is reported once, in the order it first appears.
        let mut uses: Vec<(&str, usize)> = Vec::new();
        for marker in markers {
            match uses.iter_mut().find(|(id, _)| *id == marker) {
                Some((_, count)) => *count += 1,
                None => uses.push((marker, 1)),
            }
        }
        for (marker, count) in uses {
            let known = self.blanks.iter().any(|b| b.id == marker);
            let marker = marker.to_string();
            if !is_plain_id(&marker) {
                issues.push(&at, Problem::MarkerNotPlain { marker });
            } else if !known {
                issues.push(&at, Problem::MarkerWithoutBlank { marker });
            } else if count > 1 {
                issues.push(&at, Problem::MarkerRepeated { marker, count });
            }
        }
    }
}

/// The ids inside the text's `[[id]]` markers, in order, repeats included.
pub fn markers(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = text[from..].find("[[") {
        let inner = from + offset + 2;
        let end = text[inner..]
            .find(['[', ']'])
            .map_or(text.len(), |n| inner + n);
        if text[end..].starts_with("]]") {
            found.push(&text[inner..end]);
            from = end + 2;
        } else {
            // As a regular expression would, try again one character later.
            from += offset + 1;
        }
    }
    found
}

impl Payload for ClozePayload {
    const TYPE: ComponentType = ComponentType::Cloze;
    const SCHEMA_VERSION: u32 = 1;

    fn validate(&self, issues: &mut Issues) {
        let root = Pointer::root();
        issues.limit_text(&root.key("title"), &self.title, MAX_SHORT_TEXT);
        issues.limit_text(&root.key("instructions"), &self.instructions, MAX_LONG_TEXT);
        self.validate_text(issues);
        let blanks = root.key("blanks");
        issues.check_ids(
            &blanks,
            self.blanks.iter().map(|b| b.id.as_str()),
            ItemName::Blank,
        );
        let used = markers(&self.text);
        for (i, blank) in self.blanks.iter().enumerate() {
            let at = blanks.index(i);
            if is_plain_id(&blank.id) && !used.contains(&blank.id.as_str()) {
                let id = blank.id.clone();
                issues.push(&at, Problem::BlankNotInText { id });
            }
            let answers = at.key("answers");
            if blank.answers.is_empty() {
                issues.push(&answers, Problem::BlankNeedsAnswer);
            }
            for (j, answer) in blank.answers.iter().enumerate() {
                issues.require_text(&answers.index(j), answer, Problem::AcceptedAnswerEmpty);
                issues.limit_text(&answers.index(j), answer, MAX_SHORT_TEXT);
            }
            issues.limit_text(&at.key("hint"), &blank.hint, MAX_SHORT_TEXT);
            let options = self.match_options(blank);
            let distractors = at.key("distractors");
            for (j, distractor) in blank.distractors.iter().enumerate() {
                let here = distractors.index(j);
                issues.require_text(&here, distractor, Problem::DistractorEmpty);
                issues.limit_text(&here, distractor, MAX_SHORT_TEXT);
                if !distractor.trim().is_empty()
                    && blank
                        .answers
                        .iter()
                        .any(|a| answers_match(distractor, a, options))
                {
                    issues.push(&here, Problem::DistractorIsAnswer);
                }
            }
        }
    }
}

/// A learner's answers to a cloze.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClozeResponse {
    /// What the learner typed or dragged into each blank, by blank id; blanks left out
    /// are unanswered.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
}

/// Each blank scores 1 point when the learner's text matches any of its accepted answers
/// under [`crate::text::answers_match`] with the blank's case and accent settings, else 0.
/// A blank with no answer or only whitespace is unanswered. Items follow the order of
/// `blanks`; there is no feedback text.
impl Graded for ClozePayload {
    type Response = ClozeResponse;

    fn grade(&self, response: &ClozeResponse) -> Grade {
        let blanks = Pointer::root().key("blanks");
        Grade::from_items(
            self.blanks
                .iter()
                .enumerate()
                .map(|(i, blank)| {
                    let given = response
                        .answers
                        .get(&blank.id)
                        .filter(|text| !text.trim().is_empty());
                    let options = self.match_options(blank);
                    let outcome = match given {
                        None => Outcome::Unanswered,
                        Some(text)
                            if blank
                                .answers
                                .iter()
                                .any(|a| answers_match(text, a, options)) =>
                        {
                            Outcome::Correct
                        }
                        Some(_) => Outcome::Incorrect,
                    };
                    ItemFeedback {
                        pointer: blanks.index(i).to_string(),
                        outcome,
                        score: if outcome == Outcome::Correct {
                            1.0
                        } else {
                            0.0
                        },
                        max_score: 1.0,
                        feedback: Vec::new(),
                    }
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

    fn cloze() -> Value {
        json!({
            "text": "The [[b1]] cycle runs in the [[b2]].",
            "blanks": [
                {"id": "b1", "answers": ["Calvin"], "case_sensitive": true},
                {"id": "b2", "answers": ["stroma"], "distractors": ["lumen"]}
            ]
        })
    }

    #[test]
    fn markers_match_the_documented_regular_expression() {
        assert_eq!(markers("a [[x]] b [[y-1]]"), ["x", "y-1"]);
        assert_eq!(markers("[[[b1]]] and [[ b2 ]] and [[open"), ["b1", " b2 "]);
        assert_eq!(markers("[[a]b]] [[]]"), [""]);
        assert!(markers("no blanks [x] ]] [[").is_empty());
    }

    #[test]
    fn every_marker_and_every_blank_must_pair_up_once() {
        let payload = json!({
            "text": "[[b1]] and [[b1]], [[b9]] and [[two words]]",
            "blanks": [
                {"id": "b1", "answers": ["x"]},
                {"id": "b2", "answers": []},
                {"id": "b1", "answers": [" "]}
            ]
        });
        let issues: Vec<String> = check_payload(ComponentType::Cloze, &payload)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            issues,
            [
                "/text: [[b1]] appears 2 times; each blank is used exactly once",
                "/text: [[b9]] has no blank with the id \"b9\"",
                "/text: [[two words]] is not a blank marker; write [[id]] with the id of a blank \
                 (letters, digits, - and _)",
                "/blanks/2/id: the id \"b1\" is already used by blank 1",
                "/blanks/1: the blank \"b2\" is not in the text; write [[b2]] where it belongs",
                "/blanks/1/answers: a blank needs at least one accepted answer",
                "/blanks/2/answers/0: an accepted answer cannot be empty",
            ]
        );
    }

    #[test]
    fn a_blank_can_override_the_case_rule() {
        let response = json!({"answers": {"b1": "calvin", "b2": "STROMA"}});
        let grade =
            crate::grading::grade(ComponentType::Cloze, &cloze(), &response).expect("gradable");
        assert_eq!(grade.items[0].outcome, Outcome::Incorrect);
        assert_eq!(grade.items[1].outcome, Outcome::Correct);
        assert_eq!((grade.score, grade.max_score), (1.0, 2.0));
    }

    #[test]
    fn a_distractor_that_is_an_answer_is_flagged() {
        let mut payload = cloze();
        payload["blanks"][1]["distractors"] = json!(["Stroma"]);
        let issues = check_payload(ComponentType::Cloze, &payload);
        assert_eq!(
            issues[0].to_string(),
            "/blanks/1/distractors/0: this distractor is also an accepted answer of the blank"
        );
    }
}
