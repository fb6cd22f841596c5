//! What the text fields of courses, lessons and slides accept, wherever the text comes
//! from (an import, a bundle, an edit in the app, a team server).
//!
//! Two rules: no NUL character (U+0000) anywhere — it ends strings in C libraries, and
//! PostgreSQL refuses it in text and `jsonb` — and each field within a length a person
//! could write. Component payloads follow the same NUL rule ([`nul_issues`], applied when a
//! payload is read); their lengths are their types' own rules.

use crate::course::{Course, Lesson, Slide};
use crate::validation::{Issues, Pointer, Problem, Trail, ValidationIssue};
use serde_json::Value;

/// Longest course, lesson or slide title, in characters.
pub const MAX_TITLE_CHARS: usize = 300;
/// Longest course description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 5_000;
/// Longest slide body, narration script or instructor notes, in characters (a lecture of
/// 30,000 words fits in one).
pub const MAX_SLIDE_TEXT_CHARS: usize = 200_000;
/// Longest language tag.
const MAX_LANGUAGE_CHARS: usize = 35;

fn check(issues: &mut Issues, at: &Pointer, text: &str, max: usize) {
    if text.contains('\0') {
        issues.push(at, Problem::NulCharacter);
    }
    issues.limit_text(at, text, max);
}

/// Every problem of a course's own fields.
pub fn course_issues(course: &Course) -> Vec<ValidationIssue> {
    let mut issues = Issues::new();
    let title = Pointer::root().key("title");
    issues.require_text(&title, &course.title, Problem::CourseNeedsTitle);
    check(&mut issues, &title, &course.title, MAX_TITLE_CHARS);
    check(
        &mut issues,
        &Pointer::root().key("description"),
        &course.description,
        MAX_DESCRIPTION_CHARS,
    );
    if let Some(language) = &course.language {
        let at = Pointer::root().key("language");
        check(&mut issues, &at, language, MAX_LANGUAGE_CHARS);
    }
    issues.into_vec()
}

/// Every problem of a lesson's own fields. (A lesson may be untitled.)
pub fn lesson_issues(lesson: &Lesson) -> Vec<ValidationIssue> {
    let mut issues = Issues::new();
    check(
        &mut issues,
        &Pointer::root().key("title"),
        &lesson.title,
        MAX_TITLE_CHARS,
    );
    issues.into_vec()
}

/// Every problem of a slide's text fields. (A slide may be untitled.)
pub fn slide_issues(slide: &Slide) -> Vec<ValidationIssue> {
    let mut issues = Issues::new();
    let root = Pointer::root();
    check(
        &mut issues,
        &root.key("title"),
        &slide.title,
        MAX_TITLE_CHARS,
    );
    for (field, text) in [
        ("body", &slide.body),
        ("speaker_notes", &slide.speaker_notes),
        ("instructor_notes", &slide.instructor_notes),
    ] {
        check(&mut issues, &root.key(field), text, MAX_SLIDE_TEXT_CHARS);
    }
    issues.into_vec()
}

/// Every string (or object key) of a JSON value that holds a NUL character.
pub fn nul_issues(value: &Value) -> Vec<ValidationIssue> {
    fn walk<'a>(v: &'a Value, trail: &mut Trail<'a>, issues: &mut Issues) {
        match v {
            Value::String(s) if s.contains('\0') => {
                issues.push(&trail.pointer(), Problem::NulCharacter)
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    trail.push_index(i);
                    walk(item, trail, issues);
                    trail.pop();
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    trail.push_key(key);
                    if key.contains('\0') {
                        issues.push(&trail.pointer(), Problem::NulInFieldName);
                    }
                    walk(item, trail, issues);
                    trail.pop();
                }
            }
            _ => {}
        }
    }
    let mut issues = Issues::new();
    walk(value, &mut Trail::default(), &mut issues);
    issues.into_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn slide(title: &str, notes: &str) -> Slide {
        let now = chrono::Utc::now();
        Slide {
            id: uuid::Uuid::nil(),
            lesson_id: uuid::Uuid::nil(),
            order_key: crate::order::between(None, None),
            position: 0,
            title: title.into(),
            body: String::new(),
            speaker_notes: notes.into(),
            instructor_notes: String::new(),
            layout: crate::SlideLayout::Bullets,
            image: None,
            narration: None,
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    #[test]
    fn nul_and_overlong_text_are_named_by_field() {
        assert!(slide_issues(&slide("Intro", "Plain text.")).is_empty());
        let issues = slide_issues(&slide(&"t".repeat(MAX_TITLE_CHARS + 1), "a\0b"));
        let text: Vec<String> = issues.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(text[0].starts_with("/title: this text is 301 characters"));
        assert!(text[1].starts_with("/speaker_notes: this text contains a NUL"));
    }

    #[test]
    fn nul_is_found_anywhere_in_a_payload() {
        let payload = json!({"cards": [{"term": "ok", "definition": "bad\u{0}"}], "k\u{0}": 1});
        let pointers: Vec<String> = nul_issues(&payload)
            .into_iter()
            .map(|i| i.pointer)
            .collect();
        assert_eq!(pointers, ["/cards/0/definition", "/k\u{0}"]);
    }
}
