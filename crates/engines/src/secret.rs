//! Secrets (API keys): read from the environment, never from `engines.toml`, never printed.

/// A secret value. Its `Debug` shows nothing of it, and it has no `Display` or `Serialize`,
/// so it cannot end up in a log line, an error message or a file by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret from environment variable `var`, when it is set and not empty.
    pub fn from_env(var: &str) -> Option<Self> {
        std::env::var(var)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(|v| Self(v.trim().to_string()))
    }

    /// The value, for the one place that sends it (an `Authorization` header).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// API keys given to this process for engines by id (by the desktop app from the OS
/// keyring, or typed for the session), used before the environment variable an engine's
/// configuration names.
static GIVEN: std::sync::RwLock<Option<std::collections::HashMap<String, Secret>>> =
    std::sync::RwLock::new(None);

/// Gives the key of engine `id` to this process (replacing an earlier one).
pub fn give_key(id: &str, key: Secret) {
    let mut given = GIVEN
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    given
        .get_or_insert_with(Default::default)
        .insert(id.to_string(), key);
}

/// Takes back the key given for engine `id`.
pub fn forget_key(id: &str) {
    let mut given = GIVEN
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(map) = given.as_mut() {
        map.remove(id);
    }
}

/// The key given for engine `id`, if any.
pub fn given_key(id: &str) -> Option<Secret> {
    let given = GIVEN
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    given.as_ref().and_then(|m| m.get(id).cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_key_is_found_by_engine_id_until_forgotten() {
        assert!(given_key("secret-test-engine").is_none());
        give_key("secret-test-engine", Secret::new("sk-a"));
        give_key("secret-test-engine", Secret::new("sk-b"));
        assert_eq!(
            given_key("secret-test-engine").map(|k| k.0),
            Some("sk-b".into())
        );
        forget_key("secret-test-engine");
        assert!(given_key("secret-test-engine").is_none());
    }

    #[test]
    fn debug_hides_the_value() {
        let s = Secret::new("sk-live-123456");
        let shown = format!("{s:?} {:?}", Some(&s));
        assert!(!shown.contains("sk-live"), "{shown}");
        assert_eq!(s.expose(), "sk-live-123456");
    }
}
