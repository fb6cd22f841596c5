//! ClassKit Studio application services: the one API that the desktop app, the CLI and the
//! tests call. Each method is a complete user action (import a lecture, edit a component,
//! restore a revision, export a bundle); callers add no logic of their own.

pub mod bench;
pub mod bundle;
mod error;
mod files;
pub mod generate;
pub mod illustrate;
pub mod import;
pub mod ipc;
pub mod jobs;
pub mod outline;
pub mod studio;

pub use bundle::{BundleExport, BundleImport};
pub use error::{AppError, WireError};
pub use files::{load_engines_config, open_regular, read_limited};
pub use import::{ImportError, Outline};
pub use jobs::{BundledWorkers, open_queue};

use classkit_model::{
    ComponentStatus, ComponentType, CourseTree, Grade, LearningComponent, ValidationIssue,
};
use classkit_store::{AssetLimits, CourseSummary, NewComponent, Restored, Revision, Store};
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tracing::instrument;
use uuid::Uuid;

/// Results of the application services.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// What importing a lecture created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ImportSummary {
    pub course_id: Uuid,
    pub title: String,
    pub language: Option<String>,
    pub lessons: usize,
    pub slides: usize,
}

/// An open library and the services over it.
#[derive(Debug, Clone)]
pub struct App {
    store: Store,
    /// The library's engines, built on first use.
    generation: Arc<std::sync::OnceLock<Arc<generate::Generation>>>,
}

/// The library folder used when none is given: the OS data folder of the app
/// (on Linux `~/.local/share/classkit-studio/library`).
pub fn default_library_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("app", "ClassKit", "classkit-studio")
        .map(|d| d.data_dir().join("library"))
}

impl App {
    /// Opens (or creates) the library in `dir`.
    #[instrument(skip_all, fields(library = %dir.display()))]
    pub async fn open(dir: &Path) -> Result<Self> {
        if dir.exists() && !dir.is_dir() {
            return Err(AppError::NotALibrary(dir.to_path_buf()));
        }
        Ok(Self {
            store: Store::open(dir).await?,
            generation: Arc::default(),
        })
    }

    /// Opens the library in `dir`, which must exist (a mistyped folder is an error, not a
    /// new empty library).
    pub async fn open_existing(dir: &Path) -> Result<Self> {
        if !dir.join(classkit_store::DATABASE_FILE).is_file() {
            return Err(match dir.exists() && !dir.is_dir() {
                true => AppError::NotALibrary(dir.to_path_buf()),
                false => AppError::LibraryNotFound(dir.to_path_buf()),
            });
        }
        Self::open(dir).await
    }

