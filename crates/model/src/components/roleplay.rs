//! ROLEPLAY (scaffold: being written).

use super::{Payload, current_version};
use crate::component::ComponentType;
use crate::validation::Issues;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RoleplayPayload {
    #[serde(default = "current_version::<RoleplayPayload>")]
    pub schema_version: u32,
}

impl Payload for RoleplayPayload {
    const TYPE: ComponentType = ComponentType::Roleplay;
    const SCHEMA_VERSION: u32 = 1;
    fn validate(&self, _issues: &mut Issues) {}
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RoleplayResponse {}

impl super::Graded for RoleplayPayload {
    type Response = RoleplayResponse;
    fn grade(&self, _response: &Self::Response) -> crate::grading::Grade {
        crate::grading::Grade::from_items(vec![])
    }
}
