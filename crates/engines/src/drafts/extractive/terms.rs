//! What the narration defines, drafted four ways: FLASHCARDS (a card per definition), QUIZ
//! (which term is described), CLOZE (the term blanked in its sentence) and MATCHING (terms
//! with their definitions). The other terms of the course are the wrong answers.

use super::{capitalized, korean, others, payload, provenance};
use crate::drafts::text::{Defined, Definition, inflections};
use crate::drafts::{Drafted, SlideText, Why};
use crate::lang::ends_closed;
use classkit_model::components::Payload;
use classkit_model::components::cloze::{Blank, ClozeMode, ClozePayload};
use classkit_model::components::flashcards::{Flashcard, FlashcardsPayload};
use classkit_model::components::matching::{MatchingMode, MatchingPair, MatchingPayload};
use classkit_model::components::quiz::{Question, QuestionKind, QuizOption, QuizPayload};

/// A card per definition the narration states.
pub(super) fn flashcards(slide: &SlideText, defs: &[Definition]) -> Drafted {
    if defs.is_empty() {
        return Why::NoDefinition.into();
    }
    let cards = defs
        .iter()
        .enumerate()
        .map(|(i, d)| Flashcard {
            id: format!("c{}", i + 1),
            term: d.term.clone(),
            definition: capitalized(&d.definition),
            example: String::new(),
            image: None,
            audio: None,
            provenance: Some(provenance(slide, &d.sentence)),
        })
        .collect();
    payload(&FlashcardsPayload {
        schema_version: FlashcardsPayload::SCHEMA_VERSION,
        title: slide.title.trim().to_string(),
        cards,
    })
}

/// A question per definition: which term is described; the other terms of the course are
/// the wrong options.
pub(super) fn quiz(slide: &SlideText, defs: &[Definition], glossary: &[String]) -> Drafted {
    let ko = korean(slide);
    let mut questions = Vec::new();
    for (i, d) in defs.iter().take(5).enumerate() {
        // Two wrong answers, not three: each is a term the course defines, and a doubtful
        // one spoils the question (on the dev lectures written last, 83% of questions were
        // kept with two against 81% with three).
        let wrong = others(glossary, &d.term, 2, 2);
        if wrong.is_empty() {
            continue;
        }
        let mut options: Vec<(String, bool)> =
            wrong.iter().map(|w| ((*w).clone(), false)).collect();
        // The right answer's place moves from question to question.
        let at = i % (options.len() + 1);
        options.insert(at, (d.term.clone(), true));
        let text = question(d, ko);
        questions.push(Question {
            id: format!("q{}", i + 1),
            kind: QuestionKind::SingleChoice,
            text,
            points: 1.0,
            options: options
                .into_iter()
                .zip(["a", "b", "c", "d"])
                .map(|((text, correct), id)| QuizOption {
                    id: id.to_string(),
                    text,
                    correct,
                    feedback: String::new(),
                })
                .collect(),
            answer: None,
            accepted_answers: Vec::new(),
            case_sensitive: false,
            accent_sensitive: false,
            correct_feedback: String::new(),
            incorrect_feedback: String::new(),
            explanation: d.sentence.text.clone(),
            provenance: Some(provenance(slide, &d.sentence)),
        });
    }
    if questions.is_empty() {
        return if defs.is_empty() {
            Why::NoDefinition
        } else {
            Why::NoOtherTerms
        }
        .into();
    }
    payload(&QuizPayload {
        schema_version: QuizPayload::SCHEMA_VERSION,
        title: slide.title.trim().to_string(),
        shuffle: false,
        questions,
    })
}

