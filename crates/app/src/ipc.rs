//! The types the desktop app's UI receives from the app layer, as one JSON Schema document.
//! The UI's TypeScript types are generated from it (`ui/src/lib/generated/`, by
//! `npm run gen:types`), and tests on both sides fail when the checked-in copies are stale.

use crate::ImportSummary;
use crate::error::WireError;
use classkit_model::{CourseTree, LearningComponent, ValidationIssue};
use classkit_store::CourseSummary;
use serde_json::{Map, Value, json};

/// Where the UI keeps the schema, from the repository root.
pub const SCHEMA_FILE: &str = "ui/src/lib/generated/ipc.schema.json";

/// The schema: an object `Ipc` with one property per type the UI receives, and the types'
/// definitions.
pub fn schema() -> Value {
    let mut generator = schemars::SchemaGenerator::default();
    let mut properties = Map::new();
    let mut add = |name: &str, schema: schemars::Schema| {
        properties.insert(name.to_string(), schema.to_value());
    };
    add("CourseSummary", generator.subschema_for::<CourseSummary>());
    add("CourseTree", generator.subschema_for::<CourseTree>());
    add("ImportSummary", generator.subschema_for::<ImportSummary>());
    add(
        "LearningComponent",
        generator.subschema_for::<LearningComponent>(),
    );
    add(
        "ValidationIssue",
        generator.subschema_for::<ValidationIssue>(),
    );
    add("WireError", generator.subschema_for::<WireError>());
    let required: Vec<&String> = properties.keys().collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Ipc",
        "description": "The types the ClassKit Studio UI receives from the app. Generated; do not edit.",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
        "$defs": generator.definitions(),
    })
}
