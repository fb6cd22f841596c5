//! Export for learners: a course as a web player that plays with no server (a folder in a
//! zip: `index.html`, `course.js`, the media and captions), and the same player packaged for
//! an LMS as SCORM 1.2 or SCORM 2004 (4th edition), with `imsmanifest.xml` at the root.
//!
//! The caller (crates/app) reads the course and its files from the library into an
//! [`ExportInput`]; this crate decides what learners get ([`course`]), writes the captions
//! ([`captions`]), the manifests ([`scorm`]) and the zip ([`package`]). Nothing here touches
//! the library, so an export never changes what the instructor has saved.

pub mod audio;
pub mod captions;
pub mod course;
pub mod markdown;
pub mod package;
pub mod scorm;

use classkit_model::CourseTree;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::PathBuf;
use uuid::Uuid;

pub use course::{LeftOut, PlayerCourse};
pub use package::{ExportReport, export};

/// What the package is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// The player alone: put it on a web host or open `index.html` from disk.
    Web,
    /// SCORM 1.2, for any LMS.
    Scorm12,
    /// SCORM 2004 4th edition.
    Scorm2004,
}

impl Format {
    /// The name used on the command line and in the player (`web`, `scorm12`, `scorm2004`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Scorm12 => "scorm12",
            Self::Scorm2004 => "scorm2004",
        }
    }

    /// Parses a format name.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "web" => Self::Web,
            "scorm12" | "scorm-1.2" | "scorm1.2" => Self::Scorm12,
            "scorm2004" | "scorm-2004" => Self::Scorm2004,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a SCORM package reports to the LMS.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ScoLayout {
    /// The whole course is one SCO: one score, one completion.
    #[default]
    Course,
    /// Each lesson is its own SCO with its own score and completion.
    PerLesson,
}

/// Where the web player sends xAPI statements (when the launch address names no LRS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct XapiOptions {
    /// The LRS's statements endpoint base, e.g. `https://lrs.example.org/xapi/`.
    pub endpoint: String,
    /// The `Authorization` header's value (`Basic …`); empty when the LRS needs none.
    #[serde(default)]
    pub auth: String,
}

/// What the instructor chose in the Export dialog (or on the command line).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ExportOptions {
    pub format: Format,
    /// The share of the points a learner needs to pass, from 0 to 1.
    pub mastery_score: f64,
    #[serde(default)]
    pub sco_layout: ScoLayout,
    /// Export components still marked draft too (those without problems).
    #[serde(default)]
    pub include_drafts: bool,
    #[serde(default)]
    pub xapi: Option<XapiOptions>,
}

impl ExportOptions {
    /// The options for `format` with an 80 % mastery score, one SCO and no drafts.
    pub fn new(format: Format) -> Self {
        Self {
            format,
            mastery_score: DEFAULT_MASTERY_SCORE,
            sco_layout: ScoLayout::Course,
            include_drafts: false,
            xapi: None,
        }
    }
}

/// The mastery score when the instructor sets none.
pub const DEFAULT_MASTERY_SCORE: f64 = 0.8;

/// A file of the library the course uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetFile {
    pub path: PathBuf,
    pub media_type: String,
}

/// A slide's narration as the library holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Narration {
    pub sha256: String,
    pub duration_ms: Option<u64>,
}

/// Everything an export reads: the course, each slide's narration, and the files used.
#[derive(Debug, Clone)]
pub struct ExportInput {
    pub tree: CourseTree,
    pub narrations: HashMap<Uuid, Narration>,
    /// Files by SHA-256, for every file the course names that the library has.
    pub assets: HashMap<String, AssetFile>,
}

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Invalid(String),
    #[error("writing {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("reading the library's file {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
}
