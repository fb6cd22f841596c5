//! Learning components: `component_type` + `payload`, as stored locally and on the team server.

use crate::components::{
    Payload, branching::BranchingPayload, cloze::ClozePayload, dictation::DictationPayload,
    flashcards::FlashcardsPayload, hotspot::HotspotPayload, matching::MatchingPayload,
    pronunciation::PronunciationPayload, quiz::QuizPayload, review::ReviewPayload,
    roleplay::RoleplayPayload, shadowing::ShadowingPayload,
};
use crate::validation::{Issues, ValidationIssue};
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// Whether a component is still being written or can be shown to learners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComponentStatus {
    /// May be incomplete; validation problems are shown but do not block saving.
    #[default]
    Draft,
    /// Valid and ready for learners.
    Ready,
}

impl ComponentStatus {
    /// The name stored in the library.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Ready => "ready",
        }
    }

    /// Parses a stored status name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "draft" => Some(Self::Draft),
            "ready" => Some(Self::Ready),
            _ => None,
        }
    }
}

/// A learning component attached to a slide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LearningComponent {
    pub id: Uuid,
    pub slide_id: Uuid,
    pub component_type: ComponentType,
    pub status: ComponentStatus,
    /// The type's payload as JSON, always carrying its `schema_version`.
    pub payload: Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A name that is not one of the eleven component types.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a component type; the types are {list}", list = ComponentType::names().join(", "))]
pub struct UnknownComponentType(pub String);

/// A payload that could not be read or is not valid, with every issue found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{component_type} payload has {} problem(s): {}", issues.len(), issues.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct PayloadError {
    pub component_type: ComponentType,
    pub issues: Vec<ValidationIssue>,
}

/// What the type macro does for a graded type, and for one that is not graded.
macro_rules! graded {
    (graded, grade $payload:ty, $p:expr, $r:expr, $variant:ident) => {
        crate::grading::grade_typed::<$payload>($p, $r)
    };
    (, grade $payload:ty, $p:expr, $r:expr, $variant:ident) => {
        Err(crate::grading::GradeError::NotGraded(
            ComponentType::$variant,
        ))
    };
    (graded, schema $payload:ty) => {
        Some(crate::schema::schema_of::<
            <$payload as crate::components::Graded>::Response,
        >())
    };
    (, schema $payload:ty) => {
        None::<Value>
    };
    (graded, define $payload:ty, $generator:expr, $out:expr) => {
        $out.push((
            <<$payload as crate::components::Graded>::Response as JsonSchema>::schema_name()
                .into_owned(),
            $generator.subschema_for::<<$payload as crate::components::Graded>::Response>(),
        ))
    };
    (, define $payload:ty, $generator:expr, $out:expr) => {};
}

