//! BRANCHING: a scored decision scenario written by the author.
//!
//! The scenario is a graph of nodes. A node describes a situation and offers choices; each
//! choice leads to another node and adds its points (which may be negative). End nodes close
//! the scenario with an outcome. Loops are allowed (going back to rethink), but validation
//! rejects a loop whose points add up to more than zero, since a learner could go round it
//! to pile up points; with that rule the best score is well defined and easy to compute.
//!
//! Grading, which the JavaScript player repeats exactly. `best(n)` is the highest total of
//! points a learner can still collect from node `n` to an end (0 at an end node), computed as
//! in [`graph::Graph::best_scores`]. The response lists the ids of the choices the learner
//! made, in order. Starting at the start node, for each id in turn:
//!
//! - when the current node is an end, the response goes on past the end: an incorrect item
//!   (0 of 0, no feedback) points at the end node (`/nodes/i`) and grading stops there;
//! - when the current node has no choice with that id (or its target does not exist), an
//!   incorrect item (0 of `best(current)`, no feedback) points at the current node and
//!   grading stops there;
//! - otherwise the choice gives an item pointing at it (`/nodes/i/choices/j`), scoring its
//!   points out of `best(current) - best(target)`, that is the points it could have added
//!   without lowering the best score still reachable; it is correct when it scores that
//!   much and partial when it scores less, and carries the choice's feedback when written.
//!   The learner moves to the target.
//!
//! When the walk ends normally, one last item points at the node reached: at an end node
//! it scores 0 of 0 with the end's outcome text as feedback, correct when the learner's
//! total equals `best(start)` and partial otherwise; at any other node the learner stopped
//! early and it is unanswered, scoring 0 of `best(node)`. The grade's score is the sum of
//! the points of the choices made (negative when the author gives negative points), and its
//! maximum is always `best(start)`.

mod graph;

use super::review::Provenance;
use super::{Graded, Payload, current_version};
use crate::component::ComponentType;
use crate::course::AssetRef;
use crate::grading::{Grade, ItemFeedback, Outcome};
use crate::validation::{Issues, ItemName, MAX_LONG_TEXT, MAX_SHORT_TEXT, Pointer, Problem};
use graph::{Graph, index_of};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A scored decision scenario: situations, choices and ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BranchingPayload {
    #[serde(default = "current_version::<BranchingPayload>")]
    pub schema_version: u32,
    /// Heading shown above the scenario, e.g. "The supplier says 47 cents".
    #[serde(default)]
    pub title: String,
    /// The `id` of the node the learner starts at.
    #[serde(default)]
    pub start: String,
    /// Every node of the scenario, in any order.
    #[serde(default)]
    pub nodes: Vec<BranchingNode>,
}

/// A situation with choices, or an end with its outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BranchingNode {
    /// Unique among the nodes; choices name their target by it.
    #[serde(default)]
    pub id: String,
    /// A short heading for the node.
    #[serde(default)]
    pub title: String,
    /// The situation the learner faces, in Markdown; required unless the node is an end.
    #[serde(default)]
    pub text: String,
    /// An image shown with the situation, by content hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<AssetRef>,
    /// A description of the image for learners who cannot see it; required with an image.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub image_alt: String,
    /// What the learner can do next; none at an end node.
    #[serde(default)]
    #[schemars(extend("x-only-when" = {"end": [false]}))]
    pub choices: Vec<BranchingChoice>,
    /// The scenario ends here.
    #[serde(default)]
    pub end: bool,
    /// At an end node: how things turned out, shown to the learner.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schemars(extend("x-only-when" = {"end": [true]}))]
    pub outcome: String,
    /// Where in the lecture this node was drafted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// Something the learner can say or do at a node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BranchingChoice {
    /// Unique among all choices of the scenario; responses name choices by it.
    #[serde(default)]
    pub id: String,
    /// What the learner says or does.
    #[serde(default)]
    pub text: String,
    /// The `id` of the node this choice leads to.
    #[serde(default)]
    pub target: String,
    /// Points added to the learner's score (taken away when negative).
    #[serde(default)]
    pub points: i32,
    /// Shown after the learner makes this choice; empty for none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub feedback: String,
}

/// The path a learner took through the scenario.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BranchingResponse {
    /// The ids of the choices the learner made, in order, from the start node.
    #[serde(default)]
    pub choices: Vec<String>,
}

impl BranchingPayload {
    /// How a node is named in messages: by its id, or by its place (from 1) when it has none.
    fn node_name(&self, i: usize) -> Result<String, usize> {
        match self.nodes.get(i) {
            Some(node) if !node.id.trim().is_empty() => Ok(node.id.clone()),
            _ => Err(i + 1),
        }
    }

