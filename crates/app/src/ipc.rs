//! The types the desktop app's UI receives from the app layer, as one JSON Schema document.
//! The UI's TypeScript types are generated from it (`ui/src/lib/generated/`, by
//! `npm run gen:types`), and tests on both sides fail when the checked-in copies are stale.

use crate::ComponentView;
use crate::ImportSummary;
use crate::error::WireError;
use crate::generate::Dispatched;
use crate::generate::{Part, Scope};
use crate::history::RevisionDiff;
use crate::jobs::JobView;
use crate::settings::Preferences;
use crate::slides::{SlideChanges, SlideMedia};
use classkit_model::components as c;
use classkit_model::{ComponentType, CourseTree, LearningComponent, ValidationIssue};
use classkit_store::CourseSummary;
use serde_json::{Map, Value, json};

/// An event the app sends the UI, with the type of its payload (in the schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A job of the app's queue changed (a [`JobView`]).
    Job,
    /// Something was saved in the library, by the app, a worker or another process (a
    /// `Saved`).
    Saved,
    /// The bundled workers could not start, so generation cannot run (a [`WireError`]).
    WorkersFailed,
}

impl Event {
    /// The name the UI listens to.
    pub fn name(self) -> &'static str {
        match self {
            Self::Job => "job",
            Self::Saved => "saved",
            Self::WorkersFailed => "workers-failed",
        }
    }
}

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
    // The payload of each component type (the editors' forms are made from these
    // definitions) and the learner responses of the graded ones (the previews send them).
    add(
        "ReviewPayload",
        generator.subschema_for::<c::review::ReviewPayload>(),
    );
    add(
        "QuizPayload",
        generator.subschema_for::<c::quiz::QuizPayload>(),
    );
    add(
        "RoleplayPayload",
        generator.subschema_for::<c::roleplay::RoleplayPayload>(),
    );
    add(
        "ShadowingPayload",
        generator.subschema_for::<c::shadowing::ShadowingPayload>(),
    );
    add(
        "PronunciationPayload",
        generator.subschema_for::<c::pronunciation::PronunciationPayload>(),
    );
    add(
        "FlashcardsPayload",
        generator.subschema_for::<c::flashcards::FlashcardsPayload>(),
    );
    add(
        "ClozePayload",
        generator.subschema_for::<c::cloze::ClozePayload>(),
    );
    add(
        "MatchingPayload",
        generator.subschema_for::<c::matching::MatchingPayload>(),
    );
    add(
        "HotspotPayload",
        generator.subschema_for::<c::hotspot::HotspotPayload>(),
    );
    add(
        "BranchingPayload",
        generator.subschema_for::<c::branching::BranchingPayload>(),
    );
    add(
        "DictationPayload",
        generator.subschema_for::<c::dictation::DictationPayload>(),
    );
    add(
        "QuizResponse",
        generator.subschema_for::<c::quiz::QuizResponse>(),
    );
    add(
        "RoleplayResponse",
        generator.subschema_for::<c::roleplay::RoleplayResponse>(),
    );
    add(
        "FlashcardsResponse",
        generator.subschema_for::<c::flashcards::FlashcardsResponse>(),
    );
    add(
        "ClozeResponse",
        generator.subschema_for::<c::cloze::ClozeResponse>(),
    );
    add(
        "MatchingResponse",
        generator.subschema_for::<c::matching::MatchingResponse>(),
    );
    add(
        "HotspotResponse",
        generator.subschema_for::<c::hotspot::HotspotResponse>(),
    );
    add(
        "BranchingResponse",
        generator.subschema_for::<c::branching::BranchingResponse>(),
    );
    add(
        "DictationResponse",
        generator.subschema_for::<c::dictation::DictationResponse>(),
    );
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
