//! DICTATION (scaffold: being written).

use super::{Payload, current_version};
use crate::component::ComponentType;
use crate::validation::Issues;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DictationPayload {
    #[serde(default = "current_version::<DictationPayload>")]
    pub schema_version: u32,
}

impl Payload for DictationPayload {
    const TYPE: ComponentType = ComponentType::Dictation;
    const SCHEMA_VERSION: u32 = 1;
    fn validate(&self, _issues: &mut Issues) {}
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DictationResponse {}

impl super::Graded for DictationPayload {
    type Response = DictationResponse;
    fn grade(&self, _response: &Self::Response) -> crate::grading::Grade {
        crate::grading::Grade::from_items(vec![])
    }
}
