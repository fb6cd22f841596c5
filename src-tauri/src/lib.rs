//! ClassKit Studio's desktop shell. Every command is one call into `classkit-app`; its errors
//! cross to the UI as `{code, message, details}`.

use classkit_app::{App, WireError};

/// The open library.
pub struct Library(pub App);

type Reply<T> = Result<T, WireError>;

/// The commands the UI calls, one line each into `classkit-app`. (In a module of their own:
/// Tauri's command macro cannot export them from the crate root.)
mod commands {
    use super::{Library, Reply};
    use classkit_app::ImportSummary;
    use classkit_model::CourseTree;
    use classkit_store::CourseSummary;
    use std::path::PathBuf;
    use tauri::State;
    use uuid::Uuid;

    /// Every course in the library.
    #[tauri::command]
    pub async fn list_courses(library: State<'_, Library>) -> Reply<Vec<CourseSummary>> {
        library.0.courses().await.map_err(|e| e.to_wire())
    }

    /// A course with its lessons, slides and components.
    #[tauri::command]
    pub async fn course(library: State<'_, Library>, course_id: Uuid) -> Reply<CourseTree> {
        library.0.course(course_id).await.map_err(|e| e.to_wire())
    }

    /// Imports a lecture file as a new course.
    #[tauri::command]
    pub async fn import_lecture(
        library: State<'_, Library>,
        path: PathBuf,
        title: Option<String>,
    ) -> Reply<ImportSummary> {
        library
            .0
            .import_lecture_file(&path, title.as_deref())
            .await
            .map_err(|e| e.to_wire())
    }
}

/// The app's commands, for the builder (and for tests on the mock runtime).
pub fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::list_courses,
        commands::course,
        commands::import_lecture
    ])
}

/// The app's configuration, capabilities and assets.
pub fn context() -> tauri::Context<tauri::Wry> {
    tauri::generate_context!()
}
