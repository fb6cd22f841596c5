//! ClassKit Studio's desktop shell. Every command is one call into `classkit-app`; its errors
//! cross to the UI as `{code, message, details}`. The shell adds what only a desktop app has:
//! the window, bundled workers and their live events, stored files served to the webview,
//! the file dialog and the instructor's preferences.

use classkit_app::studio::JobView;
use classkit_app::{App, AppError, BundledWorkers, WireError};
use classkit_jobs::Queue;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tauri::{Emitter, Manager, Runtime};

/// The event carrying a job's new state to the UI (a [`JobView`]).
pub const JOB_EVENT: &str = "job";

/// The event telling the UI of a save in the library (a `classkit_store::Saved`), by this
/// app, a worker or another process.
pub const SAVED_EVENT: &str = "saved";

/// The URI scheme the webview loads stored files from: `classkit://localhost/<sha256>`
/// (`http://classkit.localhost/<sha256>` on Windows).
pub const ASSET_SCHEME: &str = "classkit";

/// The open library and the queue its bundled workers serve.
pub struct Library {
    pub app: App,
    pub queue: Arc<dyn Queue>,
}

/// Where API keys are kept: the OS keyring, unless it was turned off
/// (`CLASSKIT_KEYRING=off`) or the system has none.
pub struct Keyring {
    /// Why the OS keyring is not used; `None` when it is.
    pub unavailable: Mutex<Option<String>>,
    /// Keys typed for this session only, by engine (their values live in classkit-engines).
    pub session: Mutex<std::collections::HashSet<String>>,
    /// Keys found in the keyring, by engine.
    pub stored: Mutex<std::collections::HashSet<String>>,
}

impl Keyring {
    /// The OS keyring, or none when `CLASSKIT_KEYRING=off`.
    pub fn from_env() -> Self {
        let off = std::env::var("CLASSKIT_KEYRING").is_ok_and(|v| v.eq_ignore_ascii_case("off"));
        if off {
            Self::disabled("turned off by CLASSKIT_KEYRING=off")
        } else {
            Self::with(None)
        }
    }

    /// No OS keyring: keys are kept for the session only.
    pub fn disabled(why: &str) -> Self {
        Self::with(Some(why.to_string()))
    }

    fn with(unavailable: Option<String>) -> Self {
        Self {
            unavailable: Mutex::new(unavailable),
            session: Mutex::default(),
            stored: Mutex::default(),
        }
    }
}

/// The bundled workers: started once the window is up, stopped when the app exits.
pub struct Workers {
    concurrency: usize,
    running: Mutex<Option<BundledWorkers>>,
}

/// Opens (or creates) the library in `dir` and its local queue; workers are started over it
/// (solo mode: no server needed) once the app is set up, so the window does not wait for the
/// engines to load.
pub async fn open_library(dir: &Path, concurrency: usize) -> Result<(Library, Workers), AppError> {
    let app = App::open(dir).await?;
    let queue = app.local_queue().await?;
    Ok((
        Library { app, queue },
        Workers {
            concurrency,
            running: Mutex::new(None),
        },
    ))
}

/// Starts the bundled workers over the library's queue, in the background.
fn start_workers<R: Runtime>(handle: tauri::AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let (Some(library), Some(workers)) =
            (handle.try_state::<Library>(), handle.try_state::<Workers>())
        else {
            return;
        };
        match library
            .app
            .start_bundled_workers_on(library.queue.clone(), workers.concurrency)
            .await
        {
            Ok(started) => {
                *workers
                    .running
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(started);
            }
            Err(e) => {
                tracing::error!(error = %e, "the bundled workers could not start");
                let _ = handle.emit(WORKERS_FAILED_EVENT, e.to_wire());
            }
        }
    });
}

/// The event telling the UI that generation cannot run (a [`WireError`]).
pub const WORKERS_FAILED_EVENT: &str = "workers-failed";

type Reply<T> = Result<T, WireError>;

fn wire(e: AppError) -> WireError {
    e.to_wire()
}

