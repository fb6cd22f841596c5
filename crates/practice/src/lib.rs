//! Speaking practice scored offline: a learner's recording of a sentence compared with the
//! reference audio, for SHADOWING (listen, then say it the same way), and, natively only, a
//! take of an English word or phrase scored phone by phone for PRONUNCIATION
//! ([`pronunciation`], by PocketSphinx in a process of its own).
//!
//! Both recordings become frames of 10 ms ([`features`]): loudness, pitch (McLeod's method)
//! and the spectrum's shape (mel-frequency cepstral coefficients). The learner's frames are
//! aligned with the reference's by dynamic time warping on the spectrum's shape ([`dtw`]), so
//! that each moment of the reference has its moment in the attempt whatever the learner's
//! speed. Along that alignment [`shadowing`] scores how close the attempt is (the same
//! sounds in the same order), its pace, its pauses and its intonation (the pitch's rise and
//! fall, each voice measured against its own middle), and says what to work on.
//!
//! The same code runs in the desktop app (native) and in the exported web player
//! (WebAssembly: [`score_against`], with the reference's features computed at export); it
//! reads samples, never files.

pub mod dtw;
pub mod features;
pub mod pronunciation;
pub mod shadowing;

pub use features::{Features, features};
pub use pronunciation::{PronunciationError, PronunciationScore};
pub use shadowing::{Feedback, ShadowingScore, score_shadowing};

/// Scores an attempt against reference features computed beforehand, given as one row of
/// numbers per frame: loudness (dB), pitch (Hz; NaN where unvoiced), speech (1 or 0), then the
/// cepstral coefficients ([`Features::to_rows`]). The [`ShadowingScore`] as JSON, or
/// `{"error": "…"}`. What the web player calls.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn score_against(reference: &[f32], attempt: &[f32], attempt_rate: u32) -> String {
    let Some(reference) = Features::from_rows(reference) else {
        return error_json("the reference's features are damaged");
    };
    match score_shadowing(&reference, &features(attempt, attempt_rate)) {
        Ok(score) => serde_json::to_string(&score).unwrap_or_else(|e| error_json(&e.to_string())),
        Err(e) => error_json(&e.to_string()),
    }
}

fn error_json(message: &str) -> String {
    serde_json::json!({ "error": message }).to_string()
}