    fn validate_node<'a>(
        &'a self,
        i: usize,
        index: &HashMap<&str, usize>,
        choice_ids: &mut HashMap<&'a str, (usize, usize)>,
        issues: &mut Issues,
    ) {
        let node = &self.nodes[i];
        let at = Pointer::root().key("nodes").index(i);
        issues.limit_text(&at.key("title"), &node.title, MAX_SHORT_TEXT);
        if node.end {
            issues.require_text(
                &at.key("outcome"),
                &node.outcome,
                Problem::EndOutcomeMissing,
            );
        } else {
            issues.require_text(&at.key("text"), &node.text, Problem::SituationTextMissing);
        }
        issues.limit_text(&at.key("text"), &node.text, MAX_LONG_TEXT);
        issues.limit_text(&at.key("outcome"), &node.outcome, MAX_LONG_TEXT);
        issues.check_asset(&at.key("image"), node.image.as_ref());
        if node.image.is_some() {
            issues.require_text(
                &at.key("image_alt"),
                &node.image_alt,
                Problem::ImageAltMissing,
            );
        }
        issues.limit_text(&at.key("image_alt"), &node.image_alt, MAX_LONG_TEXT);
        let choices = at.key("choices");
        if node.end && !node.choices.is_empty() {
            issues.push(&choices, Problem::EndHasChoices);
        } else if !node.end && node.choices.is_empty() {
            issues.push(&choices, Problem::SituationNeedsChoice);
        }
        issues.check_ids(
            &choices,
            node.choices.iter().map(|c| c.id.as_str()),
            ItemName::Choice,
        );
        for (j, choice) in node.choices.iter().enumerate() {
            let at = choices.index(j);
            // Ids are checked within the node above; responses also need them unique across nodes.
            match choice_ids.get(choice.id.as_str()) {
                Some(&(n, c)) if n != i => {
                    let (id, first) = (choice.id.clone(), c + 1);
                    let problem = match self.node_name(n) {
                        Ok(node) => Problem::ChoiceIdTaken { id, first, node },
                        Err(node_number) => Problem::ChoiceIdTakenAtNode {
                            id,
                            first,
                            node_number,
                        },
                    };
                    issues.push(&at.key("id"), problem);
                }
                Some(_) => {}
                None if choice.id.is_empty() => {}
                None => {
                    choice_ids.insert(&choice.id, (i, j));
                }
            }
            issues.require_text(&at.key("text"), &choice.text, Problem::ChoiceTextMissing);
            issues.limit_text(&at.key("text"), &choice.text, MAX_LONG_TEXT);
            if choice.target.trim().is_empty() {
                issues.push(&at.key("target"), Problem::ChoiceTargetMissing);
            } else if !index.contains_key(choice.target.as_str()) {
                let id = choice.target.clone();
                issues.push(&at.key("target"), Problem::NoSuchNode { id });
            }
            issues.limit_text(&at.key("feedback"), &choice.feedback, MAX_LONG_TEXT);
        }
    }

    /// Unreachable nodes, nodes that cannot finish, and loops that earn points.
    fn validate_paths(&self, start: usize, index: &HashMap<&str, usize>, issues: &mut Issues) {
        let graph = Graph::new(self);
        let reachable = graph.reachable_from(start);
        let nodes = Pointer::root().key("nodes");
        let can_finish = graph.can_finish();
        if !can_finish[start] {
            issues.push(&Pointer::root().key("start"), Problem::NoEndReachable);
        }
        for (i, node) in self.nodes.iter().enumerate() {
            if !reachable[i] {
                // Nodes without a usable id have their own issue and cannot be a target.
                if index.get(node.id.as_str()) == Some(&i) {
                    issues.push(&nodes.index(i), Problem::NodeUnreachable);
                }
            } else if can_finish[start] && !can_finish[i] && !node.choices.is_empty() {
                // When the start cannot finish, its issue says it all; a situation without
                // choices has its own issue.
                let problem = match self.node_name(i) {
                    Ok(node) => Problem::NodeCannotFinish { node },
                    Err(node_number) => Problem::NodeAtCannotFinish { node_number },
                };
                issues.push(&nodes.index(i), problem);
            }
        }
        for (cycle, total) in graph.scoring_loops(&reachable) {
            let first = cycle[0];
            let mut names: Vec<String> = cycle.iter().map(|e| self.quoted_id(e.from)).collect();
            names.push(self.quoted_id(first.from));
            issues.push(
                &nodes
                    .index(first.from)
                    .key("choices")
                    .index(first.choice)
                    .key("points"),
                Problem::scoring_loop(names.join(" → "), total),
            );
        }
    }

    fn quoted_id(&self, i: usize) -> String {
        format!("\"{}\"", self.nodes[i].id)
    }
}

impl Payload for BranchingPayload {
    const TYPE: ComponentType = ComponentType::Branching;
    const SCHEMA_VERSION: u32 = 1;

