//! Slides: adding, editing and moving them, and what the engines made for them.

use crate::undo::EditTarget;
use crate::{App, Result};
use classkit_model::{ChangeKind, Slide, SlideLayout};
use classkit_store::{NewSlide, SlideEdit};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The changes an instructor made to a slide's text; a missing field is left as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SlideChanges {
    #[serde(default)]
    pub title: Option<String>,
    /// Markdown.
    #[serde(default)]
    pub body: Option<String>,
    /// What the narration says.
    #[serde(default)]
    pub speaker_notes: Option<String>,
    /// Notes for the instructor only.
    #[serde(default)]
    pub instructor_notes: Option<String>,
    #[serde(default)]
    pub layout: Option<SlideLayout>,
}

/// Longest slide title, in characters.
pub const MAX_SLIDE_TITLE: usize = 500;
/// Longest slide body or notes, in characters.
pub const MAX_SLIDE_TEXT: usize = 100_000;

/// A stored file the UI can show or play, by the sha256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Media {
    pub sha256: String,
    pub media_type: String,
    pub duration_ms: Option<u64>,
}

/// What the drafting engines made of a slide's text for one type of activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DraftVerdict {
    pub component_type: classkit_model::ComponentType,
    /// True when a component was drafted; false when the slide's text gave nothing to draft.
    pub supported: bool,
    /// Why nothing was drafted, as the engine said it (in English).
    pub reason: Option<String>,
    /// The reason's stable name (`no_definition`, …) when it is one the engines give, for
    /// saying it in the instructor's language.
    pub reason_code: Option<String>,
}

/// A slide's small picture, for the filmstrip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SlidePicture {
    pub slide_id: Uuid,
    pub thumbnail: Media,
}

/// What the engines made for a slide: its rendered page (with a thumbnail) and narration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SlideMedia {
    pub slide_id: Uuid,
    pub render: Option<Media>,
    pub thumbnail: Option<Media>,
    pub narration: Option<Media>,
    /// The narration's captions: a cue per sentence of the slide's narration script, timed
    /// from the audio (as the exported player shows them).
    pub captions: Vec<classkit_export::captions::Cue>,
}

impl App {
    /// Adds an empty slide at the end of a lesson.
    pub async fn add_slide(&self, lesson_id: Uuid, title: &str) -> Result<Slide> {
        check_length("the slide title", title, MAX_SLIDE_TITLE)?;
        let slide = self
            .store()
            .add_slide(
                lesson_id,
                NewSlide {
                    title: title.to_string(),
                    layout: SlideLayout::Bullets,
                    ..NewSlide::default()
                },
            )
            .await?;
        self.record_added(EditTarget::Slide, slide.id, slide.id, slide.version)
            .await;
        Ok(slide)
    }

    /// Saves an instructor's changes to a slide's text. Text is stored as typed (HTML in it is
    /// text, escaped wherever it is shown).
    pub async fn edit_slide(
        &self,
        id: Uuid,
        changes: SlideChanges,
        expected_version: Option<i64>,
    ) -> Result<Slide> {
        if let Some(title) = &changes.title {
            check_length("the slide title", title, MAX_SLIDE_TITLE)?;
        }
        for (what, text) in [
            ("the slide body", &changes.body),
            ("the speaker notes", &changes.speaker_notes),
            ("the instructor notes", &changes.instructor_notes),
        ] {
            if let Some(text) = text {
                check_length(what, text, MAX_SLIDE_TEXT)?;
            }
        }
        let edit = SlideEdit {
            title: changes.title,
            body: changes.body,
            speaker_notes: changes.speaker_notes,
            instructor_notes: changes.instructor_notes,
            layout: changes.layout,
            ..SlideEdit::default()
        };
        let slide = self
            .store()
            .update_slide(id, edit, expected_version)
            .await?;
        self.record_changed(
            EditTarget::Slide,
            slide.id,
            slide.id,
            slide.version,
            ChangeKind::Updated,
        )
        .await;
        Ok(slide)
    }

    /// Moves a slide to `position` in `lesson_id` (its own lesson or another of the course).
    pub async fn move_slide(
        &self,
        id: Uuid,
        lesson_id: Uuid,
        position: usize,
        expected_version: Option<i64>,
    ) -> Result<Slide> {
        let before = self.store().slide(id).await?;
        let moved = self
            .store()
            .move_slide(id, lesson_id, position, expected_version)
            .await?;
        let place = |s: &Slide| (s.lesson_id, usize::try_from(s.position).unwrap_or(0));
        if moved.version != before.version {
            self.record_moved(id, place(&before), place(&moved), moved.version)
                .await;
        }
        Ok(moved)
    }

