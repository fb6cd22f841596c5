//! Validation results that point at the exact field of a payload.
//!
//! An issue says what is wrong three ways: a stable `code` that clients match on, the
//! `params` its sentence names, and the English `message` made from both (see [`Problem`]).

mod params;
mod problem;

pub use params::{IssueParams, ItemName};
pub use problem::{IssueCode, Problem};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One problem found in a payload, with a JSON pointer (RFC 6901) to the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ValidationIssue {
    /// JSON pointer into the payload, e.g. `/questions/2/options`; empty for the whole payload.
    pub pointer: String,
    /// What is wrong, as a stable code.
    pub code: IssueCode,
    /// The values the message names, for a client that says it in another language.
    pub params: IssueParams,
    /// What is wrong, in words an instructor understands (English).
    pub message: String,
}

impl ValidationIssue {
    /// The issue `problem` at `pointer`.
    pub fn new(pointer: impl Into<String>, problem: Problem) -> Self {
        Self {
            pointer: pointer.into(),
            code: problem.code(),
            params: problem.params(),
            message: problem.message(),
        }
    }
}

impl fmt::Display for ValidationIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
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

    /// Records `problem` at `pointer`.
    pub fn push(&mut self, pointer: &Pointer, problem: Problem) {
        let issue = ValidationIssue::new(pointer.as_str(), problem);
        self.0.push(issue);
    }

    /// Records `missing` when `text` is empty or only whitespace.
    pub fn require_text(&mut self, pointer: &Pointer, text: &str, missing: Problem) {
        if text.trim().is_empty() {
            self.push(pointer, missing);
        }
    }

    /// Records an issue when `text` is longer than `max` characters.
    pub fn limit_text(&mut self, pointer: &Pointer, text: &str, max: usize) {
        let count = text.chars().count();
        if count > max {
            self.push(pointer, Problem::TextTooLong { count, max });
        }
    }

    /// Records the id problems of a list's items: every item needs an id that is plain
    /// (see [`is_plain_id`]) and used by no earlier item. `item` names one item, e.g. `question`.
    pub fn check_ids<'a>(
        &mut self,
        list: &Pointer,
        ids: impl IntoIterator<Item = &'a str>,
        item: ItemName,
    ) {
        let mut first_use = std::collections::HashMap::new();
        for (i, id) in ids.into_iter().enumerate() {
            let at = list.index(i).key("id");
            if id.is_empty() {
                self.push(&at, Problem::IdMissing { item });
                continue;
            }
            if !is_plain_id(id) {
                let (id, max) = (id.to_string(), MAX_ID_LEN);
                self.push(&at, Problem::IdNotPlain { id, max });
            }
            if let Some(first) = first_use.get(id) {
                let (id, first) = (id.to_string(), first + 1);
                self.push(&at, Problem::IdTaken { id, item, first });
            } else {
                first_use.insert(id, i);
            }
        }
    }

    /// Records an issue when an asset reference is not the sha256 of a stored file.
    pub fn check_asset(&mut self, pointer: &Pointer, asset: Option<&crate::course::AssetRef>) {
        if let Some(asset) = asset.filter(|a| !a.is_well_formed()) {
            let asset = asset.0.clone();
            self.push(pointer, Problem::AssetNotStored { asset });
        }
    }

    /// Checks a BCP 47 language tag in its common form: a 2–3 letter language, then subtags of
    /// 1–8 letters or digits (script, region, variant), separated by hyphens.
    pub fn check_language(&mut self, at: &Pointer, tag: &str) {
        fn well_formed(tag: &str) -> bool {
            let mut subtags = tag.split('-');
            let language = subtags.next().unwrap_or_default();
            (2..=3).contains(&language.len())
                && language.bytes().all(|b| b.is_ascii_alphabetic())
                && subtags.all(|s| {
                    (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
                })
        }
        if well_formed(tag) {
            return;
        }
        let hyphenated = tag.trim().replace('_', "-");
        if hyphenated != tag && well_formed(&hyphenated) {
            let suggestion = hyphenated;
            self.push(at, Problem::LanguageTagSpelling { suggestion });
        } else {
            let tag = tag.to_string();
            self.push(at, Problem::NotALanguageTag { tag });
        }
    }

    /// Reports each text that repeats an earlier one of the list (ignoring case and spacing,
    /// not accents) at `list/i/field`, naming the first: `"x" already appears in item 1`.
    /// Empty texts are left to the caller's own check.
    pub fn check_repeats<'a>(
        &mut self,
        list: &Pointer,
        field: &str,
        texts: impl IntoIterator<Item = &'a str>,
        item: ItemName,
    ) {
        let same = crate::text::MatchOptions {
            case_sensitive: false,
            accent_sensitive: true,
        };
        let mut first_use = std::collections::HashMap::new();
        for (i, text) in texts.into_iter().enumerate() {
            if text.trim().is_empty() {
                continue;
            }
            let key = crate::text::normalize(text, same);
            if let Some(first) = first_use.get(&key) {
                let (text, first) = (text.trim().to_string(), first + 1);
                self.push(
                    &list.index(i).key(field),
                    Problem::TextRepeated { text, item, first },
                );
            } else {
                first_use.insert(key, i);
            }
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

/// Longest id of an item inside a payload (`q1`, `b-light`).
pub const MAX_ID_LEN: usize = 64;

/// True when `id` is 1 to [`MAX_ID_LEN`] characters of ASCII letters, digits, `-` and `_`,
/// so that it can be written in markers such as `[[b1]]` and used as a key by the player.
pub fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The way down from a payload's root to the value a walk is at, spelled out as a
/// [`Pointer`] only for a value that has something to report: a walk passes every value of
/// a payload (sync checks thousands of payloads at a time) and reports few.
#[derive(Debug, Default)]
pub(crate) struct Trail<'a>(Vec<Step<'a>>);

#[derive(Debug)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> Trail<'a> {
    /// Goes down into the field `key`.
    pub(crate) fn push_key(&mut self, key: &'a str) {
        self.0.push(Step::Key(key));
    }

    /// Goes down into the array element `index`.
    pub(crate) fn push_index(&mut self, index: usize) {
        self.0.push(Step::Index(index));
    }

    /// Goes back up one step.
    pub(crate) fn pop(&mut self) {
        self.0.pop();
    }

    /// The pointer to where the walk is.
    pub(crate) fn pointer(&self) -> Pointer {
        self.0.iter().fold(Pointer::root(), |at, step| match step {
            Step::Key(k) => at.key(k),
            Step::Index(i) => at.index(*i),
        })
    }
}