/// The commands the UI calls, one line each into `classkit-app`. (In a module of their own:
/// Tauri's command macro cannot export them from the crate root.)
mod commands {
    use super::{Keyring, Library, Reply, wire};
    use classkit_app::generate::{AssembleOptions, Part, Scope};
    use classkit_app::studio::ApiKeys;
    use classkit_app::studio::{
        ComponentView, Dispatched, JobView, Preferences, RevisionDiff, SlideChanges, SlideMedia,
    };
    use classkit_app::{BundleExport, BundleImport, ImportSummary};
    use classkit_model::{ComponentType, Course, CourseTree, Grade, Slide};
    use classkit_store::{CourseSummary, Restored, Revision};
    use serde_json::Value;
    use std::path::PathBuf;
    use tauri::{AppHandle, Runtime, State};
    use uuid::Uuid;

    /// Every course in the library.
    #[tauri::command]
    pub async fn list_courses(library: State<'_, Library>) -> Reply<Vec<CourseSummary>> {
        library.app.courses().await.map_err(wire)
    }

    /// A course with its lessons, slides and components.
    #[tauri::command]
    pub async fn course(library: State<'_, Library>, course_id: Uuid) -> Reply<CourseTree> {
        library.app.course(course_id).await.map_err(wire)
    }

    /// Imports a lecture file as a new course.
    #[tauri::command]
    pub async fn import_lecture(
        library: State<'_, Library>,
        path: PathBuf,
        title: Option<String>,
    ) -> Reply<ImportSummary> {
        library
            .app
            .import_lecture_file(&path, title.as_deref())
            .await
            .map_err(wire)
    }

    /// Creates an empty course.
    #[tauri::command]
    pub async fn create_course(
        library: State<'_, Library>,
        title: String,
        language: Option<String>,
    ) -> Reply<Course> {
        library
            .app
            .create_course(&title, language.as_deref())
            .await
            .map_err(wire)
    }

    /// Adds a slide at the end of a lesson.
    #[tauri::command]
    pub async fn add_slide(
        library: State<'_, Library>,
        lesson_id: Uuid,
        title: String,
    ) -> Reply<Slide> {
        library.app.add_slide(lesson_id, &title).await.map_err(wire)
    }

    /// Saves changes to a slide's text.
    #[tauri::command]
    pub async fn edit_slide(
        library: State<'_, Library>,
        slide_id: Uuid,
        changes: SlideChanges,
        expected_version: Option<i64>,
    ) -> Reply<Slide> {
        library
            .app
            .edit_slide(slide_id, changes, expected_version)
            .await
            .map_err(wire)
    }

    /// Moves a slide within its course.
    #[tauri::command]
    pub async fn move_slide(
        library: State<'_, Library>,
        slide_id: Uuid,
        lesson_id: Uuid,
        position: usize,
        expected_version: Option<i64>,
    ) -> Reply<Slide> {
        library
            .app
            .move_slide(slide_id, lesson_id, position, expected_version)
            .await
            .map_err(wire)
    }

    /// A slide's rendered page, thumbnail and narration.
    #[tauri::command]
    pub async fn slide_media(library: State<'_, Library>, slide_id: Uuid) -> Reply<SlideMedia> {
        library.app.slide_media(slide_id).await.map_err(wire)
    }

    /// Attaches a new empty draft component to a slide.
    #[tauri::command]
    pub async fn new_component(
        library: State<'_, Library>,
        slide_id: Uuid,
        component_type: ComponentType,
    ) -> Reply<ComponentView> {
        library
            .app
            .new_component(slide_id, component_type)
            .await
            .map_err(wire)
    }

    /// A component with the rules it breaks.
    #[tauri::command]
    pub async fn component(
        library: State<'_, Library>,
        component_id: Uuid,
    ) -> Reply<ComponentView> {
        library.app.component_view(component_id).await.map_err(wire)
    }

