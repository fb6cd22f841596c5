//! The values an issue's sentence names, kept apart from the sentence so that a client can say
//! the same thing in the instructor's language (the desktop UI has a Korean sentence for every
//! issue code).

use crate::component::ComponentType;
use crate::components::matching::MatchingMode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Number;
use std::fmt;

/// The values an issue's message interpolates, by the name its sentence uses (`{count}`).
///
/// Each issue code fills exactly the fields its sentence names and leaves the others out. A
/// name means the same thing, with the same type, in every sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueParams {
    /// How many there are: characters of a text, options marked correct, uses of a marker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    /// The most allowed: characters of a text or an id, repetitions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<usize>,
    /// What one item of the list is, e.g. `question` in "question 2".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<ItemName>,
    /// An id as written: of an item, a blank, a category, a node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The place, from 1, of the earlier item that the issue's item repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<usize>,
    /// A text of the payload, trimmed, that repeats an earlier one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// An asset reference that is not the sha256 of a stored file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset: Option<String>,
    /// A language tag as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The language tag as it should be written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// Where a source range starts, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<u64>,
    /// Where a source range ends, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<u64>,
    /// The length of a quoted sentence, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<usize>,
    /// The component type a payload belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component_type: Option<ComponentType>,
    /// The schema version a payload names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// The newest schema version this build reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supported: Option<u32>,
    /// A field's name as the payload's reader quotes it, e.g. `` `title` ``.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The payload reader's own explanation, in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// A playback speed, 1 being normal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Number>,
    /// One character that is not an IPA symbol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symbol: Option<String>,
    /// The id inside a `[[id]]` marker of a cloze text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// The mode a matching activity is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<MatchingMode>,
    /// The name of an image coordinate: `x`, `y`, `cx` or `cy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinate: Option<String>,
    /// The value of that coordinate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Number>,
    /// A point's horizontal coordinate, from 0 (left edge) to 1 (right edge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<Number>,
    /// A point's vertical coordinate, from 0 (top edge) to 1 (bottom edge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<Number>,
    /// A branching node's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// A branching node's place, from 1, when it has no id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_number: Option<usize>,
    /// The node ids of a loop in order, back to the first, e.g. `"a" → "b" → "a"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The points a learner earns going once round a loop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
}

macro_rules! item_names {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $name:literal, )+) => {
        /// What one item of a payload's list is called in an issue's sentence.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum ItemName {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl ItemName {
            /// Every name, in the order they are declared.
            pub const ALL: &'static [ItemName] = &[$(ItemName::$variant,)+];

            /// The English word, which is also the serialized form.
            pub fn as_str(self) -> &'static str {
                match self { $(ItemName::$variant => $name,)+ }
            }
        }
    };
}

item_names! {
    /// A quiz question.
    Question = "question",
    /// An option of a choice question.
    Option = "option",
    /// A review or flashcard card.
    Card = "card",
    /// A sentence to shadow or take down.
    Sentence = "sentence",
    /// A word or phrase to pronounce, or an item to sort.
    Item = "item",
    /// A blank of a cloze text.
    Blank = "blank",
    /// A matching pair.
    Pair = "pair",
    /// A matching distractor.
    Distractor = "distractor",
    /// A category to sort into.
    Category = "category",
    /// A step to put in order.
    Step = "step",
    /// A hotspot region.
    Region = "region",
    /// A branching node.
    Node = "node",
    /// A branching choice.
    Choice = "choice",
    /// A rubric criterion.
    Criterion = "criterion",
    /// A roleplay turn.
    Turn = "turn",
}

impl fmt::Display for ItemName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Turns a value named in a sentence into its form in [`IssueParams`].
pub(super) trait Param<Wire> {
    fn wire(&self) -> Option<Wire>;
}

impl<T: Clone> Param<T> for T {
    fn wire(&self) -> Option<T> {
        Some(self.clone())
    }
}

/// A number that JSON cannot hold (NaN, infinity) is left out; the message still shows it.
impl Param<Number> for f64 {
    fn wire(&self) -> Option<Number> {
        Number::from_f64(*self)
    }
}

impl Param<String> for char {
    fn wire(&self) -> Option<String> {
        Some(self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_names_are_written_as_their_english_word() {
        for name in ItemName::ALL {
            let json = serde_json::to_value(name).expect("json");
            assert_eq!(json, name.as_str());
            assert_eq!(name.to_string(), name.as_str());
        }
    }

    #[test]
    fn params_leave_out_what_the_sentence_does_not_name() {
        let params = IssueParams {
            count: Some(3),
            item: Some(ItemName::Option),
            rate: 0.75_f64.wire(),
            ..IssueParams::default()
        };
        let json = serde_json::to_value(&params).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"count": 3, "item": "option", "rate": 0.75})
        );
        assert_eq!(f64::NAN.wire(), None::<Number>);
    }
}
