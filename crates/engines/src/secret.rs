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

/// Where an engine's API key comes from when its configuration's environment variable is not
/// the only source: the keys an instructor gave the app (from the OS keyring, or typed for
/// the session). Held by each client, never a process-wide map, so two libraries open in
/// one process never see each other's keys.
pub trait KeyLookup: Send + Sync {
    /// The key given for engine `id`, if any.
    fn key(&self, id: &str) -> Option<Secret>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value() {
        let s = Secret::new("sk-live-123456");
        let shown = format!("{s:?} {:?}", Some(&s));
        assert!(!shown.contains("sk-live"), "{shown}");
        assert_eq!(s.expose(), "sk-live-123456");
    }
}
