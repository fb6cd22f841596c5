//! Copying a course's generated files into a folder.

use super::*;
use crate::Result;
use classkit_model::AssetRef;

impl App {
    /// Copies a course's generated outputs into `dir` as ordinary files to look at or hand
    /// on: `L01-S02.png` (continuation pages `L01-S02-p2.png`), `L01-S02-thumb.png` and
    /// `L01-S02.ogg`. Returns the files written.
    pub async fn write_outputs(
        &self,
        course_id: Uuid,
        dir: &std::path::Path,
    ) -> Result<Vec<std::path::PathBuf>> {
        let tree = self.store().course_tree(course_id).await?;
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|source| AppError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        let mut written = Vec::new();
        for (l, lesson) in tree.lessons.iter().enumerate() {
            for (s, slide) in lesson.slides.iter().enumerate() {
                let stem = format!("L{:02}-S{:02}", l + 1, s + 1);
                let mut files: Vec<(String, AssetRef)> = Vec::new();
                for g in self.store().generated(slide.slide.id, SLIDE_RENDER).await? {
                    let page = if g.page == 0 {
                        String::new()
                    } else {
                        format!("-p{}", g.page + 1)
                    };
                    files.push((format!("{stem}{page}.png"), g.asset.clone()));
                    if let Some(t) = &g.thumbnail {
                        files.push((format!("{stem}{page}-thumb.png"), t.clone()));
                    }
                }
                for g in self.store().generated(slide.slide.id, NARRATION).await? {
                    files.push((format!("{stem}.ogg"), g.asset.clone()));
                }
                for (name, asset) in files {
                    let bytes = self.store().asset_bytes(&asset).await?;
                    let path = dir.join(name);
                    tokio::fs::write(&path, bytes)
                        .await
                        .map_err(|source| AppError::Io {
                            path: path.clone(),
                            source,
                        })?;
                    written.push(path);
                }
            }
        }
        Ok(written)
    }
}
