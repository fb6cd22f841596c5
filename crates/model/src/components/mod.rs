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
use crate::validation::{Issues, Pointer, Problem, ValidationIssue};
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
    fn upgrade_from(from: u32, payload: Value) -> Result<Value, Problem> {
        let _ = payload;
        Err(Problem::SchemaVersionUnknown {
            component_type: Self::TYPE,
            version: from,
        })
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
    let fail = |pointer: &Pointer, problem: Problem| {
        let mut issues = Issues::new();
        issues.push(pointer, problem);
        Err(issues.into_vec())
    };
    let Value::Object(map) = payload else {
        return fail(&Pointer::root(), Problem::PayloadNotAnObject);
    };
    let version_ptr = Pointer::root().key("schema_version");
    let upgraded =
        written_version::<P>(map).and_then(|version| upgrade_chain::<P>(version, payload));
    let mut value = match upgraded {
        Ok(value) => value,
        Err(problem) => return fail(&version_ptr, problem),
    };
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

/// A payload in the current schema version, as far as it can be upgraded: the upgrades are
/// applied, and a payload that has no version to upgrade from (not an object, a missing,
/// unreadable or newer version) or whose upgrade fails comes back as it is. Nothing else is
/// checked: a draft that breaks rules or has fields of the wrong form stays so.
pub(crate) fn upgrade<P: Payload>(payload: &Value) -> Value {
    let Value::Object(map) = payload else {
        return payload.clone();
    };
    match written_version::<P>(map) {
        Ok(version) if version < P::SCHEMA_VERSION => {
            upgrade_chain::<P>(version, payload).unwrap_or_else(|_| payload.clone())
        }
        _ => payload.clone(),
    }
}

/// The schema version a payload was written in; without a `schema_version`, the current one.
fn written_version<P: Payload>(map: &serde_json::Map<String, Value>) -> Result<u32, Problem> {
    let version = match map.get("schema_version") {
        None => return Ok(P::SCHEMA_VERSION),
        Some(v) => v.as_u64().and_then(|n| u32::try_from(n).ok()),
    };
    match version {
        Some(version) if version > P::SCHEMA_VERSION => Err(Problem::SchemaVersionTooNew {
            version,
            component_type: P::TYPE,
            supported: P::SCHEMA_VERSION,
        }),
        Some(version) if version >= 1 => Ok(version),
        _ => Err(Problem::SchemaVersionInvalid),
    }
}

/// Rewrites a payload of schema version `version` into the current one, one version at a
/// time, each step writing the version it reached.
fn upgrade_chain<P: Payload>(version: u32, payload: &Value) -> Result<Value, Problem> {
    let mut value = payload.clone();
    for from in version..P::SCHEMA_VERSION {
        value = P::upgrade_from(from, value)?;
        if let Value::Object(map) = &mut value {
            map.insert("schema_version".into(), Value::from(from + 1));
        }
    }
    Ok(value)
}

/// Rewords serde's messages for an instructor.
fn describe_shape_error(message: &str) -> Problem {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest).to_string();
        let detail = message.to_string();
        return Problem::UnknownField { field, detail };
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = rest.to_string();
        return Problem::MissingField { field };
    }
    let detail = message.to_string();
    Problem::WrongForm { detail }
}

/// Default for `schema_version` fields: the version being written now.
pub(crate) fn current_version<P: Payload>() -> u32 {
    P::SCHEMA_VERSION
}
