//! ClassKit Studio's desktop shell: the commands the UI calls, each one call into
//! `classkit-app` whose errors cross as `{code, message, details}`. The shell adds only what a
//! desktop app has: the window ([`window`]), the OS keyring ([`keyring`]), stored files served
//! to the webview ([`assets`]), live events and bundled workers ([`events`]), file dialogs
//! ([`dialogs`]) and preferences ([`settings`]).

#[macro_use]
mod macros;

pub mod assets;
pub mod dialogs;
pub mod events;
pub mod keyring;
pub mod settings;
mod setup;
pub mod window;

pub use events::{Workers, stop_workers};
pub use keyring::Keyring;
pub use setup::{Library, context, manage_library, open_library, start_background, with_commands};
pub use window::own_page;

use classkit_app::generate::{AssembleOptions, Dispatched, Part, Scope};
use classkit_app::history::RevisionDiff;
use classkit_app::jobs::JobView;
use classkit_app::keys::ApiKeys;
use classkit_app::settings::Preferences;
use classkit_app::slides::{DraftVerdict, SlideChanges, SlideMedia, SlidePicture};
use classkit_app::team::{
    ConflictView, KeepChoice, Me, Member, RemoteView, SyncOutcome, TeamCourse, TeamStatus,
    TeamToken, TeamWorkerView, TokenSource,
};
use classkit_app::undo::{UndoOutcome, UndoState};
use classkit_app::{AppError, BundleExport, BundleImport, ComponentView, ImportSummary, WireError};
use classkit_export::{ExportOptions, ExportReport};
use classkit_model::{ComponentType, Course, CourseTree, Grade, Slide};
use classkit_practice::{PronunciationScore, ShadowingScore};
use classkit_store::{CourseSummary, Restored, Revision};
use serde_json::Value;
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};
use uuid::Uuid;

type Reply<T> = Result<T, WireError>;
type Lib<'a> = State<'a, Library>;

#[tauri::command]
async fn list_courses(l: Lib<'_>) -> Reply<Vec<CourseSummary>> {
    Ok(l.app.courses().await?)
}

#[tauri::command]
async fn course(l: Lib<'_>, course_id: Uuid) -> Reply<CourseTree> {
    Ok(l.app.course(course_id).await?)
}

#[tauri::command]
async fn import_lecture(l: Lib<'_>, path: PathBuf, title: Option<String>) -> Reply<ImportSummary> {
    Ok(l.app.import_lecture_file(&path, title.as_deref()).await?)
}

#[tauri::command]
async fn create_course(l: Lib<'_>, title: String, language: Option<String>) -> Reply<Course> {
    Ok(l.app.create_course(&title, language.as_deref()).await?)
}

#[tauri::command]
async fn add_slide(l: Lib<'_>, lesson_id: Uuid, title: String) -> Reply<Slide> {
    Ok(l.app.add_slide(lesson_id, &title).await?)
}

#[tauri::command]
async fn edit_slide(
    l: Lib<'_>,
    slide_id: Uuid,
    changes: SlideChanges,
    expected_version: Option<i64>,
) -> Reply<Slide> {
    Ok(l.app
        .edit_slide(slide_id, changes, expected_version)
        .await?)
}

#[tauri::command]
async fn move_slide(
    l: Lib<'_>,
    slide_id: Uuid,
    lesson_id: Uuid,
    position: usize,
    expected_version: Option<i64>,
) -> Reply<Slide> {
    Ok(l.app
        .move_slide(slide_id, lesson_id, position, expected_version)
        .await?)
}

#[tauri::command]
async fn slide_media(l: Lib<'_>, slide_id: Uuid) -> Reply<SlideMedia> {
    Ok(l.app.slide_media(slide_id).await?)
}

#[tauri::command]
async fn add_component(
    l: Lib<'_>,
    slide_id: Uuid,
    component_type: ComponentType,
    payload: Option<Value>,
) -> Reply<ComponentView> {
    Ok(l.app
        .add_component(slide_id, component_type, payload)
        .await?)
}

#[tauri::command]
async fn component(l: Lib<'_>, component_id: Uuid) -> Reply<ComponentView> {
    Ok(l.app.component(component_id).await?)
}

#[tauri::command]
async fn save_component(
    l: Lib<'_>,
    component_id: Uuid,
    payload: Value,
    expected_version: Option<i64>,
) -> Reply<ComponentView> {
    Ok(l.app
        .save_component(component_id, payload, expected_version)
        .await?)
}

#[tauri::command]
async fn set_ready(l: Lib<'_>, component_id: Uuid, ready: bool) -> Reply<ComponentView> {
    Ok(l.app.set_ready(component_id, ready).await?)
}

#[tauri::command]
async fn delete_component(
    l: Lib<'_>,
    component_id: Uuid,
    expected_version: Option<i64>,
) -> Reply<()> {
    Ok(l.app
        .delete_component(component_id, expected_version)
        .await?)
}

#[tauri::command]
async fn use_slide_picture(l: Lib<'_>, component_id: Uuid) -> Reply<ComponentView> {
    Ok(l.app.use_slide_picture(component_id).await?)
}