/// The question a teacher asks about a definition: "What do we call a list of the topics a
/// meeting will cover?", "Which term refers to how strongly a liquid resists flowing?",
/// "바닷물을 … 얻은 소금을 무엇이라고 합니까?".
fn question(d: &Definition, ko: bool) -> String {
    let definition = d.definition.trim_end_matches(['.', '!', ',', ';', ':']);
    if ko {
        let object = if ends_closed(definition) {
            "을"
        } else {
            "를"
        };
        return match d.how {
            Defined::Means => {
                format!("‘{definition}’을(를) 뜻하는 말은 무엇입니까?").replace("을(를)", object)
            }
            _ => format!("{definition}{object} 무엇이라고 합니까?"),
        };
    }
    let first = definition.split_whitespace().next().unwrap_or("");
    let lowered = if first.chars().skip(1).any(char::is_uppercase) || first == "I" {
        definition.to_string()
    } else {
        let mut chars = definition.chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    };
    match d.how {
        Defined::Means if lowered.starts_with("how ") || lowered.starts_with("what ") => {
            format!("Which term refers to {lowered}?")
        }
        Defined::Means => format!("Which term means {lowered}?"),
        Defined::Process => format!("What is it called when {lowered}?"),
        Defined::Is if lowered.starts_with("one ") => {
            format!("Which term names {lowered}?")
        }
        Defined::Is | Defined::Called
            if ["a ", "an ", "the "].iter().any(|a| lowered.starts_with(a)) =>
        {
            format!("What do we call {lowered}?")
        }
        // A noun phrase without its article ("molten rock below the surface"), not a
        // participle ("built from layers of lava").
        Defined::Is if !first.ends_with("ed") => format!("Which term means {lowered}?"),
        _ => format!("Which term is this: {lowered}?"),
    }
}

/// The defining sentences with their terms blanked; singular and plural both accepted.
pub(super) fn cloze(slide: &SlideText, defs: &[Definition], glossary: &[String]) -> Drafted {
    let mut parts = Vec::new();
    let mut blanks = Vec::new();
    for (i, d) in defs.iter().take(3).enumerate() {
        let sentence = &d.sentence.text;
        let Some(at) = sentence.to_lowercase().find(&d.term.to_lowercase()) else {
            continue;
        };
        // Byte offsets of the lowercase text match the original for the ASCII and Hangul
        // terms found here; check before cutting.
        let Some(found) = sentence.get(at..at + d.term.len()) else {
            continue;
        };
        if !found.eq_ignore_ascii_case(&d.term) {
            continue;
        }
        let id = format!("b{}", i + 1);
        parts.push(format!(
            "{}[[{id}]]{}",
            &sentence[..at],
            &sentence[at + d.term.len()..]
        ));
        blanks.push(Blank {
            id,
            answers: inflections(found),
            hint: String::new(),
            distractors: others(glossary, &d.term, 2, 2)
                .into_iter()
                .cloned()
                .collect(),
            case_sensitive: None,
            accent_sensitive: None,
        });
    }
    let Some(first) = defs.first() else {
        return Why::NoDefinition.into();
    };
    if blanks.is_empty() {
        return Why::TermNotInSentence.into();
    }
    let instructions = if korean(slide) {
        "빈칸에 알맞은 용어를 쓰세요."
    } else {
        "Fill in the missing terms."
    };
    payload(&ClozePayload {
        schema_version: ClozePayload::SCHEMA_VERSION,
        title: slide.title.trim().to_string(),
        instructions: instructions.to_string(),
        text: parts.join(" "),
        blanks,
        mode: ClozeMode::Typed,
        case_sensitive: false,
        accent_sensitive: false,
        provenance: Some(provenance(slide, &first.sentence)),
    })
}

/// Term–definition pairs, when the narration defines at least two terms.
pub(super) fn matching(slide: &SlideText, defs: &[Definition]) -> Drafted {
    if defs.len() < 2 {
        return if defs.is_empty() {
            Why::NoDefinition
        } else {
            Why::OneDefinition
        }
        .into();
    }
    let pairs = defs
        .iter()
        .take(8)
        .enumerate()
        .map(|(i, d)| MatchingPair {
            id: format!("p{}", i + 1),
            left: d.term.clone(),
            right: capitalized(&d.definition),
            feedback: String::new(),
            provenance: Some(provenance(slide, &d.sentence)),
        })
        .collect();
    let instructions = if korean(slide) {
        "각 용어와 알맞은 설명을 연결하세요."
    } else {
        "Match each term with what it means."
    };
    payload(&MatchingPayload {
        schema_version: MatchingPayload::SCHEMA_VERSION,
        instructions: instructions.to_string(),
        mode: MatchingMode::Pairs,
        pairs,
        distractors: Vec::new(),
        categories: Vec::new(),
        items: Vec::new(),
        steps: Vec::new(),
    })
}
