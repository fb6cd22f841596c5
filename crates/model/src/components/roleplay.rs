//! ROLEPLAY: a conversation with a persona in a business scenario, scripted or AI-driven,
//! judged by a rubric.

use super::review::Provenance;
use super::{Graded, Payload, current_version};
use crate::component::ComponentType;
use crate::grading::{Grade, ItemFeedback, Outcome};
use crate::validation::{Issues, ItemName, MAX_LONG_TEXT, MAX_SHORT_TEXT, Pointer, Problem};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Two level scores closer than this are the same score.
const SAME_SCORE: f64 = 1e-9;

/// A conversation the learner holds with a persona, judged by a rubric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleplayPayload {
    /// Version of this payload's shape.
    #[serde(default = "current_version::<RoleplayPayload>")]
    pub schema_version: u32,
    /// Heading shown above the roleplay.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// The situation, as the learner reads it before starting.
    #[serde(default)]
    pub scenario: String,
    /// Who the learner talks to.
    #[serde(default)]
    pub persona: Persona,
    /// The part the learner plays, e.g. "Buyer at Greenfield Foods".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub learner_role: String,
    /// What the learner must achieve in the conversation.
    #[serde(default)]
    pub learner_goal: String,
    /// Whether the persona follows the turns written here or is played by a language model.
    #[serde(default)]
    pub mode: RoleplayMode,
    /// The persona's first line, which starts the conversation.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub opening_line: String,
    /// Scripted mode: the conversation turn by turn. AI-driven mode: an optional example.
    #[serde(default)]
    #[schemars(extend("x-only-when" = {"mode": ["scripted"]}))]
    pub turns: Vec<Turn>,
    /// How the learner's performance is judged.
    #[serde(default)]
    pub rubric: Rubric,
}

/// The character the learner talks to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    /// The persona's name, e.g. "Daniel Price".
    #[serde(default)]
    pub name: String,
    /// The persona's job or part, e.g. "Sales manager at a packaging supplier".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
    /// Personality and speaking style, for the language model or the instructor playing the part.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub personality: String,
}

/// Who leads the persona's side of the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoleplayMode {
    /// The persona says the turns written by the author.
    #[default]
    Scripted,
    /// A language model plays the persona from the scenario and personality.
    AiDriven,
}

/// Who speaks a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    /// The persona.
    #[default]
    Persona,
    /// The learner.
    Learner,
}

/// One turn of a scripted conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Turn {
    /// Short id, unique in the roleplay (e.g. `t1`).
    #[serde(default)]
    pub id: String,
    /// Who speaks.
    #[serde(default)]
    pub speaker: Speaker,
    /// What the persona says, or for a learner turn a model answer.
    #[serde(default)]
    pub text: String,
    /// Learner turns: key phrases the learner is expected to use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-only-when" = {"speaker": ["learner"]}))]
    pub expected_phrases: Vec<String>,
    /// Learner turns: hints the learner can reveal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-only-when" = {"speaker": ["learner"]}))]
    pub hints: Vec<String>,
    /// The lecture sentence this turn was drafted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// The criteria the learner is judged on.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    /// The criteria, each weighted.
    #[serde(default)]
    pub criteria: Vec<Criterion>,
}

/// One thing the learner is judged on, with the levels a judge chooses from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Short id, unique in the rubric, that ratings refer to (e.g. `clarifying`).
    #[serde(default)]
    pub id: String,
    /// What is judged, e.g. "Confirms figures by paraphrasing them".
    #[serde(default)]
    pub description: String,
    /// The criterion's share of the total; more than 0.
    #[serde(default = "one")]
    pub weight: f64,
    /// The levels of performance, each with its own score.
    #[serde(default)]
    pub levels: Vec<Level>,
}

/// One level of performance on a criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The level's score, 0 or more; it identifies the level in a rating.
    #[serde(default)]
    pub score: f64,
    /// What performance at this level looks like; shown to the learner as feedback.
    #[serde(default)]
    pub descriptor: String,
}

fn one() -> f64 {
    1.0
}

impl Criterion {
    /// The highest level score, 0 when there are no levels.
    fn top_score(&self) -> f64 {
        self.levels.iter().map(|l| l.score).fold(0.0, f64::max)
    }

    /// The level a rating names.
    fn level(&self, score: f64) -> Option<&Level> {
        self.levels
            .iter()
            .find(|l| (l.score - score).abs() < SAME_SCORE)
    }

