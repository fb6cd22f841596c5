//! Extractive drafts: learning components drafted from the lecture's own sentences,
//! deterministically, for the types where extraction can be honest. Every drafted item
//! records the sentence it came from (its provenance); when the text does not support a
//! type, nothing is drafted and the reason is given, never filler.
//!
//! Payloads are built as the model's typed payload structs, in the schema version the model
//! writes now, so a draft cannot drift from the shape the editors and the player read. One
//! file per group of types: `terms` (what the narration defines: FLASHCARDS, QUIZ, CLOZE,
//! MATCHING), `practice` (sentences and words to hear and say: DICTATION, SHADOWING,
//! PRONUNCIATION), `review`, `roleplay` and `hotspot`.

mod hotspot;
mod practice;
mod review;
mod roleplay;
mod terms;

pub use hotspot::hotspot;

use super::Why;
use super::define::{bold, person_by_surname};
use super::text::{Definition, Sentence, definitions, inflections, sentences};
use super::{DraftFailure, DraftRequest, Drafted, SlideText, TextDraft, TextGen, Usage, check};
use async_trait::async_trait;
use classkit_jobs::JobError;
use classkit_model::ComponentType;
use classkit_model::components::Payload;
use classkit_model::components::review::Provenance;
use serde_json::{Value, json};

/// The types this engine drafts from a slide's text alone. It drafts HOTSPOT too, over the
/// rendered slide (see [`hotspot()`]); BRANCHING it leaves out, since a lecture does not state
/// decision points and their consequences.
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

/// The builtin extractive engine as a [`TextGen`]: free, offline, deterministic.
#[derive(Debug, Clone)]
pub struct Extractive {
    id: String,
}

impl Extractive {
    /// Changes when the extractive drafts change, so old drafts are made again.
    pub const VERSION: &'static str = "extractive-25";

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
        // Korean terms are found only with the Korean dictionary: drafts made without it are
        // made again once it is installed.
        json!({
            "version": Self::VERSION,
            "korean_morphology": crate::korean::available().is_ok(),
        })
    }

    fn types(&self) -> Vec<ComponentType> {
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

/// The key terms defined across a course, from every slide's narration, in the course's
/// order. Only their definitions are drafted, and the wrong answers for a term are taken
/// from those defined near it (see [`others`]). A term is a key term when it is set in bold
/// (narration given with its Markdown), is of one or two words, or is used again after its
/// definition (see [`Emphasis::key_term`]).
pub fn glossary<'a>(slides: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let notes: Vec<&str> = slides.into_iter().collect();
    let emphasis = Emphasis::of(&notes);
    let speakers = roleplay::speakers(notes.iter().copied());
    let mut terms: Vec<String> = Vec::new();
    for notes in &notes {
        for d in definitions(&sentences(notes)) {
            // "Hill was a schoolmaster" where the lecture says "Rowland Hill".
            let surname = emphasis.a_surname(&d.term) && person_by_surname(&d.term, &d.definition);
            if emphasis.key_term(&d.term)
                && !speakers.contains(&d.term.to_lowercase())
                && !surname
                && !terms.iter().any(|t| t.eq_ignore_ascii_case(&d.term))
            {
                terms.push(d.term);
            }
        }
    }
    terms
}

/// What a course's narration shows of its terms besides defining them: which it sets in
/// bold, how often it uses each, and which capitalized words end a name.
struct Emphasis {
    /// The narration, lowercase, without its bold marks.
    text: String,
    /// The bold phrases, lowercase.
    bold: Vec<String>,
    /// Capitalized words that follow another inside a sentence ("Enter Rowland Hill"),
    /// lowercase: the last word of a name.
    last_names: Vec<String>,
}

