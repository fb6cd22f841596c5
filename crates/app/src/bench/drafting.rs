//! The drafter's score on an evaluation set (`classkit bench drafting`): lectures it was not
//! written against, each beside what a careful instructor would accept from it, written by
//! hand. For each type and language, precision (drafted items the instructor would keep)
//! and recall (items they would want that were drafted), separately for the half of the set
//! the drafter is developed against (`dev`) and the half it is not (`held-out`).
//!
//! A set is a folder with `dev/` and `held-out/`, each holding `NAME.md` (the lecture, as
//! imported) beside `NAME.toml` (what an instructor would accept):
//!
//! ```toml
//! title = "…"                 # the lecture's title
//! language = "en"             # or "ko"
//! kind = "science"            # science, business-dialogue, procedure, history
//! teaches_english = false     # a course teaching English to Korean speakers
//! licence = "…"               # of the lecture's text
//! cloze = ["…"]               # words worth blanking besides the terms
//! dictation = ["…"]           # sentences worth dictating, as in the text
//! shadowing = ["…"]           # sentences worth shadowing, as in the text
//! pronunciation = ["…"]       # words worth saying aloud
//! [[term]]                    # each key term
//! term = "…"
//! also = ["…"]                # other names a card may use
//! sentence = "…"              # the sentence that defines it, as in the text
//! definition = "…"            # what the back of its card says
//! [[turn]]                    # a dialogue's turns, in order
//! speaker = "…"
//! text = "…"
//! ```

use crate::import::outline_from_text;
use classkit_engines::drafts::text::inflections;
use classkit_engines::drafts::{DRAFTED_TYPES, Drafted, SlideText, check, draft_text, glossary};
use classkit_jobs::bench::Figure;
use classkit_model::ComponentType;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The halves of a set.
pub const SPLITS: [&str; 2] = ["dev", "held-out"];

/// The types scored: every type the extractive engine drafts from text but REVIEW, whose
/// cards restate the slide and for which the set writes nothing down.
fn scored() -> impl Iterator<Item = ComponentType> {
    DRAFTED_TYPES
        .into_iter()
        .filter(|t| *t != ComponentType::Review)
}

/// What a careful instructor would accept from a lecture.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    pub title: String,
    pub language: String,
    pub kind: String,
    #[serde(default)]
    pub teaches_english: bool,
    pub licence: String,
    #[serde(default)]
    pub term: Vec<Term>,
    #[serde(default)]
    pub cloze: Vec<String>,
    #[serde(default)]
    pub dictation: Vec<String>,
    #[serde(default)]
    pub shadowing: Vec<String>,
    #[serde(default)]
    pub pronunciation: Vec<String>,
    #[serde(default)]
    pub turn: Vec<Turn>,
}

/// A key term, the sentence that defines it and what its card says.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub term: String,
    #[serde(default)]
    pub also: Vec<String>,
    pub sentence: String,
    pub definition: String,
}

/// A turn of a dialogue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Turn {
    pub speaker: String,
    pub text: String,
}

/// A lecture of the set with what an instructor would accept from it.
#[derive(Debug, Clone)]
pub struct Lecture {
    pub name: String,
    pub split: &'static str,
    pub text: String,
    pub expected: Expected,
}

/// A set that cannot be read, saying which file and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct SetError {
    pub path: PathBuf,
    pub message: String,
}

