//! HOTSPOT: an explore-the-slide activity over the rendered slide, a region on each bullet
//! point the narration talks about.

use super::{korean, payload, provenance};
use crate::drafts::{Drafted, SlideText, Why, check};
use classkit_model::components::Payload;
use classkit_model::components::hotspot::shape::Shape;
use classkit_model::components::hotspot::{HotspotMode, HotspotPayload, HotspotRegion};
use classkit_model::{AssetRef, ComponentType};
use serde_json::Value;

/// Words that say little about what a sentence is about.
const FILLER: [&str; 24] = [
    "the", "and", "that", "this", "with", "from", "into", "they", "their", "there", "which",
    "what", "when", "your", "have", "will", "would", "could", "about", "than", "then", "them",
    "each", "every",
];

/// The words of `text` that say what it is about, lowercased.
fn content_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 4 && !FILLER.contains(&w.as_str()))
        .collect()
}

/// An explore-the-slide HOTSPOT over the rendered slide (`image`, `width` × `height` pixels,
/// with the boxes of its elements as the renderer stored them): a region on each bullet
/// point, opening to the narration sentence that says most about it. Bullets the narration
/// says nothing about get no region.
pub fn hotspot(
    slide: &SlideText,
    image: &str,
    width: f32,
    height: f32,
    elements: &[Value],
) -> Drafted {
    let all = super::said(slide.notes);
    let mut regions = Vec::new();
    for e in elements.iter().filter(|e| e["kind"] == "bullet") {
        let label = e["label"].as_str().unwrap_or_default().trim();
        let words = content_words(label);
        if label.is_empty() || words.is_empty() {
            continue;
        }
        let best = all
            .iter()
            .map(|s| {
                let said = content_words(&s.text);
                (words.iter().filter(|w| said.contains(w)).count(), s)
            })
            .filter(|(n, _)| *n > 0)
            .max_by_key(|(n, s)| (*n, std::cmp::Reverse(s.start)));
        let Some((_, sentence)) = best else { continue };
        let number = |k: &str| e[k].as_f64().unwrap_or(0.0) as f32;
        let (x, y, w, h) = (number("x"), number("y"), number("width"), number("height"));
        if w <= 0.0 || h <= 0.0 || width <= 0.0 || height <= 0.0 {
            continue;
        }
        let clamp = |v: f32| f64::from(v.clamp(0.0, 1.0));
        // A little room around the text, inside the image.
        let (x0, y0) = ((x - 8.0) / width, (y - 4.0) / height);
        let (x1, y1) = ((x + w + 8.0) / width, (y + h + 4.0) / height);
        regions.push(HotspotRegion {
            id: format!("r{}", regions.len() + 1),
            label: label.chars().take(120).collect(),
            feedback: sentence.text.clone(),
            shape: Some(Shape::Rectangle {
                x: clamp(x0),
                y: clamp(y0),
                width: clamp(x1) - clamp(x0),
                height: clamp(y1) - clamp(y0),
            }),
            correct: false,
            provenance: Some(provenance(slide, sentence)),
        });
    }
    if regions.is_empty() {
        return Why::NothingOnBullets.into();
    }
    let labels: Vec<&str> = regions.iter().map(|r| r.label.as_str()).collect();
    let prompt = if korean(slide) {
        "슬라이드의 각 항목을 눌러 자세한 설명을 읽어 보세요."
    } else {
        "Open each point of the slide to read more about it."
    };
    let hotspot = HotspotPayload {
        schema_version: HotspotPayload::SCHEMA_VERSION,
        mode: HotspotMode::Explore,
        prompt: prompt.to_string(),
        image: Some(AssetRef(image.to_string())),
        alt_text: format!("{}: {}", slide.title.trim(), labels.join("; ")),
        image_width: Some(width as u32),
        image_height: Some(height as u32),
        regions,
    };
    check(ComponentType::Hotspot, payload(&hotspot))
}