impl Emphasis {
    fn of(notes: &[&str]) -> Emphasis {
        let text = notes.join("\n").replace("**", "");
        let word = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
        let capitalized = |w: &str| {
            let w = word(w);
            w.len() > 1 && w.starts_with(char::is_uppercase) && w.chars().any(char::is_lowercase)
        };
        let mut last_names = Vec::new();
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            for i in 2..words.len() {
                // The word before the name's first word does not end a sentence.
                let inside = !words[i - 2].ends_with(['.', '!', '?', ':', '"', '”'])
                    && !words[i - 2].starts_with('#');
                if inside
                    && capitalized(words[i - 1])
                    && !words[i - 1].ends_with([',', '.', ';', ':', '!', '?'])
                    && capitalized(words[i])
                {
                    last_names.push(word(words[i]).to_lowercase());
                }
            }
        }
        Emphasis {
            bold: notes
                .iter()
                .flat_map(|n| bold(n))
                .map(|b| b.trim().to_lowercase())
                .collect(),
            text: text.to_lowercase(),
            last_names,
        }
    }

    /// Whether `term` is the last word of a name the narration gives in full ("Hill" of
    /// "Rowland Hill").
    fn a_surname(&self, term: &str) -> bool {
        self.last_names.contains(&term.to_lowercase())
    }

    /// Whether a defined term is one of the lecture's key terms. In the evaluation set's
    /// English dev lectures (`tests/drafting/`), a card whose term has three words or more
    /// and is not in bold was kept in 59% of cases (45% in the lectures written last:
    /// "Glitter in the oil", "pudding could mean offal", "old walled city"), against 90%
    /// for the others; such a term used again after its definition is more often a name
    /// for something the lecture is about ("consumer price index"). (The app imports a
    /// lecture's narration as plain text, without its bold.) Korean terms are found by
    /// their morphemes and are all kept.
    fn key_term(&self, term: &str) -> bool {
        if term.chars().any(crate::lang::is_hangul) {
            return true;
        }
        let forms: Vec<String> = inflections(term).iter().map(|f| f.to_lowercase()).collect();
        // "**BATNA**", "**exothermic reactions**", "Your **BATNA**".
        let in_bold = self.bold.iter().any(|b| {
            forms
                .iter()
                .any(|f| b == f || b.strip_suffix(f.as_str()).is_some_and(|r| r.ends_with(' ')))
        });
        if in_bold {
            return true;
        }
        let uses: usize = forms.iter().map(|f| words_in(&self.text, f)).sum();
        // "To put someone through means …": a phrase taught as a verb.
        let verb = term.to_lowercase().starts_with("to ");
        term.split_whitespace().count() < 3 || uses > 1 || verb
    }
}

/// How often `phrase` occurs in `text` as whole words.
fn words_in(text: &str, phrase: &str) -> usize {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-');
    text.match_indices(phrase)
        .filter(|(at, _)| {
            !word(text[..*at].chars().next_back())
                && !word(text[at + phrase.len()..].chars().next())
        })
        .count()
}

/// Drafts a component of `kind` for `slide`; `glossary` is the course's key terms (see
/// [`glossary`]): only theirs are drafted, and the others give wrong answers. PRONUNCIATION
/// items get their IPA from espeak-ng. Reference audio is left to the caller (see
/// [`needs_audio`](super::needs_audio)).
pub async fn draft(kind: ComponentType, slide: &SlideText<'_>, glossary: &[String]) -> Drafted {
    let drafted = if kind == ComponentType::Pronunciation {
        let all = said(slide.notes);
        practice::pronunciation_with_ipa(slide, &all, &key_only(definitions(&all), glossary)).await
    } else {
        draft_text(kind, slide, glossary)
    };
    check(kind, drafted)
}

/// The sentences of a narration that say something: not a stray mark ("**", "---").
fn said(notes: &str) -> Vec<Sentence> {
    sentences(notes)
        .into_iter()
        .filter(|s| s.text.chars().any(char::is_alphanumeric))
        .collect()
}

/// The definitions of the key terms of `glossary`.
fn key_only(mut defs: Vec<Definition>, glossary: &[String]) -> Vec<Definition> {
    defs.retain(|d| glossary.iter().any(|t| t.eq_ignore_ascii_case(&d.term)));
    defs
}