fn set_error(path: &Path, message: impl Into<String>) -> SetError {
    SetError {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// The lectures of the set in `dir`, each checked: every sentence and turn the instructor's
/// file quotes is in the lecture, every definition is in its sentence.
pub fn load_set(dir: &Path) -> Result<Vec<Lecture>, SetError> {
    let mut lectures = Vec::new();
    for split in SPLITS {
        let folder = dir.join(split);
        let entries = std::fs::read_dir(&folder)
            .map_err(|e| set_error(&folder, format!("cannot read the folder: {e}")))?;
        let mut names: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        names.sort();
        for toml_path in names {
            lectures.push(load_lecture(&toml_path, split)?);
        }
    }
    if lectures.is_empty() {
        return Err(set_error(
            dir,
            "no lectures (NAME.md beside NAME.toml in dev/ and held-out/)",
        ));
    }
    Ok(lectures)
}

fn load_lecture(toml_path: &Path, split: &'static str) -> Result<Lecture, SetError> {
    let md = toml_path.with_extension("md");
    let text = std::fs::read_to_string(&md)
        .map_err(|e| set_error(&md, format!("cannot read the lecture: {e}")))?;
    let raw = std::fs::read_to_string(toml_path)
        .map_err(|e| set_error(toml_path, format!("cannot read it: {e}")))?;
    let expected: Expected =
        toml::from_str(&raw).map_err(|e| set_error(toml_path, e.to_string()))?;
    if !["en", "ko"].contains(&expected.language.as_str()) {
        return Err(set_error(
            toml_path,
            format!("language is {:?}; the set has en and ko", expected.language),
        ));
    }
    let quoted = expected
        .term
        .iter()
        .map(|t| {
            (
                "the sentence of the term",
                t.term.as_str(),
                t.sentence.as_str(),
            )
        })
        .chain(
            expected
                .dictation
                .iter()
                .map(|s| ("a dictation sentence", "", s.as_str())),
        )
        .chain(
            expected
                .shadowing
                .iter()
                .map(|s| ("a shadowing sentence", "", s.as_str())),
        )
        .chain(
            expected
                .turn
                .iter()
                .map(|t| ("a turn", t.speaker.as_str(), t.text.as_str())),
        );
    for (what, of, quote) in quoted {
        if quote.trim().is_empty() || !text.contains(quote) {
            return Err(set_error(
                toml_path,
                format!("{what} {of:?} is not in {}: {quote:?}", md.display()),
            ));
        }
    }
    for t in &expected.term {
        if !in_order(&t.definition, &t.sentence) {
            return Err(set_error(
                toml_path,
                format!(
                    "the definition of {:?} is not in its sentence (its words, in that order): {:?}",
                    t.term, t.definition
                ),
            ));
        }
    }
    let name = toml_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Lecture {
        name,
        split,
        text,
        expected,
    })
}

/// Every draft of a lecture: per slide, the types the drafter gave a payload for.
pub fn drafts(text: &str, name: &str) -> Vec<(ComponentType, Value)> {
    let outline = outline_from_text(text, name);
    let slides: Vec<_> = outline.lessons.iter().flat_map(|l| &l.slides).collect();
    let terms = glossary(slides.iter().map(|s| s.speaker_notes.as_str()));
    let mut out = Vec::new();
    for slide in slides {
        let text = SlideText {
            slide_id: uuid::Uuid::nil(),
            title: &slide.title,
            body: &slide.body,
            notes: &slide.speaker_notes,
        };
        for kind in scored() {
            match check(kind, draft_text(kind, &text, &terms)) {
                Drafted::Payload(p) | Drafted::Partial { payload: p, .. } => out.push((kind, p)),
                Drafted::Nothing(_) => {}
            }
        }
    }
    out
}

/// The words of a text to compare: lowercase words of Latin text, and the syllable pairs of
/// a Hangul word (whose particles and endings are joined to it).
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        let word: String = word
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '\'')
            .flat_map(char::to_lowercase)
            .collect();
        let word = word.trim_matches(['-', '\'']);
        if word.is_empty() {
            continue;
        }
        let chars: Vec<char> = word.chars().collect();
        if chars.iter().any(|c| classkit_engines::lang::is_hangul(*c)) && chars.len() > 1 {
            out.extend(chars.windows(2).map(|w| w.iter().collect::<String>()));
        } else {
            out.push(word.to_string());
        }
    }
    out
}

/// Shared tokens of two texts, over the tokens of each (precision, recall of `b` in `a`).
fn overlap(a: &str, b: &str) -> (f64, f64) {
    let (a, b) = (tokens(a), tokens(b));
    if a.is_empty() || b.is_empty() {
        return (0.0, 0.0);
    }
    let mut rest = b.clone();
    let mut shared = 0;
    for t in &a {
        if let Some(i) = rest.iter().position(|r| r == t) {
            rest.swap_remove(i);
            shared += 1;
        }
    }
    (
        shared as f64 / a.len() as f64,
        shared as f64 / b.len() as f64,
    )
}

