//! QUIZ (scaffold: being written).

use super::{Payload, current_version};
use crate::component::ComponentType;
use crate::validation::Issues;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuizPayload {
    #[serde(default = "current_version::<QuizPayload>")]
    pub schema_version: u32,
}

impl Payload for QuizPayload {
    const TYPE: ComponentType = ComponentType::Quiz;
    const SCHEMA_VERSION: u32 = 1;
    fn validate(&self, _issues: &mut Issues) {}
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuizResponse {}

impl super::Graded for QuizPayload {
    type Response = QuizResponse;
    fn grade(&self, _response: &Self::Response) -> crate::grading::Grade {
        crate::grading::Grade::from_items(vec![])
    }
}
