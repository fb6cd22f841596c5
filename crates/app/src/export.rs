//! Export for learners (the web player, SCORM packages): the course and its files read from
//! the library, then packaged by `classkit-export`.

use crate::App;
use crate::error::AppError;
use classkit_export::{AssetFile, ExportInput, ExportOptions, ExportReport, Narration};
use classkit_model::AssetRef;
use classkit_store::StoreError;
use std::collections::HashMap;
use std::path::Path;
use tracing::instrument;
use uuid::Uuid;

impl App {
    /// Writes a course for learners to `out` (a zip): the web player, or a SCORM 1.2 or 2004
    /// package. Components that are drafts (unless asked) or have problems are left out, and
    /// the report says which and why. Nothing in the library changes.
    #[instrument(skip(self, options))]
    pub async fn export_course(
        &self,
        course_id: Uuid,
        options: &ExportOptions,
        out: &Path,
    ) -> crate::Result<ExportReport> {
        let store = self.store();
        let tree = store.course_tree(course_id).await?;
        // Each slide's narration: what generation made, else the file the slide points at
        // (narration made on a team member's machine).
        let mut narrations = HashMap::new();
        for g in store.generated_for_course(course_id).await? {
            if g.kind == crate::generate::NARRATION && g.page == 0 {
                narrations.insert(
                    g.target_id,
                    Narration {
                        sha256: g.asset.0,
                        duration_ms: g.duration_ms,
                    },
                );
            }
        }
        let mut wanted: Vec<String> = Vec::new();
        for slide in tree.lessons.iter().flat_map(|l| &l.slides) {
            if let Some(pointed) = &slide.slide.narration {
                narrations
                    .entry(slide.slide.id)
                    .or_insert_with(|| Narration {
                        sha256: pointed.0.clone(),
                        duration_ms: None,
                    });
            }
            wanted.extend(slide.slide.image.iter().map(|a| a.0.clone()));
            for component in &slide.components {
                wanted.extend(
                    classkit_model::asset_references(&component.payload)
                        .into_iter()
                        .map(|(_, a)| a.0),
                );
            }
        }
        wanted.extend(narrations.values().map(|n| n.sha256.clone()));
        wanted.sort();
        wanted.dedup();
        let mut assets = HashMap::new();
        for sha in wanted {
            let asset = AssetRef(sha.clone());
            match store.asset_info(&asset).await {
                Ok(info) => {
                    assets.insert(
                        sha,
                        AssetFile {
                            path: store.asset_file(&asset),
                            media_type: info.media_type,
                        },
                    );
                }
                // The export says what it left out for want of the file.
                Err(StoreError::AssetMissing(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let input = ExportInput {
            tree,
            narrations,
            assets,
        };
        let options = options.clone();
        let out = out.to_path_buf();
        tokio::task::spawn_blocking(move || classkit_export::export(&input, &options, &out))
            .await
            .map_err(|e| AppError::Invalid(format!("the export stopped: {e}")))?
            .map_err(AppError::from)
    }
}

impl App {
    /// Writes the course's web player into `folder` (emptied first), ready to open: what the
    /// app's preview window shows, as a learner will see it.
    #[instrument(skip(self, options))]
    pub async fn export_player_folder(
        &self,
        course_id: Uuid,
        options: &ExportOptions,
        folder: &Path,
    ) -> crate::Result<ExportReport> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source: std::io::Error| AppError::Io { path, source }
        };
        if folder.exists() {
            std::fs::remove_dir_all(folder).map_err(io(folder))?;
        }
        std::fs::create_dir_all(folder).map_err(io(folder))?;
        let mut web = options.clone();
        web.format = classkit_export::Format::Web;
        // The instructor's trial answers are not a learner's: nothing goes to the LRS.
        web.xapi = None;
        let zip = folder.with_extension("zip");
        let report = self.export_course(course_id, &web, &zip).await?;
        let result = unzip(&zip, folder);
        let _ = std::fs::remove_file(&zip);
        result?;
        Ok(report)
    }
}

/// Unzips a package the exporter wrote (plain relative names) into `into`.
pub(crate) fn unzip(zip: &Path, into: &Path) -> crate::Result<()> {
    let file = std::fs::File::open(zip).map_err(|source| AppError::Io {
        path: zip.to_path_buf(),
        source,
    })?;
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|e| AppError::Invalid(format!("{}: {e}", zip.display())))?;
    archive
        .extract(into)
        .map_err(|e| AppError::Invalid(format!("unzipping into {}: {e}", into.display())))
}
