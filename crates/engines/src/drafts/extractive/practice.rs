//! Sentences and words to hear and say: DICTATION (sentences to write down), SHADOWING
//! (sentences to say along with the speaker) and PRONUNCIATION (words worth saying right).
//! In a Korean narration these are the English sentences quoted in it.

use super::{korean, payload, provenance};
use crate::drafts::text::{Definition, Sentence};
use crate::drafts::{Drafted, SlideText, Why};
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
        // (A key term in bold is read without its marks.)
        let spoken = classkit_model::spoken(&s.text);
        let text = spoken.trim();
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
            && text.len() == spoken.len()
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
        return Why::NoSentenceToDictate.into();
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
        return Why::NoSentenceToShadow.into();
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
    let ko = korean(slide);
    let practice = practice_sentences(slide, all);
    // English taught to Korean speakers: a Korean narration quoting English, or a lesson
    // that writes out a dialogue.
    let teaches_english =
        (ko && !practice.is_empty()) || super::roleplay::has_dialogue(slide.notes);
    let mut items: Vec<(String, Sentence, &'static str, String)> = Vec::new();
    type Item = (String, Sentence, &'static str, String);
    let add = |items: &mut Vec<Item>, word: &str, s: &Sentence, tag: &'static str, tips: String| {
        let w = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        if w.chars().count() >= 2 && !items.iter().any(|(t, ..)| t.eq_ignore_ascii_case(w)) {
            items.push((w.to_string(), s.clone(), tag, tips));
        }
    };
    if teaches_english {
        // The words of the English sentences hardest for a Korean speaker to say, hardest
        // first (in text order at equal difficulty), each with what to watch.
        let mut scored: Vec<Scored> = Vec::new();
        for (s, tag) in practice.iter().filter(|(_, tag)| *tag == "en-US") {
            for word in s.text.split_whitespace() {
                let w = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
                let (score, sounds) = difficulty(w);
                if score >= 2 && !scored.iter().any(|x| x.2.eq_ignore_ascii_case(w)) {
                    scored.push((score, scored.len(), w.to_string(), s, tag, sounds));
                }
            }
        }
        scored.sort_by_key(|(score, order, ..)| (std::cmp::Reverse(*score), *order));
        for (_, _, word, s, tag, sounds) in scored {
            add(&mut items, &word, s, tag, tips(&sounds, ko));
        }
    } else {
        // The lecture's own key terms (short ones), in its language.
        for d in defs {
            if d.term.split_whitespace().count() <= 2
                && let Some(tag) = language_tag(&d.sentence.text)
            {
                add(&mut items, &d.term, &d.sentence, tag, String::new());
            }
        }
        // Then its long words, when it defines few terms.
        if items.len() < 3 {
            for (s, tag) in &practice {
                for word in s.text.split_whitespace() {
                    if word.chars().filter(|c| c.is_alphabetic()).count() >= 10 {
                        add(&mut items, word, s, tag, String::new());
                    }
                }
            }
        }
    }
    if items.is_empty() {
        return Err(if teaches_english {
            Why::NoHardWords.into()
        } else {
            Why::NoWordsToPractise.into()
        });
    }
    let tag = items[0].2;
    let instructions = if ko {
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
            .map(|(i, (word, s, item_tag, tips))| PronunciationItem {
                id: format!("w{}", i + 1),
                target: word.clone(),
                ipa: String::new(),
                audio: None,
                language: item_tag.to_string(),
                tips: tips.clone(),
                provenance: Some(provenance(slide, s)),
            })
            .collect(),
    })
}

/// A word of a practice sentence with its difficulty, its place, its sentence and language,
/// and its hard sounds.
type Scored<'a> = (u32, usize, String, &'a Sentence, &'static str, Vec<Sound>);

/// A sound of English that Korean has not, or has otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sound {
    Th,
    F,
    V,
    RL,
    Z,
    FinalConsonants,
    Stress,
}

/// Short words every learner says daily: never an item.
const COMMON: [&str; 24] = [
    "the", "this", "that", "these", "those", "there", "their", "they", "them", "then", "than",
    "with", "from", "have", "will", "would", "could", "should", "your", "you're", "we're", "for",
    "are", "all",
];

