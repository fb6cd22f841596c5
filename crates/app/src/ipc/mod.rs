//! The wire between the app layer and the desktop UI, as one JSON Schema document: the types
//! the UI receives, the commands it may call ([`COMMANDS`]) and the events it hears
//! ([`Event`]), each from one list. The UI's TypeScript types, typed client and listener are
//! generated from it (`ui/src/lib/generated/`, by `npm run gen:types`), and so are the shell's
//! permission list and capability file ([`shell_commands_file`], [`capability_file`]); tests on
//! both sides fail when a checked-in copy is stale.

use crate::ComponentView;
use crate::ImportSummary;
use crate::error::WireError;
use crate::generate::Dispatched;
use crate::generate::{Part, Scope};
use crate::history::RevisionDiff;
use crate::jobs::JobView;
use crate::settings::Preferences;
use crate::slides::{SlideChanges, SlideMedia};
use classkit_model::{ComponentType, CourseTree, LearningComponent, ValidationIssue};
use classkit_store::CourseSummary;
use serde_json::{Map, Value, json};

mod commands;
mod events;

pub use commands::{COMMANDS, CommandSpec, command_specs};
pub use events::{Event, EventSpec, event_specs};

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
    add(
        "Course",
        generator.subschema_for::<classkit_model::Course>(),
    );
    add("Slide", generator.subschema_for::<classkit_model::Slide>());
    add("ComponentType", generator.subschema_for::<ComponentType>());
    add("ComponentView", generator.subschema_for::<ComponentView>());
    add("SlideChanges", generator.subschema_for::<SlideChanges>());
    add("SlideMedia", generator.subschema_for::<SlideMedia>());
    add(
        "Revision",
        generator.subschema_for::<classkit_store::Revision>(),
    );
    add(
        "Restored",
        generator.subschema_for::<classkit_store::Restored>(),
    );
    add("RevisionDiff", generator.subschema_for::<RevisionDiff>());
    add(
        "UndoOutcome",
        generator.subschema_for::<crate::undo::UndoOutcome>(),
    );
    add(
        "EditSummary",
        generator.subschema_for::<crate::undo::EditSummary>(),
    );
    add("Scope", generator.subschema_for::<Scope>());
    add("Part", generator.subschema_for::<Part>());
    add("Dispatched", generator.subschema_for::<Dispatched>());
    add("JobView", generator.subschema_for::<JobView>());
    add("Grade", generator.subschema_for::<classkit_model::Grade>());
    add("Preferences", generator.subschema_for::<Preferences>());
    add("Saved", generator.subschema_for::<classkit_store::Saved>());
    add("ApiKeys", generator.subschema_for::<crate::keys::ApiKeys>());
    add(
        "BundleExport",
        generator.subschema_for::<crate::BundleExport>(),
    );
    add(
        "BundleImport",
        generator.subschema_for::<crate::BundleImport>(),
    );
    add(
        "ExportOptions",
        generator.subschema_for::<classkit_export::ExportOptions>(),
    );
    add(
        "ExportReport",
        generator.subschema_for::<classkit_export::ExportReport>(),
    );
    add(
        "ShadowingScore",
        generator.subschema_for::<classkit_practice::ShadowingScore>(),
    );
    add(
        "PronunciationScore",
        generator.subschema_for::<classkit_practice::PronunciationScore>(),
    );
    // The payload of each component type (the editors' forms are made from these
    // definitions) and the learner responses of the graded ones (the previews send them),
    // from the model's one registry of the types.
    for (name, schema) in ComponentType::wire_definitions(&mut generator) {
        add(&name, schema);
    }
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
    add(
        "ErrorCode",
        generator.subschema_for::<classkit_model::ErrorCode>(),
    );
    let commands: Vec<Value> = command_specs(&mut generator)
        .iter()
        .map(CommandSpec::to_json)
        .collect();
    let events: Vec<Value> = event_specs(&mut generator)
        .iter()
        .map(EventSpec::to_json)
        .collect();
    // Every named type a command or event carries is a type of its own in the UI (its
    // TypeScript name is what the typed client imports), listed or not above.
    let mut carried = Vec::new();
    for spec in commands.iter().chain(&events) {
        named_types(spec, &mut carried);
    }
    for name in carried {
        if !properties.contains_key(&name) {
            properties.insert(name.clone(), json!({"$ref": format!("#/$defs/{name}")}));
        }
    }
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
        "x-commands": commands,
        "x-events": events,
    })
}

/// The names of the definitions `schema` refers to, anywhere inside it.
fn named_types(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(r)) => {
                        if let Some(name) = r.strip_prefix("#/$defs/") {
                            out.push(name.to_string());
                        }
                    }
                    _ => named_types(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| named_types(v, out)),
        _ => {}
    }
}

/// Where the shell's `build.rs` reads the names of the commands it allows, from the
/// repository root.
pub const SHELL_COMMANDS_FILE: &str = "src-tauri/commands.json";
/// Where the shell keeps the main window's capability, from the repository root.
pub const CAPABILITY_FILE: &str = "src-tauri/capabilities/main.json";

/// The names of the commands, for the shell's `build.rs`.
pub fn shell_commands_file() -> Value {
    json!(COMMANDS)
}

/// The main window's capability: the listed commands, listening to events and closing its own
/// window once unsaved work is saved; nothing else.
pub fn capability_file() -> Value {
    let mut permissions: Vec<String> = COMMANDS
        .iter()
        .map(|name| format!("allow-{}", name.replace('_', "-")))
        .collect();
    permissions.extend(
        [
            "core:event:allow-listen",
            "core:event:allow-unlisten",
            "core:window:allow-destroy",
        ]
        .map(String::from),
    );
    json!({
        "$schema": "../gen/schemas/desktop-schema.json",
        "identifier": "main",
        "description": "What the main window's UI may do: the app commands it uses, listening to the app's events (job progress, dropped files) and closing its own window once unsaved work is saved; nothing else. Generated from classkit_app::ipc::COMMANDS; do not edit.",
        "windows": ["main"],
        "permissions": permissions,
    })
}
