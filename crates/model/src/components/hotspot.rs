//! HOTSPOT: explore, label or find regions of an image.
//!
//! Grading, which the JavaScript player repeats exactly. Items point at regions
//! (`/regions/i`) in the order of the list; the grade's score and maximum are the sums over
//! its items. Every item carries the region's feedback (when written) whenever the learner
//! answered that region: opened it, labelled it or clicked it.
//!
//! - **explore**: 1 point per region opened, so the score tells how much of the image the
//!   learner looked at. The response lists the ids of the regions opened; each region is
//!   correct (1 of 1) when listed and unanswered (0 of 1) otherwise.
//! - **label**: the response maps region ids to the label the learner put there. A region is
//!   correct (1 of 1) when the label given equals the region's label after
//!   [`normalize`](crate::text::normalize) without case sensitivity but with accent
//!   sensitivity (NFC, whitespace trimmed and collapsed, lowercase); unanswered (0 of 1)
//!   when no label or an empty one was given; incorrect (0 of 1) otherwise.
//! - **find**: the response lists click points `[x, y]` (image-relative). A click hits the
//!   *last* region in the list whose shape contains it (later regions are drawn on top; see
//!   [`shape`] for the boundary rule); a click that hits no region is ignored. Each correct
//!   region gives an item: correct (1 of 1) when hit by at least one click, unanswered
//!   (0 of 1) when not. Each region not marked correct that was hit by at least one click
//!   gives an incorrect item (0 of 1), so clicking everywhere lowers the ratio; a region
//!   hit several times counts once. The maximum is therefore the number of correct regions
//!   plus the number of wrong regions clicked.

pub mod shape;

use super::review::Provenance;
use super::{Graded, Payload, current_version};
use crate::component::ComponentType;
use crate::course::AssetRef;
use crate::grading::{Grade, ItemFeedback, Outcome};
use crate::text::{MatchOptions, normalize};
use crate::validation::{Issues, ItemName, MAX_LONG_TEXT, MAX_SHORT_TEXT, Pointer, Problem};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shape::Shape;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What the learner does with the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HotspotMode {
    /// Open regions to read about them; scored by how many were opened.
    #[default]
    Explore,
    /// Drag each region's label onto the region.
    Label,
    /// Click the region or regions that answer the prompt.
    Find,
}

/// An image with regions the learner explores, labels or finds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HotspotPayload {
    #[serde(default = "current_version::<HotspotPayload>")]
    pub schema_version: u32,
    /// What the learner does with the image.
    #[serde(default)]
    pub mode: HotspotMode,
    /// The instruction or question above the image; required in find mode, e.g. "Click where
    /// the Calvin cycle takes place".
    #[serde(default)]
    pub prompt: String,
    /// The image, by content hash; may be missing while drafting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<AssetRef>,
    /// A description of the image for learners who cannot see it.
    #[serde(default)]
    pub alt_text: String,
    /// The image's width in pixels, when known (regions do not depend on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_width: Option<u32>,
    /// The image's height in pixels, when known (regions do not depend on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_height: Option<u32>,
    /// The regions, bottom to top: where regions overlap, a later one is on top.
    #[serde(default)]
    pub regions: Vec<HotspotRegion>,
}

/// A region of the image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HotspotRegion {
    /// Unique among the regions; responses name regions by it.
    #[serde(default)]
    pub id: String,
    /// The region's name: the label to drag in label mode, the heading shown when it is
    /// opened in explore mode; optional in find mode.
    #[serde(default)]
    pub label: String,
    /// Shown when the learner opens, labels or clicks the region; empty for none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub feedback: String,
    /// The region's outline; may be missing while drafting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<Shape>,
    /// Find mode: this region answers the prompt.
    #[serde(default)]
    pub correct: bool,
    /// Where in the lecture this region's text was drafted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// A learner's answer; only the field of the activity's mode is read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HotspotResponse {
    /// Explore mode: the ids of the regions the learner opened.
    #[serde(default)]
    pub visited: Vec<String>,
    /// Label mode: region id → the label the learner put on it.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Find mode: the points the learner clicked, as image-relative `[x, y]`.
    #[serde(default)]
    pub clicks: Vec<[f64; 2]>,
}

/// Labels compare equal when they differ only in case and spacing.
const SAME_LABEL: MatchOptions = MatchOptions {
    case_sensitive: false,
    accent_sensitive: true,
};

impl HotspotPayload {
    fn validate_image(&self, issues: &mut Issues) {
        let root = Pointer::root();
        if self.image.is_none() {
            issues.push(&root.key("image"), Problem::HotspotImageMissing);
        }
        issues.check_asset(&root.key("image"), self.image.as_ref());
        issues.require_text(
            &root.key("alt_text"),
            &self.alt_text,
            Problem::ImageAltMissing,
        );
        issues.limit_text(&root.key("alt_text"), &self.alt_text, MAX_LONG_TEXT);
        for (field, value) in [
            ("image_width", self.image_width),
            ("image_height", self.image_height),
        ] {
            if value == Some(0) {
                issues.push(&root.key(field), Problem::ImageSizeZero);
            }
        }
    }

