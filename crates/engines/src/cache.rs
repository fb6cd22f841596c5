//! The content-addressed cache of engine outputs: the same engine, model, parameters and
//! (normalized) input give the same key, so an unchanged slide is never paid for twice.
//!
//! The cache holds small JSON records (which stored asset or draft an output became, its
//! duration, what it cost when first made) in files named by key under one folder; the
//! bytes themselves live in the library's asset store.

use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// Text as the cache sees it: Unicode NFC, runs of whitespace as one space, trimmed. Two
/// notes that differ only there would be spoken the same.
pub fn normalize(text: &str) -> String {
    text.nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The key of one output: sha256 over engine, model, parameters and normalized input.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey(String);

impl CacheKey {
    pub fn new(
        engine: &str,
        model: Option<&str>,
        parameters: &serde_json::Value,
        input: &str,
    ) -> Self {
        Self::hash(serde_json::json!([
            engine,
            model.unwrap_or_default(),
            parameters,
            normalize(input)
        ]))
    }

    /// A key over the input exactly as given (Markdown, or text that provenance offsets point
    /// into: there a change of whitespace is a change).
    pub fn exact(
        engine: &str,
        model: Option<&str>,
        parameters: &serde_json::Value,
        input: &str,
    ) -> Self {
        Self::hash(serde_json::json!([
            engine,
            model.unwrap_or_default(),
            parameters,
            input,
            "exact"
        ]))
    }

    /// sha256 of the JSON text. serde_json writes object keys in order (BTreeMap), so equal
    /// parameters hash alike.
    fn hash(canonical: serde_json::Value) -> Self {
        Self(hex::encode(Sha256::digest(
            canonical.to_string().as_bytes(),
        )))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A folder of cached records.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn file(&self, key: &CacheKey) -> PathBuf {
        self.dir.join(&key.0[..2]).join(format!("{}.json", key.0))
    }

    /// The record under `key`; a missing or unreadable record is a miss.
    pub fn get<T: DeserializeOwned>(&self, key: &CacheKey) -> Option<T> {
        let bytes = std::fs::read(self.file(key)).ok()?;
        match serde_json::from_slice(&bytes) {
            Ok(v) => Some(v),
            Err(e) => {
                tracing::warn!(key = key.as_str(), error = %e, "ignoring a damaged cache record");
                None
            }
        }
    }

    /// Stores `record` under `key`, atomically (a reader sees the old record or the new one).
    pub fn put<T: Serialize>(&self, key: &CacheKey, record: &T) -> std::io::Result<()> {
        let file = self.file(key);
        let dir = file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        tmp.write_all(&serde_json::to_vec(record).map_err(std::io::Error::other)?)?;
        tmp.as_file().sync_all()?;
        tmp.persist(&file).map_err(|e| e.error)?;
        Ok(())
    }

    /// Forgets `key` (a stored asset it named is gone).
    pub fn remove(&self, key: &CacheKey) {
        let _ = std::fs::remove_file(self.file(key));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_depend_on_everything_that_changes_the_output() {
        let k = |engine, model, params, input| CacheKey::new(engine, model, &params, input);
        let base = k("espeak", None, json!({"voice": "en-us"}), "Hello  world");
        assert_eq!(
            base,
            k("espeak", None, json!({"voice": "en-us"}), " Hello world\n")
        );
        assert_ne!(
            base,
            k("piper", None, json!({"voice": "en-us"}), "Hello world")
        );
        assert_ne!(
            base,
            k(
                "espeak",
                Some("m"),
                json!({"voice": "en-us"}),
                "Hello world"
            )
        );
        assert_ne!(
            base,
            k("espeak", None, json!({"voice": "en-gb"}), "Hello world")
        );
        assert_ne!(
            base,
            k("espeak", None, json!({"voice": "en-us"}), "Hello world!")
        );
        // Composed and decomposed accents are the same text.
        assert_eq!(
            k("e", None, json!({}), "caf\u{e9}"),
            k("e", None, json!({}), "cafe\u{301}")
        );
        assert_eq!(base.as_str().len(), 64);
    }

    #[test]
    fn exact_keys_see_every_change() {
        let k = |input| CacheKey::exact("slides", Some("v"), &json!({}), input);
        assert_ne!(k("- one - two"), k("- one\n- two"), "Markdown structure");
        assert_ne!(k("caf\u{e9}"), k("cafe\u{301}"), "offsets into the text");
        assert_eq!(k("a  b"), k("a  b"));
        assert_ne!(
            k("a b"),
            CacheKey::new("slides", Some("v"), &json!({}), "a b")
        );
    }

    #[test]
    fn records_round_trip_and_damage_is_a_miss() {
        let dir = tempfile::tempdir().expect("dir");
        let cache = Cache::new(dir.path());
        let key = CacheKey::new("espeak", None, &json!({}), "hi");
        assert_eq!(cache.get::<serde_json::Value>(&key), None);
        cache
            .put(&key, &json!({"asset": "abc", "duration_ms": 900}))
            .expect("put");
        assert_eq!(
            cache.get::<serde_json::Value>(&key),
            Some(json!({"asset": "abc", "duration_ms": 900}))
        );
        std::fs::write(cache.file(&key), b"{not json").expect("damage");
        assert_eq!(cache.get::<serde_json::Value>(&key), None);
        cache.remove(&key);
        assert!(!cache.file(&key).exists());
    }
}