/// True when the words of `part` are words of `whole`, in order: a definition is its
/// sentence's words, with an aside or examples in the middle left out ("anything a team has
/// promised to hand over by a certain date" from "… hand over — a report, a design — by a
/// certain date").
fn in_order(part: &str, whole: &str) -> bool {
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    if part.trim().is_empty() {
        return false;
    }
    if whole.to_lowercase().contains(&part.to_lowercase()) {
        return true;
    }
    // In order, and in at most three runs (an aside or two left out, not scattered words).
    let whole = words(whole);
    let part = words(part);
    let mut at = 0;
    let mut runs = 0;
    for w in &part {
        let Some(i) = whole[at..].iter().position(|x| x == w) else {
            return false;
        };
        if i > 0 || runs == 0 {
            runs += 1;
        }
        at += i + 1;
    }
    runs <= 3
}

/// A text as compared: lowercase, without Markdown emphasis, quotes and the punctuation at
/// its ends, spaces made single.
fn normal(text: &str) -> String {
    let text: String = text
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '"' | '“' | '”'))
        .map(|c| if c == '’' || c == '‘' { '\'' } else { c })
        .flat_map(char::to_lowercase)
        .collect();
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace())
        .to_string()
}

/// True when `drafted` names `term` (or one of its other names), in any number, a verb with
/// or without its "to" ("to stop by" names "stop by"), or with the object the key's sentence
/// gives it ("To expedite an order" names "expedite" where the sentence says "To expedite an
/// order means …": the keys keep such an object as often as they leave it out, "pitch a
/// tent" beside "book" for "To book a room").
fn names(drafted: &str, term: &Term) -> bool {
    let bare = |t: String| t.strip_prefix("to ").map(str::to_string).unwrap_or(t);
    let verb = normal(drafted).starts_with("to ");
    let d = bare(normal(drafted));
    let with_object = |name: &str| {
        d.strip_prefix(&format!("{} ", bare(normal(name))))
            .is_some_and(|object| {
                let words: Vec<&str> = object.split_whitespace().collect();
                (1..=3).contains(&words.len())
                    && ["a", "an", "the", "someone", "something"].contains(&words[0])
            })
            && normal(&term.sentence).contains(&format!("to {d}"))
    };
    std::iter::once(&term.term).chain(&term.also).any(|name| {
        inflections(name).iter().any(|f| bare(normal(f)) == d) || (verb && with_object(name))
    })
}

/// The key term `drafted` names, if any.
fn term_named<'a>(drafted: &str, expected: &'a Expected) -> Option<&'a Term> {
    expected.term.iter().find(|t| names(drafted, t))
}

/// A definition an instructor would keep for `term`: most of what its card should say and
/// little else, not cut off, and not giving the term away. A card may leave out what the
/// key adds after a comma that a card need not say (see [`without_tail`]), and may end
/// before, or go on past, a clause the defining sentence adds (see [`before_clause`]).
fn definition_kept(drafted: &str, term: &Term) -> bool {
    let fits = |drafted: &str, key: &str| {
        let (precision, recall) = overlap(drafted, key);
        precision >= 0.6 && recall >= 0.6
    };
    let keys = [
        Some(term.definition.as_str()),
        without_tail(&term.definition),
        before_clause(&term.definition),
    ];
    // What a card says past the clause's comma must be its sentence's own words.
    let cards = [
        Some(drafted),
        before_clause(drafted).filter(|_| in_order(drafted, &term.sentence)),
    ];
    let fitting = cards
        .iter()
        .flatten()
        .any(|card| keys.iter().flatten().any(|key| fits(card, key)));
    fitting && !gives_away(drafted, term) && !cut_off(drafted)
}

/// Words that start what a definition adds after a comma and a card may leave out: how it
/// usually is, and examples ("a cold drink without alcohol, such as juice or cola").
const TAILS: [&str; 16] = [
    "usually ",
    "often ",
    "typically ",
    "normally ",
    "generally ",
    "mostly ",
    "sometimes ",
    "commonly ",
    "especially ",
    "such as ",
    "for example",
    "for instance",
    "e.g.",
    "including ",
    "like ",
    "as in ",
];

/// A key's definition without what it adds after a comma that a card may leave out (see
/// [`TAILS`]): "a cold drink without alcohol" for "a cold drink without alcohol, such as
/// juice, cola or sparkling water"; `None` when it adds nothing of the kind.
fn without_tail(definition: &str) -> Option<&str> {
    definition.match_indices(", ").find_map(|(at, _)| {
        let rest = definition[at + 2..].to_lowercase();
        TAILS
            .iter()
            .any(|t| rest.starts_with(t))
            .then(|| &definition[..at])
    })
}

