//! MATCHING (scaffold: being written).

use super::{Payload, current_version};
use crate::component::ComponentType;
use crate::validation::Issues;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MatchingPayload {
    #[serde(default = "current_version::<MatchingPayload>")]
    pub schema_version: u32,
}

impl Payload for MatchingPayload {
    const TYPE: ComponentType = ComponentType::Matching;
    const SCHEMA_VERSION: u32 = 1;
    fn validate(&self, _issues: &mut Issues) {}
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MatchingResponse {}

impl super::Graded for MatchingPayload {
    type Response = MatchingResponse;
    fn grade(&self, _response: &Self::Response) -> crate::grading::Grade {
        crate::grading::Grade::from_items(vec![])
    }
}
