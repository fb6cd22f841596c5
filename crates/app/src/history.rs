//! History: every saved version of a slide or component, what changed between two, and
//! bringing an earlier one back.

use crate::undo::EditTarget;
use crate::{App, Result};
use classkit_model::ChangeKind;
use classkit_store::{Restored, Revision};
use serde::Serialize;
use serde_json::Value;
use tracing::instrument;
use uuid::Uuid;

/// Whether a line of a diff is in both versions, only the newer or only the older.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DiffChange {
    Same,
    Added,
    Removed,
}

/// One line of a revision diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DiffLine {
    pub change: DiffChange,
    /// `field: value`, with nested fields named by their path (`questions/0/text`).
    pub text: String,
}

/// What changed between two versions of a slide or component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RevisionDiff {
    pub id: Uuid,
    pub from_version: i64,
    pub to_version: i64,
    pub lines: Vec<DiffLine>,
}

impl App {
    /// Every saved version of a slide or component.
    pub async fn history(&self, id: Uuid) -> Result<Vec<Revision>> {
        Ok(self.store.history(id).await?)
    }

    /// Restores an earlier version as a new version.
    #[instrument(skip(self))]
    pub async fn restore(&self, id: Uuid, version: i64) -> Result<Restored> {
        let restored = self.store.restore(id, version).await?;
        match &restored {
            Restored::Slide(slide) => {
                self.record_changed(
                    EditTarget::Slide,
                    slide.id,
                    slide.id,
                    slide.version,
                    ChangeKind::Restored,
                )
                .await
            }
            Restored::Component(component) => {
                self.record_component(component, ChangeKind::Restored).await
            }
        }
        Ok(restored)
    }

    /// What changed between two saved versions of a slide or component, field by field.
    pub async fn diff(&self, id: Uuid, from_version: i64, to_version: i64) -> Result<RevisionDiff> {
        let history = self.history(id).await?;
        let find = |version: i64| {
            history
                .iter()
                .find(|r| r.version == version)
                .ok_or_else(|| crate::AppError::Invalid(format!("{id} has no version {version}")))
        };
        let old = field_lines(&find(from_version)?.data);
        let new = field_lines(&find(to_version)?.data);
        let old: Vec<&str> = old.iter().map(String::as_str).collect();
        let new: Vec<&str> = new.iter().map(String::as_str).collect();
        let diff = similar::TextDiff::from_slices(&old, &new);
        let lines = diff
            .iter_all_changes()
            .map(|change| DiffLine {
                change: match change.tag() {
                    similar::ChangeTag::Equal => DiffChange::Same,
                    similar::ChangeTag::Insert => DiffChange::Added,
                    similar::ChangeTag::Delete => DiffChange::Removed,
                },
                text: change.value().to_string(),
            })
            .collect();
        Ok(RevisionDiff {
            id,
            from_version,
            to_version,
            lines,
        })
    }
}

/// Fields an instructor did not write: left out of diffs.
const BOOKKEEPING: &[&str] = &[
    "id",
    "created_at",
    "updated_at",
    "version",
    "slide_id",
    "lesson_id",
    "order_key",
    "position",
    "schema_version",
];

/// `path: value` for every leaf of a saved entity, in document order, for diffs. The
/// payload of a component is flattened from its root, so its fields read as the editor names
/// them.
fn field_lines(data: &Value) -> Vec<String> {
    fn walk(path: &str, value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    if path.is_empty() && BOOKKEEPING.contains(&key.as_str()) {
                        continue;
                    }
                    let p = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}/{key}")
                    };
                    walk(&p, v, out);
                }
            }
            Value::Array(items) => {
                if items.is_empty() {
                    out.push(format!("{path}: (none)"));
                }
                for (i, v) in items.iter().enumerate() {
                    walk(&format!("{path}/{i}"), v, out);
                }
            }
            Value::String(s) => {
                // One line per line of text, so a changed line of a long body shows alone.
                let mut lines = s.lines();
                match lines.next() {
                    None => out.push(format!("{path}: (empty)")),
                    Some(first) => {
                        out.push(format!("{path}: {first}"));
                        for line in lines {
                            out.push(format!("{path}: … {line}"));
                        }
                    }
                }
            }
            other => out.push(format!("{path}: {other}")),
        }
    }
    let mut out = Vec::new();
    let root = match data.get("payload") {
        Some(payload) => {
            let mut out_status = Vec::new();
            if let Some(status) = data.get("status") {
                walk("status", status, &mut out_status);
            }
            out.extend(out_status);
            payload
        }
        None => data,
    };
    walk("", root, &mut out);
    for line in &mut out {
        if !line.ends_with('\n') {
            line.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_lines_name_nested_fields_and_skip_bookkeeping() {
        let lines = field_lines(&json!({
            "id": "x", "version": 3, "status": "draft",
            "payload": {"schema_version": 2, "questions": [{"text": "a\nb", "options": []}]}
        }));
        assert_eq!(
            lines,
            vec![
                "status: draft\n",
                "questions/0/options: (none)\n",
                "questions/0/text: a\n",
                "questions/0/text: … b\n",
            ]
        );
    }
}
