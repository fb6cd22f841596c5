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

/// The URI scheme the webview loads stored files from: `classkit://localhost/<sha256>`
/// (`http://classkit.localhost/<sha256>` on Windows).
pub const ASSET_SCHEME: &str = "classkit";

/// The open library and the queue its bundled workers serve.
pub struct Library {
    pub app: App,
    pub queue: Arc<dyn Queue>,
}

/// The bundled workers, stopped when the app exits.
pub struct Workers(pub Mutex<Option<BundledWorkers>>);

/// Opens (or creates) the library in `dir` and starts workers over its local queue (solo
/// mode: no server needed).
pub async fn open_library(dir: &Path, concurrency: usize) -> Result<(Library, Workers), AppError> {
    let app = App::open(dir).await?;
    let workers = app.start_bundled_workers(concurrency).await?;
    let queue = workers.queue();
    Ok((Library { app, queue }, Workers(Mutex::new(Some(workers)))))
}

type Reply<T> = Result<T, WireError>;

fn wire(e: AppError) -> WireError {
    e.to_wire()
}

/// The commands the UI calls, one line each into `classkit-app`. (In a module of their own:
/// Tauri's command macro cannot export them from the crate root.)
mod commands {
    use super::{Library, Reply, wire};
    use classkit_app::ImportSummary;
    use classkit_app::generate::{AssembleOptions, Part, Scope};
    use classkit_app::studio::{
        ComponentView, Dispatched, JobView, Preferences, RevisionDiff, SlideChanges, SlideMedia,
    };
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

    /// Asks the instructor for a lecture file with the system's file dialog; `None` when
    /// the dialog was closed.
    #[tauri::command]
    pub async fn pick_lecture_file<R: Runtime>(app: AppHandle<R>) -> Reply<Option<PathBuf>> {
        crate::dialogs::pick_lecture(&app).await
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
        let picked = rx.await.unwrap_or(None);
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
        ])
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

/// Stops the bundled workers: running jobs finish or are given back to the queue.
pub fn stop_workers<R: Runtime>(handle: &tauri::AppHandle<R>) {
    if let Some(workers) = handle.try_state::<Workers>()
        && let Some(workers) = workers.0.lock().ok().and_then(|mut w| w.take())
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
) -> tauri::Builder<R> {
    builder.manage(library).manage(workers).setup(|app| {
        forward_job_events(app.handle().clone());
        Ok(())
    })
}
