//! Extractive drafts: learning components drafted from the lecture's own sentences,
//! deterministically, for the types where extraction can be honest. Every drafted item
//! records the sentence it came from (its provenance); when the text does not support a
//! type, nothing is drafted and the reason is given, never filler.

pub mod text;

use classkit_model::{ComponentType, check_payload};
use serde_json::{Value, json};
use text::{Definition, Sentence, definitions, inflections, sentences};
use uuid::Uuid;

/// The types this engine drafts.
pub const DRAFTED_TYPES: [ComponentType; 4] = [
    ComponentType::Review,
    ComponentType::Flashcards,
    ComponentType::Quiz,
    ComponentType::Cloze,
];

/// One slide's text.
#[derive(Debug, Clone, Copy)]
pub struct SlideText<'a> {
    pub slide_id: Uuid,
    pub title: &'a str,
    /// On-screen Markdown.
    pub body: &'a str,
    /// The narration: drafts quote it.
    pub notes: &'a str,
}

/// What drafting a type for a slide gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Drafted {
    /// A payload that validates, each item with its provenance.
    Payload(Value),
    /// The text does not support this type; why.
    Nothing(String),
}

/// The terms defined across a course (for distractors), from every slide's narration.
pub fn glossary<'a>(slides: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for notes in slides {
        for d in definitions(&sentences(notes)) {
            if !terms.iter().any(|t| t.eq_ignore_ascii_case(&d.term)) {
                terms.push(d.term);
            }
        }
    }
    terms
}

fn provenance(slide: &SlideText, s: &Sentence) -> Value {
    json!({"slide_id": slide.slide_id, "start": s.start, "end": s.end, "quote": s.text})
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn korean(slide: &SlideText) -> bool {
    crate::lang::detect(slide.notes).is_some_and(|l| l == "ko")
}

/// Other terms of the glossary than `term` (and its forms), in glossary order.
fn others<'a>(glossary: &'a [String], term: &str) -> Vec<&'a String> {
    let forms: Vec<String> = inflections(term).iter().map(|f| f.to_lowercase()).collect();
    glossary
        .iter()
        .filter(|t| !forms.contains(&t.to_lowercase()))
        .filter(|t| {
            !inflections(t)
                .iter()
                .any(|f| forms.contains(&f.to_lowercase()))
        })
        .collect()
}

