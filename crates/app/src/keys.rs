//! API keys of the paid engines: where each comes from (a key store such as the OS keyring,
//! typed for the session, or the environment variable the engine's configuration names),
//! with that precedence, and checked before they are kept. The keys themselves never leave
//! this module except to the engines' clients.

use crate::{App, AppError, Result};
use classkit_engines::KeyLookup;
pub use classkit_engines::Secret;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Longest key accepted, in characters.
pub const MAX_KEY: usize = 4096;

/// Where keys are kept across restarts: the OS keyring in the desktop app, memory in tests
/// and on the command line. Calls may block (a keyring may ask to be unlocked): call them
/// off an async runtime's threads.
pub trait KeyStore: Send + Sync {
    /// Why keys cannot be kept here (no secret service on this system, turned off); `None`
    /// when they can.
    fn unavailable(&self) -> Option<String>;
    /// The key kept for `engine`.
    fn read(&self, engine: &str) -> std::result::Result<Option<Secret>, KeyStoreError>;
    /// Keeps `key` for `engine`, replacing an earlier one.
    fn write(&self, engine: &str, key: &Secret) -> std::result::Result<(), KeyStoreError>;
    /// Forgets the key of `engine`; nothing kept is not an error.
    fn delete(&self, engine: &str) -> std::result::Result<(), KeyStoreError>;
}

/// A key store that cannot be used: why, in words for the instructor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct KeyStoreError(pub String);

/// Keys kept in this process's memory only, for as long as it runs.
#[derive(Debug, Default)]
pub struct MemoryKeyStore {
    keys: Mutex<HashMap<String, Secret>>,
}

impl KeyStore for MemoryKeyStore {
    fn unavailable(&self) -> Option<String> {
        None
    }

    fn read(&self, engine: &str) -> std::result::Result<Option<Secret>, KeyStoreError> {
        Ok(lock(&self.keys).get(engine).cloned())
    }

    fn write(&self, engine: &str, key: &Secret) -> std::result::Result<(), KeyStoreError> {
        lock(&self.keys).insert(engine.to_string(), key.clone());
        Ok(())
    }

    fn delete(&self, engine: &str) -> std::result::Result<(), KeyStoreError> {
        lock(&self.keys).remove(engine);
        Ok(())
    }
}

/// An engine that is paid for with an API key (its key itself never leaves the app layer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PaidEngine {
    pub id: String,
    pub kind: classkit_engines::EngineKind,
    /// The server, without any user, password or query.
    pub endpoint: String,
    pub model: String,
    /// The environment variable its key may come from.
    pub api_key_env: Option<String>,
}

/// Where the key of a paid engine comes from now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeySource {
    /// The OS keyring (kept across restarts).
    Keyring,
    /// Typed for this session only (no keyring on this system).
    Session,
    /// The environment variable named in the engine's configuration.
    Environment,
    /// No key: requests are sent without one.
    None,
}

/// A paid engine and where its key comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ApiKeyStatus {
    pub engine: PaidEngine,
    pub source: KeySource,
}

/// The API keys of the library's paid engines, and whether the key store can keep them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ApiKeys {
    /// Why the OS keyring cannot be used (no secret service, as on a headless Linux); `None`
    /// when it can.
    pub keyring_unavailable: Option<String>,
    pub engines: Vec<ApiKeyStatus>,
}

/// The keys of one open library: those read from or kept in its key store, and those typed
/// for the session. Kept keys come first, then session keys; the engines' clients fall back
/// to the environment.
pub(crate) struct Keys {
    store: Arc<dyn KeyStore>,
    kept: Mutex<HashMap<String, Secret>>,
    session: Mutex<HashMap<String, Secret>>,
    /// Secrets that are not engine keys, as read from the store (read once, not at every
    /// sync: a keyring may be slow to answer).
    secrets: Mutex<HashMap<String, Secret>>,
    /// Why the store failed when it was used, learnt at run time.
    failed: Mutex<Option<String>>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys").finish_non_exhaustive()
    }
}

impl Keys {
    pub(crate) fn new(store: Arc<dyn KeyStore>) -> Self {
        Self {
            store,
            kept: Mutex::default(),
            session: Mutex::default(),
            secrets: Mutex::default(),
            failed: Mutex::default(),
        }
    }