    /// Saves a component's payload.
    #[tauri::command]
    pub async fn save_component(
        library: State<'_, Library>,
        component_id: Uuid,
        payload: Value,
        expected_version: Option<i64>,
    ) -> Reply<ComponentView> {
        library
            .app
            .save_component(component_id, payload, expected_version)
            .await
            .map_err(wire)
    }

    /// Marks a component ready (when valid) or draft.
    #[tauri::command]
    pub async fn set_ready(
        library: State<'_, Library>,
        component_id: Uuid,
        ready: bool,
    ) -> Reply<ComponentView> {
        library
            .app
            .set_ready(component_id, ready)
            .await
            .map_err(wire)
    }

    /// Grades a learner's response with the model's grading functions.
    #[tauri::command]
    pub fn grade(component_type: ComponentType, payload: Value, response: Value) -> Reply<Grade> {
        classkit_app::grade(component_type, &payload, &response).map_err(wire)
    }

    /// Every saved version of a slide or component.
    #[tauri::command]
    pub async fn history(library: State<'_, Library>, id: Uuid) -> Reply<Vec<Revision>> {
        library.app.history(id).await.map_err(wire)
    }

    /// What changed between two versions.
    #[tauri::command]
    pub async fn diff(
        library: State<'_, Library>,
        id: Uuid,
        from_version: i64,
        to_version: i64,
    ) -> Reply<RevisionDiff> {
        library
            .app
            .diff(id, from_version, to_version)
            .await
            .map_err(wire)
    }

    /// Restores an earlier version as a new version.
    #[tauri::command]
    pub async fn restore(library: State<'_, Library>, id: Uuid, version: i64) -> Reply<Restored> {
        library.app.restore(id, version).await.map_err(wire)
    }

    /// Queues the generation a course, lesson or slide still needs on the bundled workers.
    #[tauri::command]
    pub async fn dispatch(
        library: State<'_, Library>,
        course_id: Uuid,
        scope: Scope,
        parts: Vec<Part>,
    ) -> Reply<Dispatched> {
        let options = AssembleOptions {
            parts,
            scope,
            ..AssembleOptions::default()
        };
        library
            .app
            .dispatch(&*library.queue, course_id, &options)
            .await
            .map_err(wire)
    }

    /// The newest jobs, for the job tray.
    #[tauri::command]
    pub async fn jobs(library: State<'_, Library>, limit: usize) -> Reply<Vec<JobView>> {
        library.app.jobs(&*library.queue, limit).await.map_err(wire)
    }

    /// Cancels a job.
    #[tauri::command]
    pub async fn cancel_job(library: State<'_, Library>, job_id: Uuid) -> Reply<JobView> {
        library
            .app
            .cancel_job(&*library.queue, job_id)
            .await
            .map_err(wire)
    }

    /// Queues a dead or cancelled job again.
    #[tauri::command]
    pub async fn retry_job(library: State<'_, Library>, job_id: Uuid) -> Reply<JobView> {
        library
            .app
            .retry_job(&*library.queue, job_id)
            .await
            .map_err(wire)
    }

    /// The instructor's preferences.
    #[tauri::command]
    pub fn preferences<R: Runtime>(app: AppHandle<R>) -> Reply<Preferences> {
        crate::settings::load(&app)
    }

    /// Saves the instructor's preferences.
    #[tauri::command]
    pub fn save_preferences<R: Runtime>(app: AppHandle<R>, preferences: Preferences) -> Reply<()> {
        crate::settings::save(&app, &preferences)
    }

    /// Removes a component from its slide.
    #[tauri::command]
    pub async fn delete_component(
        library: State<'_, Library>,
        component_id: Uuid,
        expected_version: Option<i64>,
    ) -> Reply<()> {
        library
            .app
            .delete_component(component_id, expected_version)
            .await
            .map_err(wire)
    }

    /// Puts the slide's rendered picture under a HOTSPOT.
    #[tauri::command]
    pub async fn use_slide_picture(
        library: State<'_, Library>,
        component_id: Uuid,
    ) -> Reply<ComponentView> {
        library
            .app
            .use_slide_picture(component_id)
            .await
            .map_err(wire)
    }

