//! FLASHCARDS: term and definition cards the learner flips and rates by how well they recalled.

use super::review::Provenance;
use super::{Graded, Payload, current_version};
use crate::component::ComponentType;
use crate::course::AssetRef;
use crate::grading::{Grade, ItemFeedback, Outcome};
use crate::text::{MatchOptions, normalize};
use crate::validation::{Issues, ItemName, MAX_LONG_TEXT, MAX_SHORT_TEXT, Pointer, Problem};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A deck of cards to flip and rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlashcardsPayload {
    /// Version of this payload's shape.
    #[serde(default = "current_version::<FlashcardsPayload>")]
    pub schema_version: u32,
    /// Heading shown above the deck.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// The cards, in the order the author wrote them.
    #[serde(default)]
    pub cards: Vec<Flashcard>,
}

/// One card: the term on the front, the definition on the back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Flashcard {
    /// Short id, unique in the deck, that learner ratings refer to (e.g. `c1`).
    #[serde(default)]
    pub id: String,
    /// The term on the front of the card.
    #[serde(default)]
    pub term: String,
    /// The definition on the back, in Markdown.
    #[serde(default)]
    pub definition: String,
    /// An example sentence using the term, shown with the definition.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub example: String,
    /// A picture shown on the front with the term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<AssetRef>,
    /// The term spoken aloud.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<AssetRef>,
    /// The lecture sentence this card was drafted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

impl Payload for FlashcardsPayload {
    const TYPE: ComponentType = ComponentType::Flashcards;
    const SCHEMA_VERSION: u32 = 1;

    fn validate(&self, issues: &mut Issues) {
        let root = Pointer::root();
        issues.limit_text(&root.key("title"), &self.title, MAX_SHORT_TEXT);
        let cards = root.key("cards");
        if self.cards.is_empty() {
            issues.push(&cards, Problem::DeckNeedsCard);
        }
        issues.check_ids(
            &cards,
            self.cards.iter().map(|c| c.id.as_str()),
            ItemName::Card,
        );
        let mut first_with_term = HashMap::new();
        for (i, card) in self.cards.iter().enumerate() {
            let at = cards.index(i);
            issues.require_text(&at.key("term"), &card.term, Problem::CardNeedsTerm);
            issues.limit_text(&at.key("term"), &card.term, MAX_SHORT_TEXT);
            let key = normalize(&card.term, MatchOptions::default());
            if !key.is_empty() {
                if let Some(first) = first_with_term.get(&key) {
                    let first = first + 1;
                    issues.push(&at.key("term"), Problem::TermRepeated { first });
                } else {
                    first_with_term.insert(key, i);
                }
            }
            issues.require_text(
                &at.key("definition"),
                &card.definition,
                Problem::CardNeedsDefinition,
            );
            issues.limit_text(&at.key("definition"), &card.definition, MAX_LONG_TEXT);
            issues.limit_text(&at.key("example"), &card.example, MAX_LONG_TEXT);
            issues.check_asset(&at.key("image"), card.image.as_ref());
            issues.check_asset(&at.key("audio"), card.audio.as_ref());
        }
    }
}

/// How well the learner recalled a card, in their own judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Recall {
    /// Did not recall it.
    Again,
    /// Recalled it with difficulty.
    Hard,
    /// Recalled it.
    Good,
    /// Recalled it at once.
    Easy,
}

/// The learner's rating of each card.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlashcardsResponse {
    /// The rating of each card, by card id; cards left out are unrated.
    #[serde(default)]
    pub ratings: BTreeMap<String, Recall>,
}

/// Self-rated: each card scores up to 1 point. `good` and `easy` score 1 (correct), `hard`
/// 0.5 (partial), `again` 0 (incorrect); an unrated card is unanswered and scores 0.
/// Items follow the order of `cards`; there is no feedback text.
impl Graded for FlashcardsPayload {
    type Response = FlashcardsResponse;

    fn grade(&self, response: &FlashcardsResponse) -> Grade {
        let cards = Pointer::root().key("cards");
        Grade::from_items(
            self.cards
                .iter()
                .enumerate()
                .map(|(i, card)| {
                    let (outcome, score) = match response.ratings.get(&card.id) {
                        None => (Outcome::Unanswered, 0.0),
                        Some(Recall::Again) => (Outcome::Incorrect, 0.0),
                        Some(Recall::Hard) => (Outcome::Partial, 0.5),
                        Some(Recall::Good | Recall::Easy) => (Outcome::Correct, 1.0),
                    };
                    ItemFeedback {
                        pointer: cards.index(i).to_string(),
                        outcome,
                        score,
                        max_score: 1.0,
                        feedback: Vec::new(),
                    }
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::component::check_payload;
    use serde_json::json;

    #[test]
    fn cards_need_a_distinct_term_and_a_definition() {
        let payload = json!({"cards": [
            {"id": "c1", "term": "BATNA", "definition": "Best Alternative To a Negotiated Agreement"},
            {"id": "c2", "term": " batna ", "definition": " ", "image": "ABC"},
            {"id": "c3", "term": "", "definition": "A term you can trade"}
        ]});
        let issues: Vec<String> = check_payload(ComponentType::Flashcards, &payload)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            issues,
            [
                "/cards/1/term: card 1 already has this term",
                "/cards/1/definition: a card needs a definition",
                "/cards/1/image: \"ABC\" is not a stored asset; choose the file again \
                 (a reference is the 64-character sha256 of the file)",
                "/cards/2/term: a card needs a term",
            ]
        );
    }

    #[test]
    fn ratings_score_by_recall() {
        let payload = json!({"cards": [
            {"id": "c1", "term": "a", "definition": "x"},
            {"id": "c2", "term": "b", "definition": "x"},
            {"id": "c3", "term": "c", "definition": "x"}
        ]});
        let response = json!({"ratings": {"c1": "easy", "c2": "hard"}});
        let grade = crate::grading::grade(ComponentType::Flashcards, &payload, &response)
            .expect("gradable");
        assert_eq!((grade.score, grade.max_score), (1.5, 3.0));
        assert_eq!(grade.items[2].outcome, Outcome::Unanswered);
        let bad = json!({"ratings": {"c1": "perfect"}});
        assert!(crate::grading::grade(ComponentType::Flashcards, &payload, &bad).is_err());
    }
}
