//! QUIZ: single choice, multiple choice, true/false and short-answer questions with
//! feedback per option and per question, graded automatically.

use super::review::Provenance;
use super::{Graded, Payload, current_version};
use crate::component::ComponentType;
use crate::grading::{Grade, ItemFeedback, Outcome};
use crate::text::{MatchOptions, answers_match, normalize};
use crate::validation::{Issues, ItemName, MAX_LONG_TEXT, MAX_SHORT_TEXT, Pointer, Problem};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod v1;

/// Questions a learner answers, graded automatically.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuizPayload {
    /// Version of this payload's shape; 2 for quizzes written now.
    #[serde(default = "current_version::<QuizPayload>")]
    pub schema_version: u32,
    /// Heading shown above the questions.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Show the questions, and the options of each choice question, in a new random order
    /// to every learner.
    #[serde(default)]
    pub shuffle: bool,
    /// The questions, in the order the author wrote them.
    #[serde(default)]
    pub questions: Vec<Question>,
}

/// The kind of a question, which decides how it is answered and graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Pick exactly one of the options.
    #[default]
    SingleChoice,
    /// Pick every option that is correct; partial credit.
    MultipleChoice,
    /// Decide whether a statement is true or false.
    TrueFalse,
    /// Type a short answer.
    ShortAnswer,
}

/// One question. Fields for other kinds of question must be left empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Short id, unique in the quiz, that learner responses refer to (e.g. `q1`).
    #[serde(default)]
    pub id: String,
    /// How the question is answered.
    #[serde(default)]
    pub kind: QuestionKind,
    /// The question, or for true/false the statement, in Markdown.
    #[serde(default)]
    pub text: String,
    /// Points for a fully correct answer; more than 0.
    #[serde(default = "one_point")]
    pub points: f64,
    /// Choice questions: the options to choose from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-only-when" = {"kind": ["single_choice", "multiple_choice"]}))]
    pub options: Vec<QuizOption>,
    /// True/false questions: whether the statement is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-only-when" = {"kind": ["true_false"]}))]
    pub answer: Option<bool>,
    /// Short-answer questions: every answer accepted as correct.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-only-when" = {"kind": ["short_answer"]}))]
    pub accepted_answers: Vec<String>,
    /// Short-answer questions: `Paris` and `paris` are different answers.
    #[serde(default, skip_serializing_if = "is_false")]
    #[schemars(extend("x-only-when" = {"kind": ["short_answer"]}))]
    pub case_sensitive: bool,
    /// Short-answer questions: `café` and `cafe` are different answers.
    #[serde(default, skip_serializing_if = "is_false")]
    #[schemars(extend("x-only-when" = {"kind": ["short_answer"]}))]
    pub accent_sensitive: bool,
    /// Shown when the answer is fully correct.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub correct_feedback: String,
    /// Shown when the answer is wrong or only partly right.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub incorrect_feedback: String,
    /// Why the right answer is right, shown after answering.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub explanation: String,
    /// The lecture sentence this question was drafted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuizOption {
    /// Short id, unique in the question, that learner responses refer to (e.g. `q1a`).
    #[serde(default)]
    pub id: String,
    /// The option as the learner sees it.
    #[serde(default)]
    pub text: String,
    /// Whether choosing this option is right.
    #[serde(default)]
    pub correct: bool,
    /// Shown to a learner who chose this option.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub feedback: String,
}

