//! PRONUNCIATION: the learner says target words and phrases and gets feedback per phoneme.
//!
//! Not graded by a function here: phoneme feedback needs the recording and is done by the
//! speech engines.

use super::review::Provenance;
use super::{Payload, current_version};
use crate::component::ComponentType;
use crate::course::AssetRef;
use crate::validation::{Issues, ItemName, MAX_LONG_TEXT, MAX_SHORT_TEXT, Pointer, Problem};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;

/// Words and phrases the learner practises saying.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PronunciationPayload {
    #[serde(default = "current_version::<PronunciationPayload>")]
    pub schema_version: u32,
    /// Instructions shown above the words.
    #[serde(default)]
    pub instructions: String,
    /// The language spoken, as a BCP 47 tag such as `en-US`; items may name another.
    #[serde(default)]
    pub language: String,
    /// The words and phrases, in the order the learner practises them.
    #[serde(default)]
    pub items: Vec<PronunciationItem>,
}

/// A word or phrase to say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PronunciationItem {
    /// Unique among the items; recordings are filed under it.
    #[serde(default)]
    pub id: String,
    /// The word or phrase as written, e.g. "negotiate".
    #[serde(default)]
    pub target: String,
    /// The expected pronunciation in IPA, e.g. `/nɪˈɡoʊʃieɪt/`. Optional: when empty, the
    /// speech engine's pronunciation of `target` in the item's language is expected, so write
    /// it to insist on a particular accent or reading.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ipa: String,
    /// A reference recording, by content hash; optional, like shadowing audio, because it is
    /// made later by a `reference_audio` job or recorded by the author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<AssetRef>,
    /// The language of this item when it differs from the component's, as a BCP 47 tag.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub language: String,
    /// A tip on how to say it, e.g. "stress the second syllable: ne-GO-ti-ate".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tips: String,
    /// Where in the lecture this item was drafted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// What is wrong with an IPA transcription, if anything obvious is.
///
/// Accepts one pair of enclosing `/…/` or `[…]`, then letters of the Latin and Greek
/// alphabets, the IPA and phonetic extensions, modifier letters (stress ˈ ˌ, length ː, tone
/// letters ˥…˩), combining diacritics, spaces, syllable dots, linking ‿, prosodic bars | ‖,
/// parentheses for optional sounds, hyphens and intonation arrows.
fn ipa_problem(ipa: &str) -> Option<Problem> {
    let trimmed = ipa.trim();
    let inner = [('/', '/'), ('[', ']')]
        .iter()
        .find_map(|&(open, close)| {
            trimmed
                .strip_prefix(open)
                .and_then(|rest| rest.strip_suffix(close))
        })
        .unwrap_or(trimmed);
    let symbol = inner.chars().find(|&c| !is_ipa_char(c))?;
    Some(match symbol {
        '0'..='9' => Problem::IpaDigit { symbol },
        '\'' | '’' => Problem::IpaApostrophe,
        ':' => Problem::IpaColon,
        _ => Problem::IpaUnknownSymbol { symbol },
    })
}

fn is_ipa_char(c: char) -> bool {
    let code = u32::from(c);
    let latin = c.is_ascii_alphabetic()
        || (0xC0..=0x24F).contains(&code)
        || (0x1E00..=0x1EFF).contains(&code);
    let greek = (0x370..=0x3FF).contains(&code);
    matches!(c, ' ' | '.' | '|' | '‖' | '‿' | '(' | ')' | '-' | '↗' | '↘' | '↑' | '↓')
        // IPA Extensions, Spacing Modifier Letters, Combining Diacritical Marks.
        || (0x250..=0x36F).contains(&code)
        // Phonetic Extensions (and Supplement), Combining Diacritical Marks Supplement.
        || (0x1D00..=0x1DFF).contains(&code)
        // Superscript letters such as ⁿ, and modifier tone letters.
        || ((0x2070..=0x209F).contains(&code) && c.is_alphabetic())
        || (0xA700..=0xA71F).contains(&code)
        || ((latin || greek) && c.is_alphabetic())
        || is_combining_mark(c)
}

impl Payload for PronunciationPayload {
    const TYPE: ComponentType = ComponentType::Pronunciation;
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
        let items = root.key("items");
        if self.items.is_empty() {
            issues.push(&items, Problem::PronunciationNeedsItem);
        }
        issues.check_ids(
            &items,
            self.items.iter().map(|i| i.id.as_str()),
            ItemName::Item,
        );
        issues.check_repeats(
            &items,
            "target",
            self.items.iter().map(|i| i.target.as_str()),
            ItemName::Item,
        );
        for (i, item) in self.items.iter().enumerate() {
            let at = items.index(i);
            let target = at.key("target");
            issues.require_text(&target, &item.target, Problem::PronunciationTargetMissing);
            issues.limit_text(&target, &item.target, MAX_SHORT_TEXT);
            if let Some(problem) = ipa_problem(&item.ipa) {
                issues.push(&at.key("ipa"), problem);
            }
            issues.limit_text(&at.key("ipa"), &item.ipa, MAX_SHORT_TEXT);
            issues.check_asset(&at.key("audio"), item.audio.as_ref());
            if !item.language.is_empty() {
                issues.check_language(&at.key("language"), &item.language);
            }
            issues.limit_text(&at.key("tips"), &item.tips, MAX_LONG_TEXT);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::component::check_payload;
    use serde_json::{Value, json};

    fn messages(payload: Value) -> Vec<String> {
        check_payload(ComponentType::Pronunciation, &payload)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn real_transcriptions_are_accepted() {
        for ipa in [
            "/nɪˈɡoʊʃieɪt/",
            "[ˈθɜːɹəʊ]",
            "ˌkɒn.trækt",
            "kʰa̠ŋ.ɦap̚.sʌŋ",
            "mā˥ ma˧˥",
            "ðə ˈbɛst ɔlˈtɜrnətɪv (t)ə",
            "t͡ʃ ʔ β χ ɬ ǃ ⁿd ᵻ",
        ] {
            assert_eq!(ipa_problem(ipa), None, "{ipa}");
        }
        assert_eq!(ipa_problem(""), None);
    }

    #[test]
    fn digits_and_stray_symbols_are_rejected() {
        assert!(ipa_problem("ma3").is_some_and(|p| p.message().contains("digits such as \"3\"")));
        assert_eq!(
            ipa_problem("ne'goshiate").map(|p| p.message()),
            Some("write stress with ˈ (primary) or ˌ (secondary) rather than an apostrophe".into())
        );
        assert_eq!(
            ipa_problem("kɒn;trækt").map(|p| p.message()),
            Some("\";\" is not an IPA symbol".into())
        );
        assert_eq!(
            ipa_problem("광합성").map(|p| p.message()),
            Some("\"광\" is not an IPA symbol".into())
        );
    }

    #[test]
    fn targets_are_required_and_not_repeated() {
        let issues = messages(json!({"language": "en-US", "items": [
            {"id": "w1", "target": "Negotiate", "ipa": "/nɪˈɡoʊʃieɪt/"},
            {"id": "w2", "target": " "},
            {"id": "w3", "target": "negotiate", "ipa": "ni:goshiate"}
        ]}));
        assert_eq!(
            issues,
            [
                "/items/2/target: \"negotiate\" already appears in item 1",
                "/items/1/target: write the word or phrase the learner says",
                "/items/2/ipa: write a long sound with ː rather than a colon"
            ]
        );
        let empty = messages(json!({}));
        assert_eq!(
            empty,
            [
                "/language: choose the language spoken, as a tag such as en-US",
                "/items: add at least one word or phrase to practise"
            ]
        );
    }
}
