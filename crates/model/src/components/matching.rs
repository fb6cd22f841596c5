//! MATCHING: match pairs, sort items into categories, or put steps in order.
//!
//! One payload shape serves the three modes: `mode` says which lists the activity uses. A flat
//! object rather than a tagged enum keeps the JSON Schema a plain object, which form builders
//! and language-model structured output both accept, and lets an instructor switch the mode of
//! a draft without losing what they wrote; validation then asks them to clear the lists of the
//! other modes.
//!
//! Grading, which the JavaScript player repeats exactly (one item per pair, item or step; every
//! item is worth at most 1 point; the grade's score and maximum are the sums over its items):
//!
//! - **pairs**: the response maps each left item to the right item the learner matched it with.
//!   A left item and its correct right item are both named by their pair's `id`; a distractor
//!   by its own `id`. Pair `i` (pointer `/pairs/i`) is correct (1 point) when
//!   `matches[pair.id] == pair.id`, unanswered (0) when `matches` has no entry for `pair.id`, and
//!   incorrect (0) otherwise; an incorrect item carries the chosen distractor's feedback (when
//!   the learner chose a distractor) followed by the pair's own feedback, each only when written.
//! - **categories**: the response maps item ids to category ids. Item `i` (pointer `/items/i`)
//!   is correct when `placements[item.id] == item.category`, unanswered without an entry, and
//!   incorrect otherwise, with the item's feedback.
//! - **order**: the response lists step ids in the learner's order. Credit goes to each pair of
//!   steps that are next to each other in the correct order and that the learner put in that
//!   relative order, not necessarily side by side. Item `k` for `k = 1..n-1` (pointer
//!   `/steps/k`) is correct when step `k-1` comes before step `k` in the response, incorrect
//!   (with step `k`'s feedback) when it comes after, and unanswered when either step is missing
//!   from the response. A step's place is the index of its first occurrence; unknown ids are
//!   ignored. The maximum is `n - 1`: a fully reversed order scores 0, and taking one step out
//!   and putting it back anywhere else costs exactly 1 point, however far it moves.

use super::review::Provenance;
use super::{Graded, Payload, current_version};
use crate::component::ComponentType;
use crate::grading::{Grade, ItemFeedback, Outcome};
use crate::text::{MatchOptions, normalize};
use crate::validation::{Issues, ItemName, MAX_LONG_TEXT, MAX_SHORT_TEXT, Pointer, Problem};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Which matching activity the learner does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchingMode {
    /// Match each left item with its right item (uses `pairs` and `distractors`).
    #[default]
    Pairs,
    /// Sort items into categories (uses `categories` and `items`).
    Categories,
    /// Put steps in the correct order (uses `steps`).
    Order,
}

impl MatchingMode {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pairs => "pairs",
            Self::Categories => "categories",
            Self::Order => "order",
        }
    }
}

impl std::fmt::Display for MatchingMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Matching pairs, sorting into categories, or ordering steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchingPayload {
    #[serde(default = "current_version::<MatchingPayload>")]
    pub schema_version: u32,
    /// Instructions shown above the activity, e.g. "Match each stage with where it happens".
    #[serde(default)]
    pub instructions: String,
    /// Which activity this is; only the lists of this mode are used.
    #[serde(default)]
    pub mode: MatchingMode,
    /// Pairs mode: each left item with its correct right item.
    #[serde(default)]
    #[schemars(extend("x-only-when" = {"mode": ["pairs"]}))]
    pub pairs: Vec<MatchingPair>,
    /// Pairs mode: extra right-side items that match nothing, to make guessing harder.
    #[serde(default)]
    #[schemars(extend("x-only-when" = {"mode": ["pairs"]}))]
    pub distractors: Vec<MatchingDistractor>,
    /// Categories mode: the categories the learner sorts items into.
    #[serde(default)]
    #[schemars(extend("x-only-when" = {"mode": ["categories"]}))]
    pub categories: Vec<MatchingCategory>,
    /// Categories mode: the items to sort, each with the category it belongs to.
    #[serde(default)]
    #[schemars(extend("x-only-when" = {"mode": ["categories"]}))]
    pub items: Vec<CategoryItem>,
    /// Order mode: the steps in their correct order (the player shuffles them).
    #[serde(default)]
    #[schemars(extend("x-only-when" = {"mode": ["order"]}))]
    pub steps: Vec<OrderStep>,
}

