//! Grades: the result of scoring a learner's response with a pure function.

use crate::component::ComponentType;
use crate::components::Graded;
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

pub(crate) fn grade_typed<P: Graded>(
    payload: &Value,
    response: &Value,
) -> Result<Grade, GradeError> {
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
pub fn graded_types() -> Vec<ComponentType> {
    ComponentType::ALL
        .into_iter()
        .filter(|t| t.is_graded())
        .collect()
}

/// Grades a learner's response to a valid payload.
pub fn grade(
    component_type: ComponentType,
    payload: &Value,
    response: &Value,
) -> Result<Grade, GradeError> {
    component_type.grade(payload, response)
}

/// The JSON Schema of the learner response of a graded type.
pub fn response_schema(component_type: ComponentType) -> Option<Value> {
    component_type.response_schema()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_graded_types_are_those_with_a_response() {
        let names: Vec<&str> = graded_types().iter().map(|t| t.as_str()).collect();
        assert_eq!(
            names,
            [
                "QUIZ",
                "ROLEPLAY",
                "FLASHCARDS",
                "CLOZE",
                "MATCHING",
                "HOTSPOT",
                "BRANCHING",
                "DICTATION"
            ]
        );
        for t in ComponentType::ALL {
            assert_eq!(t.is_graded(), t.response_schema().is_some(), "{t}");
        }
        assert_eq!(
            grade(ComponentType::Review, &Value::Null, &Value::Null),
            Err(GradeError::NotGraded(ComponentType::Review))
        );
    }
}
