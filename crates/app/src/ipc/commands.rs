//! The one list of the commands the desktop UI may call: names, arguments and answers.
//!
//! Everything else is made from it: the UI's typed client (`ui/src/lib/generated/commands.ts`,
//! by `npm run gen:types`), the shell's permission list (`src-tauri/commands.json`, read by
//! its `build.rs`) and its capability file (`src-tauri/capabilities/main.json`). Tests fail
//! when one of them is stale, and when the shell registers a command that is not listed here
//! or misses one that is.

use crate::generate::{Dispatched, Part, Scope};
use crate::history::RevisionDiff;
use crate::jobs::JobView;
use crate::keys::ApiKeys;
use crate::settings::Preferences;
use crate::slides::{DraftVerdict, SlideChanges, SlideMedia, SlidePicture};
use crate::team::{ConflictView, KeepChoice, RemoteView, SyncOutcome, TeamStatus, TeamWorkerView};
use crate::undo::{UndoOutcome, UndoState};
use crate::{BundleExport, BundleImport, ComponentView, ImportSummary};
use classkit_export::{ExportOptions, ExportReport};
use classkit_model::{ComponentType, Course, CourseTree, Grade, Slide};
use classkit_practice::{PronunciationScore, ShadowingScore};
use classkit_store::{CourseSummary, Restored, Revision};
use classkit_sync::{Me, Member, TeamCourse};
use schemars::SchemaGenerator;
use serde_json::{Value, json};
use std::path::PathBuf;
use uuid::Uuid;

/// One command as the UI sees it.
#[derive(Debug, Clone)]
pub struct CommandSpec {
    /// The name the webview invokes.
    pub name: &'static str,
    /// What it does (its doc comment).
    pub doc: String,
    /// Its arguments by the names the UI sends (camelCase), with their schemas.
    pub args: Vec<(String, Value)>,
    /// The schema of its answer.
    pub returns: Value,
}

impl CommandSpec {
    /// The command as JSON, for the generated files.
    pub fn to_json(&self) -> Value {
        let args: serde_json::Map<String, Value> = self.args.iter().cloned().collect();
        json!({"name": self.name, "doc": self.doc, "args": args, "returns": self.returns})
    }
}

/// `snake_case` as the camelCase name Tauri reads an argument by.
fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        match (c, upper) {
            ('_', _) => upper = true,
            (c, true) => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            (c, false) => out.push(c),
        }
    }
    out
}

