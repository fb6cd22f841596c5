//! Conflicts as the instructor settles them: where each is (which slide, which component),
//! both values, and for text a merge of both edits to start from.

use crate::{App, AppError, Result};
use classkit_model::ComponentType;
use classkit_store::Keep;
use classkit_sync::{ConflictRecord, EntityKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// Where a conflict is, in the words the instructor knows the course by.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ConflictPlace {
    pub course_title: String,
    /// The title of the lesson or slide (of the component's slide for a component); none
    /// when it is no longer in this library.
    pub title: Option<String>,
    /// A component's type.
    pub component_type: Option<ComponentType>,
}

/// Both edits of a text field, and their merge when the edits touch different words.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TextMerge {
    /// The text both edits started from (none: the field was not there).
    pub base: Option<String>,
    /// The edit that was not applied.
    pub mine: String,
    /// The text that stayed current.
    pub theirs: String,
    /// Both edits in one text; none when they changed the same words, and the instructor
    /// must write the text that combines them.
    pub merged: Option<String>,
}

/// One open conflict with what the conflict view shows.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ConflictView {
    pub conflict: ConflictRecord,
    pub place: ConflictPlace,
    /// For a text field: both texts and their merge.
    pub text: Option<TextMerge>,
}

/// How a conflict is settled.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(tag = "keep", rename_all = "snake_case", deny_unknown_fields)]
pub enum KeepChoice {
    /// The edit that was not applied.
    Mine,
    /// The value that stayed current.
    Theirs,
    /// A text written from both (only for a text field).
    Text { text: String },
}

/// The longest text merged word by word (longer texts are offered as they are).
const MERGE_LIMIT: usize = 200_000;

/// A three-way merge of `mine` and `theirs` from `base`, word by word: `None` when both
/// changed the same words.
pub fn merge_text(base: &str, mine: &str, theirs: &str) -> Option<String> {
    if mine == theirs {
        return Some(mine.to_string());
    }
    if base.len() + mine.len() + theirs.len() > MERGE_LIMIT {
        return None;
    }
    // diffy merges line by line: give it one word (with the spaces after it) per line, the
    // text's own line breaks kept in the words and put back after.
    let words = |text: &str| -> String {
        let mut out = String::with_capacity(text.len() * 2);
        for word in text.split_inclusive(char::is_whitespace) {
            out.push_str(&word.replace('\n', "\u{E000}").replace('\r', "\u{E001}"));
            out.push('\n');
        }
        out
    };
    let merged = diffy::merge(&words(base), &words(mine), &words(theirs)).ok()?;
    Some(
        merged
            .split('\n')
            .collect::<String>()
            .replace('\u{E000}', "\n")
            .replace('\u{E001}', "\r"),
    )
}

fn text_of(value: &Option<Value>) -> Option<Option<&str>> {
    match value {
        None | Some(Value::Null) => Some(None),
        Some(Value::String(s)) => Some(Some(s)),
        Some(_) => None,
    }
}

/// Both texts and their merge, when the conflict is over a text field on both sides.
fn text_merge(record: &ConflictRecord) -> Option<TextMerge> {
    let (Some(Some(mine)), Some(Some(theirs))) = (text_of(&record.mine), text_of(&record.theirs))
    else {
        return None;
    };
    let base = text_of(&record.base)?;
    Some(TextMerge {
        base: base.map(str::to_string),
        mine: mine.to_string(),
        theirs: theirs.to_string(),
        merged: merge_text(base.unwrap_or(""), mine, theirs),
    })
}

impl App {
    async fn place_of(&self, record: &ConflictRecord) -> Result<ConflictPlace> {
        let tree = self.store.course_tree(record.course_id).await.ok();
        let course_title = tree
            .as_ref()
            .map(|t| t.course.title.clone())
            .unwrap_or_default();
        let mut place = ConflictPlace {
            course_title,
            title: None,
            component_type: None,
        };
        let Some(tree) = tree else { return Ok(place) };
        let slides = || tree.lessons.iter().flat_map(|l| l.slides.iter());
        match record.kind {
            EntityKind::Course => place.title = Some(tree.course.title.clone()),
            EntityKind::Lesson => {
                place.title = tree
                    .lessons
                    .iter()
                    .find(|l| l.lesson.id == record.entity_id)
                    .map(|l| l.lesson.title.clone());
            }
            EntityKind::Slide => {
                place.title = slides()
                    .find(|s| s.slide.id == record.entity_id)
                    .map(|s| s.slide.title.clone());
            }
            EntityKind::Component => {
                if let Some((slide, component)) = slides().find_map(|s| {
                    s.components
                        .iter()
                        .find(|c| c.id == record.entity_id)
                        .map(|c| (s, c))
                }) {
                    place.title = Some(slide.slide.title.clone());
                    place.component_type = Some(component.component_type);
                }
            }
        }
        Ok(place)
    }

    /// Open conflicts of one course or of all, with where each is and, for text, a merge.
    pub async fn conflict_views(&self, course: Option<Uuid>) -> Result<Vec<ConflictView>> {
        let mut out = Vec::new();
        for conflict in self.conflicts(course).await? {
            out.push(ConflictView {
                place: self.place_of(&conflict).await?,
                text: text_merge(&conflict),
                conflict,
            });
        }
        Ok(out)
    }

    /// Settles a conflict as the instructor chose: an ordinary edit, synced like any other
    /// (and soon, by the background sync).
    pub async fn settle_conflict(&self, id: Uuid, choice: KeepChoice) -> Result<()> {
        let keep = match choice {
            KeepChoice::Mine => Keep::Mine,
            KeepChoice::Theirs => Keep::Theirs,
            KeepChoice::Text { text } => {
                let record = self
                    .conflicts(None)
                    .await?
                    .into_iter()
                    .find(|c| c.id == id)
                    .ok_or_else(|| {
                        AppError::from(classkit_store::StoreError::NotFound {
                            kind: "conflict",
                            id: id.to_string(),
                        })
                    })?;
                if text_merge(&record).is_none() {
                    return Err(AppError::Invalid(format!(
                        "conflict {id} is not over a text field: keep one of the two values"
                    )));
                }
                Keep::Value(Value::String(text))
            }
        };
        self.resolve_conflict(id, keep).await?;
        self.sync_soon();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_to_different_words_merge() {
        assert_eq!(
            merge_text(
                "Negotiating by phone",
                "Negotiating prices by phone",
                "Negotiating by telephone"
            )
            .as_deref(),
            Some("Negotiating prices by telephone")
        );
    }

    #[test]
    fn edits_to_the_same_word_do_not() {
        assert_eq!(merge_text("a cat sat", "a dog sat", "a bird sat"), None);
    }

    #[test]
    fn line_breaks_and_korean_survive() {
        let base = "첫 줄입니다.\n둘째 줄입니다.";
        let mine = "첫 번째 줄입니다.\n둘째 줄입니다.";
        let theirs = "첫 줄입니다.\n둘째 줄이에요.";
        assert_eq!(
            merge_text(base, mine, theirs).as_deref(),
            Some("첫 번째 줄입니다.\n둘째 줄이에요.")
        );
    }

    #[test]
    fn equal_edits_are_one() {
        assert_eq!(merge_text("a", "b", "b").as_deref(), Some("b"));
    }
}