    /// The paid engines and where their keys come from (never the keys themselves).
    #[tauri::command]
    pub fn api_keys(library: State<'_, Library>, keyring: State<'_, Keyring>) -> Reply<ApiKeys> {
        crate::secrets::status(&library, &keyring)
    }

    /// Keeps an engine's API key in the OS keyring (or for this session only).
    #[tauri::command]
    pub fn set_api_key(
        library: State<'_, Library>,
        keyring: State<'_, Keyring>,
        engine: String,
        key: String,
        session_only: bool,
    ) -> Reply<ApiKeys> {
        crate::secrets::set(&library, &keyring, &engine, &key, session_only)
    }

    /// Forgets an engine's API key.
    #[tauri::command]
    pub fn forget_api_key(
        library: State<'_, Library>,
        keyring: State<'_, Keyring>,
        engine: String,
    ) -> Reply<ApiKeys> {
        crate::secrets::forget(&library, &keyring, &engine)
    }

    /// Writes a course bundle where the instructor chooses; `None` when the dialog was
    /// closed.
    #[tauri::command]
    pub async fn export_bundle<R: Runtime>(
        app: AppHandle<R>,
        library: State<'_, Library>,
        course_id: Uuid,
    ) -> Reply<Option<BundleExport>> {
        let course = library.app.course(course_id).await.map_err(wire)?;
        let name = format!("{}.classkit", crate::file_name(&course.course.title));
        match crate::dialogs::save_bundle(&app, &name).await? {
            Some(path) => library
                .app
                .export_bundle(course_id, &path)
                .await
                .map(Some)
                .map_err(wire),
            None => Ok(None),
        }
    }

    /// Reads a course bundle the instructor chooses into the library; `None` when the
    /// dialog was closed.
    #[tauri::command]
    pub async fn import_bundle<R: Runtime>(
        app: AppHandle<R>,
        library: State<'_, Library>,
        as_copy: bool,
    ) -> Reply<Option<BundleImport>> {
        match crate::dialogs::pick_bundle(&app).await? {
            Some(path) => library
                .app
                .import_bundle(&path, as_copy)
                .await
                .map(Some)
                .map_err(wire),
            None => Ok(None),
        }
    }

    /// Asks the instructor for a lecture file with the system's file dialog; `None` when
    /// the dialog was closed.
    #[tauri::command]
    pub async fn pick_lecture_file<R: Runtime>(app: AppHandle<R>) -> Reply<Option<PathBuf>> {
        crate::dialogs::pick_lecture(&app).await
    }
}

mod secrets {
    use super::{Keyring, Library, Reply};
    use classkit_app::WireError;
    use classkit_app::studio::{ApiKeyStatus, ApiKeys, KeySource};
    use classkit_engines::Secret;
    use std::sync::Mutex;

    /// The keyring's service name; each engine's key is an entry named by the engine id.
    const SERVICE: &str = "app.classkit.studio";
    /// Longest key accepted.
    const MAX_KEY: usize = 4096;

    fn error(code: &'static str, message: String) -> WireError {
        WireError {
            code,
            message,
            details: serde_json::Value::Null,
        }
    }

    fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
        m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn entry(engine: &str) -> Result<keyring::Entry, keyring::Error> {
        keyring::Entry::new(SERVICE, engine)
    }

    fn reason(e: &keyring::Error) -> String {
        match e {
            keyring::Error::NoStorageAccess(inner) | keyring::Error::PlatformFailure(inner) => {
                format!("no OS keyring (secret service) is reachable: {inner}")
            }
            other => other.to_string(),
        }
    }