/// Words that open a clause a defining sentence adds after a comma: what the thing does or
/// lets happen (", which …", ", where …", ", whose …", ", so that …", ", so …"), another
/// clause (", and …"), a contrast (", not …"), besides a participle (", using …",
/// ", holding …"). The set's keys end a card's definition before such a clause about as
/// often as they keep it (242 and 156 times in the English dev keys of extractive-13: "a
/// tide with an especially large range" where the sentence goes on ", which happens when
/// …", and "the deliberate mating of two plant varieties, so that their offspring …"), so
/// the scorer keeps a card either way.
const CLAUSES: [&str; 6] = ["which", "where", "whose", "so", "and", "not"];

/// A definition up to a clause its sentence adds after a comma (see [`CLAUSES`]) or to a
/// colon; `None` when it adds none, or when what comes before is under four words ("a
/// protein, which carries oxygen": the clause is the definition).
fn before_clause(definition: &str) -> Option<&str> {
    let participle =
        |w: &str| w.len() > 5 && w.ends_with("ing") && !w.ends_with("thing") && w != "during";
    let at = definition
        .match_indices([',', ':'])
        .find_map(|(at, mark)| {
            let rest = definition[at + 1..].strip_prefix(' ')?;
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphabetic())
                .flat_map(char::to_lowercase)
                .collect();
            (mark == ":" || CLAUSES.contains(&word.as_str()) || participle(&word)).then_some(at)
        })?;
    let head = &definition[..at];
    (head.split_whitespace().count() >= 4).then_some(head)
}

/// True when `text` mentions `name` (in any number) as a word.
fn mentions(text: &str, name: &str) -> bool {
    let t = format!(
        " {} ",
        normal(text).replace(|c: char| c.is_ascii_punctuation(), " ")
    );
    inflections(name)
        .iter()
        .any(|f| t.contains(&format!(" {} ", normal(f))))
}

/// True when `text` names `term` by a name (its own or another) that the key's definition
/// does not use itself: "a volcanic mudflow" may be said of a lahar whose definition says
/// it, "lahar" may not.
fn gives_away(text: &str, term: &Term) -> bool {
    std::iter::once(&term.term)
        .chain(&term.also)
        .any(|name| mentions(text, name) && !mentions(&term.definition, name))
}

/// A Korean text cut before its end: it stops in the middle of a verb's ending, as
/// "진행됩니" (for 진행됩니다) or "말합니" (for 말합니다).
pub fn cut_off(text: &str) -> bool {
    let end = text.trim_end_matches(|c: char| !c.is_alphanumeric());
    let mut last = end.chars().rev();
    let (Some(a), Some(b)) = (last.next(), last.next()) else {
        return false;
    };
    // …ㅂ니 (습니, 합니, 됩니, 입니): the formal ending without its 다/까.
    a == '니' && classkit_engines::lang::final_consonant(b) == Some(17)
}

/// Per lecture and type: drafted items, those kept, items wanted, those drafted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub drafted: usize,
    pub kept: usize,
    pub wanted: usize,
    pub found: usize,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.drafted += other.drafted;
        self.kept += other.kept;
        self.wanted += other.wanted;
        self.found += other.found;
    }
}

fn strings<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn text_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