    fn unavailable(&self) -> Option<String> {
        self.store
            .unavailable()
            .or_else(|| lock(&self.failed).clone())
    }

    fn source(&self, engine: &PaidEngine) -> KeySource {
        if lock(&self.kept).contains_key(&engine.id) {
            KeySource::Keyring
        } else if lock(&self.session).contains_key(&engine.id) {
            KeySource::Session
        } else if engine
            .api_key_env
            .as_deref()
            .is_some_and(|v| Secret::from_env(v).is_some())
        {
            KeySource::Environment
        } else {
            KeySource::None
        }
    }
}

impl KeyLookup for Keys {
    fn key(&self, id: &str) -> Option<Secret> {
        lock(&self.kept)
            .get(id)
            .cloned()
            .or_else(|| lock(&self.session).get(id).cloned())
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `key` as typed, trimmed, when it can be an API key.
fn checked(key: &str) -> Result<Secret> {
    let key = key.trim();
    if key.is_empty() {
        return Err(AppError::Invalid("the API key is empty".into()));
    }
    if key.chars().count() > MAX_KEY || key.chars().any(char::is_control) {
        return Err(AppError::Invalid(format!(
            "that is not an API key: at most {MAX_KEY} characters, with no line breaks or control characters"
        )));
    }
    Ok(Secret::new(key))
}

impl App {
    /// The same services keeping API keys in `store` (the OS keyring of the desktop app).
    /// The engines are built again on first use, so that they look keys up there.
    pub fn with_key_store(self, store: Arc<dyn KeyStore>) -> Self {
        Self {
            keys: Arc::new(Keys::new(store)),
            generation: Arc::default(),
            ..self
        }
    }

    /// The library's engines that call a provider over HTTP (the ones with API keys).
    pub fn paid_engines(&self) -> Result<Vec<PaidEngine>> {
        let generation = self.generation()?;
        Ok(generation
            .config()
            .engines()
            .iter()
            .filter(|e| !e.provider.is_builtin())
            .map(|e| PaidEngine {
                id: e.id.clone(),
                kind: e.kind,
                endpoint: e
                    .endpoint
                    .as_deref()
                    .map(classkit_engines::openai::shown_endpoint)
                    .unwrap_or_default(),
                model: e.model.clone().unwrap_or_default(),
                api_key_env: e.api_key_env.clone(),
            })
            .collect())
    }

    /// Reads the kept keys of the library's paid engines from the key store. Run once at
    /// start, off the async runtime (a keyring may be slow to answer, or ask to be
    /// unlocked); a store that fails is remembered as unavailable.
    pub fn load_keys(&self) {
        if self.keys.unavailable().is_some() {
            return;
        }
        let Ok(engines) = self.paid_engines() else {
            return;
        };
        for engine in engines {
            match self.keys.store.read(&engine.id) {
                Ok(Some(key)) => {
                    lock(&self.keys.kept).insert(engine.id, key);
                }
                Ok(None) => {}
                Err(e) => {
                    *lock(&self.keys.failed) = Some(e.0);
                    return;
                }
            }
        }
    }

    /// The paid engines and where their keys come from (never the keys themselves).
    pub fn api_keys(&self) -> Result<ApiKeys> {
        let engines = self
            .paid_engines()?
            .into_iter()
            .map(|engine| ApiKeyStatus {
                source: self.keys.source(&engine),
                engine,
            })
            .collect();
        Ok(ApiKeys {
            keyring_unavailable: self.keys.unavailable(),
            engines,
        })
    }

    /// Keeps an engine's API key in the key store, or for this session only. A key typed for
    /// the session replaces a kept one for good: the kept one does not come back at the next
    /// start.
    pub fn set_api_key(&self, engine: &str, key: &str, session_only: bool) -> Result<ApiKeys> {
        self.paid_engine(engine)?;
        let key = checked(key)?;
        if session_only {
            if lock(&self.keys.kept).contains_key(engine) {
                self.keys.store.delete(engine).map_err(unavailable)?;
                lock(&self.keys.kept).remove(engine);
            }
            lock(&self.keys.session).insert(engine.to_string(), key);
        } else {
            if let Some(why) = self.keys.unavailable() {
                return Err(cannot_keep(why));
            }
            if let Err(e) = self.keys.store.write(engine, &key) {
                *lock(&self.keys.failed) = Some(e.0.clone());
                return Err(cannot_keep(e.0));
            }
            lock(&self.keys.kept).insert(engine.to_string(), key);
            lock(&self.keys.session).remove(engine);
        }
        self.api_keys()
    }

    /// Forgets an engine's API key, kept or typed for the session.
    pub fn forget_api_key(&self, engine: &str) -> Result<ApiKeys> {
        self.paid_engine(engine)?;
        if lock(&self.keys.kept).contains_key(engine) {
            self.keys.store.delete(engine).map_err(unavailable)?;
            lock(&self.keys.kept).remove(engine);
        }
        lock(&self.keys.session).remove(engine);
        self.api_keys()
    }

    fn paid_engine(&self, engine: &str) -> Result<PaidEngine> {
        self.paid_engines()?
            .into_iter()
            .find(|e| e.id == engine)
            .ok_or_else(|| AppError::NoSuchEngine(engine.to_string()))
    }

    /// The keys given to this library, for the engines' clients.
    pub(crate) fn key_lookup(&self) -> Arc<dyn KeyLookup> {
        self.keys.clone()
    }
}

impl Keys {
    /// A secret that is not an engine's key (the team token): from the key store, or kept
    /// for this session when the store could not keep it.
    pub(crate) fn secret(&self, name: &str) -> Option<Secret> {
        if let Some(s) = lock(&self.session).get(name) {
            return Some(s.clone());
        }
        if let Some(s) = lock(&self.secrets).get(name) {
            return Some(s.clone());
        }
        match self.store.read(name) {
            Ok(found) => {
                if let Some(s) = &found {
                    lock(&self.secrets).insert(name.to_string(), s.clone());
                }
                found
            }
            Err(e) => {
                *lock(&self.failed) = Some(e.0);
                None
            }
        }
    }

    /// Forgets a secret, kept or for the session.
    pub(crate) fn forget_secret(&self, name: &str) {
        if let Err(e) = self.store.delete(name) {
            tracing::warn!(error = %e.0, "could not remove a secret from the keyring");
        }
        lock(&self.secrets).remove(name);
        lock(&self.session).remove(name);
    }

    /// Keeps a secret in the key store, or for this session only when the store cannot
    /// keep it (no keyring on this system). Returns whether it was kept for good.
    pub(crate) fn keep_secret(&self, name: &str, secret: Secret) -> bool {
        let kept = self.unavailable().is_none() && self.store.write(name, &secret).is_ok();
        lock(&self.secrets).remove(name);
        if kept {
            lock(&self.session).remove(name);
        } else {
            lock(&self.session).insert(name.to_string(), secret);
        }
        kept
    }
}

fn unavailable(e: KeyStoreError) -> AppError {
    AppError::KeyringUnavailable(e.0)
}

fn cannot_keep(why: String) -> AppError {
    AppError::KeyringUnavailable(format!(
        "the key cannot be kept: {why}. Keep it for this session only, or set the engine's environment variable"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked() {
        assert!(checked("  sk-abc  ").is_ok_and(|k| k.expose() == "sk-abc"));
        assert!(matches!(checked("   "), Err(AppError::Invalid(_))));
        assert!(matches!(checked("sk-a\nb"), Err(AppError::Invalid(_))));
        assert!(matches!(
            checked(&"k".repeat(MAX_KEY + 1)),
            Err(AppError::Invalid(_))
        ));
    }

    #[test]
    fn kept_keys_come_before_session_keys() {
        let keys = Keys::new(Arc::new(MemoryKeyStore::default()));
        lock(&keys.session).insert("e".into(), Secret::new("session"));
        assert_eq!(
            keys.key("e").map(|k| k.expose().to_string()),
            Some("session".into())
        );
        lock(&keys.kept).insert("e".into(), Secret::new("kept"));
        assert_eq!(
            keys.key("e").map(|k| k.expose().to_string()),
            Some("kept".into())
        );
        assert!(keys.key("other").is_none());
    }
}