    fn validate(&self, at: &Pointer, issues: &mut Issues) {
        issues.require_text(
            &at.key("description"),
            &self.description,
            Problem::CriterionNeedsDescription,
        );
        issues.limit_text(&at.key("description"), &self.description, MAX_SHORT_TEXT);
        if !(self.weight.is_finite() && self.weight > 0.0) {
            issues.push(&at.key("weight"), Problem::CriterionWeightNotPositive);
        }
        let levels = at.key("levels");
        if self.levels.is_empty() {
            issues.push(&levels, Problem::CriterionNeedsLevel);
        } else if self.top_score() <= 0.0 {
            issues.push(&levels, Problem::BestLevelNotPositive);
        }
        for (j, level) in self.levels.iter().enumerate() {
            let here = levels.index(j);
            if !(level.score.is_finite() && level.score >= 0.0) {
                issues.push(&here.key("score"), Problem::LevelScoreNegative);
            } else if let Some(first) = self.levels[..j]
                .iter()
                .position(|other| (other.score - level.score).abs() < SAME_SCORE)
            {
                let first = first + 1;
                issues.push(&here.key("score"), Problem::LevelScoreRepeated { first });
            }
            issues.require_text(
                &here.key("descriptor"),
                &level.descriptor,
                Problem::LevelNeedsDescriptor,
            );
            issues.limit_text(&here.key("descriptor"), &level.descriptor, MAX_LONG_TEXT);
        }
    }
}

impl Payload for RoleplayPayload {
    const TYPE: ComponentType = ComponentType::Roleplay;
    const SCHEMA_VERSION: u32 = 1;

    fn validate(&self, issues: &mut Issues) {
        let root = Pointer::root();
        issues.limit_text(&root.key("title"), &self.title, MAX_SHORT_TEXT);
        issues.require_text(
            &root.key("scenario"),
            &self.scenario,
            Problem::ScenarioMissing,
        );
        issues.limit_text(&root.key("scenario"), &self.scenario, MAX_LONG_TEXT);
        let persona = root.key("persona");
        issues.require_text(
            &persona.key("name"),
            &self.persona.name,
            Problem::PersonaNameMissing,
        );
        issues.limit_text(&persona.key("name"), &self.persona.name, MAX_SHORT_TEXT);
        issues.limit_text(&persona.key("role"), &self.persona.role, MAX_SHORT_TEXT);
        issues.limit_text(
            &persona.key("personality"),
            &self.persona.personality,
            MAX_LONG_TEXT,
        );
        issues.limit_text(
            &root.key("learner_role"),
            &self.learner_role,
            MAX_SHORT_TEXT,
        );
        issues.require_text(
            &root.key("learner_goal"),
            &self.learner_goal,
            Problem::LearnerGoalMissing,
        );
        issues.limit_text(&root.key("learner_goal"), &self.learner_goal, MAX_LONG_TEXT);
        issues.limit_text(&root.key("opening_line"), &self.opening_line, MAX_LONG_TEXT);
        self.validate_turns(&root.key("turns"), issues);
        let criteria = root.key("rubric").key("criteria");
        if self.rubric.criteria.is_empty() {
            issues.push(&criteria, Problem::RubricNeedsCriterion);
        }
        issues.check_ids(
            &criteria,
            self.rubric.criteria.iter().map(|c| c.id.as_str()),
            ItemName::Criterion,
        );
        for (i, criterion) in self.rubric.criteria.iter().enumerate() {
            criterion.validate(&criteria.index(i), issues);
        }
    }
}

impl RoleplayPayload {
    fn validate_turns(&self, turns: &Pointer, issues: &mut Issues) {
        if self.mode == RoleplayMode::Scripted {
            if self.turns.is_empty() {
                issues.push(turns, Problem::ScriptNeedsTurns);
            } else if !self.turns.iter().any(|t| t.speaker == Speaker::Learner) {
                issues.push(turns, Problem::ScriptNeedsLearnerTurn);
            }
        }
        issues.check_ids(
            turns,
            self.turns.iter().map(|t| t.id.as_str()),
            ItemName::Turn,
        );
        for (i, turn) in self.turns.iter().enumerate() {
            let at = turns.index(i);
            issues.require_text(&at.key("text"), &turn.text, Problem::TurnNeedsText);
            issues.limit_text(&at.key("text"), &turn.text, MAX_LONG_TEXT);
            for (field, list, learners_only, empty) in [
                (
                    "expected_phrases",
                    &turn.expected_phrases,
                    Problem::ExpectedPhrasesOnlyForLearner,
                    Problem::ExpectedPhraseEmpty,
                ),
                (
                    "hints",
                    &turn.hints,
                    Problem::HintsOnlyForLearner,
                    Problem::HintEmpty,
                ),
            ] {
                if turn.speaker == Speaker::Persona && !list.is_empty() {
                    issues.push(&at.key(field), learners_only);
                }
                for (j, text) in list.iter().enumerate() {
                    let here = at.key(field).index(j);
                    issues.require_text(&here, text, empty.clone());
                    issues.limit_text(&here, text, MAX_SHORT_TEXT);
                }
            }
        }
    }
}

