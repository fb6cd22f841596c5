//! FLASHCARDS (scaffold: being written).

use super::{Payload, current_version};
use crate::component::ComponentType;
use crate::validation::Issues;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FlashcardsPayload {
    #[serde(default = "current_version::<FlashcardsPayload>")]
    pub schema_version: u32,
}

impl Payload for FlashcardsPayload {
    const TYPE: ComponentType = ComponentType::Flashcards;
    const SCHEMA_VERSION: u32 = 1;
    fn validate(&self, _issues: &mut Issues) {}
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FlashcardsResponse {}

impl super::Graded for FlashcardsPayload {
    type Response = FlashcardsResponse;
    fn grade(&self, _response: &Self::Response) -> crate::grading::Grade {
        crate::grading::Grade::from_items(vec![])
    }
}
