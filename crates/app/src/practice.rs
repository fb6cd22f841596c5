//! Speaking practice in the app's learner preview: a take scored against the reference audio
//! in the library, by the same scorer the web player runs as WebAssembly (`classkit-practice`).

use crate::App;
use crate::error::AppError;
use classkit_model::AssetRef;
use classkit_practice::ShadowingScore;

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
}