fn one_point() -> f64 {
    1.0
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl QuestionKind {
    fn has_options(self) -> bool {
        matches!(self, Self::SingleChoice | Self::MultipleChoice)
    }
}

impl Payload for QuizPayload {
    const TYPE: ComponentType = ComponentType::Quiz;
    const SCHEMA_VERSION: u32 = 2;

    fn validate(&self, issues: &mut Issues) {
        let root = Pointer::root();
        issues.limit_text(&root.key("title"), &self.title, MAX_SHORT_TEXT);
        let questions = root.key("questions");
        if self.questions.is_empty() {
            issues.push(&questions, Problem::QuizNeedsQuestion);
        }
        issues.check_ids(
            &questions,
            self.questions.iter().map(|q| q.id.as_str()),
            ItemName::Question,
        );
        for (i, question) in self.questions.iter().enumerate() {
            question.validate(&questions.index(i), issues);
        }
    }

    fn upgrade_from(from: u32, payload: Value) -> Result<Value, Problem> {
        match from {
            1 => Ok(v1::upgrade(payload)),
            _ => Err(Problem::SchemaVersionUnknown {
                component_type: Self::TYPE,
                version: from,
            }),
        }
    }
}

impl Question {
    fn validate(&self, at: &Pointer, issues: &mut Issues) {
        issues.require_text(&at.key("text"), &self.text, Problem::QuestionNeedsText);
        issues.limit_text(&at.key("text"), &self.text, MAX_LONG_TEXT);
        if !(self.points.is_finite() && self.points > 0.0) {
            issues.push(&at.key("points"), Problem::QuestionPointsNotPositive);
        }
        for (field, text) in [
            ("correct_feedback", &self.correct_feedback),
            ("incorrect_feedback", &self.incorrect_feedback),
            ("explanation", &self.explanation),
        ] {
            issues.limit_text(&at.key(field), text, MAX_LONG_TEXT);
        }
        let options = at.key("options");
        if self.kind.has_options() {
            self.validate_options(&options, issues);
        } else if !self.options.is_empty() {
            issues.push(&options, Problem::OptionsOnlyForChoice);
        }
        let answer = at.key("answer");
        match (self.kind, self.answer) {
            (QuestionKind::TrueFalse, None) => {
                issues.push(&answer, Problem::TrueFalseNeedsAnswer);
            }
            (QuestionKind::TrueFalse, Some(_)) | (_, None) => {}
            (_, Some(_)) => issues.push(&answer, Problem::AnswerOnlyForTrueFalse),
        }
        let accepted = at.key("accepted_answers");
        if self.kind == QuestionKind::ShortAnswer {
            if self.accepted_answers.is_empty() {
                issues.push(&accepted, Problem::ShortAnswerNeedsAnswer);
            }
            for (j, text) in self.accepted_answers.iter().enumerate() {
                issues.require_text(&accepted.index(j), text, Problem::AcceptedAnswerEmpty);
                issues.limit_text(&accepted.index(j), text, MAX_SHORT_TEXT);
            }
        } else if !self.accepted_answers.is_empty() {
            issues.push(&accepted, Problem::AcceptedAnswersOnlyForShortAnswer);
        }
    }

    fn validate_options(&self, at: &Pointer, issues: &mut Issues) {
        if self.options.len() < 2 {
            issues.push(at, Problem::QuestionNeedsTwoOptions);
        }
        let correct = self.options.iter().filter(|o| o.correct).count();
        match (self.kind, correct) {
            (QuestionKind::SingleChoice, 0) => issues.push(at, Problem::SingleChoiceNoneCorrect),
            (QuestionKind::SingleChoice, count) if count > 1 => {
                issues.push(at, Problem::SingleChoiceManyCorrect { count });
            }
            (QuestionKind::MultipleChoice, 0) => {
                issues.push(at, Problem::MultipleChoiceNoneCorrect);
            }
            _ => {}
        }
        issues.check_ids(
            at,
            self.options.iter().map(|o| o.id.as_str()),
            ItemName::Option,
        );
        let mut first_with_text = HashMap::new();
        for (j, option) in self.options.iter().enumerate() {
            let text = at.index(j).key("text");
            issues.require_text(&text, &option.text, Problem::OptionNeedsText);
            issues.limit_text(&text, &option.text, MAX_SHORT_TEXT);
            issues.limit_text(
                &at.index(j).key("feedback"),
                &option.feedback,
                MAX_LONG_TEXT,
            );
            let key = normalize(&option.text, MatchOptions::default());
            if key.is_empty() {
                continue;
            }
            if let Some(first) = first_with_text.get(&key) {
                let first = first + 1;
                issues.push(&text, Problem::OptionTextRepeated { first });
            } else {
                first_with_text.insert(key, j);
            }
        }
    }
}

/// A learner's answers to a quiz.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuizResponse {
    /// The answer to each question, by question id; questions left out are unanswered.
    #[serde(default)]
    pub answers: BTreeMap<String, QuizAnswer>,
}

/// One answer; which form fits depends on the kind of question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum QuizAnswer {
    /// True/false questions: the learner's verdict.
    TrueFalse(bool),
    /// Single choice: the id of the chosen option. Short answer: the text typed.
    Text(String),
    /// Multiple choice (single choice too): the ids of the chosen options.
    Choices(Vec<String>),
}

/// Grades each question on its own; the quiz scores the sum of its questions.
///
/// - Single choice: all or nothing; right when the chosen options are exactly the one
///   correct option.
/// - Multiple choice: `points × max(0, right chosen − wrong chosen) / number of correct
///   options`; correct at full points, partial above 0, incorrect at 0.
/// - True/false: all or nothing.
/// - Short answer: all or nothing; right when the text matches any accepted answer under
///   [`crate::text::answers_match`] with the question's case and accent settings.
///
/// For choice questions, ids that are not options of the question are ignored, and an
/// answer naming no option is unanswered, as is blank text or a missing answer (score 0, no
/// feedback). An answer of the wrong form for the question (`true` for a choice question, a
/// list for a true/false or a short answer) is incorrect. Feedback lists the feedback of the chosen options in the author's order, then
/// the question's correct feedback (full points) or incorrect feedback (anything less),
/// leaving out texts that are empty.
impl Graded for QuizPayload {
    type Response = QuizResponse;