/// A left item and the right item it matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchingPair {
    /// Names both the left item and its correct right item in a learner's response.
    #[serde(default)]
    pub id: String,
    /// The left-hand item, e.g. "Calvin cycle".
    #[serde(default)]
    pub left: String,
    /// The right-hand item that matches it, e.g. "Stroma".
    #[serde(default)]
    pub right: String,
    /// Shown when the learner matches the left item wrongly; empty for none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub feedback: String,
    /// Where in the lecture this pair was drafted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// A right-side item that is the answer to no left item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchingDistractor {
    /// Unique among pairs and distractors.
    #[serde(default)]
    pub id: String,
    /// The text shown on the right side.
    #[serde(default)]
    pub text: String,
    /// Shown when the learner matches a left item with this distractor; empty for none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub feedback: String,
}

/// A category that items are sorted into.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchingCategory {
    /// Unique among the categories; items name their category by it.
    #[serde(default)]
    pub id: String,
    /// The category's heading, e.g. "C4 plants".
    #[serde(default)]
    pub name: String,
}

/// An item the learner sorts into a category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryItem {
    /// Unique among the items.
    #[serde(default)]
    pub id: String,
    /// The item's text, e.g. "Maize".
    #[serde(default)]
    pub text: String,
    /// The `id` of the category the item belongs to.
    #[serde(default)]
    pub category: String,
    /// Shown when the learner puts the item in the wrong category; empty for none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub feedback: String,
    /// Where in the lecture this item was drafted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// One step of a process, listed in its correct place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderStep {
    /// Unique among the steps.
    #[serde(default)]
    pub id: String,
    /// What happens in this step.
    #[serde(default)]
    pub text: String,
    /// Shown when the learner puts this step before the step it follows; empty for none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub feedback: String,
    /// Where in the lecture this step was drafted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// A learner's answer; only the field of the activity's mode is read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchingResponse {
    /// Pairs mode: left item (its pair's id) → the right item chosen (a pair's or a distractor's id).
    #[serde(default)]
    pub matches: BTreeMap<String, String>,
    /// Categories mode: item id → the id of the category the learner put it in.
    #[serde(default)]
    pub placements: BTreeMap<String, String>,
    /// Order mode: the step ids in the order the learner put them.
    #[serde(default)]
    pub order: Vec<String>,
}

/// Texts compare equal when they differ only in case and spacing.
const SAME_TEXT: MatchOptions = MatchOptions {
    case_sensitive: false,
    accent_sensitive: true,
};

/// Where a text appeared: the item (`pair`, `step`, …) and its place from 1.
type Place = (ItemName, usize);

/// Remembers where each text first appeared, to report later repeats.
#[derive(Default)]
struct Seen(HashMap<String, Place>);

impl Seen {
    /// Records `key` as seen at `place`; returns where it was seen first when it is a repeat.
    fn repeat(&mut self, key: String, place: Place) -> Option<Place> {
        use std::collections::hash_map::Entry;
        match self.0.entry(key) {
            Entry::Occupied(first) => Some(*first.get()),
            Entry::Vacant(slot) => {
                slot.insert(place);
                None
            }
        }
    }
}

/// Checks a text: present, within the limit, and not a repeat of an earlier one.
fn check_text(
    issues: &mut Issues,
    at: &Pointer,
    text: &str,
    seen: &mut Seen,
    missing: Problem,
    place: Place,
) {
    if text.trim().is_empty() {
        issues.push(at, missing);
        return;
    }
    issues.limit_text(at, text, MAX_SHORT_TEXT);
    if let Some((item, first)) = seen.repeat(normalize(text, SAME_TEXT), place) {
        let text = text.trim().to_string();
        issues.push(at, Problem::TextRepeated { text, item, first });
    }
}