    fn validate(&self, issues: &mut Issues) {
        let root = Pointer::root();
        issues.limit_text(&root.key("title"), &self.title, MAX_SHORT_TEXT);
        let index = index_of(self);
        let start = root.key("start");
        let start_node = if self.start.trim().is_empty() {
            issues.push(&start, Problem::StartMissing);
            None
        } else if let Some(&i) = index.get(self.start.as_str()) {
            if self.nodes[i].end {
                issues.push(&start, Problem::StartIsEnd);
            }
            Some(i)
        } else {
            let id = self.start.clone();
            issues.push(&start, Problem::NoSuchNode { id });
            None
        };
        if self.nodes.is_empty() {
            issues.push(&root.key("nodes"), Problem::BranchingNeedsNodes);
        }
        let nodes = root.key("nodes");
        issues.check_ids(
            &nodes,
            self.nodes.iter().map(|n| n.id.as_str()),
            ItemName::Node,
        );
        let mut choice_ids = HashMap::new();
        for i in 0..self.nodes.len() {
            self.validate_node(i, &index, &mut choice_ids, issues);
        }
        if let Some(start) = start_node {
            self.validate_paths(start, &index, issues);
        }
    }
}

impl Graded for BranchingPayload {
    type Response = BranchingResponse;

    fn grade(&self, response: &BranchingResponse) -> Grade {
        let index = index_of(self);
        let Some(&start) = index.get(self.start.as_str()) else {
            return Grade::from_items(vec![]);
        };
        let best = Graph::new(self).best_scores();
        let best_at = |n: usize| best[n].unwrap_or(0) as f64;
        let nodes = Pointer::root().key("nodes");
        let stop = |n: usize, outcome, max_score, feedback| ItemFeedback {
            pointer: nodes.index(n).to_string(),
            outcome,
            score: 0.0,
            max_score,
            feedback,
        };
        let mut items = Vec::new();
        let mut total = 0.0;
        let mut at = start;
        for id in &response.choices {
            let node = &self.nodes[at];
            if node.end {
                items.push(stop(at, Outcome::Incorrect, 0.0, vec![]));
                return Grade::from_items(items);
            }
            let taken = node.choices.iter().enumerate().find_map(|(j, c)| {
                let target = index.get(c.target.as_str()).copied();
                target.filter(|_| c.id == *id).map(|t| (j, c, t))
            });
            let Some((j, choice, target)) = taken else {
                items.push(stop(at, Outcome::Incorrect, best_at(at), vec![]));
                return Grade::from_items(items);
            };
            let points = f64::from(choice.points);
            let max_score = best_at(at) - best_at(target);
            items.push(ItemFeedback {
                pointer: nodes.index(at).key("choices").index(j).to_string(),
                outcome: if points >= max_score {
                    Outcome::Correct
                } else {
                    Outcome::Partial
                },
                score: points,
                max_score,
                feedback: written(&choice.feedback),
            });
            total += points;
            at = target;
        }
        let node = &self.nodes[at];
        items.push(if node.end {
            let outcome = if total >= best_at(start) {
                Outcome::Correct
            } else {
                Outcome::Partial
            };
            stop(at, outcome, 0.0, written(&node.outcome))
        } else {
            stop(at, Outcome::Unanswered, best_at(at), vec![])
        });
        Grade::from_items(items)
    }
}

