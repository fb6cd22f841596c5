//! Sentences and words to hear and say: DICTATION (sentences to write down), SHADOWING
//! (sentences to say along with the speaker) and PRONUNCIATION (words worth saying right).
//! In a Korean narration these are the English sentences quoted in it.

use super::{korean, payload, provenance};
use crate::drafts::text::{Definition, Sentence};
use crate::drafts::{Drafted, SlideText};
use classkit_model::components::Payload;
use classkit_model::components::dictation::{self, DictationPayload};
use classkit_model::components::pronunciation::{PronunciationItem, PronunciationPayload};
use classkit_model::components::shadowing::{ShadowingItem, ShadowingPayload};

/// A BCP 47 tag for a text's language.
fn language_tag(text: &str) -> Option<&'static str> {
    Some(match crate::lang::detect(text)?.as_str() {
        "en" => "en-US",
        "ko" => "ko-KR",
        "ja" => "ja-JP",
        "zh" => "zh-CN",
        "es" => "es-ES",
        "fr" => "fr-FR",
        "de" => "de-DE",
        _ => return None,
    })
}

/// Sentences a learner can say or write down: whole sentences of 5 to 16 words that start
/// with a capital (or Hangul) and end with a full stop, question or exclamation mark, with no
/// brackets or formulas; in a Korean narration, the English sentences quoted in it (what a
/// Korean learner of business English practises). Each with its exact range.
fn practice_sentences(slide: &SlideText, all: &[Sentence]) -> Vec<(Sentence, &'static str)> {
    let korean = korean(slide);
    let mut candidates: Vec<Sentence> = Vec::new();
    if korean {
        for s in all {
            let mut rest = s.text.as_str();
            let mut offset = s.start;
            while let Some(open) = rest.find(['"', '“']) {
                let open_len = rest[open..].chars().next().map_or(1, char::len_utf8);
                let after = &rest[open + open_len..];
                let Some(close) = after.find(['"', '”']) else {
                    break;
                };
                let inner = &after[..close];
                let start = offset + open + open_len;
                candidates.push(Sentence {
                    start,
                    end: start + inner.len(),
                    text: inner.to_string(),
                });
                let consumed = open
                    + open_len
                    + close
                    + after[close..].chars().next().map_or(1, char::len_utf8);
                offset += consumed;
                rest = &rest[consumed..];
            }
        }
    } else {
        candidates = all.to_vec();
    }
    let mut out = Vec::new();
    for s in candidates {
        let text = s.text.trim();
        let words = text.split_whitespace().count();
        let first_ok = text
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || crate::lang::is_hangul(c));
        let end_ok = text.ends_with(['.', '?', '!']);
        let clean = !text.contains([
            '(', ')', '[', ']', '→', '=', '+', ':', ';', '*', '_', '#', '<', '>',
        ]);
        let Some(tag) = language_tag(text) else {
            continue;
        };
        // Korean narrations: English items only.
        if korean && tag != "en-US" {
            continue;
        }
        let fits = (5..=16).contains(&words) && first_ok && end_ok && clean;
        if fits
            && text.len() == s.text.len()
            && !out.iter().any(|(o, _): &(Sentence, &str)| o.text == s.text)
        {
            out.push((s, tag));
        }
    }
    out
}

/// Up to five practice sentences, numbered as DICTATION sentences and SHADOWING items are.
fn numbered<'a>(
    picked: &'a [(Sentence, &'static str)],
) -> impl Iterator<Item = (String, &'a Sentence, &'static str)> {
    picked
        .iter()
        .take(5)
        .enumerate()
        .map(|(i, (s, tag))| (format!("s{}", i + 1), s, *tag))
}

/// Sentences to listen to and write down.
pub(super) fn dictation(slide: &SlideText, all: &[Sentence]) -> Drafted {
    let picked = practice_sentences(slide, all);
    if picked.is_empty() {
        return Drafted::Nothing(
            "the narration has no sentence of a suitable length to dictate".into(),
        );
    }
    let sentences = numbered(&picked)
        .map(|(id, s, tag)| dictation::Sentence {
            id,
            text: s.text.clone(),
            audio: None,
            language: Some(tag.to_string()),
            provenance: Some(provenance(slide, s)),
        })
        .collect();
    let instructions = if korean(slide) {
        "문장을 듣고 들리는 대로 정확하게 쓰세요."
    } else {
        "Listen to each sentence, then type exactly what you hear."
    };
    payload(&DictationPayload {
        schema_version: DictationPayload::SCHEMA_VERSION,
        title: slide.title.trim().to_string(),
        instructions: instructions.to_string(),
        sentences,
        max_typos_per_word: 0,
        ignore_punctuation: true,
        case_sensitive: false,
        accent_sensitive: false,
    })
}