impl MatchingPayload {
    fn validate_pairs(&self, issues: &mut Issues) {
        let pairs = Pointer::root().key("pairs");
        if self.pairs.len() < 2 {
            issues.push(&pairs, Problem::MatchingNeedsTwoPairs);
        }
        issues.check_ids(
            &pairs,
            self.pairs.iter().map(|p| p.id.as_str()),
            ItemName::Pair,
        );
        let (mut lefts, mut rights) = (Seen::default(), Seen::default());
        for (i, pair) in self.pairs.iter().enumerate() {
            let at = pairs.index(i);
            let place = (ItemName::Pair, i + 1);
            check_text(
                issues,
                &at.key("left"),
                &pair.left,
                &mut lefts,
                Problem::PairLeftMissing,
                place,
            );
            check_text(
                issues,
                &at.key("right"),
                &pair.right,
                &mut rights,
                Problem::PairRightMissing,
                place,
            );
            issues.limit_text(&at.key("feedback"), &pair.feedback, MAX_LONG_TEXT);
        }
        let distractors = Pointer::root().key("distractors");
        let ids = self.distractors.iter().map(|d| d.id.as_str());
        issues.check_ids(&distractors, ids, ItemName::Distractor);
        for (i, distractor) in self.distractors.iter().enumerate() {
            let at = distractors.index(i);
            // Right items of pairs and distractors are named in the same responses.
            if let Some(p) = self
                .pairs
                .iter()
                .position(|p| p.id == distractor.id && !p.id.is_empty())
            {
                let (id, first) = (distractor.id.clone(), p + 1);
                let item = ItemName::Pair;
                issues.push(&at.key("id"), Problem::IdTaken { id, item, first });
            }
            check_text(
                issues,
                &at.key("text"),
                &distractor.text,
                &mut rights,
                Problem::DistractorTextMissing,
                (ItemName::Distractor, i + 1),
            );
            issues.limit_text(&at.key("feedback"), &distractor.feedback, MAX_LONG_TEXT);
        }
    }

    fn validate_categories(&self, issues: &mut Issues) {
        let categories = Pointer::root().key("categories");
        if self.categories.len() < 2 {
            issues.push(&categories, Problem::SortingNeedsTwoCategories);
        }
        let ids = self.categories.iter().map(|c| c.id.as_str());
        issues.check_ids(&categories, ids, ItemName::Category);
        let mut names = Seen::default();
        // Categories that items can be sorted into: first occurrence of each non-empty id.
        let mut known: HashMap<&str, usize> = HashMap::new();
        for (i, category) in self.categories.iter().enumerate() {
            let at = categories.index(i);
            check_text(
                issues,
                &at.key("name"),
                &category.name,
                &mut names,
                Problem::CategoryNameMissing,
                (ItemName::Category, i + 1),
            );
            if !category.id.is_empty() {
                known.entry(category.id.as_str()).or_insert(i);
            }
        }
        let items = Pointer::root().key("items");
        issues.check_ids(
            &items,
            self.items.iter().map(|it| it.id.as_str()),
            ItemName::Item,
        );
        let mut texts = Seen::default();
        let mut filled = vec![false; self.categories.len()];
        for (i, item) in self.items.iter().enumerate() {
            let at = items.index(i);
            check_text(
                issues,
                &at.key("text"),
                &item.text,
                &mut texts,
                Problem::SortItemTextMissing,
                (ItemName::Item, i + 1),
            );
            if item.category.trim().is_empty() {
                issues.push(&at.key("category"), Problem::ItemCategoryMissing);
            } else if let Some(&c) = known.get(item.category.as_str()) {
                filled[c] = true;
            } else {
                let id = item.category.clone();
                issues.push(&at.key("category"), Problem::NoSuchCategory { id });
            }
            issues.limit_text(&at.key("feedback"), &item.feedback, MAX_LONG_TEXT);
        }
        for (i, category) in self.categories.iter().enumerate() {
            // A category without a usable id already has its own issue.
            if known.get(category.id.as_str()) == Some(&i) && !filled[i] {
                issues.push(&categories.index(i), Problem::CategoryEmpty);
            }
        }
    }