    /// Reads the keys of the library's paid engines from the keyring and gives them to the
    /// engines. Run once at start, off the UI thread.
    pub fn load(library: &Library, keyring: &Keyring) {
        if lock(&keyring.unavailable).is_some() {
            return;
        }
        let Ok(engines) = library.app.paid_engines() else {
            return;
        };
        for engine in engines {
            match entry(&engine.id).and_then(|e| e.get_password()) {
                Ok(key) => {
                    classkit_engines::secret::give_key(&engine.id, Secret::new(key));
                    lock(&keyring.stored).insert(engine.id);
                }
                Err(keyring::Error::NoEntry) => {}
                Err(e) => {
                    *lock(&keyring.unavailable) = Some(reason(&e));
                    return;
                }
            }
        }
    }

    pub fn status(library: &Library, keyring: &Keyring) -> Reply<ApiKeys> {
        let engines = library.app.paid_engines().map_err(|e| e.to_wire())?;
        let stored = lock(&keyring.stored);
        let session = lock(&keyring.session);
        let engines = engines
            .into_iter()
            .map(|engine| {
                let from_env = engine
                    .api_key_env
                    .as_deref()
                    .is_some_and(|v| Secret::from_env(v).is_some());
                let source = if stored.contains(&engine.id) {
                    KeySource::Keyring
                } else if session.contains(&engine.id) {
                    KeySource::Session
                } else if from_env {
                    KeySource::Environment
                } else {
                    KeySource::None
                };
                ApiKeyStatus { engine, source }
            })
            .collect();
        Ok(ApiKeys {
            keyring_unavailable: lock(&keyring.unavailable).clone(),
            engines,
        })
    }

    pub fn set(
        library: &Library,
        keyring: &Keyring,
        engine: &str,
        key: &str,
        session_only: bool,
    ) -> Reply<ApiKeys> {
        let engines = library.app.paid_engines().map_err(|e| e.to_wire())?;
        if !engines.iter().any(|e| e.id == engine) {
            return Err(error(
                "not_found",
                format!("there is no paid engine {engine:?} in this library's engines.toml"),
            ));
        }
        let key = key.trim();
        if key.is_empty() {
            return Err(error("invalid_input", "the API key is empty".into()));
        }
        if key.chars().count() > MAX_KEY || key.chars().any(char::is_control) {
            return Err(error(
                "invalid_input",
                format!(
                    "that is not an API key: at most {MAX_KEY} characters, with no line breaks or control characters"
                ),
            ));
        }
        if session_only {
            // A key typed for the session replaces a kept one for good: the kept one must not
            // come back at the next start.
            if lock(&keyring.stored).remove(engine) {
                match entry(engine).and_then(|e| e.delete_credential()) {
                    Ok(()) | Err(keyring::Error::NoEntry) => {}
                    Err(e) => return Err(error("keyring_unavailable", reason(&e))),
                }
            }
            lock(&keyring.session).insert(engine.to_string());
        } else {
            if let Some(why) = lock(&keyring.unavailable).clone() {
                return Err(error(
                    "keyring_unavailable",
                    format!(
                        "the key cannot be kept: {why}. Keep it for this session only, or set the engine's environment variable"
                    ),
                ));
            }
            if let Err(e) = entry(engine).and_then(|e| e.set_password(key)) {
                let why = reason(&e);
                *lock(&keyring.unavailable) = Some(why.clone());
                return Err(error(
                    "keyring_unavailable",
                    format!(
                        "the key cannot be kept: {why}. Keep it for this session only, or set the engine's environment variable"
                    ),
                ));
            }
            lock(&keyring.stored).insert(engine.to_string());
            lock(&keyring.session).remove(engine);
        }
        classkit_engines::secret::give_key(engine, Secret::new(key));
        status(library, keyring)
    }

    pub fn forget(library: &Library, keyring: &Keyring, engine: &str) -> Reply<ApiKeys> {
        if lock(&keyring.stored).remove(engine) {
            match entry(engine).and_then(|e| e.delete_credential()) {
                Ok(()) | Err(keyring::Error::NoEntry) => {}
                Err(e) => return Err(error("keyring_unavailable", reason(&e))),
            }
        }
        lock(&keyring.session).remove(engine);
        classkit_engines::secret::forget_key(engine);
        status(library, keyring)
    }
}

