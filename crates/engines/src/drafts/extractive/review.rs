//! REVIEW: the slide's key points on one summary card.

use super::{korean, payload, provenance};
use crate::drafts::text::{Definition, Sentence};
use crate::drafts::{Drafted, SlideText, Why};
use classkit_model::components::Payload;
use classkit_model::components::review::{ReviewCard, ReviewPayload};

/// The slide's own bullet points as the key points, with the sentence that introduces them.
pub(super) fn review(slide: &SlideText, all: &[Sentence], defs: &[Definition]) -> Drafted {
    let mut points: Vec<String> = slide
        .body
        .lines()
        .map(str::trim)
        .filter_map(|l| {
            l.strip_prefix("- ")
                .or_else(|| l.strip_prefix("* "))
                .or_else(|| {
                    l.split_once(". ")
                        .filter(|(n, _)| n.parse::<u32>().is_ok())
                        .map(|(_, t)| t)
                })
        })
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if points.is_empty() {
        // No bullets: the definitions, else the first sentences, are the key points.
        points = defs.iter().map(|d| d.sentence.text.clone()).collect();
        if points.is_empty() {
            points = all.iter().take(3).map(|s| s.text.clone()).collect();
        }
    }
    if points.is_empty() {
        return Why::NoBulletsOrNarration.into();
    }
    let source = defs.first().map(|d| &d.sentence).or(all.first());
    let heading = if slide.title.trim().is_empty() {
        "Key points"
    } else {
        slide.title.trim()
    };
    payload(&ReviewPayload {
        schema_version: ReviewPayload::SCHEMA_VERSION,
        title: if korean(slide) {
            "핵심 정리"
        } else {
            "Key points"
        }
        .to_string(),
        cards: vec![ReviewCard {
            heading: heading.to_string(),
            points,
            provenance: source.map(|s| provenance(slide, s)),
        }],
    })
}