/// What an instructor would keep of a lecture's drafts of `kind`, and what of theirs was
/// drafted; each drafted item they would not keep, and each key term missed, goes to `notes`.
pub fn score(
    kind: ComponentType,
    drafts: &[(ComponentType, Value)],
    expected: &Expected,
    notes: &mut Vec<String>,
) -> Tally {
    let payloads = drafts.iter().filter(|(k, _)| *k == kind).map(|(_, p)| p);
    let mut tally = Tally::default();
    // The wanted items found, by index in their list.
    let mut found = std::collections::BTreeSet::new();
    let same = |a: &str, b: &str| normal(a) == normal(b);
    for payload in payloads {
        match kind {
            ComponentType::Flashcards | ComponentType::Matching => {
                let (items, front, back) = if kind == ComponentType::Flashcards {
                    ("cards", "term", "definition")
                } else {
                    ("pairs", "left", "right")
                };
                for item in strings(payload, items) {
                    tally.drafted += 1;
                    let t = term_named(text_of(item, front), expected);
                    if let Some(t) = t.filter(|t| definition_kept(text_of(item, back), t)) {
                        tally.kept += 1;
                        found.insert(t.term.clone());
                    } else {
                        notes.push(format!(
                            "not kept, {kind}: {} => {}",
                            text_of(item, front),
                            text_of(item, back)
                        ));
                    }
                }
            }
            ComponentType::Quiz => {
                for q in strings(payload, "questions") {
                    tally.drafted += 1;
                    let options: Vec<&Value> = strings(q, "options").collect();
                    let right: Vec<&str> = options
                        .iter()
                        .filter(|o| o.get("correct").and_then(Value::as_bool) == Some(true))
                        .map(|o| text_of(o, "text"))
                        .collect();
                    let stem = text_of(q, "text");
                    let [answer] = right[..] else { continue };
                    let Some(t) = term_named(answer, expected) else {
                        notes.push(format!(
                            "not kept, {kind}: {stem} [{answer}] (not a key term)"
                        ));
                        continue;
                    };
                    // The stem asks a question, carries the definition, and does not name
                    // the answer (unless the key's own definition does: "a volcanic
                    // mudflow" for a lahar); every wrong option is another key term.
                    let carried = [
                        Some(t.definition.as_str()),
                        without_tail(&t.definition),
                        before_clause(&t.definition),
                    ]
                    .into_iter()
                    .flatten()
                    .map(|key| overlap(stem, key).1)
                    .fold(0.0, f64::max);
                    let gives_away = gives_away(stem, t);
                    // A wrong answer is a word of the lesson: another key term, or a word
                    // the key lists as worth blanking ("lignin" beside "xylem").
                    let lesson_word = |option: &str| match term_named(option, expected) {
                        Some(w) => w.term != t.term,
                        None => {
                            !names(option, t)
                                && expected.cloze.iter().any(|w| {
                                    inflections(w).iter().any(|f| normal(f) == normal(option))
                                })
                        }
                    };
                    let wrong_ok = options.len() >= 2
                        && options
                            .iter()
                            .filter(|o| o.get("correct").and_then(Value::as_bool) != Some(true))
                            .all(|o| lesson_word(text_of(o, "text")));
                    if stem.contains('?')
                        && carried >= 0.6
                        && !gives_away
                        && !cut_off(stem)
                        && wrong_ok
                    {
                        tally.kept += 1;
                        found.insert(t.term.clone());
                    } else {
                        let options: Vec<&str> =
                            options.iter().map(|o| text_of(o, "text")).collect();
                        notes.push(format!("not kept, {kind}: {stem} [{answer}] {options:?}"));
                    }
                }
            }
            ComponentType::Cloze => {
                for blank in strings(payload, "blanks") {
                    tally.drafted += 1;
                    let answer = blank
                        .get("answers")
                        .and_then(Value::as_array)
                        .and_then(|a| a.first())
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    if let Some(t) = term_named(answer, expected) {
                        tally.kept += 1;
                        found.insert(t.term.clone());
                    } else if let Some(w) = expected.cloze.iter().find(|w| same(w, answer)) {
                        tally.kept += 1;
                        found.insert(format!("cloze:{w}"));
                    } else {
                        notes.push(format!("not kept, {kind}: blank {answer}"));
                    }
                }
            }
            ComponentType::Dictation | ComponentType::Shadowing => {
                let (items, wanted) = if kind == ComponentType::Dictation {
                    ("sentences", &expected.dictation)
                } else {
                    ("items", &expected.shadowing)
                };
                for item in strings(payload, items) {
                    tally.drafted += 1;
                    if let Some(w) = wanted.iter().find(|w| same(w, text_of(item, "text"))) {
                        tally.kept += 1;
                        found.insert(w.clone());
                    }
                }
            }
            ComponentType::Pronunciation => {
                for item in strings(payload, "items") {
                    tally.drafted += 1;
                    let target = text_of(item, "target");
                    let hit = expected
                        .pronunciation
                        .iter()
                        .find(|w| inflections(w).iter().any(|f| same(f, target)));
                    if let Some(w) = hit {
                        tally.kept += 1;
                        found.insert(w.clone());
                    }
                }
            }
            ComponentType::Roleplay => {
                for turn in strings(payload, "turns") {
                    tally.drafted += 1;
                    if let Some(w) = expected
                        .turn
                        .iter()
                        .find(|w| same(&w.text, text_of(turn, "text")))
                    {
                        tally.kept += 1;
                        found.insert(w.text.clone());
                    } else {
                        notes.push(format!("not kept, {kind}: {}", text_of(turn, "text")));
                    }
                }
            }
            _ => {}
        }
    }
    tally.wanted = match kind {
        ComponentType::Flashcards | ComponentType::Matching | ComponentType::Quiz => {
            expected.term.len()
        }
        ComponentType::Cloze => expected.term.len() + expected.cloze.len(),
        ComponentType::Dictation => expected.dictation.len(),
        ComponentType::Shadowing => expected.shadowing.len(),
        ComponentType::Pronunciation => expected.pronunciation.len(),
        ComponentType::Roleplay => expected.turn.len(),
        _ => 0,
    };
    tally.found = found.len().min(tally.wanted);
    // What the instructor wanted and did not get (key terms only: the other lists are long).
    if matches!(kind, ComponentType::Flashcards) {
        for t in &expected.term {
            if !found.contains(&t.term) {
                notes.push(format!("missed, {kind}: {} ({})", t.term, t.sentence));
            }
        }
    }
    tally
}

