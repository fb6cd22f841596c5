//! SHADOWING (scaffold: being written).

use super::{Payload, current_version};
use crate::component::ComponentType;
use crate::validation::Issues;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ShadowingPayload {
    #[serde(default = "current_version::<ShadowingPayload>")]
    pub schema_version: u32,
}

impl Payload for ShadowingPayload {
    const TYPE: ComponentType = ComponentType::Shadowing;
    const SCHEMA_VERSION: u32 = 1;
    fn validate(&self, _issues: &mut Issues) {}
}