/// Drafts a component of `kind` for `slide`; `glossary` gives distractors.
pub fn draft(kind: ComponentType, slide: &SlideText, glossary: &[String]) -> Drafted {
    let all = sentences(slide.notes);
    let defs = definitions(&all);
    let drafted = match kind {
        ComponentType::Review => review(slide, &all, &defs),
        ComponentType::Flashcards => flashcards(slide, &defs),
        ComponentType::Quiz => quiz(slide, &defs, glossary),
        ComponentType::Cloze => cloze(slide, &defs, glossary),
        other => Drafted::Nothing(format!(
            "the extractive engine does not draft {other} components yet"
        )),
    };
    if let Drafted::Payload(p) = &drafted {
        let issues = check_payload(kind, p);
        if !issues.is_empty() {
            return Drafted::Nothing(format!(
                "the {kind} draft did not validate: {}",
                issues
                    .iter()
                    .map(|i| format!("{}: {}", i.pointer, i.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
    }
    drafted
}

/// The slide's own bullet points as the key points, with the sentence that introduces them.
fn review(slide: &SlideText, all: &[Sentence], defs: &[Definition]) -> Drafted {
    let mut points: Vec<String> = slide
        .body
        .lines()
        .map(str::trim)
        .filter_map(|l| {
            l.strip_prefix("- ")
                .or_else(|| l.strip_prefix("* "))
                .or_else(|| {
                    l.split_once(". ")
                        .filter(|(n, _)| n.parse::<u32>().is_ok())
                        .map(|(_, t)| t)
                })
        })
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if points.is_empty() {
        // No bullets: the definitions, else the first sentences, are the key points.
        points = defs.iter().map(|d| d.sentence.text.clone()).collect();
        if points.is_empty() {
            points = all.iter().take(3).map(|s| s.text.clone()).collect();
        }
    }
    if points.is_empty() {
        return Drafted::Nothing("the slide has no bullet points and no narration".into());
    }
    let source = defs.first().map(|d| &d.sentence).or(all.first());
    let mut card = json!({"heading": slide.title.trim(), "points": points});
    if let Some(s) = source {
        card["provenance"] = provenance(slide, s);
    }
    let heading = if slide.title.trim().is_empty() {
        "Key points"
    } else {
        slide.title.trim()
    };
    card["heading"] = json!(heading);
    Drafted::Payload(json!({
        "schema_version": 1,
        "title": if korean(slide) { "핵심 정리" } else { "Key points" },
        "cards": [card],
    }))
}

/// A card per definition the narration states.
fn flashcards(slide: &SlideText, defs: &[Definition]) -> Drafted {
    if defs.is_empty() {
        return Drafted::Nothing("the narration states no definitions".into());
    }
    let cards: Vec<Value> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            json!({
                "id": format!("c{}", i + 1),
                "term": d.term,
                "definition": capitalized(&d.definition),
                "provenance": provenance(slide, &d.sentence),
            })
        })
        .collect();
    Drafted::Payload(json!({
        "schema_version": 1,
        "title": slide.title.trim(),
        "cards": cards,
    }))
}

/// A question per definition: which term is described; the other terms of the course are
/// the wrong options.
fn quiz(slide: &SlideText, defs: &[Definition], glossary: &[String]) -> Drafted {
    let ko = korean(slide);
    let mut questions = Vec::new();
    for (i, d) in defs.iter().take(5).enumerate() {
        let wrong: Vec<&String> = others(glossary, &d.term).into_iter().take(3).collect();
        if wrong.is_empty() {
            continue;
        }
        let mut options: Vec<(String, bool)> =
            wrong.iter().map(|w| ((*w).clone(), false)).collect();
        // The right answer's place moves from question to question.
        let at = i % (options.len() + 1);
        options.insert(at, (d.term.clone(), true));
        let text = if ko {
            format!("다음 설명에 해당하는 용어는 무엇입니까? {}", d.definition)
        } else {
            format!("Which term is described here: {}?", d.definition)
        };
        questions.push(json!({
            "id": format!("q{}", i + 1),
            "kind": "single_choice",
            "text": text,
            "points": 1.0,
            "options": options.iter().zip(["a", "b", "c", "d"]).map(|((t, correct), id)| json!({
                "id": id,
                "text": t,
                "correct": correct,
            })).collect::<Vec<_>>(),
            "explanation": d.sentence.text,
            "provenance": provenance(slide, &d.sentence),
        }));
    }
    if questions.is_empty() {
        return Drafted::Nothing(if defs.is_empty() {
            "the narration states no definitions to ask about".into()
        } else {
            "the course defines no other terms to offer as wrong answers".into()
        });
    }
    Drafted::Payload(json!({
        "schema_version": 2,
        "title": slide.title.trim(),
        "questions": questions,
    }))
}

/// The defining sentences with their terms blanked; singular and plural both accepted.
fn cloze(slide: &SlideText, defs: &[Definition], glossary: &[String]) -> Drafted {
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
        let distractors: Vec<&String> = others(glossary, &d.term).into_iter().take(2).collect();
        blanks.push(json!({
            "id": id,
            "answers": inflections(found),
            "distractors": distractors,
        }));
    }
    let Some(first) = defs.first() else {
        return Drafted::Nothing(
            "the narration states no definitions whose terms could be blanked".into(),
        );
    };
    if blanks.is_empty() {
        return Drafted::Nothing("no defined term could be found again in its sentence".into());
    }
    Drafted::Payload(json!({
        "schema_version": 1,
        "title": slide.title.trim(),
        "instructions": if korean(slide) { "빈칸에 알맞은 용어를 쓰세요." } else { "Fill in the missing terms." },
        "text": parts.join(" "),
        "blanks": blanks,
        "mode": "typed",
        "provenance": provenance(slide, &first.sentence),
    }))
}