mod dialogs {
    use super::Reply;
    use classkit_app::WireError;
    use std::path::PathBuf;
    use tauri::{AppHandle, Runtime};
    use tauri_plugin_dialog::DialogExt;

    pub async fn pick_lecture<R: Runtime>(app: &AppHandle<R>) -> Reply<Option<PathBuf>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        app.dialog()
            .file()
            .set_title("Import a lecture")
            .add_filter("Lecture (Markdown or text)", &["md", "markdown", "txt"])
            .pick_file(move |file| {
                let _ = tx.send(file);
            });
        local(rx.await.unwrap_or(None))
    }

    /// A course bundle to import.
    pub async fn pick_bundle<R: Runtime>(app: &AppHandle<R>) -> Reply<Option<PathBuf>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        app.dialog()
            .file()
            .set_title("Import a course bundle")
            .add_filter("ClassKit course bundle", &["classkit", "zip"])
            .pick_file(move |file| {
                let _ = tx.send(file);
            });
        local(rx.await.unwrap_or(None))
    }

    /// Where to write a course bundle.
    pub async fn save_bundle<R: Runtime>(
        app: &AppHandle<R>,
        suggested: &str,
    ) -> Reply<Option<PathBuf>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        app.dialog()
            .file()
            .set_title("Export the course")
            .set_file_name(suggested)
            .add_filter("ClassKit course bundle", &["classkit"])
            .save_file(move |file| {
                let _ = tx.send(file);
            });
        local(rx.await.unwrap_or(None))
    }

    fn local(picked: Option<tauri_plugin_dialog::FilePath>) -> Reply<Option<PathBuf>> {
        picked
            .map(|f| {
                f.into_path().map_err(|e| WireError {
                    code: "io_error",
                    message: format!("the chosen file has no local path: {e}"),
                    details: serde_json::Value::Null,
                })
            })
            .transpose()
    }
}

mod settings {
    use super::Reply;
    use classkit_app::WireError;
    use classkit_app::studio::Preferences;
    use tauri::{AppHandle, Runtime};
    use tauri_plugin_store::StoreExt;

    /// The preferences file in the app's config folder.
    const FILE: &str = "preferences.json";
    const KEY: &str = "preferences";

    fn failed(what: &str, e: impl std::fmt::Display) -> WireError {
        WireError {
            code: "settings_error",
            message: format!("{what} the preferences ({FILE}): {e}"),
            details: serde_json::Value::Null,
        }
    }

    pub fn load<R: Runtime>(app: &AppHandle<R>) -> Reply<Preferences> {
        let store = app.store(FILE).map_err(|e| failed("cannot open", e))?;
        // Preferences a newer or older app wrote, or damaged by hand, fall back to defaults.
        Ok(store
            .get(KEY)
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default())
    }

    pub fn save<R: Runtime>(app: &AppHandle<R>, preferences: &Preferences) -> Reply<()> {
        let store = app.store(FILE).map_err(|e| failed("cannot open", e))?;
        let value = serde_json::to_value(preferences).map_err(|e| failed("cannot write", e))?;
        store.set(KEY, value);
        store.save().map_err(|e| failed("cannot save", e))
    }
}

