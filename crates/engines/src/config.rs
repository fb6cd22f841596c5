//! The engine registry, configured from `engines.toml`.
//!
//! ```toml
//! [[engine]]
//! id = "openai-tts"
//! kind = "tts"                 # tts | text | image
//! provider = "openai"          # espeak-ng | piper | extractive | openai
//! endpoint = "https://api.openai.com/v1"
//! model = "gpt-4o-mini-tts"
//! voice = "alloy"
//! api_key_env = "OPENAI_API_KEY"   # the key itself is never in this file
//! timeout_secs = 120           # one HTTP request at most; then it is retried
//! quality = 4                  # 1 (basic) to 5 (best)
//! price = { per_million_chars = 15.0 }
//! limits = { max_concurrency = 4, max_starts_per_second = 8 }
//! ```
//!
//! The builtin engines (offline, free) are always there; a file adds engines or overrides a
//! builtin one by id.

use crate::price::PriceTable;
use crate::secret::Secret;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What an engine produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EngineKind {
    /// Speech from text.
    Tts,
    /// Structured text drafts from a language model or extraction.
    Text,
    /// Images.
    Image,
}

impl EngineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tts => "tts",
            Self::Text => "text",
            Self::Image => "image",
        }
    }
}

/// Who does the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provider {
    /// espeak-ng, run as a process (builtin, offline).
    EspeakNg,
    /// Piper neural voices, run as a process from its virtualenv (builtin, offline).
    Piper,
    /// Deterministic extraction from the lecture text (builtin, offline).
    Extractive,
    /// Any server speaking the OpenAI HTTP API (OpenAI, Ollama, llama.cpp, vLLM, LocalAI).
    Openai,
}

impl Provider {
    /// True for engines that run on this machine without a network or a key.
    pub fn is_builtin(self) -> bool {
        !matches!(self, Self::Openai)
    }
}

/// Limits that hold across every worker (stored in the queue).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    pub max_concurrency: Option<u32>,
    pub max_starts_per_second: Option<u32>,
}

/// One configured engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineConfig {
    pub id: String,
    pub kind: EngineKind,
    pub provider: Provider,
    /// Base URL of an HTTP API, e.g. `http://127.0.0.1:11434/v1`.
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub voice: Option<String>,
    /// Speaking rate in words per minute (speech engines that support it).
    #[serde(default)]
    pub rate_wpm: Option<u32>,
    /// Environment variable holding the API key.
    #[serde(default)]
    pub api_key_env: Option<String>,
    /// HTTP engines: how long one request may take before it is abandoned and retried
    /// (120 s when absent).
    #[serde(default)]
    pub timeout_secs: Option<u32>,
    /// 1 (basic) to 5 (best), for choosing the cheapest engine that is good enough.
    pub quality: u8,
    /// Languages it handles (ISO 639-1 codes); empty for any.
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub price: PriceTable,
    #[serde(default)]
    pub limits: Limits,
}

impl EngineConfig {
    /// True when it handles `language` (or the language is unknown and it handles any or
    /// English).
    pub fn speaks(&self, language: Option<&str>) -> bool {
        if self.languages.is_empty() {
            return true;
        }
        let lang = language.unwrap_or("en");
        let base = lang.split(['-', '_']).next().unwrap_or(lang);
        self.languages
            .iter()
            .any(|l| l.eq_ignore_ascii_case(base) || l.eq_ignore_ascii_case(lang))
    }

    /// An engine on an OpenAI-compatible server, free and of middling quality until its
    /// price and quality are set.
    pub fn openai(id: &str, kind: EngineKind, endpoint: &str, model: &str) -> Self {
        Self {
            id: id.to_string(),
            kind,
            provider: Provider::Openai,
            endpoint: Some(endpoint.to_string()),
            model: Some(model.to_string()),
            voice: None,
            rate_wpm: None,
            api_key_env: None,
            timeout_secs: None,
            quality: 3,
            languages: Vec::new(),
            price: PriceTable::default(),
            limits: Limits::default(),
        }
    }

    /// The API key, from the environment variable named in the configuration.
    pub fn api_key(&self) -> Option<Secret> {
        self.api_key_env.as_deref().and_then(Secret::from_env)
    }
}

/// Largest `engines.toml` read.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Why an `engines.toml` cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    engine: Vec<EngineConfig>,
}

