//! CLOZE (scaffold: being written).

use super::{Payload, current_version};
use crate::component::ComponentType;
use crate::validation::Issues;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ClozePayload {
    #[serde(default = "current_version::<ClozePayload>")]
    pub schema_version: u32,
}

impl Payload for ClozePayload {
    const TYPE: ComponentType = ComponentType::Cloze;
    const SCHEMA_VERSION: u32 = 1;
    fn validate(&self, _issues: &mut Issues) {}
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ClozeResponse {}

impl super::Graded for ClozePayload {
    type Response = ClozeResponse;
    fn grade(&self, _response: &Self::Response) -> crate::grading::Grade {
        crate::grading::Grade::from_items(vec![])
    }
}