    fn validate_regions(&self, issues: &mut Issues) {
        let regions = Pointer::root().key("regions");
        match self.mode {
            HotspotMode::Label if self.regions.len() < 2 => {
                issues.push(&regions, Problem::LabellingNeedsTwoRegions)
            }
            _ if self.regions.is_empty() => issues.push(&regions, Problem::HotspotNeedsRegion),
            _ => {}
        }
        issues.check_ids(
            &regions,
            self.regions.iter().map(|r| r.id.as_str()),
            ItemName::Region,
        );
        let mut labels: HashMap<String, usize> = HashMap::new();
        for (i, region) in self.regions.iter().enumerate() {
            let at = regions.index(i);
            let label = at.key("label");
            match self.mode {
                HotspotMode::Label if region.label.trim().is_empty() => {
                    issues.push(&label, Problem::RegionLabelMissing)
                }
                HotspotMode::Label => {
                    let key = normalize(&region.label, SAME_LABEL);
                    if let Some(first) = labels.get(&key) {
                        let (text, first) = (region.label.trim().to_string(), first + 1);
                        issues.push(&label, Problem::LabelRepeated { text, first });
                    } else {
                        labels.insert(key, i);
                    }
                }
                HotspotMode::Explore => {
                    issues.require_text(&label, &region.label, Problem::RegionNameMissing)
                }
                HotspotMode::Find => {}
            }
            issues.limit_text(&label, &region.label, MAX_SHORT_TEXT);
            issues.limit_text(&at.key("feedback"), &region.feedback, MAX_LONG_TEXT);
            match &region.shape {
                None => issues.push(&at.key("shape"), Problem::RegionShapeMissing),
                Some(shape) => shape.validate(&at.key("shape"), issues),
            }
        }
        if self.mode == HotspotMode::Find
            && !self.regions.is_empty()
            && !self.regions.iter().any(|r| r.correct)
        {
            issues.push(&regions, Problem::FindNeedsCorrectRegion);
        }
    }

    fn grade_explore(&self, response: &HotspotResponse) -> Vec<ItemFeedback> {
        let visited: HashSet<&str> = response.visited.iter().map(String::as_str).collect();
        self.items(|region| {
            let outcome = if visited.contains(region.id.as_str()) {
                Outcome::Correct
            } else {
                Outcome::Unanswered
            };
            Some(outcome)
        })
    }

    fn grade_label(&self, response: &HotspotResponse) -> Vec<ItemFeedback> {
        self.items(|region| {
            let outcome = match response.labels.get(&region.id) {
                Some(given) if given.trim().is_empty() => Outcome::Unanswered,
                None => Outcome::Unanswered,
                Some(given)
                    if normalize(given, SAME_LABEL) == normalize(&region.label, SAME_LABEL) =>
                {
                    Outcome::Correct
                }
                Some(_) => Outcome::Incorrect,
            };
            Some(outcome)
        })
    }

    fn grade_find(&self, response: &HotspotResponse) -> Vec<ItemFeedback> {
        let hit: HashSet<usize> = response
            .clicks
            .iter()
            .filter_map(|&[x, y]| {
                self.regions
                    .iter()
                    .rposition(|r| r.shape.as_ref().is_some_and(|s| s.contains(x, y)))
            })
            .collect();
        let mut i = 0;
        self.items(|region| {
            let was_hit = hit.contains(&i);
            i += 1;
            match (region.correct, was_hit) {
                (true, true) => Some(Outcome::Correct),
                (true, false) => Some(Outcome::Unanswered),
                (false, true) => Some(Outcome::Incorrect),
                (false, false) => None,
            }
        })
    }

    /// One-point items for the regions `judge` gives an outcome, in region order.
    fn items(&self, mut judge: impl FnMut(&HotspotRegion) -> Option<Outcome>) -> Vec<ItemFeedback> {
        let regions = Pointer::root().key("regions");
        let mut items = Vec::new();
        for (i, region) in self.regions.iter().enumerate() {
            let Some(outcome) = judge(region) else {
                continue;
            };
            let answered = outcome != Outcome::Unanswered;
            let feedback = if answered && !region.feedback.trim().is_empty() {
                vec![region.feedback.clone()]
            } else {
                vec![]
            };
            items.push(ItemFeedback {
                pointer: regions.index(i).to_string(),
                outcome,
                score: if outcome == Outcome::Correct {
                    1.0
                } else {
                    0.0
                },
                max_score: 1.0,
                feedback,
            });
        }
        items
    }
}

impl Payload for HotspotPayload {
    const TYPE: ComponentType = ComponentType::Hotspot;
    const SCHEMA_VERSION: u32 = 1;

    fn validate(&self, issues: &mut Issues) {
        let prompt = Pointer::root().key("prompt");
        if self.mode == HotspotMode::Find {
            issues.require_text(&prompt, &self.prompt, Problem::HotspotPromptMissing);
        }
        issues.limit_text(&prompt, &self.prompt, MAX_LONG_TEXT);
        self.validate_image(issues);
        self.validate_regions(issues);
    }
}

impl Graded for HotspotPayload {
    type Response = HotspotResponse;