/// The drafts that need no program: everything but the IPA. HOTSPOT needs the rendered
/// slide, which this is not given (see [`hotspot()`]). `glossary` is the course's key terms
/// (see [`glossary`]), this slide's among them.
pub fn draft_text(kind: ComponentType, slide: &SlideText, glossary: &[String]) -> Drafted {
    let all = said(slide.notes);
    let found = definitions(&all);
    let defined = !found.is_empty();
    let defs = key_only(found, glossary);
    let terms = matches!(
        kind,
        ComponentType::Flashcards
            | ComponentType::Quiz
            | ComponentType::Cloze
            | ComponentType::Matching
    );
    if terms && defs.is_empty() && defined {
        return Why::NotKeyTerms.into();
    }
    // Korean terms are found by their morphemes; without the dictionary none are.
    if terms
        && defs.is_empty()
        && slide.notes.chars().any(crate::lang::is_hangul)
        && crate::korean::available().is_err()
    {
        return Why::NoKoreanDictionary.into();
    }
    match kind {
        ComponentType::Review => review::review(slide, &all, &defs),
        ComponentType::Flashcards => terms::flashcards(slide, &defs),
        ComponentType::Quiz => terms::quiz(slide, &defs, glossary),
        ComponentType::Cloze => terms::cloze(slide, &defs, glossary),
        ComponentType::Matching => terms::matching(slide, &defs),
        ComponentType::Dictation => practice::dictation(slide, &all),
        ComponentType::Shadowing => practice::shadowing(slide, &all),
        ComponentType::Pronunciation => practice::pronunciation(slide, &all, &defs),
        ComponentType::Roleplay => roleplay::roleplay(slide),
        ComponentType::Branching => Why::BranchingByHand.into(),
        ComponentType::Hotspot => Why::NotRendered.into(),
    }
}

/// A typed payload as the JSON a draft carries.
fn payload<P: Payload>(typed: &P) -> Drafted {
    match to_json(typed) {
        Ok(json) => Drafted::Payload(json),
        Err(why) => Drafted::Nothing(why),
    }
}

/// A typed payload with fields only the author can write (JSON pointers) left empty.
fn payload_for_author<P: Payload>(typed: &P, for_author: &[&str]) -> Drafted {
    match to_json(typed) {
        Ok(payload) => Drafted::Partial {
            payload,
            for_author: for_author.iter().map(|p| p.to_string()).collect(),
        },
        Err(why) => Drafted::Nothing(why),
    }
}

/// A typed payload as JSON, its texts without the narration's bold marks: the drafter reads
/// the bold (it sets key terms apart), a learner sees the words. A provenance keeps its
/// quote as the narration has it, byte for byte.
fn to_json<P: Payload>(typed: &P) -> Result<Value, String> {
    let mut json = serde_json::to_value(typed)
        .map_err(|e| format!("the draft could not be written as JSON: {e}"))?;
    super::unmark(&mut json);
    Ok(json)
}