/// The app's commands, plugins and asset scheme, for the builder (and for tests on the mock
/// runtime).
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(
            tauri::plugin::Builder::<R>::new("navigation-guard")
                .on_navigation(|_, url| {
                    let allowed = own_page(url);
                    if !allowed {
                        tracing::warn!(%url, "refused to leave the app's own pages");
                    }
                    allowed
                })
                .build(),
        )
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .register_asynchronous_uri_scheme_protocol(ASSET_SCHEME, |ctx, request, responder| {
            let app = ctx.app_handle().clone();
            tauri::async_runtime::spawn(async move {
                responder.respond(serve_asset(&app, request.uri().path()).await);
            });
        })
        .invoke_handler(tauri::generate_handler![
            commands::list_courses,
            commands::course,
            commands::import_lecture,
            commands::create_course,
            commands::add_slide,
            commands::edit_slide,
            commands::move_slide,
            commands::slide_media,
            commands::new_component,
            commands::component,
            commands::save_component,
            commands::set_ready,
            commands::grade,
            commands::history,
            commands::diff,
            commands::restore,
            commands::dispatch,
            commands::jobs,
            commands::cancel_job,
            commands::retry_job,
            commands::preferences,
            commands::save_preferences,
            commands::pick_lecture_file,
            commands::delete_component,
            commands::use_slide_picture,
            commands::api_keys,
            commands::set_api_key,
            commands::forget_api_key,
            commands::export_bundle,
            commands::import_bundle,
        ])
}

/// A course title as a file name: letters, digits and `-`, at most 80 characters.
fn file_name(title: &str) -> String {
    let name: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let name: String = name.chars().take(80).collect();
    if name.is_empty() {
        "course".into()
    } else {
        name
    }
}

/// The media types the webview may load from the library: those the library keeps.
fn servable(media_type: &str) -> bool {
    classkit_store::is_media_type(media_type)
}

/// Whether the main window may show `url`: only the app's own pages (and, in a debug build
/// without the bundled UI, the Vite dev server). A link in a slide's text, or a page of the
/// library's files, never replaces the app.
pub fn own_page(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => {
            url.host_str() == Some("tauri.localhost")
                || (cfg!(dev) && url.host_str() == Some("localhost") && url.port() == Some(5173))
        }
        _ => false,
    }
}

/// A stored file by its sha256 (the only names served: nothing else of the disk is
/// reachable), with its media type.
async fn serve_asset<R: Runtime>(
    app: &tauri::AppHandle<R>,
    path: &str,
) -> tauri::http::Response<Vec<u8>> {
    use tauri::http::{Response, StatusCode, header};
    let reply = |status: StatusCode, media: &str, body: Vec<u8>| {
        Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, media)
            .header(header::CACHE_CONTROL, "max-age=31536000, immutable")
            // A stored file is only ever a picture or a sound: never a page that runs.
            .header("X-Content-Type-Options", "nosniff")
            .header("Content-Security-Policy", "default-src 'none'; sandbox")
            .body(body)
            .unwrap_or_default()
    };
    let sha = path.trim_start_matches('/');
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return reply(
            StatusCode::BAD_REQUEST,
            "text/plain",
            b"not an asset".to_vec(),
        );
    }
    let Some(library) = app.try_state::<Library>() else {
        return reply(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/plain",
            b"no library".to_vec(),
        );
    };
    let asset = classkit_model::AssetRef(sha.to_ascii_lowercase());
    let store = library.app.store();
    match store.asset_info(&asset).await {
        Ok(info) => match store.asset_bytes(&asset).await {
            // Only pictures and sounds are served (SVG can hold script, so it is not one).
            Ok(_) if !servable(&info.media_type) => reply(
                StatusCode::FORBIDDEN,
                "text/plain",
                b"not a picture or a sound".to_vec(),
            ),
            Ok(bytes) => reply(StatusCode::OK, &info.media_type, bytes),
            Err(e) => reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/plain",
                e.to_string().into_bytes(),
            ),
        },
        Err(_) => reply(
            StatusCode::NOT_FOUND,
            "text/plain",
            b"no such asset".to_vec(),
        ),
    }
}

/// Forwards every job event of the library's queue to the UI as a [`JOB_EVENT`].
pub fn forward_job_events<R: Runtime>(handle: tauri::AppHandle<R>) {
    let Some(library) = handle.try_state::<Library>() else {
        return;
    };
    let queue = library.queue.clone();
    let mut events = queue.subscribe();
    tauri::async_runtime::spawn(async move {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            match events.recv().await {
                Ok(event) => {
                    if let Ok(job) = queue.get(event.job_id).await {
                        let _ = handle.emit(JOB_EVENT, JobView::of(&job));
                    }
                }
                // Missed events: the tray reloads the list on the next one it gets.
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => break,
            }
        }
    });
}

