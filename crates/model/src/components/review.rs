//! REVIEW: summary cards of the previous section.

use super::{Payload, current_version};
use crate::component::ComponentType;
use crate::validation::{Issues, MAX_LONG_TEXT, MAX_SHORT_TEXT, Pointer, Problem};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where a drafted item came from in the lecture, so the instructor can check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The slide whose text the item was drafted from, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slide_id: Option<uuid::Uuid>,
    /// Start of the source sentence: a UTF-8 byte offset into the narration (speaker notes)
    /// of `slide_id` when given, otherwise into the lecture text the item was drafted from.
    pub start: usize,
    /// End (exclusive) of the source sentence; `end - start` is the byte length of `quote`.
    pub end: usize,
    /// The source sentence itself, shown beside the drafted item.
    pub quote: String,
}

/// Summary cards a learner reads before moving on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewPayload {
    #[serde(default = "current_version::<ReviewPayload>")]
    pub schema_version: u32,
    /// Heading shown above the cards.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub cards: Vec<ReviewCard>,
}

/// One summary card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewCard {
    #[serde(default)]
    pub heading: String,
    /// Key points, one per entry, in Markdown.
    #[serde(default)]
    pub points: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

impl Payload for ReviewPayload {
    const TYPE: ComponentType = ComponentType::Review;
    const SCHEMA_VERSION: u32 = 1;

    fn validate(&self, issues: &mut Issues) {
        let root = Pointer::root();
        issues.limit_text(&root.key("title"), &self.title, MAX_SHORT_TEXT);
        let cards = root.key("cards");
        if self.cards.is_empty() {
            issues.push(&cards, Problem::ReviewNeedsCard);
        }
        for (i, card) in self.cards.iter().enumerate() {
            let at = cards.index(i);
            issues.require_text(&at.key("heading"), &card.heading, Problem::CardNeedsHeading);
            issues.limit_text(&at.key("heading"), &card.heading, MAX_SHORT_TEXT);
            let points = at.key("points");
            if card.points.is_empty() {
                issues.push(&points, Problem::CardNeedsKeyPoint);
            }
            for (j, point) in card.points.iter().enumerate() {
                issues.require_text(&points.index(j), point, Problem::KeyPointEmpty);
                issues.limit_text(&points.index(j), point, MAX_LONG_TEXT);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::component::check_payload;
    use serde_json::json;

    #[test]
    fn valid_review_has_no_issues() {
        let payload = json!({"schema_version": 1, "title": "Recap", "cards": [
            {"heading": "Light reactions", "points": ["Water is split", "ATP and NADPH are made"]}
        ]});
        assert_eq!(check_payload(ComponentType::Review, &payload), vec![]);
    }

    #[test]
    fn every_problem_is_reported_with_its_pointer() {
        let payload = json!({"cards": [{"heading": " ", "points": []}, {"heading": "x", "points": ["", "ok"]}]});
        let pointers: Vec<String> = check_payload(ComponentType::Review, &payload)
            .into_iter()
            .map(|i| i.pointer)
            .collect();
        assert_eq!(
            pointers,
            ["/cards/0/heading", "/cards/0/points", "/cards/1/points/0"]
        );
    }

    #[test]
    fn provenance_must_hold_its_quote() {
        let payload = json!({"cards": [{"heading": "h", "points": ["p"],
            "provenance": {"start": 10, "end": 12, "quote": "Water is split."}}]});
        assert_eq!(
            check_payload(ComponentType::Review, &payload)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            [
                "/cards/0/provenance/end: the source range 10..12 does not fit the quoted sentence (15 bytes)"
            ]
        );
    }
}