/// Sentences to say along with the speaker.
pub(super) fn shadowing(slide: &SlideText, all: &[Sentence]) -> Drafted {
    let picked: Vec<_> = practice_sentences(slide, all)
        .into_iter()
        .filter(|(s, _)| s.text.split_whitespace().count() <= 14)
        .collect();
    let Some((_, tag)) = picked.first() else {
        return Drafted::Nothing(
            "the narration has no sentence of a suitable length to shadow".into(),
        );
    };
    let items = numbered(&picked)
        .map(|(id, s, tag)| ShadowingItem {
            id,
            text: s.text.clone(),
            audio: None,
            language: tag.to_string(),
            translation: String::new(),
            provenance: Some(provenance(slide, s)),
        })
        .collect();
    let instructions = if korean(slide) {
        "문장을 듣고 화자와 함께 따라 말하세요. 리듬과 억양을 그대로 따라 하세요."
    } else {
        "Listen to each sentence, then say it together with the speaker."
    };
    payload(&ShadowingPayload {
        schema_version: ShadowingPayload::SCHEMA_VERSION,
        instructions: instructions.to_string(),
        language: tag.to_string(),
        playback_rates: vec![0.75, 1.0],
        repetitions: 3,
        items,
    })
}

/// The defined terms and the long words of the practice sentences: words worth saying
/// right, each with the sentence it is in. The IPA is left empty (see
/// [`pronunciation_with_ipa`]).
pub(super) fn pronunciation(slide: &SlideText, all: &[Sentence], defs: &[Definition]) -> Drafted {
    match pronunciation_payload(slide, all, defs) {
        Ok(words) => payload(&words),
        Err(why) => Drafted::Nothing(why),
    }
}

/// [`pronunciation`] with each word's IPA from espeak-ng, where espeak-ng can give it.
pub(super) async fn pronunciation_with_ipa(
    slide: &SlideText<'_>,
    all: &[Sentence],
    defs: &[Definition],
) -> Drafted {
    let mut words = match pronunciation_payload(slide, all, defs) {
        Ok(words) => words,
        Err(why) => return Drafted::Nothing(why),
    };
    for item in &mut words.items {
        let language = Some(item.language.as_str()).filter(|l| !l.is_empty());
        if let Ok(ipa) = crate::tts::ipa(&item.target, language).await {
            item.ipa = format!("/{ipa}/");
        }
    }
    payload(&words)
}

fn pronunciation_payload(
    slide: &SlideText,
    all: &[Sentence],
    defs: &[Definition],
) -> Result<PronunciationPayload, String> {
    let mut items: Vec<(String, Sentence, &'static str)> = Vec::new();
    let add = |word: &str,
               s: &Sentence,
               tag: &'static str,
               items: &mut Vec<(String, Sentence, &'static str)>| {
        let w = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        if w.chars().count() >= 3 && !items.iter().any(|(t, _, _)| t.eq_ignore_ascii_case(w)) {
            items.push((w.to_string(), s.clone(), tag));
        }
    };
    for d in defs {
        if d.term.split_whitespace().count() <= 2
            && let Some(tag) = language_tag(&d.sentence.text)
            && !(korean(slide) && tag != "en-US")
        {
            add(&d.term, &d.sentence, tag, &mut items);
        }
    }
    for (s, tag) in practice_sentences(slide, all) {
        for word in s.text.split_whitespace() {
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            if letters >= 10 {
                add(word, &s, tag, &mut items);
            }
        }
    }
    if items.is_empty() {
        return Err("the narration has no key terms or long words to practise".into());
    }
    let tag = items[0].2;
    let instructions = if korean(slide) {
        "각 단어를 또렷하게 말해 보세요. 먼저 모범 발음을 들어 보세요."
    } else {
        "Say each word clearly. Listen to the model first."
    };
    Ok(PronunciationPayload {
        schema_version: PronunciationPayload::SCHEMA_VERSION,
        instructions: instructions.to_string(),
        language: tag.to_string(),
        items: items
            .iter()
            .take(6)
            .enumerate()
            .map(|(i, (word, s, item_tag))| PronunciationItem {
                id: format!("w{}", i + 1),
                target: word.clone(),
                ipa: String::new(),
                audio: None,
                language: item_tag.to_string(),
                tips: String::new(),
                provenance: Some(provenance(slide, s)),
            })
            .collect(),
    })
}
