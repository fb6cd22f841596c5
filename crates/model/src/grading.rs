//! Grades: the result of scoring a learner's response with a pure function.

use crate::component::ComponentType;
use crate::components::{
    Graded, branching::BranchingPayload, cloze::ClozePayload, dictation::DictationPayload,
    flashcards::FlashcardsPayload, hotspot::HotspotPayload, matching::MatchingPayload,
    quiz::QuizPayload, roleplay::RoleplayPayload,
};
use crate::validation::ValidationIssue;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How one item of a response fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Correct,
    /// Some credit: part of a multiple choice, a tolerated typo, a path that scored less.
    Partial,
    Incorrect,
    /// The learner gave no answer for this item.
    Unanswered,
}

/// Feedback on one item (question, blank, pair, region, sentence, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ItemFeedback {
    /// JSON pointer to the item in the payload, e.g. `/questions/0`.
    pub pointer: String,
    pub outcome: Outcome,
    pub score: f64,
    pub max_score: f64,
    /// The author's feedback text for what the learner chose; empty when the author wrote none.
    pub feedback: Vec<String>,
}

/// The score of a whole response with feedback per item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Grade {
    pub score: f64,
    pub max_score: f64,
    pub items: Vec<ItemFeedback>,
}

impl Grade {
    /// A grade made of its items' scores.
    pub fn from_items(items: Vec<ItemFeedback>) -> Self {
        let score = items.iter().map(|i| i.score).sum();
        let max_score = items.iter().map(|i| i.max_score).sum();
        Self {
            score,
            max_score,
            items,
        }
    }

    /// Score as a fraction of the maximum (0 when nothing can be scored).
    pub fn ratio(&self) -> f64 {
        if self.max_score > 0.0 {
            self.score / self.max_score
        } else {
            0.0
        }
    }
}

/// Why a response could not be graded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GradeError {
    #[error("{0} components are not graded by a function")]
    NotGraded(ComponentType),
    #[error("the payload cannot be graded: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    InvalidPayload(Vec<ValidationIssue>),
    #[error("the response does not fit this {component_type}: {message}")]
    InvalidResponse {
        component_type: ComponentType,
        message: String,
    },
}

fn grade_typed<P: Graded>(payload: &Value, response: &Value) -> Result<Grade, GradeError> {
    let payload = crate::components::parse::<P>(payload).map_err(GradeError::InvalidPayload)?;
    let issues = {
        let mut issues = crate::validation::Issues::new();
        payload.validate(&mut issues);
        issues.into_vec()
    };
    if !issues.is_empty() {
        return Err(GradeError::InvalidPayload(issues));
    }
    let response: P::Response =
        serde_json::from_value(response.clone()).map_err(|e| GradeError::InvalidResponse {
            component_type: P::TYPE,
            message: e.to_string(),
        })?;
    Ok(payload.grade(&response))
}

/// The types that have a grading function here.
pub const GRADED_TYPES: [ComponentType; 8] = [
    ComponentType::Quiz,
    ComponentType::Cloze,
    ComponentType::Matching,
    ComponentType::Hotspot,
    ComponentType::Branching,
    ComponentType::Dictation,
    ComponentType::Roleplay,
    ComponentType::Flashcards,
];

/// Grades a learner's response to a valid payload.
pub fn grade(
    component_type: ComponentType,
    payload: &Value,
    response: &Value,
) -> Result<Grade, GradeError> {
    match component_type {
        ComponentType::Quiz => grade_typed::<QuizPayload>(payload, response),
        ComponentType::Cloze => grade_typed::<ClozePayload>(payload, response),
        ComponentType::Matching => grade_typed::<MatchingPayload>(payload, response),
        ComponentType::Hotspot => grade_typed::<HotspotPayload>(payload, response),
        ComponentType::Branching => grade_typed::<BranchingPayload>(payload, response),
        ComponentType::Dictation => grade_typed::<DictationPayload>(payload, response),
        ComponentType::Roleplay => grade_typed::<RoleplayPayload>(payload, response),
        ComponentType::Flashcards => grade_typed::<FlashcardsPayload>(payload, response),
        other => Err(GradeError::NotGraded(other)),
    }
}

/// The JSON Schema of the learner response of a graded type.
pub fn response_schema(component_type: ComponentType) -> Option<Value> {
    use crate::schema::schema_of;
    Some(match component_type {
        ComponentType::Quiz => schema_of::<<QuizPayload as Graded>::Response>(),
        ComponentType::Cloze => schema_of::<<ClozePayload as Graded>::Response>(),
        ComponentType::Matching => schema_of::<<MatchingPayload as Graded>::Response>(),
        ComponentType::Hotspot => schema_of::<<HotspotPayload as Graded>::Response>(),
        ComponentType::Branching => schema_of::<<BranchingPayload as Graded>::Response>(),
        ComponentType::Dictation => schema_of::<<DictationPayload as Graded>::Response>(),
        ComponentType::Roleplay => schema_of::<<RoleplayPayload as Graded>::Response>(),
        ComponentType::Flashcards => schema_of::<<FlashcardsPayload as Graded>::Response>(),
        _ => return None,
    })
}
