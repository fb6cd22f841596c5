//! Extractive drafts: learning components drafted from the lecture's own sentences,
//! deterministically, for the types where extraction can be honest. Every drafted item
//! records the sentence it came from (its provenance); when the text does not support a
//! type, nothing is drafted and the reason is given, never filler.

pub mod text;

use async_trait::async_trait;
use classkit_jobs::JobError;
use classkit_model::{ComponentType, check_payload};
use serde_json::{Value, json};
use text::{Definition, Sentence, definitions, inflections, sentences};
use uuid::Uuid;

/// The types this engine drafts.
pub const DRAFTED_TYPES: [ComponentType; 9] = [
    ComponentType::Review,
    ComponentType::Flashcards,
    ComponentType::Quiz,
    ComponentType::Cloze,
    ComponentType::Matching,
    ComponentType::Dictation,
    ComponentType::Shadowing,
    ComponentType::Pronunciation,
    ComponentType::Roleplay,
];

/// The types whose items a learner listens to: they need reference audio.
pub fn needs_audio(kind: ComponentType) -> bool {
    matches!(
        kind,
        ComponentType::Dictation | ComponentType::Shadowing | ComponentType::Pronunciation
    )
}

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
    /// A payload with fields the text cannot supply, left empty for the author (JSON
    /// pointers); everything else validates.
    Partial {
        payload: Value,
        for_author: Vec<String>,
    },
    /// The text does not support this type; why.
    Nothing(String),
}

/// Tokens a language model read and wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// True when the server did not report usage and it was estimated from the text.
    pub estimated: bool,
}

impl Usage {
    pub fn add(&mut self, other: Usage) {
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
        self.estimated |= other.estimated;
    }
}

/// A rendered slide a HOTSPOT is drawn over.
#[derive(Debug, Clone, Copy)]
pub struct RenderedSlide<'a> {
    /// The stored PNG (asset hash).
    pub image: &'a str,
    pub width: f32,
    pub height: f32,
    /// The boxes of its labelled elements (`kind`, `label`, `x`, `y`, `width`, `height`).
    pub elements: &'a [Value],
}

/// What a text engine is asked to draft.
#[derive(Debug, Clone, Copy)]
pub struct DraftRequest<'a> {
    pub component_type: ComponentType,
    pub slide: SlideText<'a>,
    /// Terms the course defines (wrong answers come from them).
    pub glossary: &'a [String],
    /// HOTSPOT: the slide as rendered.
    pub render: Option<RenderedSlide<'a>>,
}

/// A draft and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct TextDraft {
    pub drafted: Drafted,
    pub usage: Usage,
    pub cost_micros: i64,
    /// Calls made to the model (1, or more after repairs); 0 for extraction.
    pub calls: u32,
}

/// A draft that failed, and what the calls made for it cost all the same.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftFailure {
    pub error: JobError,
    pub cost_micros: i64,
}

impl From<JobError> for DraftFailure {
    fn from(error: JobError) -> Self {
        Self {
            error,
            cost_micros: 0,
        }
    }
}

/// A text engine: drafts learning components from a slide's text.
#[async_trait]
pub trait TextGen: Send + Sync {
    /// The engine's id in the registry.
    fn id(&self) -> &str;

    /// What identifies its output besides the input (model, prompt version), for the cache key.
    fn parameters(&self) -> Value;

    /// The types it drafts (HOTSPOT over a rendered slide).
    fn types(&self) -> Vec<ComponentType>;

    async fn draft(&self, request: &DraftRequest<'_>) -> Result<TextDraft, DraftFailure>;
}

/// The builtin extractive engine as a [`TextGen`]: free, offline, deterministic.
#[derive(Debug, Clone)]
pub struct Extractive {
    id: String,
}

impl Extractive {
    /// Changes when the extractive drafts change, so old drafts are made again.
    pub const VERSION: &'static str = "extractive-1";

    pub fn new(id: impl Into<String>) -> Self {
        Self { id: id.into() }
    }
}

#[async_trait]
impl TextGen for Extractive {
    fn id(&self) -> &str {
        &self.id
    }

    fn parameters(&self) -> Value {
        json!({"version": Self::VERSION})
    }

    fn types(&self) -> Vec<ComponentType> {
        // BRANCHING is left out: a lecture does not state decision points and consequences.
        let mut types = DRAFTED_TYPES.to_vec();
        types.push(ComponentType::Hotspot);
        types
    }