    fn validate_order(&self, issues: &mut Issues) {
        let steps = Pointer::root().key("steps");
        if self.steps.len() < 2 {
            issues.push(&steps, Problem::OrderingNeedsTwoSteps);
        }
        issues.check_ids(
            &steps,
            self.steps.iter().map(|s| s.id.as_str()),
            ItemName::Step,
        );
        let mut texts = Seen::default();
        for (i, step) in self.steps.iter().enumerate() {
            let at = steps.index(i);
            check_text(
                issues,
                &at.key("text"),
                &step.text,
                &mut texts,
                Problem::StepTextMissing,
                (ItemName::Step, i + 1),
            );
            issues.limit_text(&at.key("feedback"), &step.feedback, MAX_LONG_TEXT);
        }
    }

    fn grade_pairs(&self, response: &MatchingResponse) -> Vec<ItemFeedback> {
        let distractors: HashMap<&str, &MatchingDistractor> = self
            .distractors
            .iter()
            .map(|d| (d.id.as_str(), d))
            .collect();
        let pairs = Pointer::root().key("pairs");
        self.pairs
            .iter()
            .enumerate()
            .map(|(i, pair)| {
                let pointer = pairs.index(i);
                match response.matches.get(&pair.id) {
                    None => item(&pointer, Outcome::Unanswered, vec![]),
                    Some(chosen) if *chosen == pair.id => item(&pointer, Outcome::Correct, vec![]),
                    Some(chosen) => {
                        let chosen_feedback = distractors
                            .get(chosen.as_str())
                            .map(|d| d.feedback.as_str())
                            .unwrap_or_default();
                        let feedback = written(&[chosen_feedback, &pair.feedback]);
                        item(&pointer, Outcome::Incorrect, feedback)
                    }
                }
            })
            .collect()
    }

    fn grade_categories(&self, response: &MatchingResponse) -> Vec<ItemFeedback> {
        let items = Pointer::root().key("items");
        self.items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                let pointer = items.index(i);
                match response.placements.get(&it.id) {
                    None => item(&pointer, Outcome::Unanswered, vec![]),
                    Some(c) if *c == it.category => item(&pointer, Outcome::Correct, vec![]),
                    Some(_) => item(&pointer, Outcome::Incorrect, written(&[&it.feedback])),
                }
            })
            .collect()
    }

    fn grade_order(&self, response: &MatchingResponse) -> Vec<ItemFeedback> {
        let mut place: HashMap<&str, usize> = HashMap::new();
        for (i, id) in response.order.iter().enumerate() {
            place.entry(id.as_str()).or_insert(i);
        }
        let steps = Pointer::root().key("steps");
        self.steps
            .windows(2)
            .enumerate()
            .map(|(k, pair)| {
                let pointer = steps.index(k + 1);
                let before = place.get(pair[0].id.as_str());
                let after = place.get(pair[1].id.as_str());
                match (before, after) {
                    (Some(b), Some(a)) if b < a => item(&pointer, Outcome::Correct, vec![]),
                    (Some(_), Some(_)) => {
                        item(&pointer, Outcome::Incorrect, written(&[&pair[1].feedback]))
                    }
                    _ => item(&pointer, Outcome::Unanswered, vec![]),
                }
            })
            .collect()
    }
}

/// A one-point item: 1 when correct, else 0.
fn item(pointer: &Pointer, outcome: Outcome, feedback: Vec<String>) -> ItemFeedback {
    ItemFeedback {
        pointer: pointer.to_string(),
        outcome,
        score: if outcome == Outcome::Correct {
            1.0
        } else {
            0.0
        },
        max_score: 1.0,
        feedback,
    }
}

/// The feedback texts the author actually wrote, in order.
fn written(texts: &[&str]) -> Vec<String> {
    texts
        .iter()
        .filter(|t| !t.trim().is_empty())
        .map(|t| t.to_string())
        .collect()
}

impl Payload for MatchingPayload {
    const TYPE: ComponentType = ComponentType::Matching;
    const SCHEMA_VERSION: u32 = 1;