    fn grade(&self, response: &QuizResponse) -> Grade {
        let questions = Pointer::root().key("questions");
        Grade::from_items(
            self.questions
                .iter()
                .enumerate()
                .map(|(i, q)| q.grade(&questions.index(i), response.answers.get(&q.id)))
                .collect(),
        )
    }
}

impl Question {
    fn grade(&self, at: &Pointer, answer: Option<&QuizAnswer>) -> ItemFeedback {
        let mut feedback = Vec::new();
        let earned = match answer {
            None => None,
            Some(answer @ (QuizAnswer::Text(_) | QuizAnswer::Choices(_)))
                if self.kind.has_options() =>
            {
                let chosen = self.chosen_options(answer);
                feedback.extend(
                    self.options
                        .iter()
                        .filter(|o| chosen.contains(o.id.as_str()))
                        .map(|o| o.feedback.clone()),
                );
                self.choice_credit(&chosen)
            }
            Some(QuizAnswer::TrueFalse(verdict)) if self.kind == QuestionKind::TrueFalse => {
                Some(credit(self.answer == Some(*verdict)))
            }
            Some(QuizAnswer::Text(text)) if self.kind == QuestionKind::ShortAnswer => {
                if text.trim().is_empty() {
                    None
                } else {
                    let options = MatchOptions {
                        case_sensitive: self.case_sensitive,
                        accent_sensitive: self.accent_sensitive,
                    };
                    Some(credit(
                        self.accepted_answers
                            .iter()
                            .any(|accepted| answers_match(text, accepted, options)),
                    ))
                }
            }
            Some(_) => Some(credit(false)),
        };
        let (outcome, score) = match earned {
            None => (Outcome::Unanswered, 0.0),
            Some(Credit { earned, of }) => {
                let outcome = if earned >= of {
                    Outcome::Correct
                } else if earned == 0 {
                    Outcome::Incorrect
                } else {
                    Outcome::Partial
                };
                (outcome, self.points * earned as f64 / of as f64)
            }
        };
        match outcome {
            Outcome::Correct => feedback.push(self.correct_feedback.clone()),
            Outcome::Partial | Outcome::Incorrect => {
                feedback.push(self.incorrect_feedback.clone());
            }
            Outcome::Unanswered => {}
        }
        feedback.retain(|text| !text.trim().is_empty());
        ItemFeedback {
            pointer: at.to_string(),
            outcome,
            score,
            max_score: self.points,
            feedback,
        }
    }

    /// The ids of this question's options that the answer names.
    fn chosen_options<'a>(&'a self, answer: &'a QuizAnswer) -> BTreeSet<&'a str> {
        let named: Vec<&str> = match answer {
            QuizAnswer::Text(id) => vec![id.as_str()],
            QuizAnswer::Choices(ids) => ids.iter().map(String::as_str).collect(),
            QuizAnswer::TrueFalse(_) => Vec::new(),
        };
        named
            .into_iter()
            .filter(|id| self.options.iter().any(|o| o.id == *id))
            .collect()
    }

    fn choice_credit(&self, chosen: &BTreeSet<&str>) -> Option<Credit> {
        if chosen.is_empty() {
            return None;
        }
        let correct: BTreeSet<&str> = self
            .options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.id.as_str())
            .collect();
        if self.kind == QuestionKind::SingleChoice {
            return Some(credit(*chosen == correct));
        }
        let right = chosen.intersection(&correct).count();
        let wrong = chosen.len() - right;
        Some(Credit {
            earned: right.saturating_sub(wrong),
            of: correct.len().max(1),
        })
    }
}

/// Credit earned as a fraction `earned / of` of a question's points.
struct Credit {
    earned: usize,
    of: usize,
}