#[tauri::command]
fn grade(component_type: ComponentType, payload: Value, response: Value) -> Reply<Grade> {
    Ok(classkit_app::grade(component_type, &payload, &response)?)
}

#[tauri::command]
async fn history(l: Lib<'_>, id: Uuid) -> Reply<Vec<Revision>> {
    Ok(l.app.history(id).await?)
}

#[tauri::command]
async fn diff(l: Lib<'_>, id: Uuid, from_version: i64, to_version: i64) -> Reply<RevisionDiff> {
    Ok(l.app.diff(id, from_version, to_version).await?)
}

#[tauri::command]
async fn restore(l: Lib<'_>, id: Uuid, version: i64) -> Reply<Restored> {
    Ok(l.app.restore(id, version).await?)
}

#[tauri::command]
async fn draft_verdicts(l: Lib<'_>, slide_id: Uuid) -> Reply<Vec<DraftVerdict>> {
    Ok(l.app.draft_verdicts(slide_id).await?)
}

#[tauri::command]
async fn slide_pictures(l: Lib<'_>, course_id: Uuid) -> Reply<Vec<SlidePicture>> {
    Ok(l.app.slide_pictures(course_id).await?)
}

#[tauri::command]
async fn undo_state(l: Lib<'_>, course_id: Uuid) -> Reply<UndoState> {
    Ok(l.app.undo_state(course_id))
}

#[tauri::command]
async fn undo(l: Lib<'_>, course_id: Uuid) -> Reply<UndoOutcome> {
    Ok(l.app.undo(course_id).await?)
}

#[tauri::command]
async fn redo(l: Lib<'_>, course_id: Uuid) -> Reply<UndoOutcome> {
    Ok(l.app.redo(course_id).await?)
}

#[tauri::command]
async fn dispatch(
    l: Lib<'_>,
    course_id: Uuid,
    scope: Scope,
    parts: Vec<Part>,
) -> Reply<Dispatched> {
    Ok(l.app
        .dispatch_anywhere(course_id, &AssembleOptions::dispatching(scope, parts))
        .await?)
}

#[tauri::command]
async fn jobs(l: Lib<'_>, limit: usize) -> Reply<Vec<JobView>> {
    let mut all = l.app.jobs().await?.newest(limit).await?;
    all.extend(l.app.team_jobs(limit));
    all.sort_by_key(|v| std::cmp::Reverse(v.created_at));
    all.truncate(limit);
    l.app.describe_jobs(&mut all).await;
    Ok(all)
}

#[tauri::command]
async fn cancel_job(l: Lib<'_>, job_id: Uuid) -> Reply<JobView> {
    let mut job = l.app.act_on_job(job_id, true).await?;
    l.app.describe_jobs(std::slice::from_mut(&mut job)).await;
    Ok(job)
}

#[tauri::command]
async fn retry_job(l: Lib<'_>, job_id: Uuid) -> Reply<JobView> {
    let mut job = l.app.act_on_job(job_id, false).await?;
    l.app.describe_jobs(std::slice::from_mut(&mut job)).await;
    Ok(job)
}

#[tauri::command]
async fn follow_team_jobs(l: Lib<'_>, course_id: Uuid) -> Reply<bool> {
    Ok(l.app.follow_team_jobs(course_id).await?)
}

#[tauri::command]
fn api_keys(l: Lib<'_>) -> Reply<ApiKeys> {
    Ok(l.app.api_keys()?)
}

#[tauri::command]
fn set_api_key(l: Lib<'_>, engine: String, key: String, session_only: bool) -> Reply<ApiKeys> {
    Ok(l.app.set_api_key(&engine, &key, session_only)?)
}

#[tauri::command]
fn forget_api_key(l: Lib<'_>, engine: String) -> Reply<ApiKeys> {
    Ok(l.app.forget_api_key(&engine)?)
}

#[tauri::command]
fn preferences<R: Runtime>(app: AppHandle<R>) -> Reply<Preferences> {
    settings::load(&app)
}

#[tauri::command]
fn save_preferences<R: Runtime>(app: AppHandle<R>, preferences: Preferences) -> Reply<()> {
    settings::save(&app, &preferences)
}

#[tauri::command]
async fn pick_lecture_file<R: Runtime>(app: AppHandle<R>) -> Reply<Option<PathBuf>> {
    dialogs::pick_lecture(&app).await
}

#[tauri::command]
async fn export_bundle<R: Runtime>(
    app: AppHandle<R>,
    l: Lib<'_>,
    course_id: Uuid,
) -> Reply<Option<BundleExport>> {
    dialogs::export_bundle(&app, &l, course_id).await
}

#[tauri::command]
async fn export_course<R: Runtime>(
    app: AppHandle<R>,
    l: Lib<'_>,
    course_id: Uuid,
    options: ExportOptions,
) -> Reply<Option<ExportReport>> {
    dialogs::export_course(&app, &l, course_id, &options).await
}