    async fn draft(&self, request: &DraftRequest<'_>) -> Result<TextDraft, DraftFailure> {
        let drafted = match (request.component_type, request.render) {
            (ComponentType::Hotspot, Some(r)) => {
                hotspot(&request.slide, r.image, r.width, r.height, r.elements)
            }
            (ComponentType::Hotspot, None) => {
                return Err(JobError::retryable(
                    "the slide's current image is not rendered yet; its slide_render job comes first",
                )
                .into());
            }
            (kind, _) => draft(kind, &request.slide, request.glossary).await,
        };
        Ok(TextDraft {
            drafted,
            usage: Usage::default(),
            cost_micros: 0,
            calls: 0,
        })
    }
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

/// Drafts a component of `kind` for `slide`; `glossary` gives distractors. PRONUNCIATION
/// items get their IPA from espeak-ng. Reference audio is left to the caller (see
/// [`needs_audio`]).
pub async fn draft(kind: ComponentType, slide: &SlideText<'_>, glossary: &[String]) -> Drafted {
    let mut drafted = draft_text(kind, slide, glossary);
    if kind == ComponentType::Pronunciation
        && let Drafted::Payload(p) = &mut drafted
        && let Some(items) = p.get_mut("items").and_then(|v| v.as_array_mut())
    {
        for item in items.iter_mut() {
            let target = item["target"].as_str().unwrap_or_default().to_string();
            let language = item["language"].as_str().map(|l| l.to_string());
            if let Ok(ipa) = crate::tts::ipa(&target, language.as_deref()).await {
                item["ipa"] = json!(format!("/{ipa}/"));
            }
        }
    }
    check(kind, drafted)
}

/// The drafts that need no program: everything but the IPA.
pub fn draft_text(kind: ComponentType, slide: &SlideText, glossary: &[String]) -> Drafted {
    let all = sentences(slide.notes);
    let defs = definitions(&all);
    match kind {
        ComponentType::Review => review(slide, &all, &defs),
        ComponentType::Flashcards => flashcards(slide, &defs),
        ComponentType::Quiz => quiz(slide, &defs, glossary),
        ComponentType::Cloze => cloze(slide, &defs, glossary),
        ComponentType::Matching => matching(slide, &defs),
        ComponentType::Dictation => dictation(slide, &all),
        ComponentType::Shadowing => shadowing(slide, &all),
        ComponentType::Pronunciation => pronunciation(slide, &all, &defs),
        ComponentType::Roleplay => roleplay(slide),
        ComponentType::Branching => Drafted::Nothing(
            "a branching scenario needs decision points and their consequences, which a lecture \
             does not state; write it from a roleplay or by hand"
                .into(),
        ),
        ComponentType::Hotspot => {
            Drafted::Nothing("the extractive engine does not draft HOTSPOT components yet".into())
        }
    }
}

/// A payload that breaks a rule is not handed out (a partial one may leave its fields for
/// the author empty, nothing else).
pub fn check(kind: ComponentType, drafted: Drafted) -> Drafted {
    if let Drafted::Partial {
        payload,
        for_author,
    } = &drafted
    {
        let issues: Vec<_> = check_payload(kind, payload)
            .into_iter()
            .filter(|i| !for_author.iter().any(|f| i.pointer.starts_with(f.as_str())))
            .collect();
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

/// A conversation written out in the narration, one line each: `Buyer: "…"`.
struct DialogueLine {
    speaker: String,
    text: String,
    line: Sentence,
}

fn dialogue(notes: &str) -> Vec<DialogueLine> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in notes.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let lead = raw.len() - raw.trim_start().len();
        let line = raw.trim();
        let Some((label, said)) = line.split_once(": ") else {
            continue;
        };
        let label_ok = !label.is_empty()
            && label.chars().count() <= 24
            && label.split_whitespace().count() <= 3
            && label.chars().next().is_some_and(char::is_alphabetic)
            && !label.contains(['"', '“', '(']);
        let said = said.trim();
        let inner = said
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .or_else(|| said.strip_prefix('“').and_then(|r| r.strip_suffix('”')));
        let (true, Some(inner)) = (label_ok, inner) else {
            continue;
        };
        if inner.trim().is_empty() || inner.contains(['"', '“', '”']) {
            continue;
        }
        out.push(DialogueLine {
            speaker: label.to_string(),
            text: inner.trim().to_string(),
            line: Sentence {
                start: start + lead,
                end: start + lead + line.len(),
                text: line.to_string(),
            },
        });
    }
    out
}

/// The conversation the narration writes out, as a scripted roleplay: the first speaker is
/// the learner, the other the persona. The scenario, the persona's name, the learner's goal
/// and the rubric are the author's to write.
fn roleplay(slide: &SlideText) -> Drafted {
    let lines = dialogue(slide.notes);
    let mut speakers: Vec<&str> = Vec::new();
    for l in &lines {
        if !speakers.contains(&l.speaker.as_str()) {
            speakers.push(&l.speaker);
        }
    }
    if lines.len() < 2 || speakers.len() != 2 {
        return Drafted::Nothing(
            "the narration writes out no conversation between two speakers".into(),
        );
    }
    let learner = speakers[0];
    let turns: Vec<Value> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            json!({
                "id": format!("t{}", i + 1),
                "speaker": if l.speaker == learner { "learner" } else { "persona" },
                "text": l.text,
                "provenance": provenance(slide, &l.line),
            })
        })
        .collect();
    Drafted::Partial {
        payload: json!({
            "schema_version": 1,
            "title": slide.title.trim(),
            "scenario": "",
            "persona": {"name": "", "role": speakers[1]},
            "learner_role": learner,
            "learner_goal": "",
            "mode": "scripted",
            "turns": turns,
            "rubric": {"criteria": []},
        }),
        for_author: vec![
            "/scenario".into(),
            "/persona/name".into(),
            "/learner_goal".into(),
            "/rubric".into(),
        ],
    }
}

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

