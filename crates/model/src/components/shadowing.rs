//! SHADOWING: the learner listens to reference audio and repeats it.
//!
//! Not graded by a function here: comparing pitch, energy and timing needs the recordings
//! themselves and is done by the speech engines.

use super::review::Provenance;
use super::{Payload, current_version};
use crate::component::ComponentType;
use crate::course::AssetRef;
use crate::validation::{Issues, ItemName, MAX_LONG_TEXT, MAX_SHORT_TEXT, Pointer, Problem};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Sentences the learner listens to and repeats, shadowing the speaker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShadowingPayload {
    #[serde(default = "current_version::<ShadowingPayload>")]
    pub schema_version: u32,
    /// Instructions shown above the sentences.
    #[serde(default)]
    pub instructions: String,
    /// The language spoken, as a BCP 47 tag such as `en-US`; items may name another.
    #[serde(default)]
    pub language: String,
    /// Playback speeds the learner can choose, as multiples of normal speed (e.g. 0.75, 1);
    /// empty offers normal speed only.
    #[serde(default)]
    pub playback_rates: Vec<f64>,
    /// How many times the learner repeats each sentence.
    #[serde(default = "default_repetitions")]
    pub repetitions: u32,
    /// The sentences, in the order the learner practises them.
    #[serde(default)]
    pub items: Vec<ShadowingItem>,
}

/// One sentence to shadow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShadowingItem {
    /// Unique among the items; recordings are filed under it.
    #[serde(default)]
    pub id: String,
    /// The sentence as spoken in the reference audio.
    #[serde(default)]
    pub text: String,
    /// The reference recording, by content hash.
    ///
    /// Optional even in a ready component: the audio is made from `text` and the language
    /// by a `reference_audio` job that may finish long after the author is done, or be
    /// replaced by the author's own recording. Whether it exists is a question about assets,
    /// checked when the lesson is exported; here only a given reference is checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<AssetRef>,
    /// The language of this sentence when it differs from the component's, as a BCP 47 tag.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub language: String,
    /// A translation or gloss shown on request, e.g. in Korean.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub translation: String,
    /// Where in the lecture this sentence was drafted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

fn default_repetitions() -> u32 {
    3
}

/// The playback speeds a player offers, as multiples of normal speed.
const RATES: std::ops::RangeInclusive<f64> = 0.5..=2.0;
/// The most repetitions an activity asks for.
const MAX_REPETITIONS: u32 = 10;

impl Payload for ShadowingPayload {
    const TYPE: ComponentType = ComponentType::Shadowing;
    const SCHEMA_VERSION: u32 = 1;

    fn validate(&self, issues: &mut Issues) {
        let root = Pointer::root();
        issues.limit_text(&root.key("instructions"), &self.instructions, MAX_LONG_TEXT);
        let language = root.key("language");
        if self.language.trim().is_empty() {
            issues.push(&language, Problem::LanguageMissing);
        } else {
            issues.check_language(&language, &self.language);
        }
        let rates = root.key("playback_rates");
        for (i, &rate) in self.playback_rates.iter().enumerate() {
            if !RATES.contains(&rate) {
                issues.push(&rates.index(i), Problem::PlaybackRateOutOfRange { rate });
            } else if self.playback_rates[..i].contains(&rate) {
                issues.push(&rates.index(i), Problem::PlaybackRateRepeated { rate });
            }
        }
        if !(1..=MAX_REPETITIONS).contains(&self.repetitions) {
            let max = MAX_REPETITIONS as usize;
            issues.push(
                &root.key("repetitions"),
                Problem::RepetitionsOutOfRange { max },
            );
        }
        let items = root.key("items");
        if self.items.is_empty() {
            issues.push(&items, Problem::ShadowingNeedsSentence);
        }
        issues.check_ids(
            &items,
            self.items.iter().map(|i| i.id.as_str()),
            ItemName::Sentence,
        );
        issues.check_repeats(
            &items,
            "text",
            self.items.iter().map(|i| i.text.as_str()),
            ItemName::Sentence,
        );
        for (i, item) in self.items.iter().enumerate() {
            let at = items.index(i);
            let text = at.key("text");
            issues.require_text(&text, &item.text, Problem::ShadowingSentenceMissing);
            issues.limit_text(&text, &item.text, MAX_SHORT_TEXT);
            issues.check_asset(&at.key("audio"), item.audio.as_ref());
            if !item.language.is_empty() {
                issues.check_language(&at.key("language"), &item.language);
            }
            issues.limit_text(&at.key("translation"), &item.translation, MAX_LONG_TEXT);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::component::check_payload;
    use serde_json::{Value, json};

    fn messages(payload: Value) -> Vec<String> {
        check_payload(ComponentType::Shadowing, &payload)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_ready_item_may_wait_for_its_audio() {
        let payload = json!({"language": "en-US", "playback_rates": [0.75, 1.0], "items": [
            {"id": "s1", "text": "Could you walk me through that?", "translation": "그 부분을 자세히 설명해 주시겠어요?"}
        ]});
        assert_eq!(messages(payload.clone()), Vec::<String>::new());
        let read: ShadowingPayload = serde_json::from_value(payload).expect("payload");
        assert_eq!(read.repetitions, 3);
    }

    #[test]
    fn language_tags_and_settings_are_checked() {
        let issues = messages(json!({"language": "en_US", "playback_rates": [1, 3, 1],
        "repetitions": 0, "items": [
            {"id": "s1", "text": "That's four, four cents.", "language": "english", "audio": "abc"},
            {"id": "s1", "text": "that's four,  four cents."}
        ]}));
        assert_eq!(
            issues,
            [
                "/language: write the language tag as \"en-US\"",
                "/playback_rates/1: 3 is not a playback speed a player offers; choose from 0.5 to 2 (1 is normal speed)",
                "/playback_rates/2: the speed 1 is already offered",
                "/repetitions: ask for 1 to 10 repetitions of each sentence",
                "/items/1/id: the id \"s1\" is already used by sentence 1",
                "/items/1/text: \"that's four,  four cents.\" already appears in sentence 1",
                "/items/0/audio: \"abc\" is not a stored asset; choose the file again (a reference is the 64-character sha256 of the file)",
                "/items/0/language: \"english\" is not a language tag; use a tag such as \"en\", \"en-GB\" or \"ko\""
            ]
        );
    }

    #[test]
    fn common_language_tags_are_accepted() {
        for tag in ["en", "en-US", "ko-KR", "zh-Hant-TW", "es-419", "sr-Latn"] {
            let mut issues = Issues::new();
            issues.check_language(&Pointer::root(), tag);
            assert!(issues.is_empty(), "{tag}");
        }
    }
}