fn credit(right: bool) -> Credit {
    Credit {
        earned: usize::from(right),
        of: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::component::check_payload;
    use serde_json::json;

    fn quiz() -> Value {
        json!({"questions": [
            {"id": "q1", "text": "Where does the Calvin cycle run?", "options": [
                {"id": "a", "text": "Stroma", "correct": true, "feedback": "Yes, the fluid."},
                {"id": "b", "text": "Lumen", "feedback": "The lumen stores H+ ions."}
            ], "correct_feedback": "Well done."},
            {"id": "q2", "kind": "multiple_choice", "points": 3, "text": "Which are C4 plants?",
             "options": [
                {"id": "a", "text": "Maize", "correct": true},
                {"id": "b", "text": "Sugarcane", "correct": true},
                {"id": "c", "text": "Wheat"}
            ], "incorrect_feedback": "C4 plants thrive in hot climates."},
            {"id": "q3", "kind": "true_false", "text": "Oxygen comes from CO2.", "answer": false},
            {"id": "q4", "kind": "short_answer", "text": "Name the enzyme that fixes CO2.",
             "accepted_answers": ["RuBisCO"]}
        ]})
    }

    fn graded(response: Value) -> Grade {
        crate::grading::grade(ComponentType::Quiz, &quiz(), &response).expect("gradable")
    }

    #[test]
    fn a_valid_quiz_has_no_issues() {
        assert_eq!(check_payload(ComponentType::Quiz, &quiz()), vec![]);
    }

    #[test]
    fn choice_questions_need_two_options_and_the_right_number_of_correct_ones() {
        let payload = json!({"questions": [
            {"id": "q1", "text": "?", "options": [{"id": "a", "text": "Only", "correct": true}]},
            {"id": "q2", "text": "?", "options": [
                {"id": "a", "text": "Stroma", "correct": true},
                {"id": "b", "text": " stroma ", "correct": true}
            ]},
            {"id": "q3", "kind": "multiple_choice", "text": "?", "points": 0, "options": [
                {"id": "a", "text": "x"}, {"id": "a", "text": "y"}
            ]}
        ]});
        let issues: Vec<String> = check_payload(ComponentType::Quiz, &payload)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            issues,
            [
                "/questions/0/options: a question needs at least two options",
                "/questions/1/options: a single-choice question needs exactly one correct option; \
                 2 are marked (make it multiple choice if several are right)",
                "/questions/1/options/1/text: this option has the same text as option 1",
                "/questions/2/points: a question must be worth more than 0 points",
                "/questions/2/options: a multiple-choice question needs at least one correct option",
                "/questions/2/options/1/id: the id \"a\" is already used by option 1",
            ]
        );
    }

    #[test]
    fn multiple_choice_subtracts_wrong_choices_from_right_ones() {
        let grade = graded(json!({"answers": {"q2": ["a", "c"]}}));
        assert_eq!(grade.items[1].score, 0.0);
        assert_eq!(grade.items[1].outcome, Outcome::Incorrect);
        let grade = graded(json!({"answers": {"q2": ["a"]}}));
        assert_eq!(grade.items[1].score, 1.5);
        assert_eq!(grade.items[1].outcome, Outcome::Partial);
        assert_eq!(
            grade.items[1].feedback,
            ["C4 plants thrive in hot climates."]
        );
        let grade = graded(json!({"answers": {"q2": ["b", "a"]}}));
        assert_eq!(grade.items[1].outcome, Outcome::Correct);
        assert_eq!(grade.items[1].score, 3.0);
    }

    #[test]
    fn feedback_collects_chosen_options_then_the_question() {
        let grade = graded(json!({"answers": {"q1": "a", "q3": false, "q4": " rubisco "}}));
        assert_eq!(grade.items[0].feedback, ["Yes, the fluid.", "Well done."]);
        assert_eq!(grade.score, 3.0);
        assert_eq!(grade.max_score, 6.0);
        assert_eq!(grade.items[2].outcome, Outcome::Correct);
        assert_eq!(grade.items[3].outcome, Outcome::Correct);
    }

    #[test]
    fn missing_blank_or_unknown_answers_are_unanswered_and_wrong_forms_incorrect() {
        let grade = graded(json!({"answers": {"q1": "zz", "q2": [], "q4": "  ", "q3": "false"}}));
        let wrong_forms = graded(json!({"answers": {"q1": true, "q4": ["RuBisCO"]}}));
        assert_eq!(wrong_forms.items[0].outcome, Outcome::Incorrect);
        assert_eq!(wrong_forms.items[3].outcome, Outcome::Incorrect);
        let outcomes: Vec<Outcome> = grade.items.iter().map(|i| i.outcome).collect();
        assert_eq!(
            outcomes,
            [
                Outcome::Unanswered,
                Outcome::Unanswered,
                Outcome::Incorrect,
                Outcome::Unanswered
            ]
        );
        assert!(grade.items[0].feedback.is_empty());
    }

    #[test]
    fn a_broken_version_1_quiz_still_loads_and_reports_what_is_missing() {
        let payload = json!({"schema_version": 1, "questions": [
            {"prompt": "Pick one", "choices": ["a", "b"], "answer": 7}
        ]});
        let issues = check_payload(ComponentType::Quiz, &payload);
        assert_eq!(
            issues[0].to_string(),
            "/questions/0/options: a single-choice question needs exactly one correct option; none is marked"
        );
    }
}
