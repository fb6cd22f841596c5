//! A lecture outline as a language model writes it (`outline` jobs): lessons of slides, each
//! with its on-screen points and its narration. The app turns it into a course.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Most lessons an outline may have.
pub const MAX_LESSONS: usize = 50;
/// Most slides an outline may have in all.
pub const MAX_SLIDES: usize = 500;
/// Longest title kept.
pub const MAX_TITLE_CHARS: usize = 150;

/// A course outline drafted from a lecture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LectureOutline {
    /// The course title.
    pub title: String,
    /// The lessons, in teaching order.
    pub lessons: Vec<OutlineLesson>,
}

/// One lesson of an outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutlineLesson {
    pub title: String,
    pub slides: Vec<OutlineSlide>,
}

/// One slide of an outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutlineSlide {
    pub title: String,
    /// Short points shown on the slide.
    #[serde(default)]
    pub bullets: Vec<String>,
    /// What the narrator says over the slide: the lecture's own sentences.
    pub narration: String,
}

impl LectureOutline {
    /// Every rule the outline breaks, each with the JSON pointer of its field.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut title = |at: String, text: &str| {
            if text.trim().is_empty() {
                problems.push(format!("{at}: a title is required"));
            } else if text.chars().count() > MAX_TITLE_CHARS {
                problems.push(format!(
                    "{at}: a title has at most {MAX_TITLE_CHARS} characters"
                ));
            }
        };
        title("/title".into(), &self.title);
        for (l, lesson) in self.lessons.iter().enumerate() {
            title(format!("/lessons/{l}/title"), &lesson.title);
            for (s, slide) in lesson.slides.iter().enumerate() {
                title(format!("/lessons/{l}/slides/{s}/title"), &slide.title);
            }
        }
        if self.lessons.is_empty() {
            problems.push("/lessons: an outline needs at least one lesson".into());
        }
        if self.lessons.len() > MAX_LESSONS {
            problems.push(format!(
                "/lessons: an outline has at most {MAX_LESSONS} lessons"
            ));
        }
        let mut slides = 0;
        for (l, lesson) in self.lessons.iter().enumerate() {
            if lesson.slides.is_empty() {
                problems.push(format!(
                    "/lessons/{l}/slides: a lesson needs at least one slide"
                ));
            }
            for (s, slide) in lesson.slides.iter().enumerate() {
                slides += 1;
                if slide.narration.trim().is_empty() {
                    problems.push(format!(
                        "/lessons/{l}/slides/{s}/narration: a slide needs its narration"
                    ));
                }
                for (b, bullet) in slide.bullets.iter().enumerate() {
                    if bullet.trim().is_empty() {
                        problems.push(format!(
                            "/lessons/{l}/slides/{s}/bullets/{b}: a bullet point is empty"
                        ));
                    }
                }
            }
        }
        if slides > MAX_SLIDES {
            problems.push(format!(
                "/lessons: an outline has at most {MAX_SLIDES} slides in all"
            ));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_name_their_field() {
        let outline = LectureOutline {
            title: " ".into(),
            lessons: vec![OutlineLesson {
                title: "One".into(),
                slides: vec![OutlineSlide {
                    title: "x".repeat(200),
                    bullets: vec![String::new()],
                    narration: String::new(),
                }],
            }],
        };
        let problems = outline.problems();
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].starts_with("/title:"));
        assert!(problems[1].starts_with("/lessons/0/slides/0/title:"));
        assert!(problems[2].starts_with("/lessons/0/slides/0/narration:"));
        assert!(problems[3].starts_with("/lessons/0/slides/0/bullets/0:"));
        let empty = LectureOutline {
            title: "T".into(),
            lessons: vec![],
        };
        assert_eq!(empty.problems().len(), 1);
    }
}
