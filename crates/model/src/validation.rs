//! Validation results that point at the exact field of a payload.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One problem found in a payload, with a JSON pointer (RFC 6901) to the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ValidationIssue {
    /// JSON pointer into the payload, e.g. `/questions/2/options`; empty for the whole payload.
    pub pointer: String,
    /// What is wrong, in words an instructor understands.
    pub message: String,
}

impl fmt::Display for ValidationIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, "{pointer}: {}", self.message)
    }
}

/// A JSON pointer being built while walking a payload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the whole payload.
    pub fn root() -> Self {
        Self(String::new())
    }

    /// The pointer to a named field below this one (escaped per RFC 6901).
    pub fn key(&self, key: &str) -> Self {
        let escaped = key.replace('~', "~0").replace('/', "~1");
        Self(format!("{}/{escaped}", self.0))
    }

    /// The pointer to an array element below this one.
    pub fn index(&self, index: usize) -> Self {
        Self(format!("{}/{index}", self.0))
    }

    /// The pointer as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Collects every issue of a payload so that all of them are reported at once.
#[derive(Debug, Default)]
pub struct Issues(Vec<ValidationIssue>);

impl Issues {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an issue at `pointer`.
    pub fn push(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.0.push(ValidationIssue {
            pointer: pointer.0.clone(),
            message: message.into(),
        });
    }

    /// Records an issue when `text` is empty or only whitespace.
    pub fn require_text(&mut self, pointer: &Pointer, text: &str, message: &str) {
        if text.trim().is_empty() {
            self.push(pointer, message);
        }
    }

    /// Records an issue when `text` is longer than `max` characters.
    pub fn limit_text(&mut self, pointer: &Pointer, text: &str, max: usize) {
        let count = text.chars().count();
        if count > max {
            self.push(
                pointer,
                format!("this text is {count} characters long; the limit is {max}"),
            );
        }
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The recorded issues, in the order they were found.
    pub fn into_vec(self) -> Vec<ValidationIssue> {
        self.0
    }
}

/// Longest text accepted in a short field (titles, options, terms).
pub const MAX_SHORT_TEXT: usize = 2_000;
/// Longest text accepted in a long field (passages, feedback, scripts).
pub const MAX_LONG_TEXT: usize = 50_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_per_rfc6901() {
        let p = Pointer::root().key("a/b").key("m~n").index(3);
        assert_eq!(p.as_str(), "/a~1b/m~0n/3");
    }

    #[test]
    fn issue_display_names_pointer_and_message() {
        let mut issues = Issues::new();
        issues.push(
            &Pointer::root().key("questions").index(2).key("options"),
            "a question needs at least two options",
        );
        let v = issues.into_vec();
        assert_eq!(
            v[0].to_string(),
            "/questions/2/options: a question needs at least two options"
        );
    }
}