/// Without a GPU (no `/dev/dri`: a virtual machine, Xvfb, a remote desktop), WebKitGTK's
/// accelerated compositing falls back to a slow software path: measured here, frames of
/// ~47 ms while scrolling and 410 MiB in WebKit's processes, against 16 ms and 270 MiB without
/// it (`scripts/bench-desktop`). So it is not used there, unless the user chose a mode by
/// setting `WEBKIT_DISABLE_COMPOSITING_MODE` themselves.
#[cfg(target_os = "linux")]
fn tune_webview<R: Runtime>(window: &tauri::WebviewWindow<R>) {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_some()
        || std::path::Path::new("/dev/dri").exists()
    {
        return;
    }
    let _ = window.with_webview(|webview| {
        if let Some(settings) = webview.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
}

#[cfg(not(target_os = "linux"))]
fn tune_webview<R: Runtime>(_window: &tauri::WebviewWindow<R>) {}

/// Forwards every save in the library to the UI as a [`SAVED_EVENT`]: the library's
/// revisions are read in order every half second, so saves by workers and by other
/// processes (the command line) arrive as well as the app's own.
pub fn forward_saves<R: Runtime>(handle: tauri::AppHandle<R>) {
    let Some(library) = handle.try_state::<Library>() else {
        return;
    };
    let store = library.app.store().clone();
    tauri::async_runtime::spawn(async move {
        let mut last = match store.last_save().await {
            Ok(seq) => seq,
            Err(e) => {
                tracing::warn!(error = %e, "saves are not forwarded to the UI");
                return;
            }
        };
        loop {
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            match store.saves_after(last, 500).await {
                Ok(saves) => {
                    for saved in saves {
                        last = saved.seq;
                        let _ = handle.emit(SAVED_EVENT, saved);
                    }
                }
                Err(e) => tracing::warn!(error = %e, "reading the library's saves"),
            }
        }
    });
}

/// Stops the bundled workers: running jobs finish or are given back to the queue.
pub fn stop_workers<R: Runtime>(handle: &tauri::AppHandle<R>) {
    if let Some(workers) = handle.try_state::<Workers>()
        && let Some(workers) = workers.running.lock().ok().and_then(|mut w| w.take())
    {
        tauri::async_runtime::block_on(workers.stop());
    }
}

/// The app's configuration, capabilities and assets.
pub fn context() -> tauri::Context<tauri::Wry> {
    tauri::generate_context!()
}

/// The app's window has its library: used by `main` and the tests alike.
pub fn manage_library<R: Runtime>(
    builder: tauri::Builder<R>,
    library: Library,
    workers: Workers,
    keyring: Keyring,
) -> tauri::Builder<R> {
    builder
        .manage(library)
        .manage(workers)
        .manage(keyring)
        .setup(|app| {
            for window in app.webview_windows().values() {
                tune_webview(window);
            }
            start_background(app.handle().clone());
            Ok(())
        })
}

/// What runs beside the window once the app is set up: job events forwarded to the UI, the
/// bundled workers, and the engines' keys read from the OS keyring. (Called by the setup
/// hook; tests on the mock runtime, which has no event loop to run it, call it themselves.)
pub fn start_background<R: Runtime>(handle: tauri::AppHandle<R>) {
    forward_job_events(handle.clone());
    forward_saves(handle.clone());
    // The keys first (off the UI thread: a keyring may be slow to answer, or ask to be
    // unlocked), then the workers, so a paid job left queued never runs without its key.
    tauri::async_runtime::spawn(async move {
        let keys = handle.clone();
        let _ = tauri::async_runtime::spawn_blocking(move || {
            if let (Some(library), Some(keyring)) =
                (keys.try_state::<Library>(), keys.try_state::<Keyring>())
            {
                secrets::load(&library, &keyring);
            }
        })
        .await;
        start_workers(handle);
    });
}