    fn grade(&self, response: &HotspotResponse) -> Grade {
        Grade::from_items(match self.mode {
            HotspotMode::Explore => self.grade_explore(response),
            HotspotMode::Label => self.grade_label(response),
            HotspotMode::Find => self.grade_find(response),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::component::check_payload;
    use serde_json::{Value, json};

    const IMAGE: &str = "5f2b9c0e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c";

    fn messages(payload: Value) -> Vec<String> {
        check_payload(ComponentType::Hotspot, &payload)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn chloroplast(mode: &str) -> HotspotPayload {
        serde_json::from_value(json!({
            "mode": mode, "prompt": "Click where the Calvin cycle takes place.",
            "image": IMAGE, "alt_text": "A chloroplast cut open",
            "regions": [
                {"id": "stroma", "label": "Stroma", "correct": true, "feedback": "Yes: the stroma.",
                 "shape": {"kind": "ellipse", "cx": 0.5, "cy": 0.5, "rx": 0.45, "ry": 0.35}},
                {"id": "granum", "label": "Granum", "feedback": "That is a granum, a stack of thylakoids.",
                 "shape": {"kind": "polygon", "points": [[0.3, 0.3], [0.4, 0.3], [0.4, 0.6], [0.3, 0.6]]}}
            ]
        }))
        .expect("payload")
    }

    fn response(value: Value) -> HotspotResponse {
        serde_json::from_value(value).expect("response")
    }

    #[test]
    fn a_valid_hotspot_has_no_issues_and_a_draft_loads() {
        let valid = serde_json::to_value(chloroplast("find")).expect("json");
        assert_eq!(messages(valid), Vec::<String>::new());
        assert_eq!(
            messages(json!({"mode": "find"})),
            [
                "/prompt: write the question the learner answers by clicking the image",
                "/image: choose the image the learner works on",
                "/alt_text: describe the image for learners who cannot see it",
                "/regions: add at least one region"
            ]
        );
    }

    #[test]
    fn shape_problems_are_reported_at_the_shape() {
        let shape_issues = |shape: Value| {
            messages(json!({"image": IMAGE, "alt_text": "x", "regions": [
                {"id": "a", "label": "A", "shape": shape}]}))
        };
        assert_eq!(
            shape_issues(json!({"kind": "star", "x": 0.1})),
            [
                "/regions/0/shape/kind: this field has the wrong form: unknown variant `star`, expected one of `rectangle`, `ellipse`, `polygon`"
            ]
        );
        // Serde reads a tagged shape as a whole, so problems inside it point at the shape.
        assert_eq!(
            shape_issues(json!({"kind": "rectangle", "x": 0.1, "z": 1})),
            [
                "/regions/0/shape: `z` is not a field here (unknown field `z`, expected one of `x`, `y`, `width`, `height`)"
            ]
        );
        assert_eq!(
            shape_issues(json!({"x": 0.1})),
            ["/regions/0/shape: the required field `kind` is missing"]
        );
    }

    #[test]
    fn labels_must_be_unique_in_label_mode() {
        let mut p = chloroplast("label");
        p.regions[1].label = " stroma ".into();
        let mut issues = Issues::new();
        p.validate(&mut issues);
        let issues: Vec<String> = issues.into_vec().iter().map(ToString::to_string).collect();
        assert_eq!(
            issues,
            ["/regions/1/label: \"stroma\" already labels region 1; each label must be different"]
        );
    }

    #[test]
    fn find_hits_the_topmost_region_and_counts_wrong_regions_once() {
        let p = chloroplast("find");
        // The granum sits on top of the stroma: a click on it is a click on the granum.
        let grade = p.grade(&response(
            json!({"clicks": [[0.35, 0.4], [0.36, 0.5], [0.02, 0.02]]}),
        ));
        assert_eq!((grade.score, grade.max_score), (0.0, 2.0));
        assert_eq!(grade.items[0].outcome, Outcome::Unanswered);
        assert_eq!(grade.items[1].outcome, Outcome::Incorrect);
        assert_eq!(
            grade.items[1].feedback,
            ["That is a granum, a stack of thylakoids."]
        );
        let grade = p.grade(&response(json!({"clicks": [[0.7, 0.5]]})));
        assert_eq!((grade.score, grade.max_score), (1.0, 1.0));
        assert_eq!(grade.items[0].feedback, ["Yes: the stroma."]);
    }

    #[test]
    fn label_and_explore_score_one_point_per_region() {
        let p = chloroplast("label");
        let grade = p.grade(&response(
            json!({"labels": {"stroma": "  STROMA", "granum": "Lumen"}}),
        ));
        assert_eq!((grade.score, grade.max_score), (1.0, 2.0));
        assert_eq!(grade.items[1].outcome, Outcome::Incorrect);
        let p = chloroplast("explore");
        let grade = p.grade(&response(json!({"visited": ["granum"]})));
        assert_eq!((grade.score, grade.max_score), (1.0, 2.0));
        assert_eq!(grade.items[0].outcome, Outcome::Unanswered);
        assert!(grade.items[0].feedback.is_empty());
    }
}
