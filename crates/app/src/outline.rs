//! Importing a lecture outlined by a language model: an `outline` job (its handler is
//! `classkit_generate`'s, the one the team's workers run too) on the bundled workers.

use crate::generate::{OUTLINE, OutlineInput, outline_estimate};
use crate::import;
use crate::{App, AppError, ImportSummary, Result};
use classkit_jobs::{JobSpec, JobState};
use serde_json::json;
use std::path::Path;
use std::time::Duration;
use uuid::Uuid;

/// A lecture file's name and text, checked as an import checks it (size, encoding).
pub(crate) async fn read_lecture(path: &Path) -> Result<(String, String)> {
    let bytes = crate::read_limited(path, import::MAX_LECTURE_BYTES as u64 + 1).await?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    if bytes.len() > import::MAX_LECTURE_BYTES {
        return Err(import::ImportError::TooLarge {
            name,
            size: bytes.len(),
            limit: import::MAX_LECTURE_BYTES,
        }
        .into());
    }
    let text = import::decode_lecture(&name, &bytes)?;
    Ok((name, text))
}

impl App {
    /// Imports a lecture file as a new course outlined by the language model `engine`: an
    /// `outline` job run on bundled workers. Nothing is stored when the file is refused, the
    /// engine cannot be reached, or the library's budget would be exceeded.
    pub async fn import_lecture_outlined(
        &self,
        path: &Path,
        title: Option<&str>,
        engine: &str,
    ) -> Result<ImportSummary> {
        let (name, text) = read_lecture(path).await?;
        let generation = self.generation()?;
        generation.outliner(engine)?;
        generation.probe(&[engine]).await?;
        let estimate = outline_estimate(&generation, engine, text.len());
        self.check_library_budget(estimate).await?;
        let input = OutlineInput {
            name,
            text,
            title: title.map(str::to_string),
            engine: engine.to_string(),
            no_cache: false,
        };
        let workers = self.start_bundled_workers(1).await?;
        let queue = self.queue().await?;
        let mut spec = JobSpec::new(OUTLINE, json!(input));
        spec.engine = Some(engine.to_string());
        spec.estimated_cost_micros = Some(estimate);
        let started_at = chrono::Utc::now();
        let id = queue.enqueue(spec).await?.job.id;
        let job = loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let job = queue.get(id).await?;
            if job.state.is_final() {
                break job;
            }
            // A job that cannot finish (a full disk): stop waiting and say why.
            if let Some(error) = workers
                .stalled(self.store().dir())
                .or_else(|| crate::jobs::disk_full_since(&job, started_at))
            {
                // The outline is not waited for: it must not run later and make (and pay
                // for) a course this import said it could not.
                let _ = queue.cancel(id).await;
                workers.stop().await;
                return Err(error);
            }
        };
        workers.stop().await;
        if job.state != JobState::Succeeded {
            return Err(AppError::Engines(format!(
                "the lecture could not be outlined: {}",
                job.last_error
                    .map(|e| e.message)
                    .unwrap_or_else(|| job.state.to_string())
            )));
        }
        let course_id: Uuid = job
            .result
            .as_ref()
            .and_then(|r| r["course_id"].as_str())
            .and_then(|id| id.parse().ok())
            .ok_or_else(|| AppError::Engines("the outline job gave no course".into()))?;
        let tree = self.store().course_tree(course_id).await?;
        Ok(ImportSummary {
            course_id,
            title: tree.course.title.clone(),
            language: tree.course.language.clone(),
            lessons: tree.lessons.len(),
            slides: tree.slide_count(),
        })
    }
}