/// Words of a key name (split at `_` and `-`) that would put a secret in the file.
const SECRET_WORDS: [&str; 10] = [
    "key",
    "apikey",
    "secret",
    "token",
    "password",
    "passwd",
    "auth",
    "authorization",
    "bearer",
    "credentials",
];

/// The first key, at any depth, whose name says it holds a secret (`api_key_env` names a
/// variable and is fine).
fn secret_key(table: &toml::Table) -> Option<String> {
    for (key, value) in table {
        let lower = key.to_ascii_lowercase();
        let secret = lower
            .split(['_', '-'])
            .any(|word| SECRET_WORDS.contains(&word));
        if lower != "api_key_env" && secret {
            return Some(key.clone());
        }
        let found = match value {
            toml::Value::Table(t) => secret_key(t),
            toml::Value::Array(items) => items.iter().find_map(|i| match i {
                toml::Value::Table(t) => secret_key(t),
                _ => None,
            }),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// All configured engines.
#[derive(Debug, Clone, PartialEq)]
pub struct EnginesConfig {
    engines: Vec<EngineConfig>,
}

impl Default for EnginesConfig {
    fn default() -> Self {
        Self { engines: builtin() }
    }
}

/// The builtin engines: offline and free.
fn builtin() -> Vec<EngineConfig> {
    let engine = |id: &str, kind, provider, quality| EngineConfig {
        id: id.to_string(),
        kind,
        provider,
        endpoint: None,
        model: None,
        voice: None,
        rate_wpm: None,
        timeout_secs: None,
        api_key_env: None,
        quality,
        languages: Vec::new(),
        price: PriceTable::default(),
        limits: Limits::default(),
    };
    vec![
        EngineConfig {
            limits: Limits {
                max_concurrency: Some(2),
                max_starts_per_second: None,
            },
            ..engine("espeak", EngineKind::Tts, Provider::EspeakNg, 1)
        },
        EngineConfig {
            voice: Some("en_US-joe-medium".into()),
            languages: vec!["en".into()],
            ..engine("piper", EngineKind::Tts, Provider::Piper, 3)
        },
        engine("extractive", EngineKind::Text, Provider::Extractive, 1),
    ]
}

impl EnginesConfig {
    /// The builtin engines plus those of `text` (the contents of an `engines.toml`); `path`
    /// names the file in errors.
    pub fn parse(text: &str, path: &str) -> Result<Self, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_string(),
            message,
        };
        // toml's own messages quote the offending line, which could hold a secret: say
        // where, and what, but never echo the file.
        let describe = |e: toml::de::Error| {
            let line = e
                .span()
                .map(|r| text[..r.start.min(text.len())].matches('\n').count() + 1);
            match line {
                Some(n) => format!("line {n}: {}", e.message()),
                None => e.message().to_string(),
            }
        };
        let raw: toml::Table = text.parse().map_err(|e| invalid(describe(e)))?;
        if let Some(key) = secret_key(&raw) {
            return Err(invalid(format!(
                "`{key}` looks like a secret; API keys never go in this file. \
                 Put the key in an environment variable and name it with api_key_env"
            )));
        }
        let file: File = toml::from_str(text).map_err(|e| invalid(describe(e)))?;
        let mut engines = builtin();
        let mut seen = std::collections::HashSet::new();
        for engine in file.engine {
            check(&engine).map_err(|m| invalid(format!("engine {:?}: {m}", engine.id)))?;
            if !seen.insert(engine.id.clone()) {
                return Err(invalid(format!("engine id {:?} is used twice", engine.id)));
            }
            match engines.iter_mut().find(|e| e.id == engine.id) {
                Some(builtin) => {
                    // Unset fields keep the builtin engine's values.
                    let mut engine = engine;
                    if engine.languages.is_empty() {
                        engine.languages = builtin.languages.clone();
                    }
                    if engine.voice.is_none() {
                        engine.voice = builtin.voice.clone();
                    }
                    if engine.limits == Limits::default() {
                        engine.limits = builtin.limits;
                    }
                    *builtin = engine;
                }
                None => engines.push(engine),
            }
        }
        Ok(Self { engines })
    }

    /// Reads `path`, or gives the builtin engines when there is no such file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        // Only a regular file of a sensible size: a named pipe would block the read, a
        // device would never end.
        match std::fs::metadata(path) {
            Ok(m) if !m.is_file() => {
                return Err(ConfigError::Invalid {
                    path: path.display().to_string(),
                    message: "this is not a regular file".into(),
                });
            }
            Ok(m) if m.len() > MAX_CONFIG_BYTES => {
                return Err(ConfigError::Invalid {
                    path: path.display().to_string(),
                    message: format!(
                        "the file is {} bytes; an engines file is at most {MAX_CONFIG_BYTES}",
                        m.len()
                    ),
                });
            }
            _ => {}
        }
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(ConfigError::Read {
                path: path.display().to_string(),
                source,
            }),
        }
    }

    pub fn engines(&self) -> &[EngineConfig] {
        &self.engines
    }

    pub fn get(&self, id: &str) -> Option<&EngineConfig> {
        self.engines.iter().find(|e| e.id == id)
    }

    /// The cheapest engine of `kind` whose quality is at least `min_quality`, preferring the
    /// better one at equal price. `price_of` gives an engine's cost for the work at hand.
    pub fn cheapest(
        &self,
        kind: EngineKind,
        min_quality: u8,
        price_of: impl Fn(&EngineConfig) -> i64,
    ) -> Option<&EngineConfig> {
        self.engines
            .iter()
            .filter(|e| e.kind == kind && e.quality >= min_quality)
            .min_by(|a, b| {
                price_of(a)
                    .cmp(&price_of(b))
                    .then(b.quality.cmp(&a.quality))
            })
    }
}