fn provenance(slide: &SlideText, s: &Sentence) -> Provenance {
    Provenance {
        slide_id: Some(slide.slide_id),
        start: s.start,
        end: s.end,
        quote: s.text.clone(),
    }
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

/// Other terms of the glossary than `term` (and its forms), in the same script (a Korean
/// term for a Korean term): those of the same kind as `term` first (see [`Kind`]), each
/// group by how near `term` the course defines them (the nearest are about the same
/// topic, and a doubtful term then spoils a few questions, not every one). At most `n`,
/// and of another kind only to make up `min`: a wrong answer of another kind ("filling a
/// building with smoke" among diseases) gives the right one away.
fn others<'a>(glossary: &'a [String], term: &str, n: usize, min: usize) -> Vec<&'a String> {
    let forms: Vec<String> = inflections(term).iter().map(|f| f.to_lowercase()).collect();
    let hangul = |t: &str| t.chars().any(crate::lang::is_hangul);
    let at = glossary
        .iter()
        .position(|t| t.eq_ignore_ascii_case(term))
        .unwrap_or(0);
    let mut near: Vec<(usize, &String)> = glossary.iter().enumerate().collect();
    near.sort_by_key(|(i, _)| (i.abs_diff(at), *i));
    let candidates: Vec<&String> = near
        .into_iter()
        .map(|(_, t)| t)
        .filter(|t| hangul(t) == hangul(term))
        .filter(|t| !forms.contains(&t.to_lowercase()))
        .filter(|t| {
            !inflections(t)
                .iter()
                .any(|f| forms.contains(&f.to_lowercase()))
        })
        .collect();
    let kind = Kind::of(term);
    let mut out: Vec<&String> = candidates
        .iter()
        .copied()
        .filter(|t| Kind::of(t) == kind)
        .take(n)
        .collect();
    for t in candidates {
        if out.len() >= min.min(n) {
            break;
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Nouns in -ing that name things, not doings ("price ceiling", "string").
const ING_NOUNS: [&str; 24] = [
    "ceiling",
    "building",
    "string",
    "spring",
    "thing",
    "something",
    "morning",
    "evening",
    "meeting",
    "painting",
    "setting",
    "wedding",
    "clothing",
    "housing",
    "feeling",
    "opening",
    "beginning",
    "ending",
    "warning",
    "wing",
    "ring",
    "king",
    "pudding",
    "lightning",
];

/// What kind of thing a term is, as its form shows: a verb ("to vent"), an abbreviation
/// ("HR", "BATNA": not a wrong answer for "verbal offer"), a doing
/// ("fumigating"), an idiom with its preposition ("on hold"), a name ("Canal Zone"), a
/// number, or a noun ("yellow fever", 면역 세포).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Verb,
    Abbreviation,
    Doing,
    Idiom,
    Name,
    Number,
    Noun,
}

impl Kind {
    fn of(term: &str) -> Kind {
        let words: Vec<&str> = term.split_whitespace().collect();
        let first = words.first().map(|w| w.to_lowercase()).unwrap_or_default();
        let last = words.last().map(|w| w.to_lowercase()).unwrap_or_default();
        if term.chars().any(|c| c.is_ascii_digit()) && !term.chars().any(char::is_alphabetic) {
            Kind::Number
        } else if first == "to" && words.len() > 1 {
            Kind::Verb
        } else if words.len() == 1
            && term.chars().filter(char::is_ascii_uppercase).count() >= 2
            && !term.chars().any(char::is_lowercase)
        {
            Kind::Abbreviation
        } else if ["on", "in", "at", "off", "out", "by", "under"].contains(&first.as_str())
            && words.len() == 2
        {
            Kind::Idiom
        } else if last.len() > 4 && last.ends_with("ing") && !ING_NOUNS.contains(&last.as_str()) {
            Kind::Doing
        } else if words.len() > 1
            && words
                .iter()
                .all(|w| w.starts_with(|c: char| c.is_uppercase() || !c.is_alphabetic()))
        {
            Kind::Name
        } else {
            Kind::Noun
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_read_the_bold_and_show_the_words() {
        let notes = "A **travel agent** is a person whose job is to arrange trips for you. \
                     A **fare** is the price you pay for a ticket on a plane or a train. \
                     A **layover** is the time you spend at an airport between two flights. \
                     Ask the **travel agent** for the cheapest **fare** with a short layover.";
        let slide = SlideText {
            slide_id: uuid::Uuid::nil(),
            title: "Booking a trip",
            body: "",
            notes,
        };
        let glossary = glossary([notes]);
        assert_eq!(glossary, ["travel agent", "fare", "layover"]);
        let mut drafted = 0;
        for kind in DRAFTED_TYPES {
            let payload = match check(kind, draft_text(kind, &slide, &glossary)) {
                Drafted::Payload(p) | Drafted::Partial { payload: p, .. } => p,
                Drafted::Nothing(_) => continue,
            };
            drafted += 1;
            // Provenance quotes the narration byte for byte (`check` holds it to its
            // range); nothing else carries the marks.
            let mut shown = payload.clone();
            unquoted(&mut shown);
            assert!(!shown.to_string().contains("**"), "{kind}: {payload}");
        }
        assert!(drafted >= 5, "{drafted}");
    }

    fn unquoted(value: &mut Value) {
        match value {
            Value::Array(items) => items.iter_mut().for_each(unquoted),
            Value::Object(fields) => {
                fields.remove("provenance");
                fields.values_mut().for_each(unquoted);
            }
            _ => {}
        }
    }

    #[test]
    fn the_people_of_a_dialogue_are_not_its_terms() {
        let intro = "Jiwoo is a data analyst on a project team. A buffer is a small amount of extra time added to a plan in case something goes wrong.";
        let dialogue =
            "Jiwoo: Do you have a minute?\nMark: Sure, what's up?\nJiwoo: It's about the report.";
        assert_eq!(glossary([intro, dialogue]), ["buffer"]);
        // Without the dialogue, nothing says Jiwoo is a person.
        assert_eq!(glossary([intro]), ["Jiwoo", "buffer"]);
    }

    #[test]
    fn a_person_named_by_surname_is_not_a_term() {
        let story = "Then came Rowland Hill. Hill was a schoolmaster from Birmingham, a reformer with a passion for numbers. The uniform rate was a single price for every letter of the same weight.";
        assert_eq!(glossary([story]), ["uniform rate"]);
        // Without the whole name, "Hill" may be a word that starts the sentence, as "Copper is
        // a conductor" does.
        let alone =
            "Hill was a schoolmaster from Birmingham, a reformer with a passion for numbers.";
        assert_eq!(glossary([alone]), ["Hill"]);
        // A capitalized term after a name is still a term when what it is names no person.
        let thing =
            "The Penny Black went on sale in May. Black was a colour that hid the postmark badly.";
        assert_eq!(glossary([thing]), ["Black"]);
    }

    #[test]
    fn a_term_has_the_kind_its_form_shows() {
        for (term, kind) in [
            ("to vent", Kind::Verb),
            ("To escalate a complaint", Kind::Verb),
            ("fumigating", Kind::Doing),
            ("house fumigating", Kind::Doing),
            ("price ceiling", Kind::Noun),
            ("in vitro fertilisation", Kind::Noun),
            ("on hold", Kind::Idiom),
            ("Canal Zone", Kind::Name),
            ("Peasants' Revolt", Kind::Name),
            ("1914", Kind::Number),
            ("HR", Kind::Abbreviation),
            ("BATNA", Kind::Abbreviation),
            ("Yellow fever", Kind::Noun),
            ("isthmus", Kind::Noun),
            ("면역 세포", Kind::Noun),
        ] {
            assert_eq!(Kind::of(term), kind, "{term}");
        }
    }

    #[test]
    fn key_terms_are_short_in_bold_or_used_again() {
        let bold = [
            "An **allele** is a version of a gene that a parent passes on. Each allele comes \
             from one parent.",
            "A **genotype** is the pair of alleles an organism has for a gene. \
             Glitter in the water means metal is rusting somewhere. \
             A carrier is a person with one copy of a recessive allele.",
            "Dominance is the masking of one allele by another. Dominance explains the ratios.",
        ];
        // Of one or two words; not a long phrase.
        assert_eq!(
            glossary(bold),
            ["allele", "genotype", "carrier", "Dominance"]
        );
        // A long one in bold, or used again.
        let long = [
            "The **consumer price index** is a measure of the average price of a basket.",
            "A carbon capture plant is a factory that takes carbon dioxide out of the air.",
            "The gross domestic product is the value of everything a country makes in a year. \
             The gross domestic product grew by two percent.",
        ];
        assert_eq!(
            glossary(long),
            ["consumer price index", "gross domestic product"]
        );
        // The slide that defines only terms that are not key terms says so.
        let slide = SlideText {
            slide_id: uuid::Uuid::nil(),
            title: "Capture",
            body: "",
            notes: long[1],
        };
        let terms = glossary(long);
        assert_eq!(
            draft_text(ComponentType::Flashcards, &slide, &terms),
            Why::NotKeyTerms.into()
        );
        let Drafted::Payload(cards) = draft_text(
            ComponentType::Flashcards,
            &SlideText {
                notes: long[2],
                ..slide
            },
            &terms,
        ) else {
            panic!("the product's card is drafted");
        };
        assert_eq!(cards["cards"].as_array().map(Vec::len), Some(1), "{cards}");
    }

    #[test]
    fn wrong_answers_are_of_the_answers_kind_first() {
        let glossary: Vec<String> = [
            "house fumigating",
            "yellow fever",
            "Canal Zone",
            "isthmus",
            "vector",
            "malaria",
            "to vent",
        ]
        .map(String::from)
        .to_vec();
        // Nouns for a noun, the nearest first; the doing and the name are left out.
        assert_eq!(
            others(&glossary, "malaria", 3, 2),
            ["vector", "isthmus", "yellow fever"]
                .map(String::from)
                .iter()
                .collect::<Vec<_>>()
        );
        assert_eq!(
            others(&glossary, "yellow fever", 2, 2),
            ["isthmus", "vector"]
                .map(String::from)
                .iter()
                .collect::<Vec<_>>()
        );
        // Too few of its kind (a term the glossary lacks is placed at its start): made up to
        // the minimum with the nearest of the others.
        assert_eq!(
            others(&glossary, "to paraphrase", 3, 2),
            ["to vent", "house fumigating"]
                .map(String::from)
                .iter()
                .collect::<Vec<_>>()
        );
        // Never the term itself, in any number.
        assert!(
            !others(&glossary, "vectors", 3, 2)
                .iter()
                .any(|t| t.as_str() == "vector")
        );
        // A Korean term for a Korean term only.
        assert!(others(&glossary, "면역", 3, 2).is_empty());
    }
}
