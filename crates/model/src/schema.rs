//! JSON Schema generated from the Rust types, for UI forms and language-model output.
//!
//! Besides standard JSON Schema, a payload field that applies only in some modes carries
//! `x-only-when`: a map from a sibling field to the values that field has when this one
//! applies, e.g. `{"kind": ["true_false"]}` on a question's `answer`; a sibling left out of
//! the payload has its default. Forms hide such a field where it does not apply, and
//! validation reports most of them when they are filled in there (options of a true/false
//! question, steps of a matching activity in pairs mode). `tests/only_when.rs` checks that
//! each names a real sibling and values it can take, and pins some of those reports.

use schemars::JsonSchema;
use serde_json::Value;

/// The JSON Schema (draft 2020-12) of `T`.
pub fn schema_of<T: JsonSchema>() -> Value {
    let schema = schemars::schema_for!(T);
    serde_json::to_value(&schema).unwrap_or(Value::Null)
}
