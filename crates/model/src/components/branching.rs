//! BRANCHING (scaffold: being written).

use super::{Payload, current_version};
use crate::component::ComponentType;
use crate::validation::Issues;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BranchingPayload {
    #[serde(default = "current_version::<BranchingPayload>")]
    pub schema_version: u32,
}

impl Payload for BranchingPayload {
    const TYPE: ComponentType = ComponentType::Branching;
    const SCHEMA_VERSION: u32 = 1;
    fn validate(&self, _issues: &mut Issues) {}
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BranchingResponse {}

impl super::Graded for BranchingPayload {
    type Response = BranchingResponse;
    fn grade(&self, _response: &Self::Response) -> crate::grading::Grade {
        crate::grading::Grade::from_items(vec![])
    }
}