/// Checks every `provenance` object anywhere in a payload: its range must hold its quote.
pub(crate) fn check_provenance(value: &serde_json::Value, issues: &mut Issues) {
    fn walk<'a>(value: &'a serde_json::Value, trail: &mut Trail<'a>, issues: &mut Issues) {
        use serde_json::Value;
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    trail.push_key(key);
                    if key == "provenance"
                        && let Value::Object(p) = child
                    {
                        let number = |k: &str| p.get(k).and_then(Value::as_u64).unwrap_or(0);
                        let (start, end) = (number("start"), number("end"));
                        let quote = p.get("quote").and_then(Value::as_str).unwrap_or_default();
                        if quote.trim().is_empty() {
                            issues.push(&trail.pointer().key("quote"), Problem::SourceQuoteMissing);
                        } else if end < start || end - start != quote.len() as u64 {
                            let bytes = quote.len();
                            issues.push(
                                &trail.pointer().key("end"),
                                Problem::SourceRangeMismatch { start, end, bytes },
                            );
                        }
                    } else {
                        walk(child, trail, issues);
                    }
                    trail.pop();
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    trail.push_index(i);
                    walk(item, trail, issues);
                    trail.pop();
                }
            }
            _ => {}
        }
    }
    walk(value, &mut Trail::default(), issues);
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
    fn ids_must_be_present_plain_and_unique() {
        let mut issues = Issues::new();
        let list = Pointer::root().key("cards");
        issues.check_ids(&list, ["c1", "", "c 2", "c1"], ItemName::Card);
        let v: Vec<String> = issues.into_vec().iter().map(ToString::to_string).collect();
        assert_eq!(
            v,
            [
                "/cards/1/id: every card needs an id",
                "/cards/2/id: the id \"c 2\" may use only letters a-z and A-Z, digits, \"-\" and \"_\", at most 64 characters",
                "/cards/3/id: the id \"c1\" is already used by card 1",
            ]
        );
        assert!(is_plain_id("b-light_2"));
        assert!(!is_plain_id(&"x".repeat(MAX_ID_LEN + 1)));
    }

    #[test]
    fn an_issue_carries_its_code_params_and_english_message() {
        let mut issues = Issues::new();
        let list = Pointer::root().key("questions");
        issues.check_repeats(&list, "text", ["Why?", " why? "], ItemName::Question);
        let issue = &issues.into_vec()[0];
        assert_eq!(issue.code, IssueCode::TextRepeated);
        assert_eq!(
            serde_json::to_value(issue).expect("json"),
            serde_json::json!({
                "pointer": "/questions/1/text",
                "code": "text_repeated",
                "params": {"text": "why?", "item": "question", "first": 1},
                "message": "\"why?\" already appears in question 1",
            })
        );
        let store_issue = ValidationIssue::new("/image", Problem::FileNotInLibrary);
        assert_eq!(
            store_issue.to_string(),
            "/image: this file is not in the library; add it again"
        );
        assert_eq!(store_issue.params, IssueParams::default());
    }

    #[test]
    fn issue_display_names_pointer_and_message() {
        let mut issues = Issues::new();
        issues.push(
            &Pointer::root().key("questions").index(2).key("options"),
            Problem::QuestionNeedsTwoOptions,
        );
        let v = issues.into_vec();
        assert_eq!(
            v[0].to_string(),
            "/questions/2/options: a question needs at least two options"
        );
    }
}