    /// Which types of activity the drafting engines found the slide's text supports (a
    /// component drafted) or not (nothing to draft), for the types drafted so far.
    pub async fn draft_verdicts(&self, slide_id: Uuid) -> Result<Vec<DraftVerdict>> {
        Ok(self
            .store()
            .drafted_for_slide(slide_id)
            .await?
            .into_iter()
            .filter_map(|d| {
                let supported = d.component_id.is_some();
                let reason = d.reason.filter(|r| !supported && !r.is_empty());
                Some(DraftVerdict {
                    component_type: d.component_type.parse().ok()?,
                    supported,
                    reason_code: reason
                        .as_deref()
                        .and_then(classkit_engines::drafts::Why::of)
                        .map(|w| w.code().to_string()),
                    reason,
                })
            })
            .collect())
    }

    /// The thumbnail of every rendered slide of a course (first page), by slide: the
    /// filmstrip's pictures, in one read.
    pub async fn slide_pictures(&self, course_id: Uuid) -> Result<Vec<SlidePicture>> {
        let mut pictures: Vec<SlidePicture> = Vec::new();
        for g in self.store().generated_for_course(course_id).await? {
            if g.kind != crate::generate::SLIDE_RENDER
                || pictures.last().is_some_and(|p| p.slide_id == g.target_id)
            {
                continue;
            }
            let (sha256, media_type) = match &g.thumbnail {
                Some(t) => (t.0.clone(), "image/png".to_string()),
                None => (g.asset.0.clone(), g.media_type.clone()),
            };
            pictures.push(SlidePicture {
                slide_id: g.target_id,
                thumbnail: Media {
                    sha256,
                    media_type,
                    duration_ms: None,
                },
            });
        }
        Ok(pictures)
    }

    /// The rendered page, thumbnail and narration of a slide, when they are made (here, or
    /// for narration also elsewhere and synced with the slide).
    pub async fn slide_media(&self, slide_id: Uuid) -> Result<SlideMedia> {
        let renders = self
            .store()
            .generated(slide_id, crate::generate::SLIDE_RENDER)
            .await?;
        let narration = self
            .store()
            .generated(slide_id, crate::generate::NARRATION)
            .await?;
        let first = renders.first();
        let narration = match narration.first() {
            Some(g) => Some(Media {
                sha256: g.asset.0.clone(),
                media_type: g.media_type.clone(),
                duration_ms: g.duration_ms,
            }),
            // Narration made elsewhere (a team member's app) comes with the slide, not
            // with a record of its making.
            None => self.pointed_narration(slide_id).await?,
        };
        let captions = match &narration {
            Some(n) => self.captions(slide_id, n).await?,
            None => Vec::new(),
        };
        Ok(SlideMedia {
            slide_id,
            render: first.map(|g| Media {
                sha256: g.asset.0.clone(),
                media_type: g.media_type.clone(),
                duration_ms: None,
            }),
            thumbnail: first.and_then(|g| {
                g.thumbnail.as_ref().map(|t| Media {
                    sha256: t.0.clone(),
                    media_type: "image/png".to_string(),
                    duration_ms: None,
                })
            }),
            narration,
            captions,
        })
    }

    /// The captions of a slide's narration: its script's sentences, timed from the audio.
    async fn captions(
        &self,
        slide_id: Uuid,
        narration: &Media,
    ) -> Result<Vec<classkit_export::captions::Cue>> {
        let script = classkit_model::spoken(&self.store().slide(slide_id).await?.speaker_notes);
        let path = self
            .store()
            .asset_file(&classkit_model::AssetRef(narration.sha256.clone()));
        let media_type = narration.media_type.clone();
        let duration = narration.duration_ms;
        // Reading the audio takes a moment (decoding a minute of speech): off the async threads.
        Ok(tokio::task::spawn_blocking(move || {
            classkit_export::captions::for_narration(&script, &path, &media_type, duration).0
        })
        .await
        .unwrap_or_default())
    }

    /// The narration file a slide points at, when it is in the library.
    async fn pointed_narration(&self, slide_id: Uuid) -> Result<Option<Media>> {
        let Some(asset) = self.store().slide(slide_id).await?.narration else {
            return Ok(None);
        };
        if !self.store().has_asset(&asset).await? {
            return Ok(None);
        }
        let info = self.store().asset_info(&asset).await?;
        Ok(Some(Media {
            sha256: asset.0,
            media_type: info.media_type,
            duration_ms: None,
        }))
    }
}

pub(crate) fn check_length(what: &str, text: &str, max: usize) -> Result<()> {
    let n = text.chars().count();
    if n > max {
        return Err(crate::AppError::Invalid(format!(
            "{what} is {n} characters long; at most {max} fit"
        )));
    }
    Ok(())
}
