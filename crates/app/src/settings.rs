//! The instructor's preferences, as the desktop app keeps them (never secrets).

use serde::{Deserialize, Serialize};

/// The instructor's preferences (kept by the desktop app, never secrets).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Preferences {
    /// The UI language.
    #[serde(default)]
    pub locale: UiLocale,
    #[serde(default)]
    pub theme: Theme,
}

/// The languages the UI is shipped in.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum UiLocale {
    #[default]
    En,
    Ko,
}

/// Light, dark, or as the system is set.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}
