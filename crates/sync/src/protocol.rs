//! What travels between an app and the team server, under `/api/v1`: the mutations an app
//! pushes, the changes it pulls, conflicts, members and errors. The server's OpenAPI document
//! is generated from these types.

use chrono::{DateTime, Utc};
use classkit_model::{AssetRef, ComponentStatus, ComponentType, SlideLayout};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::merge::Step;

/// The most mutations one push may carry; an app sends its outbox in batches of this size.
pub const MAX_PUSH: usize = 1000;
/// The most changes one page of a pull holds.
pub const MAX_PAGE: i64 = 1000;
/// The page size when a pull does not ask for one.
pub const DEFAULT_PAGE: i64 = 500;

/// The four kinds of entity a course is made of.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Course,
    Lesson,
    Slide,
    Component,
}

impl EntityKind {
    /// The name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Course => "course",
            Self::Lesson => "lesson",
            Self::Slide => "slide",
            Self::Component => "component",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "course" => Self::Course,
            "lesson" => Self::Lesson,
            "slide" => Self::Slide,
            "component" => Self::Component,
            _ => return None,
        })
    }
}

/// A course's own fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseFields {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// BCP 47 language tag of the lecture text, when known.
    #[serde(default)]
    pub language: Option<String>,
}

/// A lesson's fields: its course, its place among the course's lessons, its title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LessonFields {
    pub course_id: Uuid,
    /// Orders lessons within the course (byte order; ties by id). Keys made between two
    /// others by different people never collide into one place.
    #[schema(pattern = "^[A-Za-z][0-9A-Za-z]+$", max_length = 256)]
    pub order_key: String,
    pub title: String,
}

/// A slide's fields: its lesson and place there, what learners see and hear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlideFields {
    pub lesson_id: Uuid,
    /// Orders slides within the lesson (byte order; ties by id).
    #[schema(pattern = "^[A-Za-z][0-9A-Za-z]+$", max_length = 256)]
    pub order_key: String,
    pub title: String,
    pub body: String,
    pub speaker_notes: String,
    #[serde(default)]
    pub instructor_notes: String,
    #[schema(value_type = String, example = "bullets")]
    pub layout: SlideLayout,
    /// The slide's image, by the sha256 of its bytes.
    #[schema(value_type = Option<String>, pattern = "^[0-9a-f]{64}$")]
    pub image: Option<AssetRef>,
    /// The slide's narration audio, by the sha256 of its bytes.
    #[schema(value_type = Option<String>, pattern = "^[0-9a-f]{64}$")]
    pub narration: Option<AssetRef>,
}

/// A learning component's fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComponentFields {
    pub slide_id: Uuid,
    #[schema(value_type = String, example = "QUIZ")]
    pub component_type: ComponentType,
    #[schema(value_type = String, example = "draft")]
    pub status: ComponentStatus,
    /// The type's payload, with its `schema_version`.
    #[schema(value_type = Object)]
    pub payload: Value,
}

/// The synced state of one entity: `{"kind": "slide", "fields": {…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "fields", rename_all = "snake_case")]
pub enum EntityState {
    Course(CourseFields),
    Lesson(LessonFields),
    Slide(SlideFields),
    Component(ComponentFields),
}

impl EntityState {
    /// The fields as one JSON object: what merges compare and conflicts' paths address.
    pub fn fields_json(&self) -> Value {
        match serde_json::to_value(self) {
            Ok(Value::Object(mut m)) => m.remove("fields").unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }

    /// A state of `kind` from its fields, as [`EntityState::fields_json`] gives them.
    pub fn from_fields(kind: EntityKind, fields: Value) -> Result<Self, serde_json::Error> {
        serde_json::from_value(serde_json::json!({ "kind": kind, "fields": fields }))
    }

    /// Which kind of entity this is the state of.
    pub fn kind(&self) -> EntityKind {
        match self {
            Self::Course(_) => EntityKind::Course,
            Self::Lesson(_) => EntityKind::Lesson,
            Self::Slide(_) => EntityKind::Slide,
            Self::Component(_) => EntityKind::Component,
        }
    }
}

/// One edit from an app's outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Mutation {
    /// Chosen by the app; a mutation sent twice (a reply lost on the way) is applied once.
    pub mutation_id: Uuid,
    pub kind: EntityKind,
    pub entity_id: Uuid,
    /// The server version the edit was made on; none for an entity new to the server.
    #[serde(default)]
    pub base_version: Option<i64>,
    /// The state the edit was made on; none for an entity the app created.
    #[serde(default)]
    pub base: Option<EntityState>,
    /// The state after the edit; none deletes the entity.
    #[serde(default)]
    pub state: Option<EntityState>,
    /// Conflicts this edit settles (the instructor's choice, made as an ordinary edit).
    #[serde(default)]
    pub resolves: Vec<Uuid>,
    /// When the instructor made the edit.
    pub made_at: DateTime<Utc>,
}

/// A push: mutations of one course, applied in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub mutations: Vec<Mutation>,
}

/// What became of one pushed mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Applied as sent (nothing else had changed what it changed).
    Applied,
    /// Applied together with other people's changes to other fields.
    Merged,
    /// Applied where it could; where someone else changed the same field first, theirs
    /// stayed and this edit's value is kept as a conflict.
    Conflicted,
    /// Nothing to do: the edit changed nothing the server does not already hold.
    Unchanged,
    /// Applied by an earlier push (its reply was lost); not applied again.
    AlreadyApplied,
}

