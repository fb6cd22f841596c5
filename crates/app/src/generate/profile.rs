//! A course as a traffic profile for the billing simulator.

use super::*;
use crate::Result;

impl App {
    /// A teaching load like this course's: one instructor making its lessons once a month,
    /// with its slides and narration; regeneration and cache rates as given.
    pub async fn course_profile(
        &self,
        course_id: Uuid,
        regeneration_rate: f64,
        cache_hit_rate: f64,
    ) -> Result<classkit_engines::simulate::Profile> {
        let tree = self.store().course_tree(course_id).await?;
        let lessons = tree.lessons.len().max(1) as f64;
        let slides: Vec<_> = tree.lessons.iter().flat_map(|l| &l.slides).collect();
        let n = slides.len().max(1) as f64;
        let notes: usize = slides
            .iter()
            .map(|s| {
                classkit_model::spoken(&s.slide.speaker_notes)
                    .trim()
                    .chars()
                    .count()
            })
            .sum();
        let text: usize = slides
            .iter()
            .map(|s| s.slide.body.chars().count() + s.slide.speaker_notes.chars().count())
            .sum();
        Ok(classkit_engines::simulate::Profile {
            instructors: 1.0,
            lessons_per_month: lessons,
            slides_per_lesson: n / lessons,
            narration_chars_per_slide: notes as f64 / n,
            draft_input_tokens_per_slide: text as f64 / n / 4.0 + PROMPT_OVERHEAD_TOKENS,
            draft_output_tokens_per_slide: ANSWER_TOKENS,
            images_per_lesson: 1.0,
            regeneration_rate,
            cache_hit_rate,
        })
    }
}
