//! The OS keyring (Secret Service, Keychain, Credential Manager) as the app's key store: one
//! entry per engine under the app's service name. The rules (precedence, checks) are
//! `classkit-app`'s; this is only where kept keys live.

use classkit_app::keys::Secret;
use classkit_app::{KeyStore, KeyStoreError};

/// The keyring's service name; each engine's key is an entry named by the engine id.
const SERVICE: &str = "app.classkit.studio";

/// The OS keyring, or none (keys are then kept for the session only).
pub struct Keyring {
    /// Why the OS keyring is not used; `None` when it is.
    off: Option<String>,
}

impl Keyring {
    /// The OS keyring, or none when `CLASSKIT_KEYRING=off`.
    pub fn from_env() -> Self {
        let off = std::env::var("CLASSKIT_KEYRING").is_ok_and(|v| v.eq_ignore_ascii_case("off"));
        match off {
            true => Self::disabled("turned off by CLASSKIT_KEYRING=off"),
            false => Self { off: None },
        }
    }

    /// No OS keyring: keys are kept for the session only.
    pub fn disabled(why: &str) -> Self {
        Self {
            off: Some(why.to_string()),
        }
    }

    fn entry(&self, engine: &str) -> Result<keyring::Entry, KeyStoreError> {
        if let Some(why) = &self.off {
            return Err(KeyStoreError(why.clone()));
        }
        keyring::Entry::new(SERVICE, engine).map_err(reason)
    }
}

/// Why the keyring failed, in words for the instructor.
fn reason(e: keyring::Error) -> KeyStoreError {
    KeyStoreError(match e {
        keyring::Error::NoStorageAccess(inner) | keyring::Error::PlatformFailure(inner) => {
            format!("no OS keyring (secret service) is reachable: {inner}")
        }
        other => other.to_string(),
    })
}

impl KeyStore for Keyring {
    fn unavailable(&self) -> Option<String> {
        self.off.clone()
    }

    fn read(&self, engine: &str) -> Result<Option<Secret>, KeyStoreError> {
        match self.entry(engine)?.get_password() {
            Ok(key) => Ok(Some(Secret::new(key))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(reason(e)),
        }
    }

    fn write(&self, engine: &str, key: &Secret) -> Result<(), KeyStoreError> {
        self.entry(engine)?
            .set_password(key.expose())
            .map_err(reason)
    }

    fn delete(&self, engine: &str) -> Result<(), KeyStoreError> {
        match self.entry(engine)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(reason(e)),
        }
    }
}
