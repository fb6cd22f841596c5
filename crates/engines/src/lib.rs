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
