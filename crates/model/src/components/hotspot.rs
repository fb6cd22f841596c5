//! HOTSPOT (scaffold: being written).

use super::{Payload, current_version};
use crate::component::ComponentType;
use crate::validation::Issues;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HotspotPayload {
    #[serde(default = "current_version::<HotspotPayload>")]
    pub schema_version: u32,
}

impl Payload for HotspotPayload {
    const TYPE: ComponentType = ComponentType::Hotspot;
    const SCHEMA_VERSION: u32 = 1;
    fn validate(&self, _issues: &mut Issues) {}
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HotspotResponse {}

impl super::Graded for HotspotPayload {
    type Response = HotspotResponse;
    fn grade(&self, _response: &Self::Response) -> crate::grading::Grade {
        crate::grading::Grade::from_items(vec![])
    }
}