macro_rules! commands {
    ($( $(#[doc = $doc:literal])+ $name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty; )+) => {
        /// The names of every command, in the list's order.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),+];

        /// Every command with the schemas of its arguments and answer (their types are
        /// added to `generator`'s definitions).
        pub fn command_specs(generator: &mut SchemaGenerator) -> Vec<CommandSpec> {
            vec![$(CommandSpec {
                name: stringify!($name),
                doc: [$($doc.trim()),+].join("\n"),
                args: vec![$(
                    (camel(stringify!($arg)), generator.subschema_for::<$ty>().to_value())
                ),*],
                returns: generator.subschema_for::<$ret>().to_value(),
            }),+]
        }
    };
}

commands! {
    /// Every course in the open library.
    list_courses() -> Vec<CourseSummary>;
    /// A course with its lessons, slides and components.
    course(course_id: Uuid) -> CourseTree;
    /// Imports a lecture file (Markdown or plain text) as a new course.
    import_lecture(path: PathBuf, title: Option<String>) -> ImportSummary;
    /// Creates an empty course with one lesson and a title slide.
    create_course(title: String, language: Option<String>) -> Course;
    /// Adds an empty slide at the end of a lesson.
    add_slide(lesson_id: Uuid, title: String) -> Slide;
    /// Saves changes to a slide's text; refused when someone saved it since `expected_version`.
    edit_slide(slide_id: Uuid, changes: SlideChanges, expected_version: Option<i64>) -> Slide;
    /// Moves a slide to `position` in a lesson of its course.
    move_slide(slide_id: Uuid, lesson_id: Uuid, position: usize, expected_version: Option<i64>) -> Slide;
    /// Which types of activity the drafting engines found the slide's text supports.
    draft_verdicts(slide_id: Uuid) -> Vec<DraftVerdict>;
    /// The thumbnail of every rendered slide of a course, for the filmstrip.
    slide_pictures(course_id: Uuid) -> Vec<SlidePicture>;
    /// The slide's generated media: rendered pages and narration.
    slide_media(slide_id: Uuid) -> SlideMedia;
    /// Adds a learning component to a slide, from a payload or the type's starting one.
    add_component(slide_id: Uuid, component_type: ComponentType, payload: Option<Value>) -> ComponentView;
    /// A component with its validation issues.
    component(component_id: Uuid) -> ComponentView;
    /// Saves a component's payload; a ready component that the edit breaks becomes a draft.
    save_component(component_id: Uuid, payload: Value, expected_version: Option<i64>) -> ComponentView;
    /// Marks a component ready (refused with its issues when it breaks a rule) or draft.
    set_ready(component_id: Uuid, ready: bool) -> ComponentView;
    /// Deletes a component (its history is kept).
    delete_component(component_id: Uuid, expected_version: Option<i64>) -> ();
    /// Uses the slide's rendered picture as a HOTSPOT component's image.
    use_slide_picture(component_id: Uuid) -> ComponentView;
    /// Grades a learner's response to a payload, as the preview does.
    grade(component_type: ComponentType, payload: Value, response: Value) -> Grade;
    /// The saved versions of a slide or component, newest first.
    history(id: Uuid) -> Vec<Revision>;
    /// What changed between two versions of a slide or component.
    diff(id: Uuid, from_version: i64, to_version: i64) -> RevisionDiff;
    /// Makes an earlier version the current one, as a new version.
    restore(id: Uuid, version: i64) -> Restored;
    /// What can be undone and redone in a course now.
    undo_state(course_id: Uuid) -> UndoState;
    /// Takes back the course's latest edit (slide text, a component's content or status, a
    /// restore, adding, deleting or moving), wherever it was made in the app.
    undo(course_id: Uuid) -> UndoOutcome;
    /// Makes the latest undone edit of the course again.
    redo(course_id: Uuid) -> UndoOutcome;
    /// Queues the jobs that make what is missing or out of date in a course: a team course's
    /// on the team's workers (on the bundled workers while the server cannot be reached).
    dispatch(course_id: Uuid, scope: Scope, parts: Vec<Part>) -> Dispatched;
    /// The newest jobs: the app's queue's, and the team jobs of the team courses followed.
    jobs(limit: usize) -> Vec<JobView>;
    /// Cancels a job that has not finished (a team job through the team server).
    cancel_job(job_id: Uuid) -> JobView;
    /// Runs a failed or cancelled job again (a team job through the team server).
    retry_job(job_id: Uuid) -> JobView;
    /// Follows a team course's jobs (whoever dispatched them) in the job tray; false for a
    /// course not shared with a team.
    follow_team_jobs(course_id: Uuid) -> bool;
    /// The paid engines and where their keys come from.
    api_keys() -> ApiKeys;
    /// Keeps an API key for a paid engine (in the OS keyring, or for this session only).
    set_api_key(engine: String, key: String, session_only: bool) -> ApiKeys;
    /// Forgets the API key of a paid engine.
    forget_api_key(engine: String) -> ApiKeys;
    /// The instructor's preferences.
    preferences() -> Preferences;
    /// Saves the instructor's preferences.
    save_preferences(preferences: Preferences) -> ();
    /// Asks for a lecture file with the system's file dialog; null when it was closed.
    pick_lecture_file() -> Option<PathBuf>;
    /// Exports a course as a bundle file chosen with the system's dialog; null when closed.
    export_bundle(course_id: Uuid) -> Option<BundleExport>;
    /// Imports a bundle file chosen with the system's dialog; null when closed.
    import_bundle(as_copy: bool) -> Option<BundleImport>;
    /// Exports the course for learners (the web player, or a SCORM 1.2 or 2004 package) to a
    /// zip file chosen with the system's dialog; null when the dialog was closed. The report
    /// says what was left out and why.
    export_course(course_id: Uuid, options: ExportOptions) -> Option<ExportReport>;
    /// Scores a shadowing take (the learner's recording: mono samples at `rate` Hz) against
    /// the reference audio `reference` (a stored file's SHA-256).
    score_shadowing(reference: String, samples: Vec<f32>, rate: u32) -> ShadowingScore;
    /// Scores a pronunciation take (mono samples at `rate` Hz) of `text`, an English word or
    /// phrase, phone by phone, offline (PocketSphinx). `ipa`, when not empty, is the
    /// pronunciation expected; `language` is the item's (other languages are refused).
    score_pronunciation(text: String, ipa: String, language: String, samples: Vec<f32>, rate: u32) -> PronunciationScore;
    /// Opens the course's web player in a window of its own, as a learner sees it (exported
    /// with these options to a folder of the app's cache).
    preview_player(course_id: Uuid, options: ExportOptions) -> ExportReport;
    /// The team state: the server, online or not, changes waiting, last sync, conflicts.
    team_status() -> TeamStatus;
    /// Checks a team server's address and token: whose token it is, or exactly what is wrong.
    test_team_connection(url: String, token: String) -> Me;
    /// Sets the team server after checking it (the token goes to the OS keyring).
    set_team_server(url: String, token: String) -> RemoteView;
    /// Whether this app's workers serve the team's queue too (off by default), and how.
    team_worker() -> Option<TeamWorkerView>;
    /// Lets this app's workers serve the team's queue with a worker token the team's admin
    /// gives (checked with the server, and the Redis URL with Redis), and starts them.
    set_team_worker(redis_url: String, token: String, concurrency: u32) -> TeamWorkerView;
    /// Stops this app's workers from serving the team's queue and forgets the token.
    turn_off_team_worker() -> ();
    /// Syncs every team course now (and opens team courses new to this library).
    sync_now() -> TeamStatus;
    /// Shares a course of this library with the team: the server creates it and receives it.
    share_course(course_id: Uuid) -> SyncOutcome;
    /// The team server's courses the user is a member of.
    team_courses() -> Vec<TeamCourse>;
    /// Opens a team course in this library and pulls it.
    open_team_course(course_id: Uuid) -> SyncOutcome;
    /// The members of a team course and their roles.
    team_members(course_id: Uuid) -> Vec<Member>;
    /// Open conflicts of a course (or of all), with where each is and, for text, a merge.
    conflicts(course_id: Option<Uuid>) -> Vec<ConflictView>;
    /// Settles a conflict: one side, or a text written from both; an ordinary edit that syncs.
    resolve_conflict(conflict_id: Uuid, choice: KeepChoice) -> ();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_named_as_tauri_reads_them() {
        assert_eq!(camel("expected_version"), "expectedVersion");
        assert_eq!(camel("id"), "id");
        assert_eq!(camel("as_copy"), "asCopy");
    }

    #[test]
    fn every_command_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for name in COMMANDS {
            assert!(seen.insert(name), "{name} twice");
        }
        let specs = command_specs(&mut SchemaGenerator::default());
        assert_eq!(specs.len(), COMMANDS.len());
        assert!(specs.iter().all(|s| !s.doc.is_empty()));
    }
}