    fn validate(&self, issues: &mut Issues) {
        let root = Pointer::root();
        issues.limit_text(&root.key("instructions"), &self.instructions, MAX_LONG_TEXT);
        match self.mode {
            MatchingMode::Pairs => self.validate_pairs(issues),
            MatchingMode::Categories => self.validate_categories(issues),
            MatchingMode::Order => self.validate_order(issues),
        }
        let mode = self.mode;
        let lists = [
            (
                "pairs",
                self.pairs.is_empty(),
                MatchingMode::Pairs,
                Problem::PairsInWrongMode { mode },
            ),
            (
                "distractors",
                self.distractors.is_empty(),
                MatchingMode::Pairs,
                Problem::DistractorsInWrongMode { mode },
            ),
            (
                "categories",
                self.categories.is_empty(),
                MatchingMode::Categories,
                Problem::CategoriesInWrongMode { mode },
            ),
            (
                "items",
                self.items.is_empty(),
                MatchingMode::Categories,
                Problem::ItemsInWrongMode { mode },
            ),
            (
                "steps",
                self.steps.is_empty(),
                MatchingMode::Order,
                Problem::StepsInWrongMode { mode },
            ),
        ];
        for (field, empty, belongs_to, problem) in lists {
            if !empty && belongs_to != mode {
                issues.push(&root.key(field), problem);
            }
        }
    }
}

impl Graded for MatchingPayload {
    type Response = MatchingResponse;