/// The text as feedback when the author wrote any.
fn written(text: &str) -> Vec<String> {
    if text.trim().is_empty() {
        vec![]
    } else {
        vec![text.to_string()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::component::check_payload;
    use serde_json::{Value, json};

    fn messages(payload: Value) -> Vec<String> {
        check_payload(ComponentType::Branching, &payload)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn node(id: &str, choices: Value) -> Value {
        json!({"id": id, "text": format!("Situation {id}"), "choices": choices})
    }

    fn end(id: &str) -> Value {
        json!({"id": id, "end": true, "outcome": format!("Outcome {id}")})
    }

    fn choice(id: &str, target: &str, points: i32) -> Value {
        json!({"id": id, "text": format!("Choice {id}"), "target": target, "points": points})
    }

    /// Start: a good (+2) or a poor (+0) opening; the poor one can loop back at -1.
    fn scenario() -> BranchingPayload {
        serde_json::from_value(json!({"start": "open", "nodes": [
            node("open", json!([choice("good", "deal", 2), choice("poor", "stall", 0)])),
            node("stall", json!([choice("retry", "open", -1), choice("give", "nodeal", 0)])),
            end("deal"),
            end("nodeal"),
        ]}))
        .expect("payload")
    }

    fn walk(choices: &[&str]) -> Grade {
        scenario().grade(&BranchingResponse {
            choices: choices.iter().map(ToString::to_string).collect(),
        })
    }

    #[test]
    fn a_valid_scenario_has_no_issues_and_a_draft_loads() {
        let valid = serde_json::to_value(scenario()).expect("json");
        assert_eq!(messages(valid), Vec::<String>::new());
        assert_eq!(
            messages(json!({})),
            [
                "/start: choose the node the scenario starts at",
                "/nodes: add the situations of the scenario and at least one end"
            ]
        );
    }

    #[test]
    fn targets_must_exist_and_every_node_must_be_reachable() {
        let issues = messages(json!({"start": "a", "nodes": [
            node("a", json!([choice("c1", "n9", 0), choice("c2", "b", 0)])),
            end("b"),
            end("orphan"),
        ]}));
        assert_eq!(
            issues,
            [
                "/nodes/0/choices/0/target: there is no node \"n9\"",
                "/nodes/2: no path from the start leads here, so learners never see this node"
            ]
        );
    }

    #[test]
    fn a_learner_must_never_be_stuck_in_a_loop() {
        let issues = messages(json!({"start": "a", "nodes": [
            node("a", json!([choice("c1", "b", 0), choice("c2", "x", 0)])),
            node("b", json!([choice("c3", "c", 0)])),
            node("c", json!([choice("c4", "b", 0)])),
            end("x"),
        ]}));
        assert_eq!(
            issues,
            [
                "/nodes/1: a learner who reaches node \"b\" can never get to an end: every choice from here leads only to nodes that do not end",
                "/nodes/2: a learner who reaches node \"c\" can never get to an end: every choice from here leads only to nodes that do not end"
            ]
        );
        let issues = messages(json!({"start": "a", "nodes": [
            node("a", json!([choice("c1", "a", 0)])), end("x"),
        ]}));
        assert_eq!(
            issues,
            [
                "/start: no end can be reached from the start; link a choice to a node marked as an end",
                "/nodes/1: no path from the start leads here, so learners never see this node"
            ]
        );
    }

    #[test]
    fn loops_that_earn_points_are_rejected() {
        let issues = messages(json!({"start": "a", "nodes": [
            node("a", json!([choice("c1", "b", 1), choice("c2", "x", 0)])),
            node("b", json!([choice("c3", "a", 0), choice("c4", "b", 2)])),
            end("x"),
        ]}));
        assert_eq!(
            issues,
            [
                "/nodes/1/choices/1/points: going round the loop \"b\" → \"b\" earns 2 points each time, so a learner could collect points without limit; make the points on this loop add up to zero or less",
                "/nodes/0/choices/0/points: going round the loop \"a\" → \"b\" → \"a\" earns 1 point each time, so a learner could collect points without limit; make the points on this loop add up to zero or less"
            ]
        );
    }

    #[test]
    fn the_best_path_scores_full_marks() {
        let grade = walk(&["good"]);
        assert_eq!((grade.score, grade.max_score), (2.0, 2.0));
        let outcomes: Vec<Outcome> = grade.items.iter().map(|i| i.outcome).collect();
        assert_eq!(outcomes, [Outcome::Correct, Outcome::Correct]);
        assert_eq!(grade.items[1].feedback, ["Outcome deal"]);
    }

    #[test]
    fn a_detour_loses_points_at_the_step_that_cost_them() {
        // best: open 2, stall 1 (retry -1 then good +2), deal 0.
        let grade = walk(&["poor", "retry", "good"]);
        assert_eq!((grade.score, grade.max_score), (1.0, 2.0));
        let steps: Vec<(&str, Outcome, f64, f64)> = grade
            .items
            .iter()
            .map(|i| (i.pointer.as_str(), i.outcome, i.score, i.max_score))
            .collect();
        assert_eq!(
            steps,
            [
                ("/nodes/0/choices/1", Outcome::Partial, 0.0, 1.0),
                ("/nodes/1/choices/0", Outcome::Correct, -1.0, -1.0),
                ("/nodes/0/choices/0", Outcome::Correct, 2.0, 2.0),
                ("/nodes/2", Outcome::Partial, 0.0, 0.0),
            ]
        );
    }

    #[test]
    fn an_invalid_step_or_an_early_stop_ends_the_walk() {
        let grade = walk(&["poor", "good"]);
        assert_eq!((grade.score, grade.max_score), (0.0, 2.0));
        assert_eq!(grade.items[1].pointer, "/nodes/1");
        assert_eq!(grade.items[1].outcome, Outcome::Incorrect);
        let grade = walk(&[]);
        assert_eq!((grade.score, grade.max_score), (0.0, 2.0));
        assert_eq!(grade.items[0].outcome, Outcome::Unanswered);
        let grade = walk(&["good", "retry"]);
        assert_eq!(grade.items[1].pointer, "/nodes/2");
        assert_eq!(grade.items[1].outcome, Outcome::Incorrect);
        assert_eq!((grade.score, grade.max_score), (2.0, 2.0));
    }
}
