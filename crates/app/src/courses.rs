//! Courses: importing a lecture as a new course, starting an empty one, listing, reading and
//! deleting them.

use crate::import::{self, ImportError};
use crate::slides::{MAX_SLIDE_TITLE, check_length};
use crate::{App, Result, read_limited};
use classkit_model::{ChangeKind, Course, CourseTree, SlideLayout};
use classkit_store::{CourseSummary, NewSlide};
use serde::Serialize;
use std::path::Path;
use tracing::instrument;
use uuid::Uuid;

/// What importing a lecture created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ImportSummary {
    pub course_id: Uuid,
    pub title: String,
    pub language: Option<String>,
    pub lessons: usize,
    pub slides: usize,
}

impl App {
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
        let fallback = classkit_model::outline::title_from_file_name(name);
        let mut outline = import::outline_from_text(&text, &fallback);
        if let Some(t) = title.map(str::trim).filter(|t| !t.is_empty()) {
            outline.title = t.to_string();
        }
        let tree = outline.to_tree(Uuid::now_v7(), classkit_store::now());
        self.store
            .insert_course_tree(&tree, ChangeKind::Imported)
            .await?;
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

    /// A whole course: lessons, slides and components, payloads in their current schema version.
    pub async fn course(&self, id: Uuid) -> Result<CourseTree> {
        let mut tree = self.store.course_tree(id).await?;
        for slide in tree.lessons.iter_mut().flat_map(|l| &mut l.slides) {
            slide.components = std::mem::take(&mut slide.components)
                .into_iter()
                .map(crate::components::in_current_version)
                .collect();
        }
        Ok(tree)
    }

    /// Creates an empty course with one lesson holding one title slide, ready to write in.
    pub async fn create_course(&self, title: &str, language: Option<&str>) -> Result<Course> {
        let title = title.trim();
        if title.is_empty() {
            return Err(crate::AppError::Invalid(
                "the course needs a title".to_string(),
            ));
        }
        check_length("the course title", title, MAX_SLIDE_TITLE)?;
        let language = language.map(str::trim).filter(|l| !l.is_empty());
        let course = self.store.create_course(title, language).await?;
        let lesson = self.store.add_lesson(course.id, "Lesson 1").await?;
        self.store()
            .add_slide(
                lesson.id,
                NewSlide {
                    title: title.to_string(),
                    layout: SlideLayout::Title,
                    ..NewSlide::default()
                },
            )
            .await?;
        Ok(course)
    }

    /// Deletes a course and everything in it. Its revisions stay in the library.
    #[instrument(skip(self))]
    pub async fn delete_course(&self, id: Uuid) -> Result<()> {
        Ok(self.store.delete_course(id).await?)
    }
}