    fn grade(&self, response: &MatchingResponse) -> Grade {
        Grade::from_items(match self.mode {
            MatchingMode::Pairs => self.grade_pairs(response),
            MatchingMode::Categories => self.grade_categories(response),
            MatchingMode::Order => self.grade_order(response),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::component::check_payload;
    use serde_json::{Value, json};

    fn messages(payload: Value) -> Vec<String> {
        check_payload(ComponentType::Matching, &payload)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn payload(value: Value) -> MatchingPayload {
        serde_json::from_value(value).expect("payload")
    }

    fn response(value: Value) -> MatchingResponse {
        serde_json::from_value(value).expect("response")
    }

    fn outcomes(grade: &Grade) -> Vec<(String, Outcome)> {
        grade
            .items
            .iter()
            .map(|i| (i.pointer.clone(), i.outcome))
            .collect()
    }

    fn stages() -> MatchingPayload {
        payload(json!({"mode": "pairs", "pairs": [
            {"id": "p1", "left": "Light-dependent reactions", "right": "Thylakoid membranes"},
            {"id": "p2", "left": "Calvin cycle", "right": "Stroma", "feedback": "The Calvin cycle runs in the fluid around the thylakoids."},
            {"id": "p3", "left": "Proton build-up", "right": "Lumen"}
        ], "distractors": [{"id": "d1", "text": "Cell wall", "feedback": "The cell wall is outside the chloroplast."}]}))
    }

    #[test]
    fn a_draft_with_missing_fields_still_loads() {
        let p = payload(json!({"mode": "order"}));
        assert_eq!(p.schema_version, 1);
        assert!(p.steps.is_empty());
        assert_eq!(
            messages(json!({"mode": "order"})),
            ["/steps: ordering needs at least two steps"]
        );
    }

    #[test]
    fn repeated_left_text_is_reported_at_the_second_occurrence() {
        let issues = messages(json!({"pairs": [
            {"id": "a", "left": "Calvin cycle", "right": "Stroma"},
            {"id": "b", "left": "Light reactions", "right": "Thylakoids"},
            {"id": "c", "left": "ATP synthase", "right": "Lumen side"},
            {"id": "d", "left": " calvin  Cycle", "right": "Matrix"}
        ]}));
        assert_eq!(
            issues,
            ["/pairs/3/left: \"calvin  Cycle\" already appears in pair 1"]
        );
    }

    #[test]
    fn distractors_share_the_right_side_with_pairs() {
        let issues = messages(json!({"pairs": [
            {"id": "a", "left": "Calvin cycle", "right": "Stroma"},
            {"id": "b", "left": "Light reactions", "right": "Thylakoids"}
        ], "distractors": [{"id": "a", "text": "stroma"}]}));
        assert_eq!(
            issues,
            [
                "/distractors/0/id: the id \"a\" is already used by pair 1",
                "/distractors/0/text: \"stroma\" already appears in pair 1"
            ]
        );
    }

    #[test]
    fn items_must_name_an_existing_category_and_categories_need_items() {
        let issues = messages(json!({"mode": "categories",
            "categories": [{"id": "c3", "name": "C3"}, {"id": "c4", "name": "C4"}],
            "items": [{"id": "i1", "text": "Wheat", "category": "c3"},
                      {"id": "i2", "text": "Maize", "category": "cam"}]}));
        assert_eq!(
            issues,
            [
                "/items/1/category: there is no category \"cam\"",
                "/categories/1: no item belongs to this category; each category needs at least one item"
            ]
        );
    }

    #[test]
    fn lists_of_another_mode_are_reported() {
        let mut p = stages();
        p.mode = MatchingMode::Order;
        p.steps = vec![];
        let mut issues = Issues::new();
        p.validate(&mut issues);
        let issues: Vec<String> = issues.into_vec().iter().map(ToString::to_string).collect();
        assert_eq!(
            issues,
            [
                "/steps: ordering needs at least two steps",
                "/pairs: pairs belong to pairs mode, but this activity is in order mode; remove them or switch the mode",
                "/distractors: distractors belong to pairs mode, but this activity is in order mode; remove them or switch the mode"
            ]
        );
    }

    #[test]
    fn pairs_score_one_point_each_with_distractor_feedback() {
        let grade = stages().grade(&response(json!({"matches": {"p1": "p1", "p2": "d1"}})));
        assert_eq!((grade.score, grade.max_score), (1.0, 3.0));
        assert_eq!(
            outcomes(&grade),
            [
                ("/pairs/0".to_string(), Outcome::Correct),
                ("/pairs/1".to_string(), Outcome::Incorrect),
                ("/pairs/2".to_string(), Outcome::Unanswered)
            ]
        );
        assert_eq!(
            grade.items[1].feedback,
            [
                "The cell wall is outside the chloroplast.",
                "The Calvin cycle runs in the fluid around the thylakoids."
            ]
        );
    }

    #[test]
    fn categories_score_one_point_per_item_in_its_category() {
        let p = payload(json!({"mode": "categories",
            "categories": [{"id": "c3", "name": "C3"}, {"id": "c4", "name": "C4"}],
            "items": [{"id": "wheat", "text": "Wheat", "category": "c3"},
                      {"id": "maize", "text": "Maize", "category": "c4", "feedback": "Maize is a C4 plant."}]}));
        let grade = p.grade(&response(
            json!({"placements": {"wheat": "c3", "maize": "c3"}}),
        ));
        assert_eq!((grade.score, grade.max_score), (1.0, 2.0));
        assert_eq!(grade.items[1].feedback, ["Maize is a C4 plant."]);
    }

    fn order_score(order: &[&str]) -> (f64, f64) {
        let p = payload(json!({"mode": "order", "steps": [
            {"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"},
            {"id": "d", "text": "D"}, {"id": "e", "text": "E"}]}));
        let grade = p.grade(&response(json!({ "order": order })));
        (grade.score, grade.max_score)
    }

    #[test]
    fn order_credits_neighbouring_steps_kept_in_relative_order() {
        assert_eq!(order_score(&["a", "b", "c", "d", "e"]), (4.0, 4.0));
        assert_eq!(order_score(&["e", "d", "c", "b", "a"]), (0.0, 4.0));
        // One step moved anywhere else costs one point, as does a swap of neighbours.
        assert_eq!(order_score(&["b", "c", "d", "e", "a"]), (3.0, 4.0));
        assert_eq!(order_score(&["a", "c", "b", "d", "e"]), (3.0, 4.0));
        assert_eq!(order_score(&["a", "b", "d", "e", "c"]), (3.0, 4.0));
        // Swapping two steps that are not neighbours costs two.
        assert_eq!(order_score(&["a", "d", "c", "b", "e"]), (2.0, 4.0));
        // Missing steps leave their items unanswered; repeats and unknown ids are ignored.
        assert_eq!(order_score(&["a", "x", "b", "a", "c"]), (2.0, 4.0));
    }
}
