//! A course outline made from a lecture (by the importer or by a language model), before it
//! is stored, and the course tree it becomes.

use crate::{Course, CourseTree, Lesson, LessonTree, Slide, SlideLayout, SlideTree, order};
use chrono::{DateTime, Utc};
use std::path::Path;
use uuid::Uuid;

/// The longest title an outline gives a course, lesson or slide (a longer heading is cut at
/// a word, with an ellipsis).
pub const MAX_OUTLINE_TITLE_CHARS: usize = 150;

/// A course outline made from a lecture, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    pub title: String,
    /// BCP 47 language of the lecture when it can be told (`en`, `ko`, …).
    pub language: Option<String>,
    pub lessons: Vec<OutlineLesson>,
}

/// A lesson of an outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineLesson {
    pub title: String,
    pub slides: Vec<OutlineSlide>,
}

/// A slide of an outline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutlineSlide {
    pub title: String,
    /// On-screen Markdown (lists, tables, code).
    pub body: String,
    /// Narration: the prose, as plain text, paragraphs separated by a blank line.
    pub speaker_notes: String,
    /// Instructor-only notes.
    pub instructor_notes: String,
}

impl OutlineSlide {
    /// True when the slide holds no text but its title.
    pub fn is_empty(&self) -> bool {
        self.body.is_empty() && self.speaker_notes.is_empty() && self.instructor_notes.is_empty()
    }
}

impl Outline {
    /// The new course this outline makes, with fresh ids for its lessons and slides, made
    /// at `now`.
    pub fn to_tree(&self, course_id: Uuid, now: DateTime<Utc>) -> CourseTree {
        let course = Course {
            id: course_id,
            title: self.title.clone(),
            description: String::new(),
            language: self.language.clone(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let lessons = self
            .lessons
            .iter()
            .zip(order::sequence(self.lessons.len()))
            .enumerate()
            .map(|(i, (l, order_key))| {
                let lesson = Lesson {
                    id: Uuid::now_v7(),
                    course_id: course.id,
                    order_key,
                    position: i as i64,
                    title: l.title.clone(),
                    created_at: now,
                    updated_at: now,
                    version: 1,
                };
                let slides = l
                    .slides
                    .iter()
                    .zip(order::sequence(l.slides.len()))
                    .enumerate()
                    .map(|(j, (s, order_key))| SlideTree {
                        slide: Slide {
                            id: Uuid::now_v7(),
                            lesson_id: lesson.id,
                            order_key,
                            position: j as i64,
                            title: s.title.clone(),
                            body: s.body.clone(),
                            speaker_notes: s.speaker_notes.clone(),
                            instructor_notes: s.instructor_notes.clone(),
                            layout: if s.body.is_empty() {
                                SlideLayout::Title
                            } else {
                                SlideLayout::Bullets
                            },
                            image: None,
                            narration: None,
                            created_at: now,
                            updated_at: now,
                            version: 1,
                        },
                        components: Vec::new(),
                    })
                    .collect();
                LessonTree { lesson, slides }
            })
            .collect();
        CourseTree { course, lessons }
    }
}

/// A title of at most [`MAX_OUTLINE_TITLE_CHARS`] characters, and the full text when it was
/// cut.
pub fn truncate_title(text: &str) -> (String, Option<String>) {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= MAX_OUTLINE_TITLE_CHARS {
        return (text, None);
    }
    let cut: String = text.chars().take(MAX_OUTLINE_TITLE_CHARS - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > MAX_OUTLINE_TITLE_CHARS / 2 => cut[..i].to_string(),
        _ => cut,
    };
    (format!("{cut}…"), Some(text))
}

/// `negotiating-by-phone.md` → `Negotiating by phone`.
pub fn title_from_file_name(name: &str) -> String {
    let stem = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let words = stem.replace(['-', '_'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled course".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_file_names_and_long_headings() {
        assert_eq!(
            title_from_file_name("negotiating-by-phone.md"),
            "Negotiating by phone"
        );
        assert_eq!(title_from_file_name("___.md"), "Untitled course");
        let long = "word ".repeat(60);
        let (cut, full) = truncate_title(&long);
        assert!(cut.chars().count() <= MAX_OUTLINE_TITLE_CHARS && cut.ends_with('…'));
        assert_eq!(full.as_deref(), Some(long.trim()));
        assert_eq!(truncate_title("  a   b "), ("a b".to_string(), None));
    }

    #[test]
    fn an_outline_becomes_a_tree_in_order() {
        let outline = Outline {
            title: "T".into(),
            language: Some("en".into()),
            lessons: vec![OutlineLesson {
                title: "L".into(),
                slides: vec![
                    OutlineSlide {
                        title: "A".into(),
                        ..OutlineSlide::default()
                    },
                    OutlineSlide {
                        title: "B".into(),
                        body: "- x".into(),
                        ..OutlineSlide::default()
                    },
                ],
            }],
        };
        let id = Uuid::now_v7();
        let tree = outline.to_tree(id, Utc::now());
        assert_eq!(tree.course.id, id);
        let slides = &tree.lessons[0].slides;
        assert_eq!(slides[0].slide.layout, SlideLayout::Title);
        assert_eq!(slides[1].slide.layout, SlideLayout::Bullets);
        assert!(slides[0].slide.order_key < slides[1].slide.order_key);
        assert_eq!(slides[1].slide.lesson_id, tree.lessons[0].lesson.id);
    }
}