/// Term–definition pairs, when the narration defines at least two terms.
fn matching(slide: &SlideText, defs: &[Definition]) -> Drafted {
    if defs.len() < 2 {
        return Drafted::Nothing(
            "matching needs two or more terms defined in the narration".into(),
        );
    }
    let pairs: Vec<Value> = defs
        .iter()
        .take(8)
        .enumerate()
        .map(|(i, d)| {
            json!({
                "id": format!("p{}", i + 1),
                "left": d.term,
                "right": capitalized(&d.definition),
                "provenance": provenance(slide, &d.sentence),
            })
        })
        .collect();
    Drafted::Payload(json!({
        "schema_version": 1,
        "instructions": if korean(slide) { "각 용어와 알맞은 설명을 연결하세요." } else { "Match each term with what it means." },
        "mode": "pairs",
        "pairs": pairs,
    }))
}

/// Up to five practice sentences as DICTATION sentences or SHADOWING items (same shape).
fn sentence_items(slide: &SlideText, picked: &[(Sentence, &'static str)]) -> Vec<Value> {
    picked
        .iter()
        .take(5)
        .enumerate()
        .map(|(i, (s, tag))| {
            json!({
                "id": format!("s{}", i + 1),
                "text": s.text,
                "language": tag,
                "provenance": provenance(slide, s),
            })
        })
        .collect()
}

/// Sentences to listen to and write down.
fn dictation(slide: &SlideText, all: &[Sentence]) -> Drafted {
    let picked = practice_sentences(slide, all);
    if picked.is_empty() {
        return Drafted::Nothing(
            "the narration has no sentence of a suitable length to dictate".into(),
        );
    }
    let sentences = sentence_items(slide, &picked);
    Drafted::Payload(json!({
        "schema_version": 1,
        "title": slide.title.trim(),
        "instructions": if korean(slide) { "문장을 듣고 들리는 대로 정확하게 쓰세요." } else { "Listen to each sentence, then type exactly what you hear." },
        "sentences": sentences,
        "max_typos_per_word": 0,
        "ignore_punctuation": true,
    }))
}

/// Sentences to say along with the speaker.
fn shadowing(slide: &SlideText, all: &[Sentence]) -> Drafted {
    let picked: Vec<_> = practice_sentences(slide, all)
        .into_iter()
        .filter(|(s, _)| s.text.split_whitespace().count() <= 14)
        .collect();
    let Some((_, tag)) = picked.first() else {
        return Drafted::Nothing(
            "the narration has no sentence of a suitable length to shadow".into(),
        );
    };
    let items = sentence_items(slide, &picked);
    Drafted::Payload(json!({
        "schema_version": 1,
        "instructions": if korean(slide) { "문장을 듣고 화자와 함께 따라 말하세요. 리듬과 억양을 그대로 따라 하세요." } else { "Listen to each sentence, then say it together with the speaker." },
        "language": tag,
        "playback_rates": [0.75, 1.0],
        "repetitions": 3,
        "items": items,
    }))
}

/// The defined terms and the long words of the practice sentences: words worth saying
/// right, each with the sentence it is in.
fn pronunciation(slide: &SlideText, all: &[Sentence], defs: &[Definition]) -> Drafted {
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
        return Drafted::Nothing("the narration has no key terms or long words to practise".into());
    }
    let tag = items[0].2;
    let items: Vec<Value> = items
        .iter()
        .take(6)
        .enumerate()
        .map(|(i, (word, s, item_tag))| {
            json!({
                "id": format!("w{}", i + 1),
                "target": word,
                "language": item_tag,
                "provenance": provenance(slide, s),
            })
        })
        .collect();
    Drafted::Payload(json!({
        "schema_version": 1,
        "instructions": if korean(slide) { "각 단어를 또렷하게 말해 보세요. 먼저 모범 발음을 들어 보세요." } else { "Say each word clearly. Listen to the model first." },
        "language": tag,
        "items": items,
    }))
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

/// Words that say little about what a sentence is about.
const FILLER: [&str; 24] = [
    "the", "and", "that", "this", "with", "from", "into", "they", "their", "there", "which",
    "what", "when", "your", "have", "will", "would", "could", "about", "than", "then", "them",
    "each", "every",
];

fn content_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 4 && !FILLER.contains(&w.as_str()))
        .collect()
}