/// The level chosen for each criterion, by the instructor or an AI judge.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleplayResponse {
    /// The score of the chosen level, by criterion id; criteria left out are unrated.
    #[serde(default)]
    pub levels: BTreeMap<String, f64>,
}

/// Each criterion scores `weight × chosen level score / highest level score`, so the
/// maximum is the sum of the weights. A rating names a level by its score (equal within
/// 1e-9); a criterion left out, or rated with a score no level has, is unanswered and
/// scores 0. Correct at the highest level, incorrect at a level scoring 0, partial between.
/// The feedback is the chosen level's descriptor. Items follow the order of the criteria.
impl Graded for RoleplayPayload {
    type Response = RoleplayResponse;

    fn grade(&self, response: &RoleplayResponse) -> Grade {
        let criteria = Pointer::root().key("rubric").key("criteria");
        Grade::from_items(
            self.rubric
                .criteria
                .iter()
                .enumerate()
                .map(|(i, criterion)| {
                    let chosen = response
                        .levels
                        .get(&criterion.id)
                        .and_then(|score| criterion.level(*score));
                    let top = criterion.top_score();
                    let (outcome, score, feedback) = match chosen {
                        None => (Outcome::Unanswered, 0.0, Vec::new()),
                        Some(level) => {
                            let outcome = if level.score >= top {
                                Outcome::Correct
                            } else if level.score <= 0.0 {
                                Outcome::Incorrect
                            } else {
                                Outcome::Partial
                            };
                            let feedback = if level.descriptor.trim().is_empty() {
                                Vec::new()
                            } else {
                                vec![level.descriptor.clone()]
                            };
                            (outcome, criterion.weight * level.score / top, feedback)
                        }
                    };
                    ItemFeedback {
                        pointer: criteria.index(i).to_string(),
                        outcome,
                        score,
                        max_score: criterion.weight,
                        feedback,
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
    use serde_json::{Value, json};

    fn roleplay() -> Value {
        json!({
            "scenario": "Agree a price for cardboard boxes.",
            "persona": {"name": "Daniel"},
            "learner_goal": "Reach a unit price under 45 cents.",
            "turns": [
                {"id": "t1", "text": "What volume do you need?"},
                {"id": "t2", "speaker": "learner", "text": "Around 200,000 boxes.",
                 "expected_phrases": ["200,000"]}
            ],
            "rubric": {"criteria": [
                {"id": "clarity", "description": "Clear figures", "weight": 2, "levels": [
                    {"score": 0, "descriptor": "No figures"},
                    {"score": 1, "descriptor": "Some figures"},
                    {"score": 4, "descriptor": "Every figure confirmed"}
                ]},
                {"id": "tone", "description": "Polite tone", "levels": [
                    {"score": 1, "descriptor": "Polite"}
                ]}
            ]}
        })
    }

    #[test]
    fn a_valid_roleplay_has_no_issues() {
        assert_eq!(check_payload(ComponentType::Roleplay, &roleplay()), vec![]);
    }

    #[test]
    fn scripted_mode_needs_a_learner_turn_and_levels_need_distinct_scores() {
        let mut payload = roleplay();
        payload["turns"][1]["speaker"] = json!("persona");
        payload["rubric"]["criteria"][0]["weight"] = json!(0);
        payload["rubric"]["criteria"][0]["levels"][2]["score"] = json!(1.0);
        payload["rubric"]["criteria"][1]["levels"] = json!([]);
        let issues: Vec<String> = check_payload(ComponentType::Roleplay, &payload)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            issues,
            [
                "/turns: a scripted roleplay needs at least one learner turn",
                "/turns/1/expected_phrases: only learner turns have expected phrases; \
                 remove them or make this a learner turn",
                "/rubric/criteria/0/weight: a criterion's weight must be more than 0",
                "/rubric/criteria/0/levels/2/score: level 2 has the same score; each level needs its own score",
                "/rubric/criteria/1/levels: a criterion needs at least one level",
            ]
        );
    }

    #[test]
    fn criteria_score_their_weight_times_the_share_of_the_top_level() {
        let response = json!({"levels": {"clarity": 1, "tone": 3}});
        let grade = crate::grading::grade(ComponentType::Roleplay, &roleplay(), &response)
            .expect("gradable");
        assert_eq!(grade.items[0].score, 0.5);
        assert_eq!(grade.items[0].outcome, Outcome::Partial);
        assert_eq!(grade.items[0].feedback, ["Some figures"]);
        // 3 is not a level of `tone`, so it is unrated.
        assert_eq!(grade.items[1].outcome, Outcome::Unanswered);
        assert_eq!((grade.score, grade.max_score), (0.5, 3.0));
    }
}
