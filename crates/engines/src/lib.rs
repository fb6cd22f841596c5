//! ClassKit Studio generation engines.
//!
//! Engines turn a lecture into narration, slide images and drafts. The builtin ones work
//! offline and cost nothing (espeak-ng and Piper speech); others are configured in
//! `engines.toml` with a price table, limits and a quality tier ([`config`]). Outputs are
//! looked up in a content-addressed [`cache`] first, so nothing is paid for twice.
//!
//! Engine errors are [`classkit_jobs::JobError`]s, classified for the retry policy.

pub mod cache;
pub mod config;
pub mod drafts;
pub mod images;
pub mod korean;
pub mod lang;
pub mod openai;
pub mod outline;
pub mod price;
pub mod process;
pub mod secret;
pub mod simulate;
pub mod slides;
pub mod tts;

pub use cache::{Cache, CacheKey};
pub use config::{EngineConfig, EngineKind, EnginesConfig, Provider};
pub use drafts::{TextGen, Usage};
pub use images::ImageGen;
pub use price::PriceTable;
pub use secret::{KeyLookup, Secret};

/// `text` to show or keep: control characters made spaces, trimmed, at most `max_chars`
/// characters (a longer text is cut to end with "…").
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let clean = clean.trim();
    match clean.char_indices().nth(max_chars) {
        Some(_) => {
            let mut cut: String = clean.chars().take(max_chars.saturating_sub(1)).collect();
            cut.push('…');
            cut
        }
        None => clean.to_string(),
    }
}