#[tauri::command]
async fn score_shadowing(
    l: Lib<'_>,
    reference: String,
    samples: Vec<f32>,
    rate: u32,
) -> Reply<ShadowingScore> {
    Ok(l.app.score_shadowing(&reference, samples, rate).await?)
}

#[tauri::command]
async fn score_pronunciation(
    l: Lib<'_>,
    text: String,
    ipa: String,
    language: String,
    samples: Vec<f32>,
    rate: u32,
) -> Reply<PronunciationScore> {
    Ok(l.app
        .score_pronunciation(&text, &ipa, &language, samples, rate)
        .await?)
}

#[tauri::command]
async fn preview_player<R: Runtime>(
    app: AppHandle<R>,
    l: Lib<'_>,
    course_id: Uuid,
    options: ExportOptions,
) -> Reply<ExportReport> {
    let folder = window::preview_folder(&app)
        .ok_or_else(|| AppError::Invalid("the app has no cache folder for the preview".into()))?;
    let report = l
        .app
        .export_player_folder(course_id, &options, &folder)
        .await?;
    let title = l.app.course(course_id).await?.course.title;
    window::open_player_preview(&app, &folder, &title).map_err(AppError::Invalid)?;
    Ok(report)
}

#[tauri::command]
async fn import_bundle<R: Runtime>(
    app: AppHandle<R>,
    l: Lib<'_>,
    as_copy: bool,
) -> Reply<Option<BundleImport>> {
    dialogs::import_bundle(&app, &l, as_copy).await
}

#[tauri::command]
async fn team_status(l: Lib<'_>) -> Reply<TeamStatus> {
    Ok(l.app.team_overview().await?)
}

#[tauri::command]
async fn test_team_connection(l: Lib<'_>, url: String, token: String) -> Reply<Me> {
    let token = TokenSource::Typed(TeamToken::new(&token));
    Ok(l.app.test_team_connection(&url, token).await?)
}

#[tauri::command]
async fn set_team_server(l: Lib<'_>, url: String, token: String) -> Reply<RemoteView> {
    let token = TokenSource::Typed(TeamToken::new(&token));
    Ok(l.app.set_remote(&url, token).await?)
}

#[tauri::command]
async fn team_worker(l: Lib<'_>) -> Reply<Option<TeamWorkerView>> {
    Ok(l.app.team_worker().await?)
}

#[tauri::command]
async fn set_team_worker(
    l: Lib<'_>,
    w: State<'_, Workers>,
    redis_url: String,
    token: String,
    concurrency: u32,
) -> Reply<TeamWorkerView> {
    let set = l
        .app
        .set_team_worker(&redis_url, TeamToken::new(&token), concurrency)
        .await?;
    w.restart_team(&l.app).await?;
    Ok(set)
}

#[tauri::command]
async fn turn_off_team_worker(l: Lib<'_>, w: State<'_, Workers>) -> Reply<()> {
    l.app.turn_off_team_worker().await?;
    w.stop_team().await;
    Ok(())
}

#[tauri::command]
async fn sync_now(l: Lib<'_>) -> Reply<TeamStatus> {
    l.app.sync(None).await?;
    Ok(l.app.team_overview().await?)
}

#[tauri::command]
async fn share_course(l: Lib<'_>, course_id: Uuid) -> Reply<SyncOutcome> {
    Ok(l.app.share_course(course_id).await?)
}

#[tauri::command]
async fn team_courses(l: Lib<'_>) -> Reply<Vec<TeamCourse>> {
    Ok(l.app.team_courses().await?)
}

#[tauri::command]
async fn open_team_course(l: Lib<'_>, course_id: Uuid) -> Reply<SyncOutcome> {
    Ok(l.app.open_team_course(course_id).await?)
}

#[tauri::command]
async fn team_members(l: Lib<'_>, course_id: Uuid) -> Reply<Vec<Member>> {
    Ok(l.app.team_members(course_id).await?)
}

#[tauri::command]
async fn conflicts(l: Lib<'_>, course_id: Option<Uuid>) -> Reply<Vec<ConflictView>> {
    Ok(l.app.conflict_views(course_id).await?)
}

#[tauri::command]
async fn resolve_conflict(l: Lib<'_>, conflict_id: Uuid, choice: KeepChoice) -> Reply<()> {
    Ok(l.app.settle_conflict(conflict_id, choice).await?)
}

#[rustfmt::skip]
commands![
    list_courses, course, import_lecture, create_course, add_slide, edit_slide, move_slide,
    draft_verdicts, slide_pictures, slide_media, add_component, component, save_component, set_ready, delete_component,
    use_slide_picture, grade, history, diff, restore, undo_state, undo, redo, dispatch, jobs, cancel_job, retry_job,
    follow_team_jobs,
    api_keys, set_api_key, forget_api_key, preferences, save_preferences, pick_lecture_file,
    export_bundle, import_bundle, export_course, score_shadowing, score_pronunciation, preview_player, team_status, test_team_connection, set_team_server, sync_now,
    team_worker, set_team_worker, turn_off_team_worker,
    share_course, team_courses, open_team_course, team_members, conflicts, resolve_conflict,
];
