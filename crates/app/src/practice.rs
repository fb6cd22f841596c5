//! Speaking practice in the app's learner preview: a shadowing take scored against the
//! reference audio in the library, by the same scorer the web player runs as WebAssembly
//! (`classkit-practice`); a pronunciation take scored phone by phone by PocketSphinx, offline.

use crate::App;
use crate::error::AppError;
use classkit_model::AssetRef;
use classkit_practice::pronunciation::Pronouncer;
use classkit_practice::{PronunciationScore, ShadowingScore};
use std::sync::{Arc, PoisonError};

/// The longest take scored (the scorer looks at 30 s at most).
const MAX_TAKE_SECONDS: usize = 30;

impl App {
    /// Scores a shadowing take (mono samples at `rate` Hz) against the reference audio
    /// `sha256`.
    pub async fn score_shadowing(
        &self,
        reference: &str,
        samples: Vec<f32>,
        rate: u32,
    ) -> crate::Result<ShadowingScore> {
        if !(8_000..=192_000).contains(&rate) {
            return Err(AppError::Invalid(format!(
                "a recording at {rate} samples a second cannot be scored; record at 8,000 to 192,000"
            )));
        }
        if samples.len() > MAX_TAKE_SECONDS * rate as usize + rate as usize {
            return Err(AppError::Invalid(format!(
                "the recording is {} s long; at most {MAX_TAKE_SECONDS} s are scored",
                samples.len() / rate as usize
            )));
        }
        let asset = AssetRef(reference.to_string());
        let info = self.store().asset_info(&asset).await?;
        let path = self.store().asset_file(&asset);
        tokio::task::spawn_blocking(move || {
            let (reference, reference_rate) =
                classkit_export::audio::mono(&path, &info.media_type, MAX_TAKE_SECONDS)
                    .ok_or_else(|| {
                        AppError::Invalid(format!(
                            "the reference audio ({}) cannot be read for scoring",
                            info.media_type
                        ))
                    })?;
            // The reference's features as the export keeps them for the player (rounded), so
            // a take scores the same in the preview and in the player.
            classkit_practice::score_shadowing(
                &classkit_practice::features(&reference, reference_rate).rounded(),
                &classkit_practice::features(&samples, rate),
            )
            .map_err(|e| AppError::Invalid(e.to_string()))
        })
        .await
        .map_err(|e| AppError::Invalid(format!("the scoring stopped: {e}")))?
    }

    /// Scores a pronunciation take (mono samples at `rate` Hz) of `text`, a word or phrase
    /// in `language` (a BCP 47 tag; the scorer knows English only). `ipa`, when not empty,
    /// is the pronunciation expected (the item's); otherwise the dictionary's.
    pub async fn score_pronunciation(
        &self,
        text: &str,
        ipa: &str,
        language: &str,
        samples: Vec<f32>,
        rate: u32,
    ) -> crate::Result<PronunciationScore> {
        if !is_english(language) {
            return Err(AppError::Invalid(format!(
                "pronunciation is scored for English only, and this item is in {}; practise it with the reference audio",
                if language.trim().is_empty() {
                    "no language"
                } else {
                    language.trim()
                }
            )));
        }
        if samples.len() > MAX_TAKE_SECONDS * rate as usize + rate as usize {
            return Err(AppError::Invalid(format!(
                "the recording is {} s long; at most {MAX_TAKE_SECONDS} s are scored",
                samples.len() / rate.max(1) as usize
            )));
        }
        let pronouncer = self.pronouncer()?;
        let (text, ipa) = (text.to_string(), ipa.to_string());
        tokio::task::spawn_blocking(move || pronouncer.score(&samples, rate, &text, &ipa))
            .await
            .map_err(|e| AppError::Invalid(format!("the scoring stopped: {e}")))?
            .map_err(AppError::from)
    }

    /// The pronunciation scorer, found on first use (and looked for again while it is not
    /// installed, so that installing it needs no restart).
    fn pronouncer(&self) -> crate::Result<Arc<Pronouncer>> {
        let mut kept = self
            .pronouncer
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(p) = kept.as_ref() {
            return Ok(Arc::clone(p));
        }
        let found = Arc::new(Pronouncer::installed()?);
        *kept = Some(Arc::clone(&found));
        Ok(found)
    }
}

/// Whether a BCP 47 tag names English (`en`, `en-US`, `EN_gb`).
fn is_english(tag: &str) -> bool {
    let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
    primary.eq_ignore_ascii_case("en")
}
