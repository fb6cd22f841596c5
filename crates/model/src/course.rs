//! Courses, lessons and slides: the structure an instructor authors.

use crate::component::LearningComponent;
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A reference to a stored asset (audio, image) by the sha256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct AssetRef(pub String);

impl AssetRef {
    /// True when this is 64 lowercase hex digits, the form every stored asset has.
    pub fn is_well_formed(&self) -> bool {
        is_asset_hash(&self.0)
    }
}

fn is_asset_hash(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Every stored-asset reference in a payload (any string of 64 lowercase hex digits), with its
/// JSON pointer, in document order.
pub fn asset_references(payload: &serde_json::Value) -> Vec<(String, AssetRef)> {
    fn walk<'a>(
        v: &'a serde_json::Value,
        trail: &mut crate::validation::Trail<'a>,
        out: &mut Vec<(String, AssetRef)>,
    ) {
        match v {
            serde_json::Value::String(s) if is_asset_hash(s) => {
                out.push((trail.pointer().as_str().to_string(), AssetRef(s.clone())));
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    trail.push_index(i);
                    walk(item, trail, out);
                    trail.pop();
                }
            }
            serde_json::Value::Object(map) => {
                for (k, item) in map {
                    trail.push_key(k);
                    walk(item, trail, out);
                    trail.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(payload, &mut crate::validation::Trail::default(), &mut out);
    out
}

/// A course: the top of what an instructor builds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Course {
    pub id: Uuid,
    pub title: String,
    /// A short description shown in the library.
    #[serde(default)]
    pub description: String,
    /// BCP 47 language tag of the lecture text, when known (`en`, `ko`).
    #[serde(default)]
    pub language: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Incremented on every saved change; the base version for sync and conflict checks.
    pub version: i64,
}

/// A lesson: an ordered group of slides within a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Lesson {
    pub id: Uuid,
    pub course_id: Uuid,
    /// Orders it among its siblings, byte order, ties by id; see `crate::order`.
    #[serde(default)]
    pub order_key: String,
    /// Derived when read: the zero-based place among the course's lessons sorted by
    /// (`order_key`, `id`). Never stored; writing it moves nothing.
    pub position: i64,
    pub title: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// How a slide is laid out when rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlideLayout {
    /// A title slide with an optional subtitle.
    Title,
    /// A title over a bullet list.
    #[default]
    Bullets,
    /// Two columns of content.
    TwoColumns,
    /// An image beside text.
    ImageText,
    /// A large quotation.
    Quote,
}

impl SlideLayout {
    /// The name stored in the library and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Bullets => "bullets",
            Self::TwoColumns => "two_columns",
            Self::ImageText => "image_text",
            Self::Quote => "quote",
        }
    }

    /// Parses a stored layout name.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "title" => Self::Title,
            "bullets" => Self::Bullets,
            "two_columns" => Self::TwoColumns,
            "image_text" => Self::ImageText,
            "quote" => Self::Quote,
            _ => return None,
        })
    }
}

/// A slide: what the learner sees, and the narration the instructor speaks over it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Slide {
    pub id: Uuid,
    pub lesson_id: Uuid,
    /// Orders it among its siblings, byte order, ties by id; see `crate::order`.
    #[serde(default)]
    pub order_key: String,
    /// Derived when read: the zero-based place among the lesson's slides sorted by
    /// (`order_key`, `id`). Never stored; writing it moves nothing.
    pub position: i64,
    pub title: String,
    /// On-screen content in Markdown.
    pub body: String,
    /// The narration script (speaker notes), spoken over the slide. A key term may be set
    /// in bold (`**BATNA**`) for the drafter to find; it is spoken as [`spoken`] gives it.
    pub speaker_notes: String,
    /// Notes for the instructor only: never shown to learners or narrated.
    #[serde(default)]
    pub instructor_notes: String,
    pub layout: SlideLayout,
    /// The slide's image, by content hash.
    pub image: Option<AssetRef>,
    /// The slide's narration audio, by content hash.
    pub narration: Option<AssetRef>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// Speaker notes as they are spoken and captioned: without the `**` that sets a key term
/// in bold.
pub fn spoken(notes: &str) -> String {
    notes.replace("**", "")
}

/// A whole course with its lessons, slides and components, as shown by `classkit show`
/// and written into bundles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CourseTree {
    #[serde(flatten)]
    pub course: Course,
    pub lessons: Vec<LessonTree>,
}

/// A lesson with its slides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LessonTree {
    #[serde(flatten)]
    pub lesson: Lesson,
    pub slides: Vec<SlideTree>,
}

/// A slide with its learning components.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SlideTree {
    #[serde(flatten)]
    pub slide: Slide,
    pub components: Vec<LearningComponent>,
}

impl CourseTree {
    /// Number of slides in all lessons.
    pub fn slide_count(&self) -> usize {
        self.lessons.iter().map(|l| l.slides.len()).sum()
    }

    /// Number of components on all slides.
    pub fn component_count(&self) -> usize {
        self.lessons
            .iter()
            .flat_map(|l| &l.slides)
            .map(|s| s.components.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_references_are_found_with_their_pointers_in_document_order() {
        let a = "a".repeat(64);
        let b = format!("{}0", "b".repeat(63));
        let payload = serde_json::json!({
            "cards": [{"image": a, "text": "not a hash"}, {"audio": null}],
            "odd/key~": {"x": [1, b]},
            "short": "abc",
            "upper": "A".repeat(64),
        });
        let found = asset_references(&payload);
        assert_eq!(
            found,
            vec![
                ("/cards/0/image".to_string(), AssetRef(a)),
                ("/odd~1key~0/x/1".to_string(), AssetRef(b)),
            ]
        );
    }
}