fn check(e: &EngineConfig) -> Result<(), String> {
    let id_ok = !e.id.is_empty()
        && e.id.len() <= 64
        && e.id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if !id_ok {
        return Err("the id must be 1-64 characters of a-z, 0-9, - and _".into());
    }
    if !(1..=5).contains(&e.quality) {
        return Err(format!("quality {} must be 1 to 5", e.quality));
    }
    e.price.check()?;
    let allowed = match e.provider {
        Provider::EspeakNg | Provider::Piper => e.kind == EngineKind::Tts,
        Provider::Extractive => e.kind == EngineKind::Text,
        Provider::Openai => true,
    };
    if !allowed {
        return Err(format!(
            "provider {:?} cannot be a {} engine",
            e.provider,
            e.kind.as_str()
        ));
    }
    if e.provider == Provider::Openai {
        let endpoint = e.endpoint.as_deref().unwrap_or_default();
        if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
            return Err("an openai engine needs an endpoint, an http:// or https:// URL".into());
        }
        if e.model.as_deref().unwrap_or_default().is_empty() {
            return Err("an openai engine needs a model".into());
        }
    }
    if let Some(var) = &e.api_key_env
        && (var.is_empty() || !var.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    {
        return Err(format!(
            "api_key_env {var:?} is not an environment variable name"
        ));
    }
    if let Some(t) = e.timeout_secs
        && !(1..=3600).contains(&t)
    {
        return Err(format!("timeout_secs = {t} must be from 1 to 3600"));
    }
    if e.limits.max_concurrency == Some(0) {
        return Err("limits.max_concurrency must be at least 1".into());
    }
    if e.limits.max_starts_per_second == Some(0) {
        return Err("limits.max_starts_per_second must be at least 1".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
[[engine]]
id = "openai-tts"
kind = "tts"
provider = "openai"
endpoint = "https://api.openai.com/v1"
model = "gpt-4o-mini-tts"
voice = "alloy"
api_key_env = "CLASSKIT_TEST_NO_SUCH_KEY"
quality = 4
price = { per_million_chars = 15.0 }
limits = { max_concurrency = 4 }

[[engine]]
id = "espeak"
kind = "tts"
provider = "espeak-ng"
voice = "en-gb"
quality = 1
"#;

    #[test]
    fn builtin_engines_plus_the_file() {
        let c = EnginesConfig::parse(SAMPLE, "engines.toml").expect("parse");
        assert_eq!(c.get("openai-tts").expect("added").quality, 4);
        assert_eq!(
            c.get("espeak").expect("overridden").voice.as_deref(),
            Some("en-gb")
        );
        assert!(c.get("piper").is_some() && c.get("extractive").is_some());
        assert!(c.get("openai-tts").expect("e").api_key().is_none());
        let chars = 10_000;
        let cost = |e: &EngineConfig| e.price.speech_micros(chars);
        assert_eq!(c.cheapest(EngineKind::Tts, 1, cost).expect("e").id, "piper");
        assert_eq!(
            c.cheapest(EngineKind::Tts, 4, cost).expect("e").id,
            "openai-tts"
        );
        assert!(c.cheapest(EngineKind::Tts, 5, cost).is_none());
    }

    #[test]
    fn secrets_in_the_file_are_refused_with_a_clear_message() {
        let text = "[[engine]]\nid = \"x\"\nkind = \"tts\"\nprovider = \"openai\"\nendpoint = \"http://a\"\nmodel = \"m\"\nquality = 2\napi_key = \"sk-123\"\n";
        let e = EnginesConfig::parse(text, "engines.toml")
            .expect_err("refused")
            .to_string();
        assert!(e.contains("api_key") && e.contains("api_key_env"), "{e}");
        assert!(!e.contains("sk-123"), "the secret is not repeated: {e}");
    }

    #[test]
    fn bad_files_say_what_and_where() {
        for (text, expect) in [
            (
                "[[engine]]\nid = \"a\"\nkind = \"tts\"\nprovider = \"openai\"\nquality = 2\n",
                "endpoint",
            ),
            (
                "[[engine]]\nid = \"a\"\nkind = \"tts\"\nprovider = \"espeak-ng\"\nquality = 9\n",
                "quality 9",
            ),
            (
                "[[engine]]\nid = \"A B\"\nkind = \"tts\"\nprovider = \"espeak-ng\"\nquality = 1\n",
                "id must",
            ),
            (
                "[[engine]]\nid = \"a\"\nkind = \"image\"\nprovider = \"piper\"\nquality = 1\n",
                "cannot be a image",
            ),
            (
                "[[engine]]\nid = \"a\"\nkind = \"tts\"\nprovider = \"espeak-ng\"\nquality = 1\nprice = { per_image = -2.0 }\n",
                "per_image",
            ),
            (
                "[[engine]]\nid = \"a\"\nkind = \"tts\"\nprovider = \"espeak-ng\"\nquality = 1\ncolour = 3\n",
                "colour",
            ),
            ("[[engine]\n", "engines.toml"),
            (
                "[[engine]]\nid = \"a\"\nkind = \"tts\"\nprovider = \"espeak-ng\"\nquality = 1\n[[engine]]\nid = \"a\"\nkind = \"tts\"\nprovider = \"espeak-ng\"\nquality = 1\n",
                "used twice",
            ),
        ] {
            let e = EnginesConfig::parse(text, "engines.toml")
                .expect_err("refused")
                .to_string();
            assert!(e.contains(expect), "{expect:?} not in {e}");
            assert!(e.starts_with("engines.toml"), "{e}");
        }
    }

    #[test]
    fn secrets_under_any_name_are_refused_and_never_echoed() {
        for text in [
            "[[engine]]\nid = \"x\"\nkind = \"tts\"\nprovider = \"openai\"\nendpoint = \"http://a\"\nmodel = \"m\"\nquality = 2\nopenai_api_key = \"sk-secret-1\"\n",
            "password = \"sk-secret-1\"\n",
            "[[engine]]\nid = \"x\"\nkind = \"tts\"\nprovider = \"espeak-ng\"\nquality = 1\nprice = { access_token = \"sk-secret-1\" }\n",
            "[[engine]]\nid = \"x\"\nkind = \"tts\"\nprovider = \"espeak-ng\"\nquality = 1\ncolour = \"sk-secret-1\"\n",
            "[[engine]\nx = \"sk-secret-1\"\n",
        ] {
            let e = EnginesConfig::parse(text, "engines.toml")
                .expect_err("refused")
                .to_string();
            assert!(!e.contains("sk-secret-1"), "{e}");
        }
    }

    #[test]
    fn overriding_piper_keeps_its_language() {
        let c = EnginesConfig::parse(
            "[[engine]]\nid = \"piper\"\nkind = \"tts\"\nprovider = \"piper\"\nquality = 4\n",
            "engines.toml",
        )
        .expect("parse");
        let piper = c.get("piper").expect("piper");
        assert_eq!((piper.quality, piper.speaks(Some("ko"))), (4, false));
    }

    #[test]
    fn a_missing_file_means_the_builtin_engines() {
        let dir = tempfile::tempdir().expect("dir");
        let c = EnginesConfig::load(&dir.path().join("engines.toml")).expect("load");
        assert_eq!(c, EnginesConfig::default());
    }
}
