//! The system's file dialogs: a lecture or a bundle to import, where to write a bundle or a
//! package for learners.

use crate::{Library, Reply};
use classkit_app::{AppError, BundleExport, BundleImport};
use classkit_export::{ExportOptions, ExportReport, Format};
use std::path::PathBuf;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};
use uuid::Uuid;

/// What a dialog answered: a local path, or `None` when it was closed.
async fn answer(
    picked: tokio::sync::oneshot::Receiver<Option<FilePath>>,
) -> Reply<Option<PathBuf>> {
    picked
        .await
        .unwrap_or(None)
        .map(|f| {
            f.into_path().map_err(|e| {
                AppError::Invalid(format!("the chosen file has no local path: {e}")).to_wire()
            })
        })
        .transpose()
}

async fn pick<R: Runtime>(dialog: FileDialogBuilder<R>) -> Reply<Option<PathBuf>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    dialog.pick_file(move |file| {
        let _ = tx.send(file);
    });
    answer(rx).await
}

/// A lecture file to import; `None` when the dialog was closed.
pub async fn pick_lecture<R: Runtime>(app: &AppHandle<R>) -> Reply<Option<PathBuf>> {
    pick(
        app.dialog()
            .file()
            .set_title("Import a lecture")
            .add_filter("Lecture (Markdown or text)", &["md", "markdown", "txt"]),
    )
    .await
}

/// Reads a course bundle the instructor chooses into the library; `None` when the dialog
/// was closed.
pub async fn import_bundle<R: Runtime>(
    app: &AppHandle<R>,
    library: &Library,
    as_copy: bool,
) -> Reply<Option<BundleImport>> {
    let dialog = app
        .dialog()
        .file()
        .set_title("Import a course bundle")
        .add_filter("ClassKit course bundle", &["classkit", "zip"]);
    match pick(dialog).await? {
        Some(path) => Ok(Some(library.app.import_bundle(&path, as_copy).await?)),
        None => Ok(None),
    }
}

/// Writes a course bundle where the instructor chooses; `None` when the dialog was closed.
pub async fn export_bundle<R: Runtime>(
    app: &AppHandle<R>,
    library: &Library,
    course_id: Uuid,
) -> Reply<Option<BundleExport>> {
    let course = library.app.course(course_id).await?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Export the course")
        .set_file_name(format!("{}.classkit", file_name(&course.course.title)))
        .add_filter("ClassKit course bundle", &["classkit"])
        .save_file(move |file| {
            let _ = tx.send(file);
        });
    match answer(rx).await? {
        Some(path) => Ok(Some(library.app.export_bundle(course_id, &path).await?)),
        None => Ok(None),
    }
}

/// Writes a package for learners (the web player or SCORM) where the instructor chooses;
/// `None` when the dialog was closed.
pub async fn export_course<R: Runtime>(
    app: &AppHandle<R>,
    library: &Library,
    course_id: Uuid,
    options: &ExportOptions,
) -> Reply<Option<ExportReport>> {
    let course = library.app.course(course_id).await?;
    let suffix = match options.format {
        Format::Web => "web",
        Format::Scorm12 => "scorm12",
        Format::Scorm2004 => "scorm2004",
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Export for learners")
        .set_file_name(format!("{}-{suffix}.zip", file_name(&course.course.title)))
        .add_filter("Zip package", &["zip"])
        .save_file(move |file| {
            let _ = tx.send(file);
        });
    match answer(rx).await? {
        Some(path) => Ok(Some(
            library.app.export_course(course_id, options, &path).await?,
        )),
        None => Ok(None),
    }
}

/// A course title as a file name: letters, digits and `-`, at most 80 characters.
pub fn file_name(title: &str) -> String {
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