/// How hard an English word is for a Korean speaker to say, and why: f/p, v/b, th, r/l and z
/// have no Korean counterpart, final consonant clusters get a vowel added, and words of three
/// syllables or more need their stress.
fn difficulty(word: &str) -> (u32, Vec<Sound>) {
    let w = word.to_lowercase();
    if w.chars().count() < 3
        || !w
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '\'' || c == '-')
        || COMMON.contains(&w.as_str())
    {
        return (0, Vec::new());
    }
    let mut sounds = Vec::new();
    if w.contains("th") {
        sounds.push(Sound::Th);
    }
    if w.contains('f') || w.contains("ph") {
        sounds.push(Sound::F);
    }
    if w.contains('v') {
        sounds.push(Sound::V);
    }
    if w.contains('r') && w.contains('l') {
        sounds.push(Sound::RL);
    }
    if w.contains('z') {
        sounds.push(Sound::Z);
    }
    let vowel = |c: char| "aeiouy".contains(c);
    // The consonants that end it: "asked" ends in s-k-t (its e is silent), "thanks" in
    // n-k-s.
    let (stem, silent_ed) = match w.strip_suffix("ed") {
        Some(stem) if stem.len() > 2 && !stem.ends_with(['t', 'd']) => (stem, 1),
        _ => (w.trim_end_matches('\''), 0),
    };
    let tail: usize = stem
        .chars()
        .rev()
        .skip_while(|c| *c == 'e')
        .take_while(|c| !vowel(*c))
        .count()
        + silent_ed;
    if tail >= 2 && !w.ends_with("ng") {
        sounds.push(Sound::FinalConsonants);
    }
    let syllables = w
        .chars()
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|p| vowel(p[1]) && !vowel(p[0]))
        .count()
        + usize::from(w.starts_with(vowel));
    if syllables >= 3 {
        sounds.push(Sound::Stress);
    }
    let score = sounds
        .iter()
        .map(|s| match s {
            Sound::Th | Sound::F | Sound::V | Sound::RL => 2,
            Sound::Z | Sound::FinalConsonants | Sound::Stress => 1,
        })
        .sum();
    (score, sounds)
}

/// What to watch in a word, in the narration's language.
fn tips(sounds: &[Sound], ko: bool) -> String {
    sounds
        .iter()
        .map(|s| match (s, ko) {
            (Sound::Th, true) => {
                "th: 혀끝을 윗니와 아랫니 사이에 살짝 대고 발음합니다 (ㅆ, ㄷ과 다릅니다)."
            }
            (Sound::Th, false) => "th: the tip of the tongue lightly between the teeth.",
            (Sound::F, true) => {
                "f: 윗니를 아랫입술에 가볍게 대고 바람을 내보냅니다 (ㅍ과 다릅니다)."
            }
            (Sound::F, false) => "f: upper teeth on the lower lip, not p.",
            (Sound::V, true) => "v: 윗니를 아랫입술에 대고 목을 울립니다 (ㅂ과 다릅니다).",
            (Sound::V, false) => "v: upper teeth on the lower lip, voiced; not b.",
            (Sound::RL, true) => "r과 l: r은 혀가 입천장에 닿지 않게, l은 혀끝을 윗잇몸에 댑니다.",
            (Sound::RL, false) => {
                "r and l: the tongue touches nothing for r, the ridge behind the teeth for l."
            }
            (Sound::Z, true) => "z: s처럼 발음하되 목을 울립니다 (ㅈ과 다릅니다).",
            (Sound::Z, false) => "z: like s, but voiced.",
            (Sound::FinalConsonants, true) => "끝 자음: 모음을 붙이지 말고 짧게 끝냅니다.",
            (Sound::FinalConsonants, false) => "The final consonants: no vowel after them.",
            (Sound::Stress, true) => "강세: 강세가 있는 음절을 더 길고 크게 말합니다.",
            (Sound::Stress, false) => "Stress: the stressed syllable longer and louder.",
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_hard_for_korean_speakers_score_higher() {
        let score = |w: &str| difficulty(w).0;
        for hard in [
            "feedback", "think", "value", "really", "clarify", "thorough", "proposal",
        ] {
            assert!(score(hard) >= 2, "{hard}: {:?}", difficulty(hard));
        }
        for easy in ["the", "a", "in", "meeting", "go", "can"] {
            assert!(score(easy) < 2, "{easy}: {:?}", difficulty(easy));
        }
        assert!(score("thorough") > score("think") || score("thorough") >= 2);
        assert!(difficulty("asked").1.contains(&Sound::FinalConsonants));
        assert!(difficulty("realistic").1.contains(&Sound::Stress));
        assert!(!tips(&difficulty("February").1, true).is_empty());
    }
}
