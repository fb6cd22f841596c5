//! The eleven learning component types: one module each with its payload, rules and grading.

pub mod branching;
pub mod cloze;
pub mod dictation;
pub mod flashcards;
pub mod hotspot;
pub mod matching;
pub mod pronunciation;
pub mod quiz;
pub mod review;
pub mod roleplay;
pub mod shadowing;

use crate::component::ComponentType;
use crate::grading::Grade;
use crate::validation::{Issues, Pointer, ValidationIssue};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What every component payload type provides.
pub trait Payload: Serialize + DeserializeOwned + JsonSchema + Sized {
    /// The component type this payload belongs to.
    const TYPE: ComponentType;
    /// The schema version this code writes.
    const SCHEMA_VERSION: u32;

    /// Records every rule the payload breaks. Drafts may break rules; ready components may not.
    fn validate(&self, issues: &mut Issues);

    /// Rewrites a payload of schema version `from` into version `from + 1`.
    ///
    /// Types that never changed shape have no upgrades.
    fn upgrade_from(from: u32, payload: Value) -> Result<Value, String> {
        let _ = payload;
        Err(format!(
            "{} payloads have no schema version {from}",
            Self::TYPE
        ))
    }
}

/// A payload type with a pure grading function.
pub trait Graded: Payload {
    /// What the learner answered.
    type Response: DeserializeOwned + JsonSchema;

    /// Scores a response; the same result the JavaScript player must compute.
    fn grade(&self, response: &Self::Response) -> Grade;
}

/// Reads a payload: upgrades it to the current schema version, then deserializes it,
/// turning every shape problem into an issue with a JSON pointer.
pub(crate) fn parse<P: Payload>(payload: &Value) -> Result<P, Vec<ValidationIssue>> {
    let fail = |pointer: &Pointer, message: String| {
        let mut issues = Issues::new();
        issues.push(pointer, message);
        Err(issues.into_vec())
    };
    let version_ptr = Pointer::root().key("schema_version");
    let Value::Object(map) = payload else {
        return fail(
            &Pointer::root(),
            "a component payload must be a JSON object".to_string(),
        );
    };
    let version = match map.get("schema_version") {
        None => P::SCHEMA_VERSION,
        Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) if n >= 1 => n,
            _ => {
                return fail(
                    &version_ptr,
                    "the schema version must be a whole number from 1".to_string(),
                );
            }
        },
    };
    if version > P::SCHEMA_VERSION {
        return fail(
            &version_ptr,
            format!(
                "this payload was written by a newer ClassKit Studio (schema version {version}); \
                 this version reads {} payloads up to version {}",
                P::TYPE,
                P::SCHEMA_VERSION
            ),
        );
    }
    let mut value = payload.clone();
    for from in version..P::SCHEMA_VERSION {
        value = match P::upgrade_from(from, value) {
            Ok(v) => v,
            Err(message) => return fail(&version_ptr, message),
        };
        if let Value::Object(map) = &mut value {
            map.insert("schema_version".into(), Value::from(from + 1));
        }
    }
    if let Value::Object(map) = &mut value {
        map.insert("schema_version".into(), Value::from(P::SCHEMA_VERSION));
    }
    serde_path_to_error::deserialize::<_, P>(value).or_else(|err| {
        let mut pointer = Pointer::root();
        for segment in err.path().iter() {
            pointer = match segment {
                serde_path_to_error::Segment::Seq { index } => pointer.index(*index),
                serde_path_to_error::Segment::Map { key } => pointer.key(key),
                serde_path_to_error::Segment::Enum { variant } => pointer.key(variant),
                serde_path_to_error::Segment::Unknown => pointer,
            };
        }
        fail(
            &pointer,
            describe_shape_error(&err.into_inner().to_string()),
        )
    })
}

/// Rewords serde's messages for an instructor.
fn describe_shape_error(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest);
        return format!("{field} is not a field here ({message})");
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("the required field {rest} is missing");
    }
    format!("this field has the wrong form: {message}")
}

/// Default for `schema_version` fields: the version being written now.
pub(crate) fn current_version<P: Payload>() -> u32 {
    P::SCHEMA_VERSION
}