    /// Runs `import` on the library in `dir`, creating the library when missing. Should the
    /// import fail into a library this call created (nothing saved in it, nothing spent),
    /// that library is removed again, so a refused import into a mistyped folder leaves
    /// nothing behind. Only the library's own files are removed, only those this call
    /// created, and only when no other process has the library open.
    pub async fn importing<T>(
        dir: &Path,
        import: impl AsyncFnOnce(&App) -> Result<T>,
    ) -> Result<T> {
        if dir.exists() && !dir.is_dir() {
            return Err(AppError::NotALibrary(dir.to_path_buf()));
        }
        // What the folder held before (`None`: there was no folder).
        let before: Option<std::collections::HashSet<std::ffi::OsString>> =
            match std::fs::read_dir(dir) {
                Ok(entries) => Some(entries.flatten().map(|e| e.file_name()).collect()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(source) => {
                    return Err(AppError::Io {
                        path: dir.to_path_buf(),
                        source,
                    });
                }
            };
        let created = !dir.join(classkit_store::DATABASE_FILE).exists();
        let app = Self::open(dir).await?;
        let result = import(&app).await;
        if result.is_err() && created && app.store.holds_nothing().await.unwrap_or(false) {
            app.store.close().await;
            drop(app);
            remove_new_library(dir, before.as_ref()).await;
        }
        result
    }

    /// The same services with other asset limits.
    pub fn with_asset_limits(self, limits: AssetLimits) -> Self {
        Self {
            store: self.store.with_limits(limits),
            generation: self.generation,
        }
    }

    /// The store underneath, for services in other crates.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Imports a lecture file (Markdown or plain text) as a new course.
    #[instrument(skip(self))]
    pub async fn import_lecture_file(
        &self,
        path: &Path,
        title: Option<&str>,
    ) -> Result<ImportSummary> {
        let limit = import::MAX_LECTURE_BYTES;
        let bytes = read_limited(path, limit as u64).await?;
        if bytes.len() > limit {
            let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
            return Err(ImportError::TooLarge {
                name: path.display().to_string(),
                size: usize::try_from(size).unwrap_or(usize::MAX),
                limit,
            }
            .into());
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        self.import_lecture(&name, &bytes, title).await
    }

    /// Imports lecture text (as read from a file called `name`) as a new course. Nothing is
    /// stored when the text is refused.
    #[instrument(skip(self, bytes), fields(bytes = bytes.len()))]
    pub async fn import_lecture(
        &self,
        name: &str,
        bytes: &[u8],
        title: Option<&str>,
    ) -> Result<ImportSummary> {
        let text = import::decode_lecture(name, bytes)?;
        let fallback = title_from_file_name(name);
        let mut outline = import::outline_from_text(&text, &fallback);
        if let Some(t) = title.map(str::trim).filter(|t| !t.is_empty()) {
            outline.title = t.to_string();
        }
        let tree = outline_to_tree(&outline, Uuid::now_v7());
        self.store.insert_course_tree(&tree, "imported").await?;
        Ok(ImportSummary {
            course_id: tree.course.id,
            title: tree.course.title.clone(),
            language: tree.course.language.clone(),
            lessons: tree.lessons.len(),
            slides: tree.slide_count(),
        })
    }

    /// All courses in the library.
    pub async fn courses(&self) -> Result<Vec<CourseSummary>> {
        Ok(self.store.courses().await?)
    }

    /// A whole course: lessons, slides and components.
    pub async fn course(&self, id: Uuid) -> Result<CourseTree> {
        Ok(self.store.course_tree(id).await?)
    }

    /// Attaches a new draft component to a slide. The payload must have the type's shape;
    /// rule problems are allowed in a draft and reported by [`App::component_issues`].
    #[instrument(skip(self, payload))]
    pub async fn add_component(
        &self,
        slide_id: Uuid,
        component_type: ComponentType,
        payload: Value,
    ) -> Result<LearningComponent> {
        Ok(self
            .store
            .add_component(NewComponent {
                slide_id,
                component_type,
                payload,
                status: ComponentStatus::Draft,
            })
            .await?)
    }

    /// Replaces a component's payload.
    #[instrument(skip(self, payload))]
    pub async fn update_component(
        &self,
        id: Uuid,
        payload: Value,
        expected_version: Option<i64>,
    ) -> Result<LearningComponent> {
        Ok(self
            .store
            .update_component(id, payload, expected_version)
            .await?)
    }

    /// Marks a component ready for learners; refused with every issue when it is not valid.
    #[instrument(skip(self))]
    pub async fn mark_ready(&self, id: Uuid) -> Result<LearningComponent> {
        Ok(self
            .store
            .set_component_status(id, ComponentStatus::Ready, None)
            .await?)
    }

    /// Marks a component as a draft again.
    #[instrument(skip(self))]
    pub async fn mark_draft(&self, id: Uuid) -> Result<LearningComponent> {
        Ok(self
            .store
            .set_component_status(id, ComponentStatus::Draft, None)
            .await?)
    }

    /// A component and the rules its payload currently breaks.
    pub async fn component(&self, id: Uuid) -> Result<(LearningComponent, Vec<ValidationIssue>)> {
        let component = self.store.component(id).await?;
        let issues = classkit_model::check_payload(component.component_type, &component.payload);
        Ok((component, issues))
    }

    /// Every saved version of a slide or component.
    pub async fn history(&self, id: Uuid) -> Result<Vec<Revision>> {
        Ok(self.store.history(id).await?)
    }

    /// Restores an earlier version as a new version.
    #[instrument(skip(self))]
    pub async fn restore(&self, id: Uuid, version: i64) -> Result<Restored> {
        Ok(self.store.restore(id, version).await?)
    }

    /// Writes a course bundle.
    #[instrument(skip(self))]
    pub async fn export_bundle(&self, course_id: Uuid, path: &Path) -> Result<BundleExport> {
        bundle::export(&self.store, course_id, path).await
    }

    /// Reads a course bundle into the library.
    #[instrument(skip(self))]
    pub async fn import_bundle(&self, path: &Path, as_copy: bool) -> Result<BundleImport> {
        bundle::import(&self.store, path, as_copy).await
    }

    /// Deletes a course and everything in it. Its revisions stay in the library.
    #[instrument(skip(self))]
    pub async fn delete_course(&self, id: Uuid) -> Result<()> {
        Ok(self.store.delete_course(id).await?)
    }
}

/// Every issue of a payload of `component_type`, shape and rules together.
pub fn validate_payload(component_type: ComponentType, payload: &Value) -> Vec<ValidationIssue> {
    classkit_model::check_payload(component_type, payload)
}

/// Grades a learner response with the model's grading functions.
pub fn grade(component_type: ComponentType, payload: &Value, response: &Value) -> Result<Grade> {
    Ok(classkit_model::grading::grade(
        component_type,
        payload,
        response,
    )?)
}

/// Parses JSON text, naming `what` in the error.
pub fn parse_json(what: &str, text: &[u8]) -> Result<Value> {
    serde_json::from_slice(text).map_err(|e| AppError::InvalidJson {
        what: what.to_string(),
        message: e.to_string(),
    })
}

/// Removes the library files created in `dir` (those not in `before`; `None`: the folder
/// itself was new, and goes too when nothing else is in it). Best effort: a library another
/// process has open, or a file that cannot be removed, stays.
async fn remove_new_library(
    dir: &Path,
    before: Option<&std::collections::HashSet<std::ffi::OsString>>,
) {
    let own = classkit_store::LIBRARY_FILES
        .iter()
        .chain(&classkit_jobs::local::QUEUE_FILES)
        .chain(&[generate::CACHE_DIR])
        .map(std::ffi::OsString::from)
        .filter(|name| before.is_none_or(|b| !b.contains(name)))
        .collect::<Vec<_>>();
    match classkit_store::Store::remove_unused(dir, &own).await {
        Ok(true) if before.is_none() => {
            // Only when empty: anything else put there meanwhile stays.
            let _ = std::fs::remove_dir(dir);
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not remove the library a failed import made"),
    }
}

/// `negotiating-by-phone.md` → `Negotiating by phone`.
pub(crate) fn title_from_file_name(name: &str) -> String {
    let stem = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let words = stem.replace(['-', '_'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled course".to_string(),
    }
}

/// A new course tree from an outline, with fresh ids.
pub(crate) fn outline_to_tree(outline: &Outline, course_id: Uuid) -> CourseTree {
    use classkit_model::{Course, Lesson, LessonTree, Slide, SlideLayout, SlideTree};
    let now = classkit_store::now();
    let course = Course {
        id: course_id,
        title: outline.title.clone(),
        description: String::new(),
        language: outline.language.clone(),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let lessons = outline
        .lessons
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let lesson = Lesson {
                id: Uuid::now_v7(),
                course_id: course.id,
                position: i as i64,
                title: l.title.clone(),
                created_at: now,
                updated_at: now,
                version: 1,
            };
            let slides = l
                .slides
                .iter()
                .enumerate()
                .map(|(j, s)| SlideTree {
                    slide: Slide {
                        id: Uuid::now_v7(),
                        lesson_id: lesson.id,
                        position: j as i64,
                        title: s.title.clone(),
                        body: s.body.clone(),
                        speaker_notes: s.speaker_notes.clone(),
                        instructor_notes: s.instructor_notes.clone(),
                        layout: if s.body.is_empty() {
                            SlideLayout::Title
                        } else {
                            SlideLayout::Bullets
                        },
                        image: None,
                        narration: None,
                        created_at: now,
                        updated_at: now,
                        version: 1,
                    },
                    components: Vec::new(),
                })
                .collect();
            LessonTree { lesson, slides }
        })
        .collect();
    CourseTree { course, lessons }
}