/// The one registry of the eleven types: each type's name, payload, description and whether
/// it is graded. Everything that goes by type (reading, validation, schemas, upgrades,
/// grading, the wire's definitions) is made from it.
macro_rules! component_types {
    ($($variant:ident($payload:ty $(, $graded:ident)?) = $name:literal, $doc:literal;)*) => {
        /// The eleven kinds of learning component.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
        )]
        pub enum ComponentType {
            $(#[doc = $doc] #[serde(rename = $name)] $variant,)*
        }

        impl ComponentType {
            /// Every type, in the order of the architecture document.
            pub const ALL: [ComponentType; 11] = [$(ComponentType::$variant,)*];

            /// The stored name, e.g. `QUIZ`.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name,)* }
            }

            /// The schema version payloads of this type are written in now.
            pub fn schema_version(self) -> u32 {
                match self { $(Self::$variant => <$payload as Payload>::SCHEMA_VERSION,)* }
            }

            /// The JSON Schema of this type's payload.
            pub fn json_schema(self) -> Value {
                match self { $(Self::$variant => crate::schema::schema_of::<$payload>(),)* }
            }

            /// A payload of this type in the current schema version, so that clients read one
            /// shape only: a payload written in an older version is upgraded, and anything
            /// that cannot be upgraded (already current, newer, not a payload) comes back
            /// unchanged. Unlike [`ComponentPayload::from_json`] it checks nothing else, so
            /// an incomplete draft stays as it was written.
            pub fn upgrade(self, payload: &Value) -> Value {
                match self { $(Self::$variant => crate::components::upgrade::<$payload>(payload),)* }
            }

            /// Whether learners' responses to this type are graded by a function.
            pub fn is_graded(self) -> bool {
                match self { $(Self::$variant => graded!($($graded)?, schema $payload).is_some(),)* }
            }

            /// Grades a learner's response to a valid payload of this type.
            pub fn grade(self, payload: &Value, response: &Value) -> Result<crate::Grade, crate::GradeError> {
                match self { $(Self::$variant => graded!($($graded)?, grade $payload, payload, response, $variant),)* }
            }

            /// The JSON Schema of a learner's response, for a graded type.
            pub fn response_schema(self) -> Option<Value> {
                match self { $(Self::$variant => graded!($($graded)?, schema $payload),)* }
            }

            /// The definitions a client of the wire needs for every type: each payload and
            /// each graded type's response, by name (added to `generator`'s definitions).
            pub fn wire_definitions(
                generator: &mut schemars::SchemaGenerator,
            ) -> Vec<(String, schemars::Schema)> {
                let mut out = Vec::with_capacity(2 * ComponentType::ALL.len());
                $(
                    out.push((
                        <$payload as JsonSchema>::schema_name().into_owned(),
                        generator.subschema_for::<$payload>(),
                    ));
                    graded!($($graded)?, define $payload, generator, out);
                )*
                out
            }
        }

        /// A payload read into its typed form.
        #[derive(Debug, Clone, PartialEq)]
        pub enum ComponentPayload {
            $(#[doc = $doc] $variant($payload),)*
        }

        impl ComponentPayload {
            /// Reads a stored or authored payload: upgrades older schema versions, then checks
            /// its shape. Shape problems (wrong types, unknown fields) are reported with pointers.
            pub fn from_json(component_type: ComponentType, payload: &Value) -> Result<Self, PayloadError> {
                // Text that no store can hold is refused before anything else.
                let nul = crate::fields::nul_issues(payload);
                if !nul.is_empty() {
                    return Err(PayloadError { component_type, issues: nul });
                }
                let issues = match component_type {
                    $(ComponentType::$variant => match crate::components::parse::<$payload>(payload) {
                        Ok(p) => return Ok(Self::$variant(p)),
                        Err(issues) => issues,
                    },)*
                };
                Err(PayloadError { component_type, issues })
            }

            /// The payload's type.
            pub fn component_type(&self) -> ComponentType {
                match self { $(Self::$variant(_) => ComponentType::$variant,)* }
            }

            /// Every rule the payload breaks; empty when it is ready for learners.
            pub fn validate(&self) -> Vec<ValidationIssue> {
                self.validate_json(&self.to_json())
            }

            /// [`Self::validate`] for a caller that holds the payload's JSON already (what
            /// [`Self::to_json`] gives), so that it is not made twice.
            pub fn validate_json(&self, json: &Value) -> Vec<ValidationIssue> {
                let mut issues = Issues::new();
                match self { $(Self::$variant(p) => p.validate(&mut issues),)* }
                crate::validation::check_provenance(json, &mut issues);
                issues.into_vec()
            }

            /// The payload as JSON in the current schema version.
            pub fn to_json(&self) -> Value {
                let result = match self { $(Self::$variant(p) => serde_json::to_value(p),)* };
                // Serializing plain structs of strings, numbers and vectors cannot fail.
                result.unwrap_or(Value::Null)
            }
        }
    };
}

component_types! {
    Review(ReviewPayload) = "REVIEW", "Summary cards of the previous section.";
    Quiz(QuizPayload, graded) = "QUIZ", "Single/multiple choice, true/false and short-answer questions.";
    Roleplay(RoleplayPayload, graded) = "ROLEPLAY", "A conversation with a persona in a business scenario, judged by a rubric.";
    Shadowing(ShadowingPayload) = "SHADOWING", "Listen to reference audio and repeat it.";
    Pronunciation(PronunciationPayload) = "PRONUNCIATION", "Say target words and phrases; feedback per phoneme.";
    Flashcards(FlashcardsPayload, graded) = "FLASHCARDS", "Term and definition cards rated by the learner.";
    Cloze(ClozePayload, graded) = "CLOZE", "Fill the blanks in a text.";
    Matching(MatchingPayload, graded) = "MATCHING", "Match pairs, sort into categories, or put steps in order.";
    Hotspot(HotspotPayload, graded) = "HOTSPOT", "Explore, label or find regions of an image.";
    Branching(BranchingPayload, graded) = "BRANCHING", "A scored decision tree.";
    Dictation(DictationPayload, graded) = "DICTATION", "Hear sentences and type them.";
}

impl ComponentType {
    /// The stored names of all types.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|t| t.as_str()).collect()
    }
}

impl fmt::Display for ComponentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ComponentType {
    type Err = UnknownComponentType;

    /// Accepts the stored name in any letter case (`quiz`, `QUIZ`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let upper = s.trim().to_ascii_uppercase();
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == upper)
            .ok_or_else(|| UnknownComponentType(s.to_string()))
    }
}

/// Reads and validates a payload in one step: shape problems and rule problems together.
pub fn check_payload(component_type: ComponentType, payload: &Value) -> Vec<ValidationIssue> {
    match ComponentPayload::from_json(component_type, payload) {
        Ok(p) => p.validate(),
        Err(e) => e.issues,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_round_trip_in_any_case() {
        for t in ComponentType::ALL {
            assert_eq!(t.as_str().parse::<ComponentType>(), Ok(t));
            assert_eq!(t.as_str().to_lowercase().parse::<ComponentType>(), Ok(t));
            let json = serde_json::to_string(&t).expect("serialize");
            assert_eq!(json, format!("\"{}\"", t.as_str()));
        }
        let err = "ESSAY".parse::<ComponentType>().expect_err("not a type");
        assert!(err.to_string().contains("QUIZ"));
    }
}