/// An explore-the-slide HOTSPOT over the rendered slide (`image`, `width` × `height` pixels,
/// with the boxes of its elements as the renderer stored them): a region on each bullet
/// point, opening to the narration sentence that says most about it. Bullets the narration
/// says nothing about get no region.
pub fn hotspot(
    slide: &SlideText,
    image: &str,
    width: f32,
    height: f32,
    elements: &[Value],
) -> Drafted {
    let all = sentences(slide.notes);
    let mut regions = Vec::new();
    for e in elements.iter().filter(|e| e["kind"] == "bullet") {
        let label = e["label"].as_str().unwrap_or_default().trim();
        let words = content_words(label);
        if label.is_empty() || words.is_empty() {
            continue;
        }
        let best = all
            .iter()
            .map(|s| {
                let said = content_words(&s.text);
                (words.iter().filter(|w| said.contains(w)).count(), s)
            })
            .filter(|(n, _)| *n > 0)
            .max_by_key(|(n, s)| (*n, std::cmp::Reverse(s.start)));
        let Some((_, sentence)) = best else { continue };
        let number = |k: &str| e[k].as_f64().unwrap_or(0.0) as f32;
        let (x, y, w, h) = (number("x"), number("y"), number("width"), number("height"));
        if w <= 0.0 || h <= 0.0 || width <= 0.0 || height <= 0.0 {
            continue;
        }
        let clamp = |v: f32| f64::from(v.clamp(0.0, 1.0));
        // A little room around the text, inside the image.
        let (x0, y0) = ((x - 8.0) / width, (y - 4.0) / height);
        let (x1, y1) = ((x + w + 8.0) / width, (y + h + 4.0) / height);
        regions.push(json!({
            "id": format!("r{}", regions.len() + 1),
            "label": label.chars().take(120).collect::<String>(),
            "feedback": sentence.text,
            "shape": {
                "kind": "rectangle",
                "x": clamp(x0),
                "y": clamp(y0),
                "width": clamp(x1) - clamp(x0),
                "height": clamp(y1) - clamp(y0),
            },
            "provenance": provenance(slide, sentence),
        }));
    }
    if regions.is_empty() {
        return Drafted::Nothing(
            "the narration says nothing about the slide's bullet points".into(),
        );
    }
    let labels: Vec<&str> = regions.iter().filter_map(|r| r["label"].as_str()).collect();
    let ko = korean(slide);
    check(
        ComponentType::Hotspot,
        Drafted::Payload(json!({
            "schema_version": 1,
            "mode": "explore",
            "prompt": if ko { "슬라이드의 각 항목을 눌러 자세한 설명을 읽어 보세요." } else { "Open each point of the slide to read more about it." },
            "image": image,
            "alt_text": format!("{}: {}", slide.title.trim(), labels.join("; ")),
            "image_width": width as u32,
            "image_height": height as u32,
            "regions": regions,
        })),
    )
}