/// The server's reply for one mutation: the entity as it is now, and any conflicts recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MutationResult {
    pub mutation_id: Uuid,
    pub outcome: Outcome,
    /// The entity as the server holds it now (none: a deletion of something it never had).
    pub entity: Option<EntityRecord>,
    pub conflicts: Vec<ConflictRecord>,
}

/// A push's reply, one result per mutation in the order sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PushResponse {
    pub results: Vec<MutationResult>,
    /// The course's change-log position after this push.
    pub seq: i64,
}

/// How a push is applied.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PushQuery {
    /// Apply this push only after the mutation with this id (the last of the push the app
    /// sent just before, still on its way) is applied, so that an app can send its next
    /// batch without waiting for the answer to the one before. The push waits for it up to
    /// [`ORDER_WAIT_SECS`] seconds, then is refused (409 `wrong_state`, nothing stored).
    pub after_mutation: Option<Uuid>,
}

/// How long a push sent with `after_mutation` waits for that mutation to be applied.
pub const ORDER_WAIT_SECS: u64 = 10;

/// An entity as the server holds it: a change-log entry when pulled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EntityRecord {
    pub kind: EntityKind,
    pub id: Uuid,
    /// The server's version: 1 when created, one more for each accepted change.
    pub version: i64,
    /// A tombstone: the entity was deleted (its last state is in `state`).
    pub deleted: bool,
    pub state: EntityState,
    /// Its place in the course's change log.
    pub seq: i64,
    pub updated_at: DateTime<Utc>,
    /// Who made the last change (an email).
    pub updated_by: Option<String>,
}

/// Where a pull starts and how much it takes.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// The change-log position already seen (0 for a first pull).
    pub after: Option<i64>,
    /// Page size, 1 to 1000 (default 500).
    pub limit: Option<i64>,
}

/// A page of a course's change log: each entity changed after the cursor, as it is now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PullPage {
    pub changes: Vec<EntityRecord>,
    /// Conflicts recorded or settled after the cursor.
    pub conflicts: Vec<ConflictRecord>,
    /// What the team's workers made for slides after the cursor (rendered pages, narration
    /// records): each slide's take of a kind whole, replacing the one before.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub generated: Vec<classkit_model::generation::Generated>,
    /// The cursor to pull from next.
    pub next: i64,
    /// More changes wait after `next`.
    pub more: bool,
}

/// Two values for one field: the server's (current) and an instructor's (kept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, schemars::JsonSchema)]
pub struct ConflictRecord {
    pub id: Uuid,
    pub course_id: Uuid,
    pub kind: EntityKind,
    pub entity_id: Uuid,
    /// The field, by keys and item ids, stable when lists are reordered.
    #[schema(value_type = Vec<Object>)]
    pub path: Vec<Step>,
    /// The field as a JSON pointer into the entity's state when it was recorded (empty: the
    /// whole entity, an edit against a delete).
    pub pointer: String,
    /// The value both edits started from (absent: the field was not there).
    #[schema(value_type = Option<Object>)]
    pub base: Option<Value>,
    /// The value that was not applied (absent: a deletion).
    #[schema(value_type = Option<Object>)]
    pub mine: Option<Value>,
    /// The value that stayed current (absent: deleted).
    #[schema(value_type = Option<Object>)]
    pub theirs: Option<Value>,
    /// Who made the edit that was not applied, and when.
    pub mine_author: Option<String>,
    pub mine_at: DateTime<Utc>,
    /// Who made the change that stayed.
    pub theirs_author: Option<String>,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_by: Option<String>,
    /// Its place in the course's change log.
    pub seq: i64,
}

/// A member's rights in one course.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads the course.
    Viewer,
    /// Reads and edits it.
    Editor,
    /// Also manages its members.
    Owner,
}

impl Role {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Editor => "editor",
            Self::Owner => "owner",
        }
    }

    /// Parses a stored or typed name.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "viewer" => Self::Viewer,
            "editor" => Self::Editor,
            "owner" => Self::Owner,
            _ => return None,
        })
    }
}

/// A course the caller is a member of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, schemars::JsonSchema)]
pub struct TeamCourse {
    pub id: Uuid,
    pub title: String,
    pub role: Role,
    pub version: i64,
    /// The course's change-log position.
    pub seq: i64,
    pub updated_at: DateTime<Utc>,
}

/// Sharing a course: the server creates it with the caller as its owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCourse {
    pub id: Uuid,
    pub fields: CourseFields,
}

/// A member of a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, schemars::JsonSchema)]
pub struct Member {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub added_at: DateTime<Utc>,
}

/// Giving someone a role in a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetMember {
    pub role: Role,
}

/// Who the caller's token belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, schemars::JsonSchema)]
pub struct Me {
    pub email: String,
    pub name: String,
}

/// Which of these assets the server does not hold yet for the course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssetQuery {
    /// sha256 hashes, 64 lowercase hex digits each (at most 1000).
    pub sha256: Vec<String>,
}

/// The hashes among those asked about that the server lacks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MissingAssets {
    pub missing: Vec<String>,
}

/// An error: a stable code to match on, a sentence for people, and details (for invalid
/// input, each problem with its JSON pointer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    /// What and where, when there is more to say (absent or null otherwise).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub details: Value,
}