/// Every text a draft shows a learner, with where it is (a JSON pointer).
pub fn drafted_texts(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::String(s) => out.push((at.to_string(), s.clone())),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                drafted_texts(v, &format!("{at}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                // Ids, provenance quotes (the lecture's own words) and languages are not shown.
                if !matches!(
                    k.as_str(),
                    "id" | "provenance" | "language" | "speaker" | "mode"
                ) {
                    drafted_texts(v, &format!("{at}/{k}"), out);
                }
            }
        }
        _ => {}
    }
}

/// The figures of a set: per half, language and type, precision, recall and the counts
/// behind them; and the drafted Korean texts cut before their end. What an instructor would
/// not keep in the lectures of half `show`, and the key terms missed, go to `notes`.
pub fn figures(lectures: &[Lecture], show: Option<&str>, notes: &mut Vec<String>) -> Vec<Figure> {
    let mut tallies: BTreeMap<(&str, String, ComponentType), Tally> = BTreeMap::new();
    let mut cut: BTreeMap<(&str, String), usize> = BTreeMap::new();
    for lecture in lectures {
        let drafted = drafts(&lecture.text, &lecture.name);
        let language = lecture.expected.language.clone();
        for kind in scored() {
            tallies
                .entry((lecture.split, language.clone(), kind))
                .or_default()
                .add({
                    let mut mine = Vec::new();
                    let tally = score(kind, &drafted, &lecture.expected, &mut mine);
                    if show == Some(lecture.split) {
                        notes.extend(mine.into_iter().map(|n| format!("{}: {n}", lecture.name)));
                    }
                    tally
                });
        }
        let entry = cut.entry((lecture.split, language)).or_default();
        for (_, payload) in &drafted {
            let mut texts = Vec::new();
            drafted_texts(payload, "", &mut texts);
            *entry += texts.iter().filter(|(_, t)| cut_off(t)).count();
        }
    }
    let mut out = Vec::new();
    for ((split, language, kind), t) in &tallies {
        let name = format!(
            "drafting.{}.{language}.{}",
            split.replace('-', "_"),
            kind.as_str().to_lowercase()
        );
        if t.drafted > 0 {
            out.push(Figure {
                name: format!("{name}.precision"),
                value: t.kept as f64 / t.drafted as f64,
                unit: "ratio",
            });
        }
        if t.wanted > 0 {
            out.push(Figure {
                name: format!("{name}.recall"),
                value: t.found as f64 / t.wanted as f64,
                unit: "ratio",
            });
        }
        out.push(Figure {
            name: format!("{name}.drafted"),
            value: t.drafted as f64,
            unit: "items",
        });
        out.push(Figure {
            name: format!("{name}.kept"),
            value: t.kept as f64,
            unit: "items",
        });
        out.push(Figure {
            name: format!("{name}.wanted"),
            value: t.wanted as f64,
            unit: "items",
        });
    }
    for ((split, language), n) in cut {
        out.push(Figure {
            name: format!(
                "drafting.{}.{language}.cut_off_texts",
                split.replace('-', "_")
            ),
            value: n as f64,
            unit: "texts",
        });
    }
    out
}
