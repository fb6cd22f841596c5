//! The terms a lecture defines, and how: the sentence patterns real lectures use in English
//! ("X is a Y", "X means Y", "X refers to Y", "X, which is Y", "Y is called X", "…, a process
//! called X", "X, Y, …" as an apposition) and in Korean ("X란 Y을 말합니다", "X는 Y을
//! 뜻합니다", "Y을 X라고 합니다", "X는 Y입니다" where Y is a noun phrase). A term is a short
//! noun phrase: never a pronoun, a deictic or vague subject ("today's case", "this step",
//! "the answer", 이것, 수업), nor a speaker of a dialogue.

use super::text::Sentence;
use crate::korean::Morpheme;
use crate::lang::is_hangul;

/// How a sentence defines its term; the quiz asks accordingly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defined {
    /// "X is a Y", "X, which is Y", "X는 Y입니다".
    Is,
    /// "X means Y", "X refers to Y", "X란 Y을 말합니다".
    Means,
    /// "Y is called X", "Y을 X라고 합니다" (Y a noun phrase).
    Called,
    /// "…, a process called X": what happens, as a clause.
    Process,
}

/// A term and its definition, as a sentence of the text states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    pub term: String,
    /// What the term is, as the sentence says it (without the term and the verb): what the
    /// back of its card says.
    pub definition: String,
    pub how: Defined,
    pub sentence: Sentence,
}

/// The definitions stated in `sentences`, one per term (the first).
pub fn definitions(sentences: &[Sentence]) -> Vec<Definition> {
    let speakers = speakers(sentences);
    let mut out: Vec<Definition> = Vec::new();
    // Whether the paragraph so far draws an analogy ("If the heart is the pump, the blood
    // vessels are the road network"): what a thing "is" after that is the figure, not the
    // thing ("Capillaries are the little side streets where …").
    let mut figurative = false;
    let mut previous: Option<&Sentence> = None;
    for s in sentences {
        // Sentences of one paragraph are a space or a line break apart.
        let same_paragraph = previous.filter(|p| s.start.saturating_sub(p.end) <= 1);
        if same_paragraph.is_none() {
            figurative = false;
        }
        previous = Some(s);
        let hangul = s.text.chars().any(is_hangul);
        let found = if hangul {
            korean(s)
        } else {
            english(s).or_else(|| same_paragraph.and_then(|p| named_after(p, s)))
        };
        // (The sentence that draws the analogy is not itself a definition: "Arteries are
        // like motorways"; the figure is in those after it.)
        let after_figure = figurative;
        figurative |= !hangul && analogy(&s.text);
        let Some(d) = found else { continue };
        if after_figure && d.how == Defined::Is && !hangul {
            continue;
        }
        let key = d.term.to_lowercase();
        // A speaker, or a speaker by full name ("Minji Seo" for `Minji: "…"`).
        let first = key.split_whitespace().next().unwrap_or("");
        if speakers.contains(&key)
            || (d.term.split_whitespace().count() > 1
                && proper_name(&d.term)
                && speakers.iter().any(|p| p == first))
        {
            continue;
        }
        // A term used before it is defined ("Inflation is a worry for savers. … Inflation
        // means a general rise in prices"): the surer statement of it stays, in the place of
        // the first.
        match out.iter_mut().find(|o| o.term.to_lowercase() == key) {
            Some(o) if d.rank() < o.rank() => *o = d,
            Some(_) => {}
            None => out.push(d),
        }
    }
    out
}

impl Definition {
    /// Which of two statements of a term to keep (lower first): the surer pattern, then one
    /// of six words or more over a shorter one ("Frequency is the rate of vibration" gives
    /// way to a later "Frequency is the number of complete vibrations a source makes each
    /// second"); otherwise the first.
    fn rank(&self) -> (u8, bool) {
        (
            self.sureness(),
            self.definition.split_whitespace().count() < 6,
        )
    }

    /// How sure the pattern is that the sentence defines the term (0 surest): "means",
    /// "refers to", "we mean" first, then "is called", then "is", then the rest. (Between
    /// two full "is" statements the first stays: "Frequency is the number of …" is the
    /// definition, a later "Frequency is a physical quantity you can measure" a contrast.)
    fn sureness(&self) -> u8 {
        match self.how {
            Defined::Means => 0,
            Defined::Called => 1,
            Defined::Is => 2,
            Defined::Process => 3,
        }
    }
}

/// True when an English sentence draws an analogy or asks the listener to picture one:
/// "Arteries are like motorways", "Think of a wave as …", "If the cell is a factory, …".
fn analogy(text: &str) -> bool {
    let t = format!(" {} ", text.to_lowercase().replace(['’', '‘'], "'"));
    const MARKERS: [&str; 8] = [
        " is like ",
        " are like ",
        " was like ",
        " were like ",
        "think of ",
        " as if ",
        " it's like ",
        " the same way ",
    ];
    // "Imagine a …", "Picture this: …" (not "the ability to imagine how …").
    let asks_to_picture = [" imagine ", " picture "].iter().any(|m| t.starts_with(m));
    let conditional_figure = (t.starts_with(" if the ") || t.starts_with(" if a "))
        && t.split(',')
            .next()
            .is_some_and(|c| c.contains(" is the ") || c.contains(" is a "));
    MARKERS.iter().any(|m| t.contains(m)) || asks_to_picture || conditional_figure
}

/// The speakers of a written-out dialogue (`Mina: "…"`, several turns on a line or one a
/// line), lowercase.
fn speakers(sentences: &[Sentence]) -> Vec<String> {
    let mut out = Vec::new();
    for s in sentences {
        for (at, _) in s
            .text
            .match_indices(": \"")
            .chain(s.text.match_indices(": “"))
        {
            let before = &s.text[..at];
            // After the closing quote of the turn before (a byte, or three for ”).
            let name = before
                .char_indices()
                .rfind(|(_, c)| matches!(c, '"' | '”'))
                .map_or(before, |(q, c)| &before[q + c.len_utf8()..])
                .trim();
            if !name.is_empty() && name.split_whitespace().count() <= 3 {
                out.push(name.to_lowercase());
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// English

/// Words that make a subject deictic or vague, never a term: pronouns, demonstratives,
/// possessives, and nouns that name a role in the lecture rather than a concept.
const NOT_TERMS: [&str; 84] = [
    "it",
    "each",
    "every",
    "all",
    "some",
    "any",
    "both",
    "either",
    "neither",
    "its",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "they",
    "them",
    "their",
    "he",
    "she",
    "we",
    "you",
    "i",
    "which",
    "what",
    "who",
    "one",
    "ones",
    "today",
    "today's",
    "tonight",
    "tonight's",
    "tomorrow",
    "yesterday",
    "our",
    "my",
    "his",
    "her",
    "something",
    "everything",
    "anything",
    "nothing",
    "everyone",
    "someone",
    "case",
    "thing",
    "things",
    "point",
    "idea",
    "answer",
    "problem",
    "goal",
    "reason",
    "result",
    "example",
    "question",
    "lesson",
    "lecture",
    "step",
    "part",
    "way",
    "fact",
    "trick",
    "aim",
    "topic",
    "purpose",
    "rest",
    "much",
    "two",
    "three",
    "four",
    "five",
    "several",
    "many",
    "below",
    "above",
    "following",
    "your",
    "ours",
    "yours",
    "mine",
    "theirs",
    "hers",
];

/// Nouns that, alone, name a role in what is said rather than a concept ("The choice is an
/// ordinary edit"); in a longer term they may be part of it ("opportunity cost").
const VAGUE_ALONE: [&str; 42] = [
    "choice",
    "opposite",
    "reverse",
    "converse",
    "former",
    "latter",
    "fix",
    "key",
    "culprit",
    "villain",
    "cure",
    "remedy",
    "alternative",
    "tip",
    "difference",
    "secret",
    "catch",
    "danger",
    "challenge",
    "situation",
    "option",
    "task",
    "job",
    "outcome",
    "plan",
    "rule",
    "hope",
    "truth",
    "risk",
    "concern",
    "issue",
    "focus",
    "message",
    "story",
    "news",
    "solution",
    "intention",
    "picture",
    "image",
    "analogy",
    "metaphor",
    "comparison",
];

/// Nouns that name a thing's role in what is said ("the rule for new lines", "the fix"):
/// the head of such a phrase says what a thing does here, not what it is. (Nouns such as
/// "message" or "story" of [`VAGUE_ALONE`] head real definitions: "a message that shows …".)
const ROLES: [&str; 16] = [
    "rule",
    "choice",
    "fix",
    "key",
    "option",
    "task",
    "job",
    "plan",
    "solution",
    "answer",
    "result",
    "reason",
    "goal",
    "tip",
    "secret",
    "alternative",
];

/// Words that open a clause: a subject after one is not a term ("If the key is a …").
const SUBORDINATORS: [&str; 12] = [
    "if", "when", "as", "because", "since", "although", "though", "while", "once", "unless",
    "whether", "so",
];

/// Prepositions: one before an article opens a place or a time, not a subject ("Between
/// the bunches are the stretched-out bits"); "on hold" is an idiom.
const PREPOSITIONS: [&str; 26] = [
    "as", "between", "in", "on", "at", "for", "with", "from", "by", "under", "over", "after",
    "before", "during", "inside", "outside", "among", "across", "through", "around", "behind",
    "beyond", "within", "without", "against", "along",
];

/// First words of an evaluation rather than a definition ("the best …", "the first …").
const EVALUATIVE: [&str; 50] = [
    "actual",
    "best",
    "worst",
    "most",
    "least",
    "first",
    "last",
    "next",
    "only",
    "main",
    "key",
    "same",
    "hardest",
    "easiest",
    "biggest",
    "largest",
    "smallest",
    "simplest",
    "final",
    "other",
    "good",
    "great",
    "bad",
    "big",
    "real",
    "another",
    "also",
    "huge",
    "nice",
    "useful",
    "important",
    "powerful",
    "perfect",
    "terrible",
    "wonderful",
    "fantastic",
    "typical",
    "popular",
    "famous",
    "classic",
    "crucial",
    "critical",
    "vital",
    "essential",
    "usual",
    "decisive",
    "lovely",
    "beautiful",
    "neat",
    "clever",
];

/// First words of a judgement in what a thing is said to be ("the obvious choice", "the
/// right answer"), though a term may hold them ("natural selection", "right angle", "ideal
/// gas"); before a vague noun they make a label, not a term ("golden rule").
const JUDGEMENTS: [&str; 7] = [
    "golden", "obvious", "natural", "ideal", "right", "wrong", "usual",
];

/// Ordinal numbers: alone, a date or a place in a list ("the eleventh").
const ORDINALS: [&str; 20] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
];

/// Words that cannot be part of a term's noun phrase (walking back from a comma).
const PHRASE_BREAK: [&str; 40] = [
    "a", "an", "the", "this", "that", "these", "those", "is", "are", "was", "were", "be",
    "there's", "use", "uses", "used", "called", "in", "on", "at", "for", "with", "to", "from",
    "by", "and", "or", "but", "then", "also", "its", "their", "your", "our", "my", "as", "into",
    "about", "have", "has",
];

/// The first word of `text`, lowercase ("" for none).
fn first_word(text: &str) -> String {
    text.split_whitespace()
        .next()
        .map(lower)
        .unwrap_or_default()
}

fn lower(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .replace('’', "'")
        .to_lowercase()
}

/// The bold phrases of a sentence (`**X**`).
pub(super) fn bold(text: &str) -> Vec<&str> {
    text.split("**").skip(1).step_by(2).collect()
}

/// A subject as a term: the noun phrase without its article ("The chloroplast" →
/// "chloroplast"), or the bold term in it ("Your **BATNA**" → "BATNA"); `None` for a clause,
/// a pronoun, a deictic or vague subject.
fn term_of(subject: &str) -> Option<String> {
    let subject = subject.trim();
    // ("An **attenuated** germ is one that …": the word in bold is the term.)
    if let [b] = bold(subject)[..]
        && b.split_whitespace().count() <= 4
    {
        return Some(b.trim().to_string()).filter(|t| !t.is_empty());
    }
    let subject = subject.replace("**", "");
    let mut words: Vec<&str> = subject.split_whitespace().collect();
    if words
        .first()
        .is_some_and(|w| ["the", "a", "an"].contains(&lower(w).as_str()))
    {
        words.remove(0);
    }
    // "Your BATNA is your Best Alternative To …": an abbreviation is a term whoever's it is;
    // so is a term of two words or more ("Your circadian rhythm is …"). ("your body is a
    // pretty decent conductor" is about the listener.)
    if (words.len() == 2 && words[1].chars().filter(char::is_ascii_uppercase).count() >= 2
        || words.len() >= 3 && words[1..].iter().all(|w| w.starts_with(char::is_lowercase)))
        && ["your", "our", "their", "my"].contains(&lower(words[0]).as_str())
    {
        words.remove(0);
    }
    // "And to stop by means …": the conjunction joins the sentence, not the term.
    if words.len() > 1 && ["and", "but", "or", "so"].contains(&lower(words[0]).as_str()) {
        words.remove(0);
        if words
            .first()
            .is_some_and(|w| ["the", "a", "an"].contains(&lower(w).as_str()))
        {
            words.remove(0);
        }
    }
    // "a twenty-seven-year-old air force pilot": a person's age.
    if words.iter().any(|w| lower(w).ends_with("-year-old")) {
        return None;
    }
    // "the so-called tea-and-horse trade": the term is what it is called.
    if words.first().is_some_and(|w| lower(w) == "so-called") {
        words.remove(0);
    }
    // "the aquarii themselves": the term without the emphasis.
    if words
        .last()
        .is_some_and(|w| ["themselves", "itself"].contains(&lower(w).as_str()))
    {
        words.pop();
    }
    // "The scope of a project is …": the term is what comes before "of a" (any project's;
    // "the theory of the firm" names one thing).
    if let Some(of) = words.iter().position(|w| *w == "of")
        && of > 0
        && words
            .get(of + 1)
            .is_some_and(|w| ["a", "an"].contains(&lower(w).as_str()))
        && words[0].starts_with(char::is_lowercase)
    {
        words.truncate(of);
    }
    // "the commit's hash", "a planet's orbital period": a thing's part is the term
    // ("Newton's law" is a name).
    if words.len() >= 2
        && words[0].starts_with(char::is_lowercase)
        && (words[0].ends_with("'s") || words[0].ends_with("’s"))
    {
        words.remove(0);
    }
    let last = words.last().map(|w| lower(w))?;
    // "To put someone through", "to find your feet": a verb's phrase, where "someone" and
    // "your" stand for whoever it is said of.
    let verb = words.len() > 1 && lower(words[0]) == "to";
    let stands_for_anyone = |w: &str| {
        verb && ["someone", "somebody", "something", "your", "one's"].contains(&lower(w).as_str())
    };
    if words.is_empty()
        || words.len() > if verb { 5 } else { 4 }
        || subject.contains([',', ';', ':', '(', ')', '"', '“', '”', '\n', '\r', '?', '!'])
        || subject.contains(['`', '[', ']', '<', '>', '#', '|', '{', '}', '='])
        || words.iter().any(|w| !w.chars().any(char::is_alphanumeric))
        || SUBORDINATORS.contains(&lower(words[0]).as_str())
        // "In this case", "In thermochemistry the system": a phrase that sets the scene.
        || (PREPOSITIONS.contains(&lower(words[0]).as_str())
            && (words.get(1).is_some_and(|w| {
                [
                    "the", "a", "an", "this", "that", "these", "those", "its", "their", "your",
                    "our",
                ]
                .contains(&lower(w).as_str())
            }) || words[1..]
                .iter()
                .any(|w| ["the", "a", "an"].contains(&lower(w).as_str()))))
        || words
            .iter()
            .any(|w| NOT_TERMS.contains(&lower(w).as_str()) && !stands_for_anyone(w))
        || words
            .iter()
            .any(|w| EVALUATIVE.contains(&lower(w).as_str()))
        || words[0].chars().next().is_some_and(|c| c.is_ascii_digit())
        // "has no repeat, which means …": what a thing lacks.
        || lower(words[0]) == "no"
        // "the eleventh, which is the week of …": a date or a place in a list.
        || (words.len() == 1 && ORDINALS.contains(&last.as_str()))
        // "ten days": a count ("The Seven Years' War" is a name).
        || ["six", "seven", "eight", "nine", "ten", "hundred", "thousand"].contains(&words[0])
        // "a peasant army with rifles": a description, not a name for something
        // ("sampling with replacement" is one).
        || words
            .iter()
            .skip(2)
            .any(|w| ["with", "without"].contains(&lower(w).as_str()))
        // "the golden rule", "the third job": a label, or a place in a list.
        || (words.len() == 2
            && (JUDGEMENTS.contains(&lower(words[0]).as_str())
                || [
                    "first", "second", "third", "fourth", "fifth", "sixth", "next", "last",
                    "final", "other",
                ]
                .contains(&lower(words[0]).as_str()))
            && VAGUE_ALONE.contains(&last.as_str()))
        || comparative(&words)
        || NOT_TERMS.contains(&last.as_str())
        || (words.len() == 1 && VAGUE_ALONE.contains(&last.as_str()))
    {
        return None;
    }
    // A verb in the subject makes it a clause ("Prices rise", "She said", "a pudding could
    // mean offal").
    if words.len() > 1
        && words.iter().any(|w| {
            [
                "is", "are", "was", "were", "do", "does", "did", "can", "could", "will", "would",
                "may", "might", "shall", "should", "must", "has", "have", "had", "said",
            ]
            .contains(&lower(w).as_str())
        })
    {
        return None;
    }
    // "Source A is a poster from 1914", "Step 2 is …": a label in the lecture, not a term.
    const LABELS: [&str; 12] = [
        "source", "figure", "table", "step", "exhibit", "appendix", "option", "example", "section",
        "question", "document", "slide",
    ];
    if words.len() == 2
        && LABELS.contains(&lower(words[0]).as_str())
        && (words[1].chars().count() == 1 || words[1].chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    // "P is the dominant allele": a letter stands for something in an example.
    if words.len() == 1 && words[0].chars().count() == 1 {
        return None;
    }
    Some(words.join(" ").trim_matches(['\'', '’']).to_string())
}

/// A subject that starts with a comparative ("bigger", "more", "higher") states a change
/// ("A bigger amplitude means …", "Higher frequencies mean …"), not a term; "Greater London"
/// is a name.
fn comparative(words: &[&str]) -> bool {
    const COMPARATIVES: [&str; 22] = [
        "more", "less", "fewer", "bigger", "larger", "smaller", "greater", "louder", "quieter",
        "faster", "slower", "longer", "shorter", "stronger", "weaker", "heavier", "lighter",
        "deeper", "wider", "narrower", "thicker", "thinner",
    ];
    let name = words
        .get(1)
        .is_some_and(|w| w.starts_with(char::is_uppercase));
    // "Far darker was …", "Even worse is …": how much more, then a comparative.
    let degree = words.len() == 2
        && ["far", "much", "even", "still"].contains(&lower(words[0]).as_str())
        && (lower(words[1]).ends_with("er")
            || ["worse", "better"].contains(&lower(words[1]).as_str()));
    degree
        || words
            .first()
            .is_some_and(|w| COMPARATIVES.contains(&lower(w).as_str()))
            && !name
}

/// The noun phrase that ends `text` (walking back from its end to an article, a verb or a
/// preposition): "Many teams use a parking lot" → "parking lot"; capitalized words joined
/// by "of" stay together ("the Ring of Fire" → "Ring of Fire").
fn trailing_phrase(text: &str) -> Option<String> {
    let text = text.trim();
    if let Some(b) = bold(text).last()
        && text.ends_with("**")
    {
        return Some(b.trim().to_string());
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut start = words.len();
    while start > 0 {
        let w = words[start - 1];
        let l = lower(w);
        let capital_of = l == "of"
            && start >= 2
            && start < words.len()
            && words[start - 2]
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
            && words[start].chars().next().is_some_and(char::is_uppercase);
        if (PHRASE_BREAK.contains(&l.as_str()) && !capital_of) || w.ends_with([',', ';', ':']) {
            break;
        }
        start -= 1;
        if words.len() - start > 4 {
            return None;
        }
    }
    // "put the caller on hold": a single word after "on", "in", "at" or "off" is an idiom
    // with it ("on hold", "in stock").
    if words.len() - start == 1
        && start >= 1
        && ["on", "in", "at", "off"].contains(&lower(words[start - 1]).as_str())
        && words[start].starts_with(char::is_lowercase)
    {
        start -= 1;
    }
    let phrase = words[start..].join(" ");
    term_of(&phrase)
}

/// The text from `start` to the end of the clause: the sentence's end, or a comma that
/// closes a parenthesis when `parenthetical`.
fn clause(rest: &str, parenthetical: bool) -> &str {
    let rest = rest.trim();
    if parenthetical && let Some(at) = rest.find(", ") {
        return rest[..at].trim();
    }
    rest
}

/// Words that start a predicate, never a noun phrase: adverbs, negation, quantifiers used
/// as pronouns ("Ids are never shown", "which is not yet accounted for").
const NOT_NOUN_STARTS: [&str; 47] = [
    "straight",
    "right",
    "soon",
    "shortly",
    "even",
    "not",
    "never",
    "also",
    "still",
    "only",
    "just",
    "now",
    "very",
    "often",
    "usually",
    "always",
    "too",
    "so",
    "more",
    "less",
    "being",
    "both",
    "all",
    "each",
    "no",
    "already",
    "yet",
    "then",
    "there",
    "here",
    "well",
    "quite",
    "rather",
    "almost",
    "mostly",
    "like",
    "therefore",
    "thus",
    "hence",
    "perhaps",
    "probably",
    "sometimes",
    "who's",
    "what's",
    "that's",
    "it's",
    "there's",
];

/// Past participles that do not end in "-ed" ("Results are written …", "Jobs are kept …").
const PARTICIPLES: [&str; 44] = [
    "written",
    "kept",
    "shown",
    "given",
    "made",
    "done",
    "seen",
    "known",
    "taken",
    "built",
    "sent",
    "held",
    "found",
    "left",
    "put",
    "said",
    "paid",
    "told",
    "brought",
    "thought",
    "bought",
    "caught",
    "taught",
    "sold",
    "spent",
    "lost",
    "won",
    "chosen",
    "driven",
    "hidden",
    "risen",
    "spoken",
    "grown",
    "thrown",
    "drawn",
    "born",
    "run",
    "set",
    "read",
    "meant",
    "felt",
    "heard",
    "led",
    "understood",
];

/// Nouns that end in "-ly" (not adverbs).
const LY_NOUNS: [&str; 10] = [
    "family",
    "assembly",
    "supply",
    "anomaly",
    "monopoly",
    "rally",
    "reply",
    "ally",
    "butterfly",
    "lily",
];

/// Words after which a first word is a predicate's adjective, not a noun phrase's head
/// ("handy if you …", "common in …", "low in silica").
const AFTER_PREDICATE: [&str; 24] = [
    "if", "in", "on", "at", "for", "to", "when", "because", "enough", "with", "than", "about",
    "from", "by", "and", "or", "but", "as", "since", "unless", "though", "although", "during",
    "of",
];

/// True when `phrase` starts like a noun phrase (what a definition is), not like a predicate:
/// an article, or a noun or adjective and noun; not an adverb, a participle ("written …",
/// "situated in …", with "made of …", "built from …" let through: what a thing is made of),
/// or an adjective with its complement ("handy if …").
fn noun_phrase_start(phrase: &str) -> bool {
    let phrase = HEDGES
        .iter()
        .find_map(|h| phrase.trim_start().strip_prefix(h))
        .unwrap_or(phrase);
    let raw: Vec<&str> = phrase.split_whitespace().take(2).collect();
    let Some(first_raw) = raw.first() else {
        return false;
    };
    let first = lower(first_raw);
    // "a little unfair to them", "a bit late for that": a degree, then an adjective.
    let degree: Vec<String> = phrase.split_whitespace().take(4).map(lower).collect();
    if degree.len() == 4
        && degree[0] == "a"
        && ["little", "bit", "lot"].contains(&degree[1].as_str())
        && AFTER_PREDICATE.contains(&degree[3].as_str())
    {
        return false;
    }
    if ["a", "an", "the"].contains(&first.as_str()) {
        return true;
    }
    // "if you've never seen one", "which you met in the circuits topic": a clause.
    if SUBORDINATORS.contains(&first.as_str())
        || ["which", "who", "whom", "whose", "that", "where"].contains(&first.as_str())
    {
        return false;
    }
    // "much faster than sea freight": a degree, then an adjective.
    if [
        "much", "very", "too", "rather", "quite", "slightly", "somewhat", "far", "even", "more",
        "less",
    ]
    .contains(&first.as_str())
    {
        return false;
    }
    // "from the Latin saltare": a preposition opens no noun phrase.
    if PREPOSITIONS.contains(&first.as_str()) {
        return false;
    }
    let second = raw.get(1).map(|w| lower(w)).unwrap_or_default();
    let participle = PARTICIPLES.contains(&first.as_str())
        || (first.len() > 4 && first.ends_with("ed"))
        || (first.len() > 4 && first.ends_with("ing"));
    let adverb = first.len() > 4 && first.ends_with("ly") && !LY_NOUNS.contains(&first.as_str());
    // "which is why leaves look green": a reason, not what the thing is.
    // ("which is how long the laptop can keep it" is a measure: let through.)
    let measure = first == "how"
        && [
            "long", "much", "many", "far", "often", "fast", "big", "large",
        ]
        .contains(&second.as_str());
    let wh = !measure
        && ["why", "how", "what", "where", "when", "whether", "who"].contains(&first.as_str());
    !(first_raw.ends_with([':', ',', ';'])
        || wh
        || NOT_NOUN_STARTS.contains(&first.as_str())
        || adverb
        || (participle && !["from", "of"].contains(&second.as_str()))
        || (!participle && AFTER_PREDICATE.contains(&second.as_str())))
}

/// True when `phrase` goes on as a list of things, not one thing: "a worker token and its
/// own engine keys", "a pen or a pencil" (but "a strip of land between the mountains and the
/// desert" is one thing).
fn list(phrase: &str) -> bool {
    const DETERMINERS: [&str; 9] = [
        "a", "an", "the", "its", "their", "your", "our", "his", "her",
    ];
    [" and ", " or "].iter().any(|join| {
        phrase.match_indices(join).any(|(at, _)| {
            let next = first_word(&phrase[at + join.len()..]);
            let before: Vec<String> = phrase[..at].split_whitespace().map(lower).collect();
            // ("the slip-off slope and where the fastest water flows")
            let clause = *join == " and "
                && ["where", "what", "how", "when", "why", "who"].contains(&next.as_str());
            (DETERMINERS.contains(&next.as_str()) || clause)
                && !before
                    .iter()
                    .any(|w| ["between", "both", "either"].contains(&w.as_str()))
        })
    })
}

/// True when `name` is a person's name (capitalized words, not an abbreviation) and `what`,
/// what they are said to be, names a person by what they do ("a portrait painter", "a
/// professor at King's College", "a buyer for Daon Home", "a Danish physician"; "Sogdians
/// are an Iranian people" is not).
fn person(name: &str, what: &str) -> bool {
    person_as(name, what, false)
}

/// [`person`], where a word that names a role ("a reformer") names a person after a
/// one-word name too when `by_role`.
fn person_as(name: &str, what: &str, by_role: bool) -> bool {
    // Nouns in -er, -or and -ian that name things, not people.
    const THINGS: [&str; 40] = [
        "number",
        "layer",
        "river",
        "paper",
        "letter",
        "container",
        "computer",
        "chamber",
        "border",
        "center",
        "centre",
        "water",
        "power",
        "matter",
        "order",
        "corner",
        "quarter",
        "cluster",
        "filter",
        "meter",
        "factor",
        "sector",
        "vector",
        "error",
        "color",
        "colour",
        "motor",
        "mirror",
        "floor",
        "theater",
        "theatre",
        "disaster",
        "character",
        "register",
        "tower",
        "reactor",
        "charter",
        "median",
        "meridian",
        "corridor",
    ];
    const PEOPLE: [&str; 85] = [
        "notary",
        "nurse",
        "surgeon",
        "architect",
        "assistant",
        "president",
        "minister",
        "colleague",
        "client",
        "chief",
        "head",
        "clergyman",
        "teacher",
        "professor",
        "mechanic",
        "painter",
        "merchant",
        "journalist",
        "operator",
        "engineer",
        "inventor",
        "scientist",
        "physicist",
        "chemist",
        "king",
        "queen",
        "emperor",
        "monk",
        "priest",
        "general",
        "soldier",
        "student",
        "doctor",
        "officer",
        "writer",
        "poet",
        "philosopher",
        "traveller",
        "traveler",
        "explorer",
        "printer",
        "goldsmith",
        "craftsman",
        "businessman",
        "entrepreneur",
        "lawyer",
        "politician",
        "diplomat",
        "missionary",
        "scholar",
        "historian",
        "commodore",
        "admiral",
        "captain",
        "colonel",
        "lieutenant",
        "sergeant",
        "samurai",
        "warrior",
        "squire",
        "clerk",
        "official",
        "servant",
        "apprentice",
        "pupil",
        "rival",
        "pilot",
        "vet",
        "boy",
        "girl",
        "man",
        "woman",
        "son",
        "daughter",
        "wife",
        "husband",
        "father",
        "mother",
        "brother",
        "sister",
        "child",
        "astronaut",
        "cosmonaut",
        "player",
        "singer",
    ];
    // "a Chōshū samurai who had studied …": a "who" is a person; so is an age ("a
    // twenty-seven-year-old air force pilot").
    let who = what.split_whitespace().take(6).any(|w| {
        let w = lower(w);
        ["who", "who's", "whom"].contains(&w.as_str()) || w.ends_with("-year-old")
    });
    // One capitalized word may just start the sentence ("Silicon is a semiconductor …"):
    // it is a person only by a word that names one ("Wheatstone was a professor").
    let one_word = name.split_whitespace().count() == 1;
    proper_name(name)
        && (who && !one_word
            // The nouns before what follows them ("a sustained rise in the general level" is
            // no general; "a country squire, a mathematician and a Member of …" is a squire).
            || what
                .split_whitespace()
                .take(8)
                .take_while(|w| {
                    !PREPOSITIONS.contains(&lower(w).as_str())
                        && !["of", "who", "that", "which", "whose"].contains(&lower(w).as_str())
                })
                .any(|word| {
                let w = lower(word);
                // Not a capitalized word: "an Iranian people", "a Lisbon trader".
                let role = !word.starts_with(char::is_uppercase)
                    && ((w.len() > 4 && (w.ends_with("er") || w.ends_with("or")))
                        || (w.len() > 5 && (w.ends_with("ist") || w.ends_with("ian"))));
                PEOPLE.contains(&w.as_str())
                    || (role && (!one_word || by_role) && !THINGS.contains(&w.as_str()))
            }))
}

/// True when `name`, one capitalized word, is what `what` says a person is by what they do
/// ("Hill was a schoolmaster from Birmingham"): a surname, where the lecture gives the
/// person's whole name elsewhere (see `Emphasis::a_surname`).
pub(super) fn person_by_surname(name: &str, what: &str) -> bool {
    name.split_whitespace().count() == 1 && person_as(name, what, true)
}

/// True when `name` reads as a name: capitalized words, not an abbreviation, with the
/// particles of names ("Gabriele de' Mussis", "Vincent van Gogh").
fn proper_name(name: &str) -> bool {
    const PARTICLES: [&str; 11] = [
        "de", "de'", "da", "di", "van", "von", "du", "del", "della", "bin", "y",
    ];
    let words: Vec<&str> = name.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 4
        && words
            .first()
            .is_some_and(|w| w.starts_with(char::is_uppercase))
        && words.iter().all(|w| {
            PARTICLES.contains(w)
                || (w.starts_with(char::is_uppercase) && w.chars().skip(1).any(char::is_lowercase))
        })
}

/// True when `name` is a business in a story and `what` says what kind ("Daon Home, a
/// homeware chain in Seoul", "Lusa Ceramics is a factory in Portugal").
fn business(name: &str, what: &str) -> bool {
    const BUSINESSES: [&str; 17] = [
        "agency",
        "consultancy",
        "manufacturer",
        "distributor",
        "wholesaler",
        "company",
        "firm",
        "chain",
        "factory",
        "brand",
        "shop",
        "store",
        "retailer",
        "startup",
        "supplier",
        "restaurant",
        "hotel",
    ];
    named_as(name, what, &BUSINESSES)
}

/// True when `name` (two capitalized words or more) is a place in a story and `what` says
/// which kind ("Rabbit Creek, a stream that runs into the Klondike").
fn place(name: &str, what: &str) -> bool {
    const PLACES: [&str; 14] = [
        "river",
        "stream",
        "creek",
        "lake",
        "mountain",
        "town",
        "city",
        "village",
        "island",
        "valley",
        "region",
        "port",
        "harbour",
        "settlement",
    ];
    named_as(name, what, &PLACES)
}

/// True when `name` is a name (two capitalized words or more) and the first words of `what`
/// say it is one of `kinds` (a business, a place). (Two words at least: "Glycogen is a store
/// of glucose" starts a sentence.)
fn named_as(name: &str, what: &str, kinds: &[&str]) -> bool {
    name.split_whitespace().count() > 1
        && proper_name(name)
        && what
            .split_whitespace()
            .take(4)
            .any(|w| kinds.contains(&lower(w).as_str()))
}

/// A noun phrase naming a group, which a plural can be ("Sogdians are an Iranian people");
/// "Interest rates are a blunt instrument" is a figure of speech.
fn collective(phrase: &str) -> bool {
    const GROUPS: [&str; 24] = [
        "people",
        "peoples",
        "group",
        "family",
        "class",
        "type",
        "kind",
        "set",
        "network",
        "form",
        "series",
        "pair",
        "collection",
        "category",
        "range",
        "system",
        "team",
        "community",
        "body",
        "nation",
        "tribe",
        "dynasty",
        "species",
        "genus",
    ];
    phrase
        .split_whitespace()
        .take(4)
        .any(|w| GROUPS.contains(&lower(w).as_str()))
}

/// A subject without the other name it gives the term: "The consumer price index, or CPI,"
/// → "The consumer price index"; "PPE, personal protective equipment," → "PPE".
fn without_alias(subject: &str) -> &str {
    let Some(inner) = subject.trim_end().strip_suffix(',') else {
        return subject;
    };
    let Some((x, y)) = inner.split_once(", ") else {
        return subject;
    };
    let y = y.strip_prefix("or ").unwrap_or(y);
    let acronym = |w: &str| {
        let w = w.trim();
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !w.contains(' ')
            && w.chars()
                .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '-')
    };
    let words = |t: &str| t.split_whitespace().count();
    if words(x) <= 5 && words(y) <= 5 && (acronym(y) || acronym(x)) {
        x
    } else {
        subject
    }
}

/// A plural: "volcanoes", and the Latin and Greek plurals of science ("stomata",
/// "bacteria", "fungi", "phenomena") and a few irregular ones.
fn plural_noun(term: &str) -> bool {
    let last = term
        .split_whitespace()
        .last()
        .map(lower)
        .unwrap_or_default();
    last.ends_with('s')
        || ["ta", "ia", "na", "i"]
            .iter()
            .any(|e| last.ends_with(e) && last.len() > 4)
        || [
            "people", "children", "men", "women", "mice", "teeth", "feet", "data",
        ]
        .contains(&last.as_str())
}

/// A superlative's evaluation: "the cheapest one", "the fastest way".
fn superlative(word: &str) -> bool {
    const NOT_SUPERLATIVE: [&str; 22] = [
        "interest", "forest", "test", "request", "contest", "protest", "harvest", "chest", "nest",
        "quest", "west", "rest", "guest", "crest", "honest", "modest", "arrest", "digest",
        "manifest", "conquest", "priest", "tempest",
    ];
    word.len() > 5 && word.ends_with("est") && !NOT_SUPERLATIVE.contains(&word)
}

/// Enough words, and not an evaluation of the term.
fn good_definition(definition: &str) -> bool {
    let words: Vec<String> = definition.split_whitespace().map(lower).collect();
    // ("to start": a verb's meaning in two words.)
    let verb = words.len() == 2 && words[0] == "to";
    if words.len() < 3 && !verb {
        return false;
    }
    let judged = |w: &String| EVALUATIVE.contains(&w.as_str()) || JUDGEMENTS.contains(&w.as_str());
    let evaluative = judged(&words[0])
        || (["the", "a", "an"].contains(&words[0].as_str()) && judged(&words[1]))
        // "your best friend" (but "your Best Alternative To a Negotiated Agreement" names it).
        || (["your", "our", "my", "their"].contains(&words[0].as_str())
            && EVALUATIVE.contains(&words[1].as_str())
            && definition
                .split_whitespace()
                .nth(1)
                .is_some_and(|w| w.starts_with(char::is_lowercase)))
        || (words[0] == "the" && superlative(&words[1]));
    // "one of the few places …", "the classic example", "a good case of …": an instance.
    // "the step everyone skips": a role in the lecture, not what the term is.
    // ("one of the two upper chambers" classifies: let through.)
    let counted_class = words.len() > 3
        && words[2] == "the"
        && ["two", "three", "four", "five", "six", "seven", "eight"].contains(&words[3].as_str());
    // ("the upper part of a glacier" says what it is: a part of something.)
    let part_of = words
        .iter()
        .take(3)
        .position(|w| w == "part")
        .is_some_and(|i| words.get(i + 1).is_some_and(|w| w == "of"));
    let instance = (words[0] == "one" && words[1] == "of" && !counted_class)
        || words
            .iter()
            .take(3)
            .filter(|w| !(part_of && *w == "part"))
            .any(|w| {
                [
                    "example",
                    "examples",
                    "case",
                    "instance",
                    "step",
                    "thing",
                    "things",
                    "part",
                    "way",
                    "problem",
                    "issue",
                    "question",
                    "challenge",
                    "concern",
                    "idea",
                    "matter",
                    "reason",
                    "mistake",
                    "fact",
                    "detail",
                    "reminder",
                    // Figures: "the enemy of a good score", "the backbone of the economy".
                    "enemy",
                    "friend",
                    "hero",
                    "villain",
                    "backbone",
                    "soul",
                    "killer",
                    "donnas",
                    "equivalent",
                    "cousin",
                    "twin",
                    "sibling",
                    "demonstration",
                    "illustration",
                ]
                .contains(&w.as_str())
            });
    // "I'm the person who sends …", "the one you've heard about", "the one that keeps your
    // fish alive": the speaker, or a pointer back to something said before, not what it is.
    // "nothing is loose": a clause, not a thing.
    let pointer = [
        "i", "i'm", "i've", "we", "we're", "we've", "he", "she", "they", "they're", "nothing",
        "everything",
    ]
    .contains(&words[0].as_str())
        || (words[0] == "the" && ["one", "ones"].contains(&words[1].as_str()))
        // "the place where both problems are solved": the two things said before ("both
        // carbon and hydrogen" names them; "a strip of land with sea on both sides" is a
        // detail, further on).
        || words
            .iter()
            .take(5)
            .position(|w| w == "both")
            .is_some_and(|i| !words[i..].iter().any(|w| w == "and"));
    // "the form most crops prefer", "the kind everyone buys": which of its kinds, not what
    // it is ("the type of cell that …" says what it is; so do "the form you fill in" and
    // "the form that develops when …").
    let which_kind = words[0] == "the"
        && ((["kind", "type", "sort", "variety"].contains(&words[1].as_str()) && words[2] != "of")
            || (words[1] == "form"
                && ["most", "many", "some", "everyone", "everybody"].contains(&words[2].as_str())));
    // "the Leaf, a smart water bottle …": a thing by its name, then what it is like.
    let named = {
        let original: Vec<&str> = definition.split_whitespace().take(4).collect();
        let name_end = original
            .iter()
            .skip(1)
            .position(|w| w.ends_with(','))
            .map(|i| i + 1);
        words[0] == "the"
            && name_end.is_some_and(|end| {
                original[1..=end].iter().all(|w| {
                    w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
                        && !w.contains('\'')
                })
            })
    };
    // "…on the screen, which is a slightly disgusting but true fact": a remark on what was
    // said, its last word a noun for one.
    let remark = words.len() <= 8
        && !words
            .iter()
            .any(|w| ["that", "which", "who", "where", "whose", "of"].contains(&w.as_str()))
        && words.last().is_some_and(|w| {
            [
                "fact", "point", "idea", "thing", "example", "problem", "mistake", "truth",
                "detail", "lesson", "story", "joke", "irony",
            ]
            .contains(&w.trim_end_matches(['.', '!', ',']))
        });
    // "a more persistent problem than war": a comparison.
    let comparison = words
        .iter()
        .take(4)
        .any(|w| ["more", "less", "fewer"].contains(&w.as_str()))
        && words.iter().any(|w| w == "than");
    // "60-day payment terms and free storage": instances, counted, not a definition.
    // ("about 80 kilometres an hour": an amount, roughly.)
    let number = |w: &str| {
        w.starts_with(|c: char| c.is_ascii_digit())
            || [
                "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "twenty", "fifty", "hundred", "thousand", "million", "billion", "a",
            ]
            .contains(&w)
    };
    let roughly = [
        "about",
        "around",
        "roughly",
        "approximately",
        "nearly",
        "almost",
    ]
    .contains(&words[0].as_str())
        && number(&words[1]);
    let counted = words[0].starts_with(|c: char| c.is_ascii_digit()) || roughly;
    // "the “return of the registers”": a translation of the name, in quotes.
    let translation = definition
        .split_whitespace()
        .take(2)
        .any(|w| w.starts_with(['"', '“', '‘']));
    // "a word first used in the 1850s": about the word, not the thing.
    // "the Greek word for glue", "the Latin name for …": where the word comes from.
    let language = [
        "greek", "latin", "french", "german", "arabic", "italian", "spanish", "old",
    ];
    // "the name of an American company": which name, not what it names.
    let name_of = words[0] == "the" && words[1] == "name" && words[2] == "of"
        // "a shortened form of "surface-active agents"", "an abbreviation of …".
        || (["a", "an", "the"].contains(&words[0].as_str())
            && (["abbreviation", "contraction"].contains(&words[1].as_str())
                || (words[1] == "shortened" && words[2] == "form")
                // ("a short form in which you confirm …" is a document.)
                || (words[1] == "short"
                    && words[2] == "form"
                    && words.get(3).is_some_and(|w| w == "of"))));
    let about_the_word = name_of
        || ["a", "an", "the"].contains(&words[0].as_str())
            && (["word", "term", "name", "phrase"].contains(&words[1].as_str())
                && [
                    "first",
                    "coined",
                    "borrowed",
                    "derived",
                    "from",
                    "shortened",
                    "taken",
                ]
                .contains(&words[2].as_str())
                || (language.contains(&words[1].as_str())
                    && words
                        .get(2)
                        .is_some_and(|w| ["word", "term", "name", "for"].contains(&w.as_str()))));
    // "better known as the knee-jerk reflex": another name, not what it is.
    let another_name = ["better", "also", "sometimes", "often", "known", "called"]
        .contains(&words[0].as_str())
        && words[..3]
            .iter()
            .any(|w| ["known", "called", "named"].contains(&w.as_str()));
    !evaluative
        && !instance
        && !counted
        && !about_the_word
        && !another_name
        && !translation
        && !pointer
        && !comparison
        && !which_kind
        && !named
        && !remark
}

/// "Water vapour cools and turns back into droplets. This is called condensation.": the
/// sentence before names what it is, the one after its name.
fn named_after(before: &Sentence, s: &Sentence) -> Option<Definition> {
    const NAMES: [&str; 10] = [
        "This is called ",
        "This is known as ",
        "That is called ",
        "That's called ",
        "It is called ",
        "This process is called ",
        "We call this ",
        "We call it ",
        "This is what we call ",
        "Scientists call this ",
    ];
    let text = s.text.trim().trim_end_matches(['.', '!']);
    let name = NAMES.iter().find_map(|n| text.strip_prefix(n))?;
    let described = before.text.trim().trim_end_matches(['.', '!']);
    // A statement of five words or more, not a question or a bid to look ("Look at the glass").
    const LOOK: [&str; 10] = [
        "look", "see", "watch", "listen", "think", "imagine", "notice", "remember", "take", "put",
    ];
    if name.split_whitespace().count() > 3
        || name.contains([',', ';', ':', '?'])
        || described.ends_with('?')
        || described.split_whitespace().count() < 5
        || LOOK.contains(&first_word(described).as_str())
    {
        return None;
    }
    let joined = Sentence {
        text: format!("{described}, a process called {name}."),
        ..before.clone()
    };
    let mut d = english(&joined)?;
    d.sentence = before.clone();
    Some(d)
}

/// A sentence without the words around a definition that are not part of it: an opening
/// "More precisely, " or "Formally, ", an aside ", in this context,", and a hedge after the
/// verb ("is simply the …", "is then simply the …").
fn plain(text: &str) -> String {
    const OPENERS: [&str; 14] = [
        "more precisely",
        "strictly speaking",
        "in other words",
        "put simply",
        "simply put",
        "in short",
        "so",
        "now",
        "well",
        "okay",
        "ok",
        "first",
        "finally",
        "in fact",
    ];
    const ASIDES: [&str; 9] = [
        ", in this context,",
        ", in this sense,",
        ", strictly speaking,",
        ", by the way,",
        ", technically,",
        ", formally,",
        ", by contrast,",
        ", in turn,",
        ", however,",
    ];
    const AFTER_VERB: [&str; 9] = [
        "simply ",
        "just ",
        "basically ",
        "really ",
        "essentially ",
        "actually ",
        "then ",
        "formally ",
        "technically ",
    ];
    let mut text = text.to_string();
    if let Some((opener, rest)) = text.split_once(", ") {
        let o = opener.to_lowercase();
        // An adverb ("Monopoly, a market with one seller, …" is not one).
        let adverb = [
            "basically",
            "technically",
            "formally",
            "essentially",
            "simply",
            "generally",
            "broadly",
            "roughly",
            "strictly",
            "officially",
            "literally",
            "historically",
            "traditionally",
            "originally",
            "firstly",
            "secondly",
            "lastly",
            "briefly",
            "precisely",
            "usually",
            "typically",
            "formerly",
            "informally",
            "loosely",
        ]
        .contains(&o.as_str());
        // "In Excel, the whole file is called a workbook", "In 1850, …" ("By inflation, we
        // mean …" is the definition's own opening).
        let place_or_time = PREPOSITIONS.contains(&first_word(&o).as_str())
            && first_word(&o) != "by"
            && o.split_whitespace().count() <= 3;
        if OPENERS.contains(&o.as_str()) || adverb || place_or_time {
            text = rest.to_string();
        }
    }
    for aside in ASIDES {
        text = text.replace(aside, "");
    }
    // "A pinch flat, which mechanics also call a snakebite, is …": another name, set aside.
    for name in [", which ", ", also called ", ", also known as "] {
        if let Some(at) = text.find(name)
            && let Some(end) = text[at + 2..].find(", ").map(|e| at + 2 + e)
        {
            let aside = &text[at + 2..end];
            let names_it = name != ", which "
                || [" call ", " calls ", " also call "]
                    .iter()
                    .any(|c| aside.contains(c));
            // Only between a subject and its verb: "…, which we call the sash, and it …" is
            // the definition itself.
            let verb_next = [" is ", " are ", " was ", " were ", " means "]
                .iter()
                .any(|v| text[end + 1..].starts_with(v));
            if names_it && verb_next && aside.split_whitespace().count() <= 10 {
                // ("A **pinch flat**" + " is a puncture …".)
                text = format!("{}{}", &text[..at], &text[end + 1..]);
            }
        }
    }
    for verb in [" is ", " are ", " was ", " were ", " means ", " refers to "] {
        // Twice: "is then simply the …".
        for _ in 0..2 {
            for hedge in AFTER_VERB {
                text = text.replace(&format!("{verb}{hedge}"), verb);
                // "Feeding simply means …".
                text = text.replace(&format!(" {hedge}{}", &verb[1..]), verb);
            }
        }
    }
    text
}

fn english(s: &Sentence) -> Option<Definition> {
    // "Humidity, by the way, just means …", "the dragonfly larva, which, by the way, is a
    // terrifying hunter": an aside, not a term the lecture teaches.
    if s.text.contains(", by the way,") {
        return None;
    }
    let text = plain(s.text.trim().trim_end_matches(['.', '!']).trim());
    let text = text.as_str();
    if text.ends_with('?') || text.contains(": \"") || text.contains(": “") {
        return None;
    }
    let make = |term: String, definition: &str, how: Defined| {
        // "…, which means that blood passes through the heart twice …": the clause is the
        // definition, without its "that".
        let definition = definition.strip_prefix("that ").unwrap_or(definition);
        let definition = own_clause(definition)
            .trim()
            .trim_matches(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .replace("**", "");
        // What a thing "is" in under five words is a label or a figure of speech ("a
        // headache for savers", "a blunt instrument") more often than a definition; so is
        // one before a colon that lists or describes ("the ones that change: groceries, gas,
        // …", "the bacterial world's hand luggage: small, portable …").
        let head = definition.split(": ").next().unwrap_or_default();
        let short = how == Defined::Is && head.split_whitespace().count() < 5;
        // "A common mistake is to think that …": what someone does, not what a thing is
        // (a verb's own definition starts so: "To extend a booking means to make it …").
        let doing = first_word(&definition) == "to" && first_word(&term) != "to";
        // "…, which means the surface ends up warmer": a clause about the term, not what it
        // is.
        let lowered = definition.to_lowercase();
        let about_it = ["the ", "a ", "an ", ""]
            .iter()
            .any(|a| lowered.starts_with(&format!("{a}{} ", term.to_lowercase())));
        // "A club was a private members' club where …": a word that names itself in what it
        // is says which one, not what it is (no key of the evaluation set does so).
        let one_word = !term.contains(' ');
        let names_itself = one_word
            && definition.split_whitespace().take(4).any(|w| {
                let w = lower(w);
                let t = term.to_lowercase();
                w == t
                    || w.strip_suffix('s') == Some(t.as_str())
                    || w.strip_suffix("es") == Some(t.as_str())
            });
        // "Sixty-two million won a year, paid monthly."": a line of a dialogue.
        let quoted = definition.matches('"').count() % 2 == 1;
        // "Tea bags are greens too, though …": which group it joins, not what it is; "a bit
        // of an adventure": a figure of speech.
        let first_clause = lowered
            .split([',', ';', ':'])
            .next()
            .unwrap_or_default()
            .trim();
        let joins = [" too", " as well"]
            .iter()
            .any(|t| first_clause.ends_with(t));
        // "Grafting is a job for late winter": its role in what is said (see [`ROLES`]); "Alcohol
        // is a diuretic because it blocks …": which kind it is, and why, not what it is.
        let words: Vec<String> = lowered.split_whitespace().take(3).map(lower).collect();
        let role = how == Defined::Is
            && words.len() == 3
            && ["a", "an", "the"].contains(&words[0].as_str())
            && ROLES.contains(&words[1].as_str())
            && ["for", "to"].contains(&words[2].as_str());
        let kind_because = how == Defined::Is
            && words.len() == 3
            && ["a", "an"].contains(&words[0].as_str())
            && words[2] == "because";
        let figure = [
            "a bit of ",
            "a lot of ",
            "quite a ",
            "a bit ",
            "something of ",
        ]
        .iter()
        .any(|f| lowered.starts_with(f));
        if doing || about_it || names_itself || quoted || joins || figure || role || kind_because {
            return None;
        }
        // "Claude Chappe was a clergyman who …", "Daon Home, a homeware chain in Seoul": a
        // person or a business in a story, not a term.
        if how == Defined::Is
            && (person(&term, &definition)
                || business(&term, &definition)
                || place(&term, &definition))
        {
            return None;
        }
        // "the bacterial world's hand luggage", "the cell's powerhouse": a short possessive
        // phrase is a figure of speech.
        // ("an organism's complete set of DNA" says what it is.)
        let possessive = first_word(head) == "the"
            && head
                .split_whitespace()
                .take(3)
                .any(|w| w.ends_with("'s") || w.ends_with("’s"));
        if how == Defined::Is && possessive && head.split_whitespace().count() < 8 {
            return None;
        }
        (good_definition(&definition) && !term.is_empty() && !short).then(|| Definition {
            term,
            definition,
            how,
            sentence: s.clone(),
        })
    };
    we_mean(text, &make)
        .or_else(|| that_is(text, &make))
        .or_else(|| dashes(text, &make))
        .or_else(|| we_call(text, &make))
        .or_else(|| we_call_it(text, &make))
        .or_else(|| define_as(text, &make))
        .or_else(|| called(text, &make))
        .or_else(|| which(text, &make))
        .or_else(|| copula(text, &make))
        .or_else(|| apposition(text, &make))
        .or_else(|| defining_apposition(text, &make))
}

type Make<'a> = dyn Fn(String, &str, Defined) -> Option<Definition> + 'a;

/// Words that soften a definition without being part of it.
const HEDGES: [&str; 4] = ["just ", "simply ", "basically ", "really "];

/// `definition` without an aside on how a thing usually is (", usually once a year,") where
/// the definition goes on after it with a word that continues its noun phrase (", in which
/// …", ", that …", ", before …"); `None` when it has no such aside.
fn without_aside(definition: &str) -> Option<String> {
    const USUALLY: [&str; 6] = [
        ", usually ",
        ", typically ",
        ", often ",
        ", sometimes ",
        ", generally ",
        ", normally ",
    ];
    const GOES_ON: [&str; 15] = [
        "that", "which", "who", "whose", "where", "when", "in", "on", "at", "before", "after",
        "to", "from", "by", "for",
    ];
    let at = USUALLY.iter().filter_map(|u| definition.find(u)).min()?;
    let end = at + 2 + definition[at + 2..].find(", ")?;
    let aside = &definition[at + 2..end];
    let rest = &definition[end + 2..];
    let short = aside.split_whitespace().count() <= 10;
    let clause = aside
        .split_whitespace()
        .map(lower)
        .any(|w| ["is", "are", "was", "were", "has", "have"].contains(&w.as_str()));
    // ("a copy … that lives somewhere else, usually on a server, that you send commits to":
    // a second relative clause after the aside says something else; cut there.)
    let relative = |w: &str| ["that", "which", "who", "whose"].contains(&w);
    let second = relative(&first_word(rest))
        && definition[..at]
            .split_whitespace()
            .any(|w| relative(&lower(w)));
    (short && !clause && !second && GOES_ON.contains(&first_word(rest).as_str()))
        .then(|| format!("{} {rest}", &definition[..at]))
}

/// A definition up to where the sentence goes on to say something else about the term:
/// "the current standard for Wi-Fi security, and it protects …" → "the current standard
/// for Wi-Fi security".
fn own_clause(definition: &str) -> String {
    const JOINS: [&str; 15] = [
        ", and, ",
        ", and it ",
        ", and it's ",
        ", and they're ",
        ", and they ",
        ", and this ",
        ", but ",
        ", so ",
        "; ",
        " — ",
        " – ",
        ", and that ",
        ", usually ",
        ", typically ",
        ", often ",
    ];
    // "just a little website …", "simply the name …": the hedge is not part of it.
    let definition = HEDGES
        .iter()
        .find_map(|h| definition.trim_start().strip_prefix(h))
        .unwrap_or(definition);
    // "a quiet, limited release of a product, often in one city or to a small group, before
    // the full public launch": an aside about how it usually is, in the middle of a
    // definition that goes on after it, is left out.
    if let Some(without) = without_aside(definition) {
        return own_clause(&without);
    }
    // "Railway mania is the name historians give to the frenzy of …": the frenzy.
    let definition = ["the name ", "a name "]
        .iter()
        .find_map(|p| definition.strip_prefix(p))
        .and_then(|rest| {
            [" give to ", " gave to ", " given to ", " gives to "]
                .iter()
                .find_map(|g| rest.split_once(g))
                .filter(|(who, _)| who.split_whitespace().count() <= 3)
                .map(|(_, what)| what)
        })
        .filter(|what| noun_phrase_start(what))
        .unwrap_or(definition);
    // "Apogee is the opposite, the point where …": what it is set against is not what it
    // is; the phrase after it says that.
    let definition = ["the opposite, ", "the reverse, "]
        .iter()
        .find_map(|p| definition.strip_prefix(p))
        .filter(|rest| noun_phrase_start(rest))
        .unwrap_or(definition);
    // Examples set in the middle ("… words, such as "maybe" or "a little", to make a
    // statement less direct") are left out, the purpose after them kept.
    for example in [", such as "] {
        if let Some(at) = definition.find(example)
            && let Some(last) = definition[at..].rfind(", ")
            && ["to ", "in order to ", "so that "]
                .iter()
                .any(|p| definition[at + last + 2..].starts_with(p))
        {
            return format!(
                "{} {}",
                &definition[..at],
                own_clause(&definition[at + last + 2..])
            );
        }
    }
    // ", and length beats cleverness": a clause of its own, unless it ends a list
    // ("water, ash, and rock"); ", and the one levied in 1380 was …" after "rich or poor"
    // is a clause all the same (a long part that starts with a determiner).
    let and_clause = definition.find(", and ").filter(|&at| {
        let before = &definition[..at];
        let after: Vec<String> = definition[at + 6..]
            .split(", ")
            .next()
            .unwrap_or("")
            .split_whitespace()
            .map(lower)
            .collect();
        // (", and by the 1980s much of the Punjab grew …": a time or place starts a clause.)
        let own_subject = after.len() > 4
            && [
                "the", "this", "that", "these", "those", "its", "their", "his", "her", "each",
                "it", "they", "there", "we", "you", "a", "an", "by", "in", "at", "from", "after",
                "before", "during", "since", "until", "today", "now", "then", "later",
            ]
            .contains(&after[0].as_str());
        own_subject
            || before
                .rfind(", ")
                .is_none_or(|c| before[c + 2..].split_whitespace().count() > 3)
    });
    // "a rectangular group of cells …, written as the top-left cell …": how it is written
    // or shown, after a comma, is not what it is (what it is made of or built from is:
    // "the rigid outer layer of the Earth, made of the crust …").
    const PRESENTED: [&str; 13] = [
        "written",
        "shown",
        "displayed",
        "printed",
        "spelled",
        "spelt",
        "pronounced",
        "abbreviated",
        "labelled",
        "labeled",
        "typed",
        "marked",
        "named",
    ];
    let participle = definition
        .match_indices(", ")
        .map(|(at, _)| at)
        .find(|&at| PRESENTED.contains(&first_word(&definition[at + 2..]).as_str()));
    // "…, which is just a fancy way of saying …", "…, such as the Federal Reserve", "…, not
    // a jump in the price of one good": what follows says something else, however short what comes before is (a one-word gloss
    // is then refused as too short).
    // "a catastrophe rather than a nuisance": a bare noun set against another is a
    // judgement (cut, it is then too short); "one in which lava flows rather than …" stays.
    let contrast = definition
        .find(" rather than ")
        .filter(|&at| definition[..at].split_whitespace().count() <= 2);
    // "…, like a beaker that tips over": examples that end the sentence (those set in the
    // middle, "softening words, like "maybe", "a little", to make …", are part of it).
    let closing_examples = definition
        .find(", like ")
        .filter(|&at| !definition[at + 7..].contains(", "));
    // "…: the gym, the pool, the business centre, even …", "…: at any moment most of its
    // molecules …": examples or an explanation after a colon. What it is made of ("…: what
    // was discussed, what was decided, and who will do what") and one noun phrase that
    // restates it ("…: a full list of your room charges") stay.
    let colon_examples = definition.find(": ").filter(|&at| {
        let after = &definition[at + 2..];
        let first = first_word(after);
        let parts = [
            "what", "who", "when", "where", "how", "why", "which", "whether",
        ]
        .contains(&first.as_str());
        // ("…: a drawing of the sun can simply mean "sun"" is an example: it has a verb.)
        let verb = after.split_whitespace().map(lower).any(|w| {
            [
                "is", "are", "was", "were", "can", "could", "will", "would", "may", "might",
                "must", "should", "has", "have", "had", "does", "do", "did", "mean", "means",
            ]
            .contains(&w.as_str())
        });
        let restated =
            ["a", "an", "the"].contains(&first.as_str()) && !after.contains(", ") && !verb;
        !parts && !restated
    });
    // "the heart, pulmonary is the lungs, and …": a clause of its own, with a subject of a word
    // or two and its verb ("…, that is, …" restates).
    let own_subject = definition
        .match_indices(", ")
        .map(|(at, _)| at)
        .find(|&at| {
            let next: Vec<String> = definition[at + 2..]
                .split_whitespace()
                .take(3)
                .map(lower)
                .collect();
            let verb = |w: Option<&String>| {
                w.is_some_and(|w| ["is", "are", "means"].contains(&w.as_str()))
            };
            !next.is_empty()
                && !["that", "which", "who", "whose", "where"].contains(&next[0].as_str())
                && (verb(next.get(1)) || verb(next.get(2)))
        });
    let always = [
        "; ",
        ", which ",
        ", such as ",
        ", just like ",
        ", not ",
        ", for example",
        ", for instance",
        ", e.g.",
        ", whether ",
        ", or in ",
        ", or with ",
    ]
    .iter()
    .filter_map(|j| definition.find(j))
    .chain(colon_examples)
    .chain(own_subject)
    .chain(contrast)
    .chain(closing_examples)
    .chain(participle)
    .min();
    // What is left may still go on to say something else ("…, and a single nerve can carry
    // thousands of them, like …").
    if let Some(at) = always {
        return own_clause(&definition[..at]);
    }
    let cut = JOINS
        .iter()
        .filter_map(|j| definition.find(j))
        .chain(and_clause)
        .min();
    match cut {
        // ("to start, and it comes from football": a verb's meaning in two words.)
        Some(at)
            if definition[..at].split_whitespace().count() >= 3
                || (first_word(definition) == "to"
                    && definition[..at].split_whitespace().count() >= 2) =>
        {
            definition[..at].to_string()
        }
        // "a tomb, but it was also a machine for eternity": what it is, in two words, then
        // what it is like; the two words are kept (and refused as too short).
        // So is "a promise, and it's worth exactly as much as …".
        Some(at)
            if [", but ", ", and it's ", ", and they're "]
                .iter()
                .any(|j| definition[at..].starts_with(j)) =>
        {
            definition[..at].to_string()
        }
        _ => definition.to_string(),
    }
}

/// "By X we mean Y".
fn we_mean(text: &str, make: &Make) -> Option<Definition> {
    if let Some(rest) = text.strip_prefix("By ") {
        // "By X we mean Y", "By X, we mean Y".
        let (x, y) = rest
            .split_once(", we mean ")
            .or_else(|| rest.split_once(" we mean "))?;
        return make(term_of(x)?, y, Defined::Means);
    }
    // "When economists speak of inflation, they mean a sustained rise …".
    for speak in [" speak of ", " talk about ", " speak about ", " talk of "] {
        let Some(at) = text.find(speak) else { continue };
        let after = &text[at + speak.len()..];
        for mean in [", they mean ", ", we mean ", ", I mean ", ", you mean "] {
            if let Some((x, y)) = after.split_once(mean) {
                return make(term_of(x)?, y, Defined::Means);
            }
        }
    }
    None
}

/// "Purchasing power, that is, the quantity of goods … money can buy, falls …".
fn that_is(text: &str, make: &Make) -> Option<Definition> {
    let (x, rest) = text.split_once(", that is, ")?;
    // "X, that is, Y, falls …": Y a noun phrase between commas, X not a clause ("Wages
    // rose, that is, workers were paid more").
    let (y, _) = rest.split_once(", ")?;
    if !noun_phrase_start(y) || ends_in_verb(x) {
        return None;
    }
    make(term_of(x)?, y, Defined::Means)
}

/// True when `phrase` ends in a verb ("Prices rose", "Wages increased"): a clause, not a
/// term.
fn ends_in_verb(phrase: &str) -> bool {
    const VERBS: [&str; 16] = [
        "rose", "fell", "grew", "went", "came", "began", "ran", "took", "made", "got", "saw",
        "gave", "rise", "rises", "fall", "falls",
    ];
    let last = phrase
        .split_whitespace()
        .last()
        .map(lower)
        .unwrap_or_default();
    phrase.split_whitespace().count() > 1
        && ((last.len() > 4 && last.ends_with("ed")) || VERBS.contains(&last.as_str()))
}

/// "The policy rate — the short-term interest rate the central bank sets — is the main tool".
fn dashes(text: &str, make: &Make) -> Option<Definition> {
    for dash in [" — ", " – ", " -- "] {
        let mut parts = text.splitn(3, dash);
        let (Some(x), Some(y), Some(_)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if x.split_whitespace().count() <= 5 && noun_phrase_start(y) && !ends_in_verb(x) {
            return make(term_of(x)?, y, Defined::Is);
        }
    }
    None
}

/// "You'll see a glass panel at the front that slides up and down, which we call the sash".
fn we_call(text: &str, make: &Make) -> Option<Definition> {
    let (before, after) = text.split_once(", which we call ")?;
    let term_text = after.split(", ").next()?.trim();
    let term = term_of(term_text.trim_matches(['\'', '"', '“', '”']))?;
    // The thing named: the object the clause begins with ("you'll see a glass panel …"):
    // the first "a"/"an" after the verb that shows it, or else the first in the sentence.
    let from = [
        " see ",
        " find ",
        " notice ",
        " there's ",
        " there is ",
        " use ",
    ]
    .iter()
    .filter_map(|v| before.rfind(v).map(|at| at + v.len() - 1))
    .max()
    .unwrap_or(0);
    let start = [" a ", " an "]
        .iter()
        .filter_map(|a| before[from..].find(a).map(|at| at + from))
        .min()?;
    // "… a meander gets so tight that the two bends are separated by only a narrow strip of
    // land, which we call the neck": what is named is the phrase just before, not a clause.
    let clause = before[start..].split_whitespace().map(lower).any(|w| {
        [
            "is", "are", "was", "were", "has", "have", "had", "gets", "got", "becomes", "can",
            "could", "will", "would",
        ]
        .contains(&w.as_str())
    });
    let start = if clause {
        [" a ", " an "]
            .iter()
            .filter_map(|a| before.rfind(a))
            .max()?
    } else {
        start
    };
    make(term, &before[start + 1..], Defined::Called)
}

/// "Geologists define an ice age as a long period in which …", "We define velocity as …".
fn define_as(text: &str, make: &Make) -> Option<Definition> {
    let (who, rest) = [" define ", " defines "]
        .iter()
        .find_map(|d| text.split_once(d))?;
    // Who defines it: a few words ("Geologists", "Most economists", "We").
    if who.split_whitespace().count() > 3 || who.contains(',') {
        return None;
    }
    let (term, definition) = rest.split_once(" as ")?;
    if term.split_whitespace().count() > 5 {
        return None;
    }
    make(term_of(term)?, definition, Defined::Means)
}

/// "We call the person who gives the reference a referee.", "We call a fortified gateway in
/// the wall, where …, a pass.": what is named, then its name, at the sentence's end (or
/// before a last clause: "…the forty-niners, after the year most of them arrived").
fn we_call_it(text: &str, make: &Make) -> Option<Definition> {
    let rest = text
        .strip_prefix("We call ")
        .or_else(|| text.strip_prefix("we call "))?;
    // "We call this a follow-up email, an email sent after …", "We call this group the
    // target market, the specific group …": a pointer named, then said what it is.
    if let Some(named) = ["this ", "that ", "it "]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        && let Some((name, what)) = named.split_once(", ")
    {
        let words: Vec<&str> = name.split_whitespace().collect();
        let article = words
            .iter()
            .take(2)
            .position(|w| ["a", "an", "the"].contains(&lower(w).as_str()))?;
        let name = words[article + 1..].join(" ");
        if (1..=3).contains(&(words.len() - article - 1))
            && ["a ", "an ", "the "].iter().any(|a| what.starts_with(a))
        {
            return make(term_of(&name)?, what, Defined::Called);
        }
        return None;
    }
    // What is named is a noun phrase ("We call them softeners because …" names a pointer).
    if !["the ", "a ", "an "].iter().any(|a| rest.starts_with(a)) {
        return None;
    }
    let last_clause = rest.rsplit_once(", ").map(|(named, _)| named);
    for candidate in std::iter::once(rest).chain(last_clause) {
        let Some((at, len)) = [" a ", " an ", " the "]
            .iter()
            .filter_map(|a| candidate.rfind(a).map(|at| (at, a.len())))
            .max()
        else {
            continue;
        };
        let named = candidate[..at].trim_end_matches(',');
        let name = &candidate[at + len..];
        // The thing named has a word that says which ("the person who …", "the statement
        // of …"): "We call the customer the day before" is a phone call.
        let which = [
            " who ", " that ", " which ", " where ", " of ", " in ", " for ", " with ", " from ",
        ]
        .iter()
        .any(|w| named.contains(w));
        // "… lifted all the warm air off the surface", "… all sealed inside a capsule": the
        // last words are a preposition's object, not a name.
        let object = named.split_whitespace().next_back().is_some_and(|w| {
            let w = lower(w);
            PREPOSITIONS.contains(&w.as_str())
                || [
                    "off", "up", "down", "inside", "outside", "into", "onto", "of", "to",
                ]
                .contains(&w.as_str())
        });
        let words = name.split_whitespace().count();
        if (1..=3).contains(&words)
            && !object
            && !name.contains([',', ';', ':'])
            && which
            && named.split_whitespace().count() >= 3
        {
            return make(term_of(name)?, named, Defined::Called);
        }
    }
    None
}

/// "Y is called X", "The pieces are called X, meaning Y", "…, a process called X".
fn called(text: &str, make: &Make) -> Option<Definition> {
    for link in [" called ", " known as ", " termed "] {
        let Some(at) = text.find(link) else { continue };
        let before = &text[..at];
        let after = &text[at + link.len()..];
        // The term: up to the end, or to ", or", ", also", ", meaning".
        let (term_text, tail) = match after.find(", ") {
            Some(c) => (&after[..c], Some(&after[c + 2..])),
            None => (after, None),
        };
        // "is called its generation time": the possessive is not part of the term.
        let term_text = ["the ", "a ", "an ", "its ", "their ", "your ", "our "]
            .iter()
            .fold(term_text.trim(), |t, d| t.strip_prefix(d).unwrap_or(t));
        let Some(term) = term_of(term_text.trim_matches(['\'', '"', '“', '”'])) else {
            continue;
        };
        if let Some(meaning) = tail.and_then(|t| {
            t.strip_prefix("meaning ")
                .or(t.strip_prefix("which means "))
        }) {
            return make(term, meaning, Defined::Called);
        }
        // "That's called a concession, which is something you give up …", "The disease was
        // called caisson disease, a sickness caused when …": a pointer named, then said what
        // it is.
        let short_subject = [" is", " are", " was", " were"].iter().any(|be| {
            before.strip_suffix(be).is_some_and(|s| {
                let words: Vec<String> = s.split_whitespace().map(lower).collect();
                (1..=2).contains(&words.len())
                    && ["the", "this", "that", "it"].contains(&words[0].as_str())
            })
        });
        let pointer = short_subject
            || ["that's", "it's"]
                .iter()
                .any(|p| before.eq_ignore_ascii_case(p));
        if pointer
            && let Some(what) = tail.map(|t| t.strip_prefix("which is ").unwrap_or(t))
            && ["a ", "an ", "the ", "something ", "someone "]
                .iter()
                .any(|a| what.starts_with(a))
        {
            return make(term, what, Defined::Called);
        }
        // "When one task cannot start until another is finished, that's called a
        // dependency": the clause before names what it is.
        for pointer in [", that's", ", that is", ", this is", ", it's"] {
            if let Some(clause_text) = before.strip_suffix(pointer)
                && tail.is_none()
            {
                let clause_text = ["When ", "If ", "when ", "if "]
                    .iter()
                    .find_map(|w| clause_text.strip_prefix(w));
                if let Some(clause_text) = clause_text
                    && !clause_text.contains(", ")
                {
                    return make(term, clause_text, Defined::Process);
                }
            }
        }
        // "…, and it's a dangerous position to be in": a clause of its own after the name.
        let own_clause_after = tail.is_some_and(|t| {
            ["and it", "and they", "and that", "and this", "but ", "so "]
                .iter()
                .any(|j| t.starts_with(j))
        });
        if tail.is_some_and(|t| !(t.starts_with("or ") || t.starts_with("also ")))
            && !own_clause_after
        {
            continue;
        }
        // "The person who runs a meeting is called the chair."; "The journey out is also
        // called the outbound flight."
        let before = [" also", " sometimes", " often", " usually"]
            .iter()
            .find_map(|a| before.strip_suffix(a))
            .unwrap_or(before);
        for be in [" is", " are", " was", " were"] {
            if let Some(subject) = before.strip_suffix(be)
                && subject.split_whitespace().count() >= 3
                && !subject.contains(',')
                // ("Gray filed what was called a caveat": a clause.)
                && !subject.split_whitespace().any(|w| lower(w) == "what")
            {
                let first = first_word(subject);
                if NOT_TERMS.contains(&first.as_str()) || first == "these" {
                    return None;
                }
                return make(term, subject, Defined::Called);
            }
        }
        // "…, the heavier plate slides down underneath it, a process called subduction."
        if let Some(comma) = before.rfind(", ") {
            let label: Vec<String> = before[comma + 2..].split_whitespace().map(lower).collect();
            if (1..=3).contains(&label.len()) && ["a", "an", "the"].contains(&label[0].as_str()) {
                let clause_text = &before[..comma];
                let clause_text = match clause_text.rfind(", ") {
                    Some(c) if clause_text[c + 2..].split_whitespace().count() >= 4 => {
                        &clause_text[c + 2..]
                    }
                    _ => clause_text,
                };
                return make(term, clause_text, Defined::Process);
            }
        }
    }
    None
}

/// "Many teams use a parking lot, which is a list of …", "Magma, which is molten rock, rises".
fn which(text: &str, make: &Make) -> Option<Definition> {
    for link in [
        ", which is to say ",
        ", which is ",
        ", which are ",
        ", which means ",
        ", which refers to ",
    ] {
        let Some(at) = text.find(link) else { continue };
        let mut before = &text[..at];
        // "the stratovolcano, also called a composite volcano, which is …"
        if let Some(c) = before.rfind(", also called ").or(before.rfind(", or ")) {
            before = &before[..c];
        }
        let term = trailing_phrase(before)?;
        // A subject at the sentence's start is followed by its verb after the clause.
        let parenthetical = before.split_whitespace().count() <= 4;
        let how = if link.contains("mean") || link.contains("refer") || link.contains("say") {
            Defined::Means
        } else {
            Defined::Is
        };
        let definition = clause(&text[at + link.len()..], parenthetical);
        if how == Defined::Is && !noun_phrase_start(definition) {
            return None;
        }
        // "So we rest the beans, which just means leaving them sealed …": a doing explains
        // the action before it, not its object.
        // ("put the caller on hold, which means keeping the line open": an idiom.)
        let doing = |w: &str| w.len() > 4 && w.ends_with("ing");
        let idiom = PREPOSITIONS.contains(&first_word(&term).as_str());
        // "… stands on its own without a container, which means it needs a harder wax": what
        // the whole statement leads to, not what the last noun is. ("Cells are diploid, which
        // means they contain …" says what being diploid is.)
        let object = before
            .strip_suffix(term.as_str())
            .and_then(|lead| lead.split_whitespace().next_back())
            .map(lower)
            .is_some_and(|w| {
                PREPOSITIONS.contains(&w.as_str())
                    || [
                        "a", "an", "the", "its", "their", "your", "our", "my", "his", "her",
                    ]
                    .contains(&w.as_str())
            });
        let consequence = how == Defined::Means
            && object
            && [
                "it", "it's", "they", "they're", "you", "we", "there", "this", "he", "she",
            ]
            .contains(&first_word(definition).as_str());
        if consequence {
            return None;
        }
        if how == Defined::Means
            && doing(&first_word(definition))
            && !doing(&lower(term.split_whitespace().last().unwrap_or("")))
            && !idiom
        {
            return None;
        }
        return make(term, definition, how);
    }
    None
}

/// "X is a Y", "X are the Y", "X is one in which Y", "X means Y", "X refers to Y",
/// "X is defined as Y", "To recap is to Y".
fn copula(text: &str, make: &Make) -> Option<Definition> {
    const LINKS: [(&str, Defined); 21] = [
        (" is when ", Defined::Process),
        (" happens when ", Defined::Process),
        (" occurs when ", Defined::Process),
        (" refers to ", Defined::Means),
        (" refer to ", Defined::Means),
        (" means ", Defined::Means),
        (" is defined as ", Defined::Means),
        (" stands for ", Defined::Means),
        (" is to ", Defined::Means),
        (" is your ", Defined::Is),
        (" is the ", Defined::Is),
        (" is a ", Defined::Is),
        (" is an ", Defined::Is),
        (" was a ", Defined::Is),
        (" was an ", Defined::Is),
        (" was the ", Defined::Is),
        (" were the ", Defined::Is),
        (" is one ", Defined::Is),
        (" are the ", Defined::Is),
        (" are ", Defined::Is),
        (" is ", Defined::Is),
    ];
    let (at, link, how) = LINKS
        .iter()
        .filter_map(|(link, how)| text.find(link).map(|at| (at, *link, *how)))
        .min_by_key(|(at, link, _)| (*at, std::cmp::Reverse(link.len())))?;
    let term = term_of(without_alias(&text[..at]))?;
    // "The fuse itself is a cartridge fuse, …": which kind of fuse it is, not what a fuse is
    // ("The aquarii themselves are the water-men …" is what they are).
    let reflexive = ["itself", "themselves"]
        .contains(&lower(text[..at].split_whitespace().last().unwrap_or("")).as_str());
    let head = lower(term.split_whitespace().last().unwrap_or(""));
    if reflexive
        && text[at..]
            .split([',', ';', ':'])
            .next()
            .is_some_and(|kind| kind.split_whitespace().take(5).any(|w| lower(w) == head))
    {
        return None;
    }
    // "Diluting a concentrated acid is an exothermic process": an action on something is
    // described, not a term defined ("Having the floor means …" is one).
    let subject: Vec<String> = text[..at].split_whitespace().map(lower).collect();
    if how == Defined::Is
        && subject.len() > 1
        && subject[0].ends_with("ing")
        && ["a", "an", "the", "your", "this", "that", "its", "their"].contains(&subject[1].as_str())
    {
        return None;
    }
    let rest = &text[at + link.len()..];
    // "The unit of measurement was the royal cubit, the length of a forearm …": the
    // subject is named, and the name then defined (see [`apposition`]).
    if [" is the ", " was the ", " were the ", " are the "].contains(&link)
        && let Some((name, after)) = rest.split_once(", ")
        && (1..=3).contains(&name.split_whitespace().count())
        && ["the ", "a ", "an "].iter().any(|a| after.starts_with(a))
        && term.split_whitespace().count() >= 2
        // ("The ebb tide is the opposite, the outgoing tide": what it is set against.)
        && !name
            .split_whitespace()
            .any(|w| VAGUE_ALONE.contains(&lower(w).as_str()))
    {
        return None;
    }

    let definition = match link {
        " is the " | " are the " | " was the " | " were the " => format!("the {rest}"),
        " is a " | " was a " => format!("a {rest}"),
        " is an " | " was an " => format!("an {rest}"),
        " is one " => {
            // "one in which …", "one that …": a kind; not "one line per command".
            let next = first_word(rest);
            if !["in", "that", "where", "who", "whose", "which"].contains(&next.as_str()) {
                return None;
            }
            format!("one {rest}")
        }
        // "Inflation is to blame for …": not what it is.
        " is to " if rest.starts_with("blame") => return None,
        " is to " => format!("to {rest}"),
        // "Deflation is when the general price level falls", "A heart attack happens when
        // …": what happens.
        " is when " | " happens when " | " occurs when " => rest.to_string(),
        " is your " => format!("your {rest}"),
        // A mass noun with what sets it apart, soon after it: "A refund is money paid back
        // to a customer", "Deoxygenated blood is blood that has given up its oxygen"; not
        // "The hood is ready", "Safety is everyone's job".
        " is " => {
            let words: Vec<String> = rest.split_whitespace().map(lower).collect();
            let sets_apart = words.iter().take(4).skip(1).any(|w| {
                ["that", "which", "who", "whose", "where"].contains(&w.as_str())
                    || PARTICIPLES.contains(&w.as_str())
                    || (w.len() > 4 && w.ends_with("ed"))
            });
            let first = words.first().map_or("", String::as_str);
            if words.len() < 5
                || !sets_apart
                || !noun_phrase_start(rest)
                || first.ends_with("'s")
                || first.ends_with("ing")
                || (NOT_TERMS.contains(&first) && first != "something")
                || EVALUATIVE.contains(&first)
                || superlative(first)
                || comparative(&[first])
            {
                return None;
            }
            rest.to_string()
        }
        " are " => {
            // A plural defined as a plural noun phrase, not "are ready", "are important".
            let first = first_word(rest);
            // …with a plural noun before the phrase ends: "Stomata are tiny pores", not
            // "Logs are JSON on stderr".
            let plural = rest
                .split_whitespace()
                .take(3)
                .take_while(|w| !w.ends_with([',', ':', ';']))
                .any(|w| lower(w).ends_with('s') && lower(w).len() > 3)
                || (["a", "an"].contains(&first.as_str()) && collective(rest));
            if !noun_phrase_start(rest) || first.ends_with("ed") || !plural_noun(&term) || !plural {
                return None;
            }
            rest.to_string()
        }
        // "Support means that we will fix bugs": what follows from it, not what it is.
        " means " if rest.starts_with("that ") => return None,
        _ => rest.to_string(),
    };
    // What a term means is a noun phrase, a doing ("using softening words"), a "to …" or a
    // "how …"; not "trouble for anyone on a fixed income".
    if how == Defined::Means {
        let first = first_word(&definition);
        let doing = first.len() > 4 && first.ends_with("ing");
        if !(noun_phrase_start(&definition)
            || doing
            || ["to", "how", "what", "whether"].contains(&first.as_str()))
        {
            return None;
        }
    }
    make(term, &definition, how)
}

/// "Magma, molten rock below the surface, is lighter …"; "the Ring of Fire, a horseshoe of
/// volcanoes …" (a capitalized or bold term).
fn apposition(text: &str, make: &Make) -> Option<Definition> {
    let parts: Vec<&str> = text.split(", ").collect();
    // At the start: "X, Y, verb …".
    if parts.len() >= 3 {
        let words: Vec<&str> = parts[0].split_whitespace().collect();
        // "Water vapor, which is water in the form of an invisible gas, is …".
        let (relative, y_text) = ["which is ", "which are "]
            .iter()
            .find_map(|r| parts[1].strip_prefix(r))
            .map_or((false, parts[1]), |rest| (true, rest));
        let y: Vec<&str> = y_text.split_whitespace().collect();
        let starts_like_phrase = y.first().is_some_and(|w| {
            let l = lower(w);
            !PHRASE_BREAK.contains(&l.as_str()) || ["a", "an", "the"].contains(&l.as_str())
        });
        let verb_next = parts[2].split_whitespace().next().is_some_and(|w| {
            [
                "is", "are", "was", "were", "has", "have", "can", "will", "may", "forms", "rises",
                "flows",
            ]
            .contains(&lower(w).as_str())
        });
        if words.len() <= 3
            && (2..=12).contains(&y.len())
            && starts_like_phrase
            && (relative || noun_phrase_start(y_text))
            && verb_next
            && let Some(term) = term_of(parts[0])
        {
            return make(term, y_text, Defined::Is);
        }
    }
    // At the end: "… the Ring of Fire, a horseshoe of …".
    if parts.len() == 2 {
        let y = parts[1];
        let article = ["a ", "an "].iter().any(|a| y.starts_with(a)) && !list(y);
        if article
            && let Some(term) = trailing_phrase(parts[0])
            && (term.chars().next().is_some_and(char::is_uppercase) || parts[0].ends_with("**"))
            && parts[0].split_whitespace().count() > term.split_whitespace().count()
        {
            return make(term, y, Defined::Is);
        }
    }
    None
}

/// "Their DNA lies in the nucleoid, an irregular region of the cytoplasm that contains …",
/// "Then there's lead time, the time between placing an order and receiving the goods",
/// "… destroyed in pogroms, organised massacres of …": a term that ends a noun phrase in the
/// middle of a sentence, then a noun phrase that says what it is and, soon after its head,
/// what sets it apart (a relative clause or a prepositional phrase). Not a list ("a pen, a
/// ruler and a notebook"), a clause after a fronted one ("Once the meeting is running, the
/// chair moves …"), nor a phrase with a verb in it.
fn defining_apposition(text: &str, make: &Make) -> Option<Definition> {
    const SETS_APART: [&str; 14] = [
        "that", "which", "who", "where", "whose", "in", "by", "of", "for", "between", "with",
        "from", "to", "on",
    ];
    // Words after which a noun phrase starts (a determiner or a preposition), not a verb
    // ("carry plasmids", "avoid hot baths").
    // ("to" is left out: "used to split water molecules" is a verb.)
    const BEFORE_TERM: [&str; 26] = [
        "a",
        "an",
        "the",
        "its",
        "their",
        "your",
        "our",
        "his",
        "her",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "into",
        "about",
        "as",
        "called",
        "so-called",
        "there's",
        "through",
        "under",
        "over",
    ];
    const VERBS: [&str; 22] = [
        "is", "are", "was", "were", "has", "have", "had", "can", "could", "will", "would",
        "should", "may", "might", "must", "do", "does", "did", "you'd", "it's", "they're", "we're",
    ];
    let mut segment_start = 0;
    for (at, _) in text.match_indices(", ") {
        let segment = &text[segment_start..at];
        segment_start = at + 2;
        // "…; as a rough guide, a rise of …": a new clause starts after a semicolon.
        let segment = segment.rsplit_once("; ").map_or(segment, |(_, s)| s);
        // "Once the meeting is running, …", "At that rate, …", "just as the company reached
        // its greatest size, …": a fronted clause or phrase.
        let opener = segment
            .split_whitespace()
            .map(lower)
            .find(|w| !["just", "even", "only", "right"].contains(&w.as_str()))
            .unwrap_or_default();
        if SUBORDINATORS.contains(&opener.as_str())
            || ["when", "where", "after", "before", "until"].contains(&opener.as_str())
            || (PREPOSITIONS.contains(&opener.as_str()) && segment.split_whitespace().count() <= 4)
        {
            continue;
        }
        let before = &text[..at];
        // "…: your heartbeat, your digestion, the width of your pupils": an item of a list.
        let item = before
            .rfind([',', ':', ';'])
            .is_some_and(|b| before[b + 1..].split_whitespace().count() <= 3);
        if item {
            continue;
        }
        let rest = &text[at + 2..];
        let mut parts = rest.split(", ");
        let first = parts.next().unwrap_or(rest);
        // "The burning of gas in a boiler, the rusting of a railing, the digestion of a meal
        // and …": items of a list, each a noun phrase.
        // ("Include the date, the time with a time zone, and the action items": so are
        // those before ", and …".)
        if parts.clone().next().is_some_and(|n| {
            ["a", "an", "the"].contains(&first_word(n).as_str()) && n.contains(" and ")
                || (["and", "or"].contains(&first_word(n).as_str())
                    && n.split_whitespace()
                        .nth(1)
                        .is_some_and(|w| ["a", "an", "the"].contains(&lower(w).as_str()))
                    // (", and a battery is …" is a clause of its own.)
                    && !n
                        .split_whitespace()
                        .any(|w| VERBS.contains(&lower(w).as_str())))
        }) {
            continue;
        }
        // A list that ends the phrase is part of it: "a yellow bucket of absorbent pads,
        // neutralising powder and a scoop".
        let mut y = first.to_string();
        let mut items = Vec::new();
        // "the set of joined tubes that the wheels, saddle, handlebars … bolt onto": a list
        // goes on inside the phrase, which is cut at its first item.
        let mut after = parts.clone();
        if after.next().is_some_and(|p| {
            p.split_whitespace().count() <= 2 && !["and", "or"].contains(&first_word(p).as_str())
        }) && !first.contains(" and ")
        {
            continue;
        }
        for part in parts {
            if part.split_whitespace().count() > 5 {
                break;
            }
            items.push(part);
            if part.contains(" and ") || part.contains(" or ") {
                y = format!("{first}, {}", items.join(", "));
                break;
            }
        }
        let y = y.as_str();
        let words: Vec<String> = y.split_whitespace().map(lower).collect();
        let Some(phrase) = trailing_phrase(before) else {
            continue;
        };
        // "destroyed in pogroms, organised massacres …": not the idiom "in pogroms".
        let phrase = match phrase.split_once(' ') {
            Some((p, rest)) if PREPOSITIONS.contains(&lower(p).as_str()) => rest.to_string(),
            _ => phrase,
        };
        let said: Vec<String> = before.split_whitespace().map(lower).collect();
        let term_words: Vec<String> = phrase.split_whitespace().map(lower).collect();
        let Some(previous) = said
            .len()
            .checked_sub(term_words.len() + 1)
            .map(|i| &said[i])
        else {
            continue;
        };
        // A name is for [`apposition`]; a bold term is marked as one, whatever is before it.
        let bold = before.ends_with("**");
        let name = phrase.starts_with(char::is_uppercase) && !bold;
        if name
            || !(bold || BEFORE_TERM.contains(&previous.as_str()) || previous.ends_with("'s"))
            || term_words.iter().any(|w| {
                PREPOSITIONS.contains(&w.as_str())
                    || NOT_NOUN_STARTS.contains(&w.as_str())
                    || (w.len() > 4 && w.ends_with("ly") && !LY_NOUNS.contains(&w.as_str()))
            })
            || ends_in_verb(&phrase)
        {
            continue;
        }
        let Some(term) = term_of(&phrase) else {
            continue;
        };
        // Where what sets it apart starts: within the first five words, after the head.
        let Some(marker) = words
            .iter()
            .take(5)
            .enumerate()
            .skip(2)
            .find(|(_, w)| SETS_APART.contains(&w.as_str()))
            .map(|(i, _)| i)
        else {
            continue;
        };
        let head = &words[..marker];
        // "the top pin, the long one in the middle": which one, not what it is; "the near
        // side, a bit less on the centre": how much; "cuts, scorch marks or places where …":
        // items of a list ("a pocket or groove whose shape …" is one thing).
        let bare_list = !["a", "an", "the"].contains(&words[0].as_str())
            && head.iter().any(|w| w == "or" || w == "and");
        // ("…, known from then on as standard gauge, the rule for new lines": a role.)
        if head.iter().any(|w| w == "one" || w == "ones")
            || head.last().is_some_and(|w| ROLES.contains(&w.as_str()))
            || bare_list
            || ["bit", "lot"].contains(&words[1].as_str())
        {
            continue;
        }
        // Before a relative clause, no verb: "a single wire on poles will do" is a clause;
        // nor a participle before "by": "a threshold proposed by …" says who, not what.
        let relative = words
            .iter()
            .position(|w| ["that", "which", "who", "where", "whose"].contains(&w.as_str()))
            .unwrap_or(words.len());
        let clause = words[..relative]
            .iter()
            .any(|w| VERBS.contains(&w.as_str()))
            || (words[marker] == "by" && words[marker - 1].ends_with("ed"));
        let article = ["a", "an", "the"].contains(&words[0].as_str())
            && head[1..]
                .iter()
                .all(|w| !w.ends_with('s') || w.ends_with("'s") || w.ends_with("ss"));
        // A plural term glossed by a plural noun phrase ("pogroms, organised massacres").
        // ("organised massacres": an adjective from a participle is let through here,
        // before a plural noun).
        let plural = plural_noun(&term)
            && head
                .iter()
                .take(2)
                .any(|w| w.ends_with('s') && !w.ends_with("'s") && w.len() > 3)
            && (noun_phrase_start(y) || head[1].ends_with('s'))
            && !NOT_NOUN_STARTS.contains(&words[0].as_str())
            && !PHRASE_BREAK.contains(&words[0].as_str())
            && !["which", "that", "who", "whose", "where"].contains(&words[0].as_str());
        if (article || plural) && words.len() >= 5 && !clause && !list(first) {
            return make(term, y, Defined::Is);
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// Korean

/// Nouns that name a role in the lecture, not a concept: never a term.
const KO_NOT_TERMS: [&str; 57] = [
    "지금",
    "수업",
    "오늘",
    "이것",
    "그것",
    "저것",
    "이번",
    "다음",
    "방법",
    "이유",
    "목표",
    "핵심",
    "문제",
    "결과",
    "예",
    "예시",
    "단계",
    "강의",
    "내용",
    "질문",
    "순서",
    "차례",
    "준비물",
    "포인트",
    "답",
    "정답",
    "사실",
    "이야기",
    "시간",
    "날",
    "때",
    "점",
    "것",
    "경우",
    "부분",
    "비결",
    "특징",
    "장점",
    "단점",
    "차이",
    "주제",
    "목적",
    "과제",
    "재료",
    "첫째",
    "둘째",
    "셋째",
    "넷째",
    "다섯째",
    "하나",
    "둘",
    "셋",
    "마지막",
    "처음",
    "나머지",
    "다른",
    "모두",
];

/// Words that open a sentence before its subject ("반면 언문은 …", "여기서 국문이란 …").
const KO_OPENERS: [&str; 22] = [
    "반면",
    "여기서",
    "즉",
    "또한",
    "또",
    "그리고",
    "한편",
    "특히",
    "결국",
    "먼저",
    "다음으로",
    "이처럼",
    "이렇게",
    "그래서",
    "따라서",
    "사실",
    "참고로",
    "바로",
    "그런데",
    "하지만",
    "그러니까",
    "마지막으로",
];

/// A Korean term: a short noun phrase (quotes removed) that is not vague: nouns, with 의
/// between them; no pronoun or determiner ("이것", "이 과정", "우리"), no plural 들
/// ("양반들"), no verb, ending or case particle. `raw` is a part of the sentence whose
/// morphemes are `m` (read in the sentence, where a short word's reading is surest).
fn ko_term(sentence: &str, m: &[Morpheme], raw: &str) -> Option<String> {
    let mut raw = raw.trim();
    // Openers before the subject ("반면 언문은", "여기서 국문이란").
    while let Some((first, rest)) = raw.split_once(' ')
        && KO_OPENERS.contains(&first.trim_end_matches(','))
    {
        raw = rest.trim_start();
    }
    let term = raw
        .trim_matches(|c: char| matches!(c, '\'' | '"' | '‘' | '’' | '“' | '”' | '「' | '」'))
        .trim();
    let words: Vec<&str> = term.split_whitespace().collect();
    if words.is_empty()
        || words.len() > 3
        || term.contains([',', '"', '\'', '(', ')', '.', '?'])
        || words.iter().any(|w| KO_NOT_TERMS.contains(w))
    {
        return None;
    }
    // Where the term is in the sentence (a part of it), and its morphemes.
    let from = (term.as_ptr() as usize).checked_sub(sentence.as_ptr() as usize)?;
    let to = from + term.len();
    if to > sentence.len() {
        return None;
    }
    let inside: Vec<&Morpheme> = m.iter().filter(|x| x.start < to && x.end > from).collect();
    // Read in the sentence, or alone: a word the dictionary lacks ("찹쌀풀", "이두") may be
    // split into a verb in one reading and not the other.
    let in_sentence = inside.iter().all(|x| x.start >= from && x.end <= to)
        && ko_noun_phrase(inside.iter().copied());
    let alone = || crate::korean::morphemes(term).is_ok_and(|alone| ko_noun_phrase(alone.iter()));
    (in_sentence || alone()).then(|| term.to_string())
}

/// Morphemes that make a noun phrase: nouns with 의 between them ("김치 맛의 절반"), or a
/// verb made a noun by 기/음 ("절이기", "버무리기"); no pronoun, determiner, plural 들, case
/// particle or other ending.
fn ko_noun_phrase<'a>(m: impl Iterator<Item = &'a Morpheme>) -> bool {
    let m: Vec<&Morpheme> = m.collect();
    let Some(last) = m.last() else {
        return false;
    };
    if last.nounish() {
        m.iter().all(|x| x.nounish() || x.tag == "JKG")
    } else if last.tag == "ETN" {
        m[..m.len() - 1]
            .iter()
            .all(|x| x.nounish() || matches!(x.pos(), "VV" | "VA" | "VCP" | "XSV" | "XSA"))
    } else {
        false
    }
}

/// A Korean definition: a noun phrase or a clause kept whole, at least four syllables.
fn ko_definition(raw: &str) -> Option<String> {
    let mut words: Vec<&str> = raw.split_whitespace().collect();
    while words.len() > 1 && KO_OPENERS.contains(&words[0].trim_end_matches(',')) {
        words.remove(0);
    }
    let d = words
        .join(" ")
        .trim_matches(|c: char| {
            matches!(c, '\'' | '"' | '‘' | '’' | '“' | '”' | ',') || c.is_whitespace()
        })
        .to_string();
    (d.chars()
        .filter(|c| is_hangul(*c) || c.is_alphanumeric())
        .count()
        >= 4)
        .then_some(d)
}

/// The topic of a sentence: its first word that ends in the particle 은/는 or 이란/란, as
/// the subject before the particle, where the particle ends (bytes), and the index of the
/// first morpheme after it. (Whether the subject is a term is for [`ko_term`] to say.)
fn ko_topic<'t>(text: &'t str, m: &[Morpheme]) -> Option<(&'t str, usize, usize)> {
    let word_end = text
        .match_indices(' ')
        .map(|(i, _)| i)
        .find(|&i| ko_without_topic(&text[..i]).is_some())?;
    let next = m.iter().position(|x| x.start >= word_end)?;
    // Where the particle begins, as the morphemes read it (은/는, 이란/란, or the copula 이
    // with 란 before a quote); by its spelling where they read the word otherwise.
    let read = next
        .checked_sub(1)
        .filter(|&p| m[p].end == word_end)
        .filter(|&p| {
            let x = &m[p];
            let particle =
                x.pos() == "JX" && ["은", "는", "이란", "란"].contains(&x.surface.as_str());
            particle || (x.surface == "란" && x.pos() == "ETM")
        })
        .map(|p| match p.checked_sub(1).map(|q| &m[q]) {
            Some(q) if m[p].pos() == "ETM" && q.tag == "VCP" => q.start,
            _ => m[p].start,
        });
    let subject = match read {
        Some(start) => Some(&text[..start]).filter(|s| !s.trim().is_empty())?,
        None => ko_without_topic(&text[..word_end])?,
    };
    Some((subject, word_end, next))
}

/// A phrase without its topic particle (은/는, 이란/란).
fn ko_without_topic(phrase: &str) -> Option<&str> {
    let p = phrase.trim_end();
    ["이란", "란", "은", "는"]
        .iter()
        .find_map(|t| p.strip_suffix(t))
        .filter(|s| !s.trim().is_empty())
}

fn korean(s: &Sentence) -> Option<Definition> {
    // Analyzed with its full stop (which makes 입니다 an ending), read without it, and
    // without the bold marks, which are not Korean.
    let unmarked = classkit_model::spoken(&s.text);
    let full = unmarked.trim();
    let text = full.trim_end_matches(['.', '。', '!']).trim();
    if text.ends_with(['?', '？']) {
        return None;
    }
    let m = crate::korean::morphemes(full).ok()?;
    let make = |term: Option<String>, definition: Option<String>, how| {
        Some(Definition {
            term: term?,
            definition: definition?,
            how,
            sentence: s.clone(),
        })
    };
    ko_called(text, &m, &make)
        .or_else(|| ko_means(text, &m, &make))
        .or_else(|| ko_copula(text, &m, &make))
}

type KoMake<'a> = dyn Fn(Option<String>, Option<String>, Defined) -> Option<Definition> + 'a;

/// "Y을 X라고 합니다", "Y를 'X'라고 부릅니다", "…부분을 밑동이라고 하는데, …".
fn ko_called(text: &str, m: &[Morpheme], make: &KoMake) -> Option<Definition> {
    const VERBS: [&str; 10] = [
        "합니다",
        "부릅니다",
        "부른다",
        "한다",
        "하는데",
        "하며",
        "하고",
        "표현합니다",
        "불렀습니다",
        "했습니다",
    ];
    let r = m.iter().position(|x| {
        x.surface == "라고"
            && VERBS
                .iter()
                .any(|v| text[x.end..].trim_start().starts_with(v))
    })?;
    // The object: the last 을/를 before the term.
    let o = m[..r].iter().rposition(|x| x.pos() == "JKO")?;
    // "밑동이라고": the copula 이 belongs to the ending.
    let term_end = match m[r - 1].tag.as_str() {
        "VCP" => m[r - 1].start,
        _ => m[r].start,
    };
    let term_raw = text[m[o].end..term_end].trim();
    // "'최만리 상소' 또는 '갑자 상소'": the first name.
    let term_raw = term_raw.split(" 또는 ").next().unwrap_or(term_raw);
    make(
        ko_term(text, m, term_raw),
        ko_definition(&text[..m[o].start]),
        Defined::Called,
    )
}

/// "X란 Y을 말합니다", "X는 Y를 뜻합니다", "X란 'Y'라는 뜻입니다".
fn ko_means(text: &str, m: &[Morpheme], make: &KoMake) -> Option<Definition> {
    const VERBS: [&str; 10] = [
        "말합니다",
        "뜻합니다",
        "의미합니다",
        "가리킵니다",
        "말한다",
        "뜻한다",
        "의미한다",
        "가리킨다",
        "일컫습니다",
        "이릅니다",
    ];
    let (topic, after, t) = ko_topic(text, m)?;
    // "'Y'라는 뜻입니다", or "'Y'라는 뜻으로, Z입니다" where Z says what it is.
    if let Some(k) = m[t..]
        .iter()
        .position(|x| x.surface == "라는")
        .map(|k| k + t)
        && k > t
        && m.get(k + 1).is_some_and(|x| x.surface == "뜻")
    {
        // "…글이라는": the copula 이 belongs to the ending.
        let y_end = match m[k - 1].tag.as_str() {
            "VCP" => m[k - 1].start,
            _ => m[k].start,
        };
        let y = &text[after..y_end];
        let after = &m[k + 2..];
        if after.first().is_some_and(|x| x.pos() == "JKB")
            && after.get(1).is_some_and(|x| x.surface == ",")
            && let Some(z) = ko_copula_complement(text, m, k + 4)
        {
            return make(ko_term(text, m, topic), ko_definition(z), Defined::Is);
        }
        return make(ko_term(text, m, topic), ko_definition(y), Defined::Means);
    }
    let verb = VERBS.iter().find(|v| text.ends_with(*v))?;
    let verb_start = text.len() - verb.len();
    // The object marker 을/를 right before the verb.
    let o = m.iter().rposition(|x| x.end <= verb_start)?;
    if m[o].pos() != "JKO" || o <= t {
        return None;
    }
    make(
        ko_term(text, m, topic),
        ko_definition(&text[after..m[o].start]),
        Defined::Means,
    )
}

/// What a present copula at the end of the sentence says a thing is ("…소리입니다",
/// "…이다"), from morpheme `from` on: a noun phrase (the copula follows a noun), or `None`
/// ("…진행됩니다" and "…쓰였습니다" have no copula).
fn ko_copula_complement<'t>(text: &'t str, m: &[Morpheme], from: usize) -> Option<&'t str> {
    let last = m.iter().rposition(|x| x.pos() != "SF")?;
    let c = match m[last].tag.as_str() {
        // 입니다 or 이다, the register of a definition ("… 단계예요" says something of a step;
        // without its full stop, a last 입니다 may be read as a connective ending).
        "VCP+EF" | "VCP+EC" if m[last].surface == "입니다" => last,
        "EF" if m[last].surface == "다" && last > 0 && m[last - 1].tag == "VCP" => last - 1,
        _ => return None,
    };
    (c > from && m[c - 1].nounish()).then(|| text[m[from].start..m[c].start].trim())
}

/// "X는 Y입니다" (Y a noun phrase: the copula follows a noun), and "X는 Y으로, …" (Y a
/// noun phrase, then more about it).
fn ko_copula(text: &str, m: &[Morpheme], make: &KoMake) -> Option<Definition> {
    let (topic, after, t) = ko_topic(text, m)?;
    let y = ko_copula_complement(text, m, t).or_else(|| {
        // "…표기법으로, 주로 …": a noun, 으로 and a comma.
        let j = m[t..]
            .iter()
            .position(|x| x.pos() == "JKB" && ["으로", "로"].contains(&x.surface.as_str()))?
            + t;
        (j > t && m[j - 1].nounish() && m.get(j + 1).is_some_and(|x| x.surface == ","))
            .then(|| text[after..m[j].start].trim())
    })?;
    make(ko_term(text, m, topic), ko_definition(y), Defined::Is)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drafts::text::sentences;

    fn found(text: &str) -> Vec<(String, String)> {
        definitions(&sentences(text))
            .into_iter()
            .map(|d| (d.term, d.definition))
            .collect()
    }

    fn one(text: &str) -> (String, String) {
        let f = found(text);
        assert_eq!(f.len(), 1, "{text}: {f:?}");
        f[0].clone()
    }

    fn none(text: &str) {
        assert!(found(text).is_empty(), "{text}: {:?}", found(text));
    }

    #[test]
    fn english_is_means_refers_to() {
        assert_eq!(
            one("The chloroplast is the organelle where photosynthesis takes place."),
            (
                "chloroplast".into(),
                "the organelle where photosynthesis takes place".into()
            )
        );
        assert_eq!(
            one("Viscosity refers to how strongly a liquid resists flowing."),
            (
                "Viscosity".into(),
                "how strongly a liquid resists flowing".into()
            )
        );
        assert_eq!(
            one("Hedging means using softening words to make a statement less direct."),
            (
                "Hedging".into(),
                "using softening words to make a statement less direct".into()
            )
        );
        assert_eq!(
            one("An effusive eruption is one in which lava flows steadily out of the ground."),
            (
                "effusive eruption".into(),
                "one in which lava flows steadily out of the ground".into()
            )
        );
        assert_eq!(
            one("To recap is to repeat the main points briefly."),
            (
                "To recap".into(),
                "to repeat the main points briefly".into()
            )
        );
    }

    #[test]
    fn pointers_speakers_comparisons_letters_and_doings_are_not_definitions() {
        // The speaker, or a pointer back to something said before.
        none("I work in Payroll, which means I'm the person who checks your timesheet.");
        none("Methane is the one you've heard less about.");
        none("The second filter is the one that catches the fine dust.");
        // A comparison, and what someone does.
        none("Piracy was a more serious problem than storms.");
        none("A common mistake is to think that a bigger dose works faster.");
        // A letter that stands for an allele in an example; a subject with a modal verb;
        // a phrase that sets the scene before the subject; an adverbial gloss.
        none("B is the dominant allele for brown fur.");
        none("In those days a pudding could mean any boiled dish, which is what cooks called it.");
        none("In chemistry the system is the set of substances under study.");
        none("Fresh paint, straight after the first coat, is too soft to sand.");
        none("As a rough guide, a rise of ten degrees doubles the rate.");
        none(
            "Most reactions go faster when heated; as a rough guide, a rise of ten degrees doubles the rate.",
        );
        none(
            "The melting of ice in a glass, the burning of a candle, the rusting of a nail and the cooking of an egg all involve energy.",
        );
        none(
            "Some heat goes back down to the ground, which means the ground ends up warmer than before.",
        );
        // A label of the lecture's own, a judgement, the end of a quoted line.
        none("Source B is a postcard printed around 1909 for a suffrage society.");
        none("The actual painting is the quick and satisfying bit at the end of the job.");
        none(
            "The base salary is sixty million won a year, paid monthly.\" Mina nods and writes it down.",
        );
        // A verb's definition starts with "to".
        assert_eq!(
            one("To postpone a meeting means to move it to a later date.").1,
            "to move it to a later date"
        );
        // An example after a colon is left out; a noun phrase that restates it stays.
        assert_eq!(
            one("A pictogram is a sign that shows the thing it means: a drawing of a fish can mean \"fish\".").1,
            "a sign that shows the thing it means"
        );
        // A clause after ", and" that starts with a time is the sentence's, not the term's.
        assert_eq!(
            one("Crop rotation is the growing of different crops on the same land in turn, and by the 1900s most farms in the region used it.").1,
            "the growing of different crops on the same land in turn"
        );
    }

    #[test]
    fn english_analogies_are_not_definitions() {
        // After an analogy, what a thing "is" in the same paragraph is the figure.
        assert_eq!(
            found(
                "If the heart is the pump, the blood vessels are the road network. Arteries are like motorways: big and fast. Capillaries are the little side streets where the deliveries actually get made. Veins are the roads that bring the empty lorries home."
            ),
            vec![]
        );
        assert_eq!(
            found(
                "Think of a cell as a small factory. The nucleus is the office that keeps the plans for everything."
            ),
            vec![]
        );
        // A new paragraph is literal again; an explicit "means" or "is called" is kept.
        assert_eq!(
            found(
                "Arteries are like motorways.\n\nA vein is a blood vessel that carries blood back towards the heart."
            )
            .len(),
            1
        );
        assert_eq!(
            found("Think of it as a drummer. The number of times the heart beats in a minute is called the heart rate.")
            .len(),
            1
        );
    }

    #[test]
    fn english_bold_terms_and_possessives() {
        assert_eq!(
            one("Your **BATNA** is your Best Alternative To a Negotiated Agreement: what you will do if the call ends without a deal.").0,
            "BATNA"
        );
        // As the app imports it, without the bold marks.
        assert_eq!(
            one("Your BATNA is your Best Alternative To a Negotiated Agreement: what you will do if this call ends without a deal.").0,
            "BATNA"
        );
        none("Your goal is a price under 45 cents per box.");
    }

    #[test]
    fn english_verbs_with_someone_or_your_in_them_are_terms() {
        assert_eq!(
            one("To put someone through means to connect their call to another person's phone."),
            (
                "To put someone through".into(),
                "to connect their call to another person's phone".into()
            )
        );
        assert_eq!(
            one("To kick off means to start, and it comes from football."),
            ("To kick off".into(), "to start".into())
        );
        // Not outside a verb's phrase.
        none("Someone else is a person you have not met.");
    }

    #[test]
    fn english_define_x_as_y() {
        assert_eq!(
            one(
                "Geologists define an ice age as a long period in which permanent ice sheets exist somewhere on Earth."
            ),
            (
                "ice age".into(),
                "a long period in which permanent ice sheets exist somewhere on Earth".into()
            )
        );
        // Not a long clause before "define", nor "as" far from it.
        none("If you look closely at how the texts define it, the meaning shifts as you read.");
    }

    #[test]
    fn english_a_part_of_something_and_your_own_term() {
        assert_eq!(
            one(
                "The accumulation zone is the upper part of a glacier, where more snow falls each year than melts."
            ),
            (
                "accumulation zone".into(),
                "the upper part of a glacier, where more snow falls each year than melts".into()
            )
        );
        assert_eq!(
            one(
                "Your circadian rhythm is the roughly twenty-four-hour cycle of body processes set by an internal clock."
            ),
            (
                "circadian rhythm".into(),
                "the roughly twenty-four-hour cycle of body processes set by an internal clock"
                    .into()
            )
        );
        // The part a thing plays, and the listener's own body, are not defined.
        none("The hardest part is the waiting, which feels endless.");
        none("Your body is a pretty decent conductor of electricity.");
    }

    #[test]
    fn english_a_subject_named_then_its_name_defined() {
        assert_eq!(
            one("The ebb tide is the opposite, the outgoing tide, when the water drains away."),
            (
                "ebb tide".into(),
                "the outgoing tide, when the water drains away".into()
            )
        );
        assert_eq!(
            one(
                "The unit of measurement was the royal cubit, the length of a forearm from elbow to fingertip."
            ),
            (
                "royal cubit".into(),
                "the length of a forearm from elbow to fingertip".into()
            )
        );
        assert_eq!(
            one(
                "The made beaver was the company's standard unit of value, equal to one prime pelt."
            ),
            (
                "made beaver".into(),
                "the company's standard unit of value, equal to one prime pelt".into()
            )
        );
    }

    #[test]
    fn english_named_in_the_next_sentence() {
        assert_eq!(
            found(
                "Water vapour cools and turns back into tiny droplets. This is called condensation."
            ),
            vec![(
                "condensation".to_string(),
                "Water vapour cools and turns back into tiny droplets".to_string()
            )]
        );
        let d = definitions(&sentences(
            "Water vapour cools into droplets on the glass. This is called condensation.",
        ));
        assert_eq!(
            d[0].sentence.text,
            "Water vapour cools into droplets on the glass."
        );
        // Not across a paragraph, after a question or a bid to look.
        assert!(
            found(
                "Water vapour cools and turns back into droplets.\n\nThis is called condensation."
            )
            .is_empty()
        );
        assert!(
            found("Why does water vapour turn into droplets? This is called condensation.")
                .is_empty()
        );
        assert!(
            found("Look at the droplets on the cold glass. This is called condensation.")
                .is_empty()
        );
    }

    #[test]
    fn english_called_after_a_pointer_or_a_clause() {
        assert_eq!(
            one(
                "When one task cannot start until another task is finished, that's called a dependency."
            ),
            (
                "dependency".into(),
                "one task cannot start until another task is finished".into()
            )
        );
        assert_eq!(
            one(
                "That's called a concession, which is something you give up to help reach an agreement."
            ),
            (
                "concession".into(),
                "something you give up to help reach an agreement".into()
            )
        );
        assert_eq!(
            one(
                "The disease was called caisson disease, a sickness caused when a person moves too quickly from high pressure."
            ),
            (
                "caisson disease".into(),
                "a sickness caused when a person moves too quickly from high pressure".into()
            )
        );
        assert_eq!(
            one(
                "We call this a follow-up email, an email sent after a call or meeting to confirm what was agreed."
            ),
            (
                "follow-up email".into(),
                "an email sent after a call or meeting to confirm what was agreed".into()
            )
        );
        assert_eq!(
            one("The journey out is also called the outbound flight."),
            ("outbound flight".into(), "The journey out".into())
        );
        assert_eq!(
            one(
                "Farming that depends on a single crop is called a monoculture, and it's a dangerous position to be in."
            ),
            (
                "monoculture".into(),
                "Farming that depends on a single crop".into()
            )
        );
        none("Gray filed what was called a caveat.");
    }

    #[test]
    fn english_we_call_what_is_named_its_name() {
        assert_eq!(
            one("We call the person who gives the reference a referee."),
            (
                "referee".into(),
                "the person who gives the reference".into()
            )
        );
        assert_eq!(
            one(
                "We call the clear statement of the benefit a customer gets from your product the value proposition."
            ),
            (
                "value proposition".into(),
                "the clear statement of the benefit a customer gets from your product".into()
            )
        );
        assert_eq!(
            one(
                "We call the people who joined the great rush of 1849 the forty-niners, after the year most of them arrived."
            ),
            (
                "forty-niners".into(),
                "the people who joined the great rush of 1849".into()
            )
        );
        // A phone call, a pointer, a name that goes on.
        none("We call the customer the day before the delivery.");
        none(
            "We call a joint a synovial joint when the bones are separated by a space, all sealed inside a capsule.",
        );
        none(
            "We call the result an occluded front, where a cold front has lifted all the warm air off the surface.",
        );
        none("We call them softeners because they make a request sound less like a demand.");
    }

    #[test]
    fn english_definitions_keep_examples_inside_and_leave_asides_out() {
        // Examples without a comma are part of the definition, however it goes on.
        assert_eq!(
            one("Ammonification is the process in which decomposers such as bacteria and fungi break down dead organisms."),
            (
                "Ammonification".into(),
                "the process in which decomposers such as bacteria and fungi break down dead organisms".into()
            )
        );
        // An aside on how it usually is, in the middle, is left out; the definition goes on.
        assert_eq!(
            one(
                "An emporium was a trading town, usually protected by a king, where merchants from many lands met to buy and sell."
            ),
            (
                "emporium".into(),
                "a trading town where merchants from many lands met to buy and sell".into()
            )
        );
        assert_eq!(
            one(
                "A soft launch is a quiet, limited release of a product, often in one city or to a small group, before the full public launch."
            ),
            (
                "soft launch".into(),
                "a quiet, limited release of a product before the full public launch".into()
            )
        );
        // A second relative clause after the aside says something else.
        assert_eq!(
            one(
                "A remote is a copy of your repository that lives somewhere else, usually on a server, that you send commits to."
            ),
            (
                "remote".into(),
                "a copy of your repository that lives somewhere else".into()
            )
        );
    }

    #[test]
    fn english_which_called_and_appositions() {
        // What a statement leads to is not what its last noun is.
        none(
            "A pillar candle stands on its own without a container, which means it needs a harder wax and a mould.",
        );
        // What a thing lacks, a usual one, and what "both" points back to are not terms.
        none("A plain or textured paper has no repeat, which means very little waste.");
        none("The usual join is a butt joint, in which the edges of two drops meet exactly.");
        none("The lungs are the place where both problems are solved at once.");
        assert_eq!(
            one("An isthmus is a narrow strip of land with sea on both sides."),
            (
                "isthmus".into(),
                "a narrow strip of land with sea on both sides".into()
            )
        );
        assert_eq!(
            one("A hydrocarbon is a compound made of both carbon and hydrogen."),
            (
                "hydrocarbon".into(),
                "a compound made of both carbon and hydrogen".into()
            )
        );
        assert_eq!(
            one(
                "Many teams use a parking lot, which is a list of useful points that are not on the agenda."
            ),
            (
                "parking lot".into(),
                "a list of useful points that are not on the agenda".into()
            )
        );
        assert_eq!(
            one(
                "Then there's the stratovolcano, also called a composite volcano, which is built from alternating layers of lava and ash."
            ),
            (
                "stratovolcano".into(),
                "built from alternating layers of lava and ash".into()
            )
        );
        assert_eq!(
            one("The person who runs a meeting is called the chair, or the chairperson."),
            ("chair".into(), "The person who runs a meeting".into())
        );
        assert_eq!(
            one(
                "When an ocean plate meets another plate, the heavier ocean plate bends and slides down underneath it, a process called subduction."
            ),
            (
                "subduction".into(),
                "the heavier ocean plate bends and slides down underneath it".into()
            )
        );
        assert_eq!(
            one(
                "The pieces are called tephra, meaning any rock material thrown into the air by an eruption."
            ),
            (
                "tephra".into(),
                "any rock material thrown into the air by an eruption".into()
            )
        );
        assert_eq!(
            one(
                "Magma, molten rock below the surface, is lighter than the solid rock around it, so it rises."
            ),
            ("Magma".into(), "molten rock below the surface".into())
        );
        assert_eq!(
            one(
                "The best example is the Ring of Fire, a horseshoe of volcanoes around the Pacific Ocean."
            ),
            (
                "Ring of Fire".into(),
                "a horseshoe of volcanoes around the Pacific Ocean".into()
            )
        );
    }

    #[test]
    fn predicates_are_not_definitions() {
        // "are" with an adjective, a participle, an adverb or a noun that is not plural.
        none("Handlers are idempotent: results are upserted by job id.");
        none("Results are written through the same versioned path as edits.");
        none("Ids are never shown to the instructor in the app.");
        none("Logs are JSON on stderr for every request.");
        none("Your nice-to-haves are 60-day payment terms and free storage.");
        // …but a plural noun phrase, or a collective with its article, is one.
        assert_eq!(
            one("Stomata are tiny pores on the underside of a leaf."),
            (
                "Stomata".into(),
                "tiny pores on the underside of a leaf".into()
            )
        );
        assert_eq!(
            one("Sogdians are an Iranian people from Samarkand."),
            ("Sogdians".into(), "an Iranian people from Samarkand".into())
        );
        // "which is" with a reason, a negation or an adjective and its complement.
        none(
            "Chlorophyll absorbs red and blue light and reflects green, which is why leaves look green.",
        );
        none("It adds 22 MiB to the app process, which is not yet accounted for.");
        none(
            "Some routers let you cap the guest bandwidth, which is handy if a visitor streams video.",
        );
        // …but a measure is a definition.
        assert_eq!(
            one(
                "The router answers with a lease time, which is how long the laptop can keep that address."
            ),
            (
                "lease time".into(),
                "how long the laptop can keep that address".into()
            )
        );
        // "means that": what follows from it.
        none("Support means that we will fix bugs and test each browser.");
        // "is one" only as "one in which / that …".
        none("The command layer is one line per command that calls the library.");
        // Superlatives and judgements.
        none("The speech engine is the cheapest one that speaks each slide's language.");
        none("Automated testing is a huge timesaver for every team.");
        none("Event handler attributes are like the ones in old web pages.");
    }

    #[test]
    fn appositions_are_noun_phrases_not_participles_or_lists() {
        // A participle after the comma describes, it does not define.
        assert_eq!(
            found(
                "Samarkand, situated in the fertile Zeravshan valley, was the principal city of Sogdiana."
            ),
            vec![]
        );
        // A list after the comma is not an apposition…
        none("A remote worker needs only the Redis URL, a worker token and its own engine keys.");
        // …but "between A and the B" is one thing.
        assert_eq!(
            one(
                "Han control reached the Hexi Corridor, a narrow strip of land between the Qilian Mountains and the Gobi Desert."
            ),
            (
                "Hexi Corridor".into(),
                "a narrow strip of land between the Qilian Mountains and the Gobi Desert".into()
            )
        );
    }

    #[test]
    fn a_definition_ends_where_a_clause_of_its_own_begins() {
        assert_eq!(
            one(
                "A passphrase is a longer secret made of several words, and length beats cleverness every time."
            ),
            (
                "passphrase".into(),
                "a longer secret made of several words".into()
            )
        );
        // A list's last item stays.
        assert_eq!(
            one("Tephra is a mix of ash, pumice, and volcanic bombs thrown out by an eruption."),
            (
                "Tephra".into(),
                "a mix of ash, pumice, and volcanic bombs thrown out by an eruption".into()
            )
        );
        // A hedge is not part of it.
        assert_eq!(
            one(
                "Most routers have an admin page, which is just a little website the router itself serves."
            ),
            (
                "admin page".into(),
                "a little website the router itself serves".into()
            )
        );
    }

    #[test]
    fn english_forms_textbooks_and_teachers_use() {
        assert_eq!(
            one(
                "When economists speak of inflation, they mean a sustained rise in the general level of prices, not a jump in one price."
            ),
            (
                "inflation".into(),
                "a sustained rise in the general level of prices".into()
            )
        );
        assert_eq!(
            one(
                "Purchasing power, that is, the quantity of goods that a sum of money can buy, falls every year."
            ),
            (
                "Purchasing power".into(),
                "the quantity of goods that a sum of money can buy".into()
            )
        );
        assert_eq!(
            one(
                "The policy rate — the short-term interest rate that the central bank sets — is its main tool."
            ),
            (
                "policy rate".into(),
                "the short-term interest rate that the central bank sets".into()
            )
        );
        assert_eq!(
            one(
                "You'll see a glass panel at the front that slides up and down, which we call the sash, and it stays low."
            ),
            (
                "sash".into(),
                "a glass panel at the front that slides up and down".into()
            )
        );
        assert_eq!(
            one("Deflation is when the general price level falls over a sustained period."),
            (
                "Deflation".into(),
                "the general price level falls over a sustained period".into()
            )
        );
        // Another name in the subject: an abbreviation or what it stands for.
        assert_eq!(
            one(
                "The consumer price index, or CPI, is a measure of the average price of a basket of goods."
            ),
            (
                "consumer price index".into(),
                "a measure of the average price of a basket of goods".into()
            )
        );
        assert_eq!(
            one(
                "PPE, personal protective equipment, means anything you wear to protect your body."
            )
            .0,
            "PPE"
        );
        // Examples that end the sentence are not part of it; those in the middle are.
        assert_eq!(
            one("A near miss is when something nearly goes wrong but nobody gets hurt, like a beaker that tips over.").1,
            "something nearly goes wrong but nobody gets hurt"
        );
    }

    #[test]
    fn what_follows_those_forms_must_be_a_definition() {
        // A later "means" that is not a definition does not replace the definition.
        assert_eq!(
            found(
                "Inflation is a sustained rise in the general level of prices. \
                 Inflation means trouble for anyone living on a fixed income. \
                 Inflation is to blame for falling real wages."
            ),
            vec![(
                "Inflation".into(),
                "a sustained rise in the general level of prices".into()
            )]
        );
        // Clauses are not terms.
        none("Nominal wages rose, that is, workers were paid more money.");
        none("Prices rose — a clear sign that inflation was returning — in March.");
        // The object shown, not the first thing the sentence names.
        assert_eq!(
            one("In a chemistry lab you'll see a glass panel at the front that slides up and down, which we call the sash.").1,
            "a glass panel at the front that slides up and down"
        );
    }

    #[test]
    fn people_in_a_story_and_words_about_words_are_not_terms() {
        none("Claude Chappe was a clergyman who lost his living in the Revolution.");
        none("Samuel Morse, a portrait painter by training, was in Washington in 1825.");
        none("Wheatstone was a professor at King's College London.");
        none("Telegram is a word first used in the 1850s by American newspapers.");
        none("The message became a telegram, a word first used in the 1850s.");
        // A thing with a capitalized name is still a term.
        assert_eq!(
            one("The Pony Express was a mail service that carried letters on horseback.").0,
            "Pony Express"
        );
        // An idiom with its preposition.
        assert_eq!(
            one("You may have to put the caller on hold, which means keeping the line open.").0,
            "on hold"
        );
        // ", and, unlike rubber, it stays tough": a clause of its own.
        assert_eq!(
            one("Gutta-percha is the hardened sap of a tree from the Malay peninsula, and, unlike rubber, it stays tough.").1,
            "the hardened sap of a tree from the Malay peninsula"
        );
    }

    #[test]
    fn english_appositions_in_the_middle_of_a_sentence() {
        assert_eq!(
            one(
                "Their DNA lies in the nucleoid, an irregular region of the cytoplasm that contains the chromosome."
            ),
            (
                "nucleoid".into(),
                "an irregular region of the cytoplasm that contains the chromosome".into()
            )
        );
        assert_eq!(
            one(
                "Then there's lead time, the time between placing an order and receiving the goods."
            ),
            (
                "lead time".into(),
                "the time between placing an order and receiving the goods".into()
            )
        );
        assert_eq!(
            one("Whole villages were lost in pogroms, organised massacres of a particular group."),
            (
                "pogroms".into(),
                "organised massacres of a particular group".into()
            )
        );
        // A short list that ends the phrase is part of it.
        assert_eq!(
            one("Use the spill kit, a yellow bucket of absorbent pads, neutralising powder and a scoop, but tell me first.").1,
            "a yellow bucket of absorbent pads, neutralising powder and a scoop"
        );
        // A bold term; "so-called" is not part of the term.
        assert_eq!(
            one("The secret is **selective toxicity**, the ability to harm the microbe without harming the host.").0,
            "selective toxicity"
        );
        assert_eq!(
            one("Traders ran the so-called salt road, the route from the coast to the inland markets.").0,
            "salt road"
        );
        // Lists, clauses after a fronted clause, verbs in the term or the phrase, names.
        none("Bring a pen, a ruler and a notebook to every class.");
        none("Once the meeting is running, the chair moves from item to item.");
        none("If acid splashes into your eyes, the first thing to do is rinse them.");
        none("Many bacteria also carry plasmids, small rings of DNA that copy themselves.");
        none("For the return path, a single wire on poles will do.");
        none(
            "Inflation above 50 percent a month, a threshold proposed by Cagan, is hyperinflation.",
        );
        none("We stayed in Lisbon, the capital of Portugal, for a week.");
        none("He was still under warranty, the promise to repair it for a year.");
        // The phrase glosses the whole clause, not its last noun; a verb after "to".
        none("Light energy is used to split water molecules, a point that will matter later.");
        none("The golden rule means to acknowledge before you disagree.");
    }

    #[test]
    fn english_people_businesses_and_changes_are_not_terms() {
        none("Minji Seo is a buyer for Daon Home, a homeware chain in Seoul.");
        none("Carlos Mendes is the export manager at Lusa Ceramics.");
        none("Bluestone Design is a web design agency in Seoul.");
        none("Rabbit Creek is a stream that runs into the Klondike.");
        none("The explanation is a lovely piece of chemistry.");
        none("That frying pan is a small demonstration of a very big rule.");
        none("Surfactants are a shortened form of surface-active agents, and they clean.");
        assert_eq!(
            one("A risk assessment is a short form you fill in before each practical."),
            (
                "risk assessment".into(),
                "a short form you fill in before each practical".into()
            )
        );
        none("Hans Christian Gram was a Danish physician working in a Berlin hospital.");
        none("Gabriele de' Mussis was a notary from Piacenza, and his account is vivid.");
        none("A bigger amplitude means the wave carries more energy.");
        none("Larger amplitudes mean a louder sound to the listener.");
        none("Each chamber at Panama is a thousand feet long and a hundred and ten feet wide.");
        none("The fix is an absolute reference that stays on the same cell.");
        none("Broad-spectrum drugs are the obvious choice when the cause is unknown.");
        none(
            "Plasmids are the bacterial world's hand luggage: small, portable and easily passed on.",
        );
        none("Variable expenses are the ones that change: groceries, gas, eating out.");
        none("Between the bunches are the stretched-out bits of the spring.");
        none("Grafting is a job for late winter and early spring.");
        none("A spare tube is the answer to a puncture on the road.");
        none("Alcohol is a diuretic because it blocks the release of ADH.");
        none("The club was a private members' club where wealthy men met.");
        none("Most are limited to 50 miles an hour, which is about 80 kilometres an hour.");
        none("Ours is the far end of the staff car park, by the bike shelter.");
        none("Tonight's job is one that saves people a lot of money every winter.");
        none("Include the date, the time with a time zone, and the action items with names.");
        none(
            "They are easy to guess from the smudges on the screen, which is a slightly disgusting but true fact.",
        );
        none(
            "And so is the dragonfly larva, which, by the way, is a terrifying hunter if you happen to be a tadpole.",
        );
        none("I'm off from the eleventh, which is the week of the quarterly report.");
        none("Sound means nothing is loose or crumbling.");
        assert_eq!(
            one(
                "Humans have a double circulation, which means that blood passes through the heart twice."
            ),
            (
                "double circulation".into(),
                "blood passes through the heart twice".into()
            )
        );
        none("Paper money is a promise, and it's worth exactly as much as our trust in its maker.");
        none(
            "Blood is a living tissue, just like muscle or bone, except that it happens to be liquid.",
        );
        none("Nitrate is the form most crops prefer, but it dissolves easily.");
        none("Leghemoglobin is a cousin of the haemoglobin in your blood.");
        // (The name itself may be read as defined by what follows it.)
        assert!(
            found("The product is the Leaf, a smart water bottle that reminds you to drink.")
                .iter()
                .all(|(term, _)| term != "product")
        );
        assert_eq!(
            one("An expense report is the form you fill in to ask your company to pay you back."),
            (
                "expense report".into(),
                "the form you fill in to ask your company to pay you back".into()
            )
        );
        assert_eq!(
            one("A neuron is the type of cell that carries nerve signals."),
            (
                "neuron".into(),
                "the type of cell that carries nerve signals".into()
            )
        );
        assert_eq!(
            one("A bulk discount is a lower unit price because you buy a larger quantity."),
            (
                "bulk discount".into(),
                "a lower unit price because you buy a larger quantity".into()
            )
        );
        // A speaker of the dialogue, by full name.
        assert_eq!(
            found("Minji: \"Hello?\" Minji Park is the head of purchasing at a retailer."),
            vec![]
        );
    }

    #[test]
    fn english_other_names_set_aside() {
        assert_eq!(
            one(
                "A **pinch flat**, which mechanics also call a snakebite, is a puncture made when the tube is trapped against the rim."
            ),
            (
                "pinch flat".into(),
                "a puncture made when the tube is trapped against the rim".into()
            )
        );
        assert_eq!(
            one("A planet's orbital period is the time it takes to travel once around the Sun.").0,
            "orbital period"
        );
    }

    #[test]
    fn english_terms_as_a_card_names_them() {
        assert_eq!(
            one("The scope of a project is the work that everyone agreed it would include.").0,
            "scope"
        );
        assert_eq!(
            one("The aquarii themselves are the water-men employed to look after the pipes.").0,
            "aquarii"
        );
        assert_eq!(
            one("That's the commit's hash, a forty-character ID that git calculates from its contents.").0,
            "hash"
        );
        // A name keeps its possessive.
        assert_eq!(
            one("Newton's law is a rule that says how a force changes motion.").0,
            "Newton's law"
        );
    }

    #[test]
    fn english_ordinary_definitions_are_kept() {
        for (text, term) in [
            (
                "Silicon is a semiconductor that is used in almost every computer chip.",
                "Silicon",
            ),
            (
                "Glycogen is a store of glucose in the liver and muscles.",
                "Glycogen",
            ),
            (
                "Natural selection is the process by which better adapted organisms leave more offspring.",
                "Natural selection",
            ),
            (
                "A right angle is an angle of exactly ninety degrees.",
                "right angle",
            ),
            (
                "An ideal gas is a gas whose particles do not attract each other.",
                "ideal gas",
            ),
            (
                "Voltage is the difference in electric potential between two points.",
                "Voltage",
            ),
            ("A genome is an organism's complete set of DNA.", "genome"),
            (
                "Empathy is the ability to imagine how another person feels.",
                "Empathy",
            ),
            (
                "By inflation, we mean a sustained rise in the general price level.",
                "inflation",
            ),
            (
                "Sampling with replacement is a method in which each item can be drawn again.",
                "Sampling with replacement",
            ),
            (
                "The theory of the firm is a set of ideas about why companies exist.",
                "theory of the firm",
            ),
        ] {
            assert_eq!(one(text).0, term, "{text}");
        }
        // A speaker's role word is not a name: a later term that starts with it stays.
        assert_eq!(
            found("Student: \"What is a loan?\"\n\nStudent loans are loans that help students pay for university.")
                .len(),
            1
        );
    }

    #[test]
    fn english_people_translations_and_descriptions_are_not_terms() {
        none("Matthew Perry was a commodore in the United States Navy.");
        none("Yamagata Aritomo was a Chōshū samurai who had studied the armies of Europe.");
        none("Dev, who's a retired chemistry teacher, will test your soil.");
        none("Hanseki hōkan means the “return of the registers” to the emperor.");
        none("A peasant army with rifles was a slap in the face.");
        none("Samples are sometimes free and sometimes not.");
        none("The usual picture is a lock and a key that fits it.");
        none("Your body is a pretty decent conductor too, because of the salty water inside you.");
        none("A short circuit is the electrical equivalent of a burst dam.");
        none("Espresso is a shout; pour-over is a conversation.");
        none("The unit of charge is the coulomb, named after Charles-Augustin de Coulomb.");
        none(
            "So we rest the beans, which just means leaving them sealed in the bag for a few days.",
        );
        none(
            "William Henry Fox Talbot was a country squire, a mathematician and a Member of Parliament.",
        );
        none("Yuri Gagarin was a twenty-seven-year-old air force pilot, the son of a carpenter.");
        none("John Boyd Dunlop was a Scottish vet living in Belfast.");
        // A list going on inside the phrase: not cut at its first item.
        none(
            "It bolts onto the bike, the set of joined tubes that the wheels, saddle, handlebars and everything else bolt onto.",
        );
        // A conjunction is not part of the term; what follows a colon explains.
        assert_eq!(
            one("And to stop by means to visit a place briefly.").0,
            "to stop by"
        );
        assert_eq!(
            one("A weak acid is an acid that only partly ionises in water: at any moment most of its molecules are whole.").1,
            "an acid that only partly ionises in water"
        );
    }

    #[test]
    fn english_word_origins_other_names_and_list_items_are_not_definitions() {
        none("Glia is the Greek word for glue.");
        none("Saltatory conduction — from the Latin saltare, to leap — is faster.");
        none("The patellar reflex, better known as the knee-jerk reflex, is a kick of the leg.");
        none("He wrote it in about ten days, which makes the rest of us look slow.");
        none(
            "It controls what you never think about: your heartbeat, your digestion, the width of your pupils.",
        );
        none("Santiago Ramón y Cajal was a Spanish doctor who drew brain tissue by hand.");
    }

    #[test]
    fn english_where_a_definition_ends() {
        // ", whether …" and a clause after "and a …" say more than what it is.
        assert_eq!(
            one("A synapse is the junction between a neuron and the next cell, whether that cell is a muscle or a gland.").1,
            "the junction between a neuron and the next cell"
        );
        assert_eq!(
            one("A nerve is a bundle of axons bound together in connective tissue, and a single nerve can carry thousands of them, like the wires in a cable.").1,
            "a bundle of axons bound together in connective tissue"
        );
        // How it is written is not what it is; what it is made of is.
        assert_eq!(
            one("A range is a rectangular group of cells that you select at once, written as two cells with a colon between them.").1,
            "a rectangular group of cells that you select at once"
        );
        assert_eq!(
            one("The lithosphere is the rigid outer layer of the Earth, made of the crust and the top of the mantle.").1,
            "the rigid outer layer of the Earth, made of the crust and the top of the mantle"
        );
        // ", and the one levied in 1380 …" after a short aside is a clause of its own.
        assert_eq!(
            one("A poll tax is a tax charged at the same rate on every adult, rich or poor, and the one levied in 1380 was three times the first.").1,
            "a tax charged at the same rate on every adult, rich or poor"
        );
        // Where the name comes from is not what it means.
        assert_eq!(
            one("CAM stands for crassulacean acid metabolism, named after the stonecrop family where it was first studied.").1,
            "crassulacean acid metabolism"
        );
        // "which is to say": what it means.
        assert_eq!(
            one(
                "It became a pandemic, which is to say an epidemic that spreads across several continents."
            ),
            (
                "pandemic".into(),
                "an epidemic that spreads across several continents".into()
            )
        );
        // Of two statements with "is", the first stays.
        assert_eq!(
            one("Frequency is the number of vibrations a source makes each second. Frequency is a physical quantity you can measure with a microphone.").1,
            "the number of vibrations a source makes each second"
        );
    }

    #[test]
    fn figures_of_speech_glosses_and_examples_are_not_definitions() {
        none("Inflation is a headache for savers.");
        none("Hyperinflation is a catastrophe rather than a nuisance.");
        none("Interest rates are a blunt instrument for cooling the economy.");
        none("The fume hood is your best friend in this room.");
        none("The flame symbol means flammable, which is just a fancy way of saying it burns.");
        none("Diluting a concentrated acid is an exothermic process, meaning it releases heat.");
        // Examples after the definition are not part of it.
        assert_eq!(
            one(
                "A central bank is the public institution responsible for a country's money, such as the Bank of England."
            ),
            (
                "central bank".into(),
                "the public institution responsible for a country's money".into()
            )
        );
        // A gerund that names an idea is a term.
        assert_eq!(
            one("Having the floor means having the right to speak at that moment.").0,
            "Having the floor"
        );
    }

    #[test]
    fn a_term_used_before_it_is_defined_gets_its_definition() {
        assert_eq!(
            found(
                "Inflation is the reason savers worry. Inflation is the topic of this unit. \
                 Inflation means a general rise in the prices of goods and services."
            ),
            vec![(
                "Inflation".into(),
                "a general rise in the prices of goods and services".into()
            )]
        );
        // Vague heads are no definition at all.
        none("Inflation is a problem for everyone who saves money.");
    }

    #[test]
    fn kinds_pointers_amounts_and_lists_in_a_lecture_script_are_not_definitions() {
        // Another name set aside, however many words say so.
        assert_eq!(
            one(
                "The consumer unit, which plenty of people still call the fuse box, is the panel where the electricity supply is split into separate circuits."
            ),
            (
                "consumer unit".into(),
                "the panel where the electricity supply is split into separate circuits".into()
            )
        );
        // What it is set against is not what it is; the phrase after it says.
        assert_eq!(
            one("Apogee is the opposite, the point where the Moon is farthest from the Earth."),
            (
                "Apogee".into(),
                "the point where the Moon is farthest from the Earth".into()
            )
        );
        none("The opposite is a partial refund, where the shop returns only part of the price.");
        // A clause fronted by "just as"; which one; how much; what something is like.
        none(
            "Ironically, just as the company reached its greatest size, the hat that had built it went out of fashion.",
        );
        none("That one goes to the top pin, the long one in the middle.");
        none(
            "The Moon pulls hardest on the near side, a bit less on the centre, and least of all on the far side.",
        );
        none(
            "He suggests sending it by air, which is much faster than sea freight and much more expensive.",
        );
        // Items of a list; "a pocket or groove" is one thing.
        none(
            "Look for cuts, scorch marks or places where it's been crushed under a piece of furniture.",
        );
        assert_eq!(
            one("It binds to a region of the enzyme called the active site, a pocket or groove whose shape matches that of the substrate.").0,
            "active site"
        );
        // Which kind it is, not what it is.
        assert!(
            !found("The fuse itself is a cartridge fuse, a small ceramic tube with a metal cap at each end.")
                .iter()
                .any(|(t, _)| t == "fuse")
        );
    }

    #[test]
    fn places_in_a_list_asides_other_clauses_and_word_histories_are_not_definitions() {
        none("The third job is the opposite of the first two.");
        none(
            "For homework, draw a labelled diagram of a meander showing the river cliff, the slip-off slope and where the fastest water flows.",
        );
        assert!(
            !found("A lock, if you've never seen one, is a chamber with gates at each end where a ship is raised or lowered.")
                .iter()
                .any(|(_, d)| d.starts_with("if")),
        );
        assert!(
            !found("Cardio is the heart, pulmonary is the lungs, and resuscitation just means bringing someone round.")
                .iter()
                .any(|(t, _)| t == "Cardio"),
        );
        assert!(
            !found("The labourers who built the railways by hand were called navvies, a name shortened from the navigators who had dug Britain's canals a generation earlier.")
                .iter()
                .any(|(_, d)| d.contains("shortened")),
        );
        // A sentence in bold ends after its marks.
        assert_eq!(
            crate::drafts::text::sentences("**Disconnect the power first.** Then open the case.")
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>(),
            ["**Disconnect the power first.**", "Then open the case."]
        );
        // What it is in two words, then what it is like.
        none("The pyramid was a tomb, but it was also a machine for eternity.");
        // Which group it joins; a figure of speech; a pointer back; "which is" set aside.
        none("Tea bags are greens too, though check yours aren't made with plastic.");
        none("My commute is a bit of an adventure, though.");
        assert!(
            !found(
                "Voltage, which you met in the circuits topic, is the push that drives the charge."
            )
            .iter()
            .any(|(_, d)| d.starts_with("which")),
        );
        assert_eq!(
            one(
                "Water vapor, which is water in the form of an invisible gas, is actually the biggest contributor to the greenhouse effect."
            ),
            (
                "Water vapor".into(),
                "water in the form of an invisible gas".into()
            )
        );
        // An aside; what a name is given to; the phrase a clause ends on; a role.
        none("Humidity, by the way, just means how much water vapour the air is holding.");
        assert!(
            one("Railway mania is the name historians give to the frenzy of the mid-1840s, when thousands of people rushed to buy shares.")
                .1
                .starts_with("the frenzy of the mid-1840s")
        );
        assert_eq!(
            one(
                "Eventually the loop of a meander gets so tight that the two outer bends are separated by only a narrow strip of land, which we call the neck."
            ),
            ("neck".into(), "a narrow strip of land".into())
        );
        assert!(
            !found("The Gauge Act of 1846 made Stephenson's width, known from then on as standard gauge, the rule for new passenger lines in Great Britain.")
                .iter()
                .any(|(_, d)| d.starts_with("the rule"))
        );
        // The word in bold is the term, wherever it stands in the subject.
        assert_eq!(
            one("An **attenuated** germ is one that has been weakened so that it can no longer cause serious disease.").0,
            "attenuated"
        );
        assert_eq!(
            one(
                "A **buffer**, or buffer solution, is a solution that resists changes in pH when small amounts of acid are added to it."
            ),
            (
                "buffer".into(),
                "a solution that resists changes in pH when small amounts of acid are added to it"
                    .into()
            )
        );
    }

    #[test]
    fn subjects_that_are_clauses_markup_or_vague_are_not_terms() {
        none("If the key is a string, it is used as it is.");
        none("As obug is a fork of debug, we acknowledge the origin.");
        none("The `type` field is a loose association of an object to its roles.");
        none("Below is the list of options with their default values.");
        none("The choice is an ordinary edit, synced like any other.");
        none("The solution is to pass the variable to the child process.");
        // A vague word inside a longer term is part of it.
        assert_eq!(
            one("An opportunity cost is the value of the best alternative given up.").0,
            "opportunity cost"
        );
    }

    #[test]
    fn deictic_and_vague_subjects_are_never_terms() {
        // The examples of the issue: "Today's case" is not a term.
        none(
            "Today's case is a phone negotiation between a buyer at a mid-sized food company and a supplier.",
        );
        none("This is the most important slide of the lecture.");
        none("It is a process that takes about ten minutes.");
        none("The answer is a clear no from the supplier.");
        none("The first step is a short call to check the figures.");
        none("The best time to call is the morning after the quote arrives.");
        none("Prices are going up every year.");
        none("Which term is a list of topics?");
        // A speaker of the dialogue is not a term.
        none(
            "Mina: \"Could I just come in here?\"\nMina is the project manager of the new office.",
        );
    }

    #[test]
    fn korean_definitions_keep_their_endings_whole() {
        assert_eq!(
            one("천일염이란 바닷물을 염전에 가두어 햇볕과 바람으로 증발시켜 얻은 소금을 말합니다."),
            (
                "천일염".into(),
                "바닷물을 염전에 가두어 햇볕과 바람으로 증발시켜 얻은 소금".into()
            )
        );
        assert_eq!(
            one(
                "숙성이란 김치 속 미생물이 작용하면서 맛이 깊고 새콤하게 변해 가는 과정을 뜻합니다."
            ),
            (
                "숙성".into(),
                "김치 속 미생물이 작용하면서 맛이 깊고 새콤하게 변해 가는 과정".into()
            )
        );
        assert_eq!(
            one("훈민정음이란 '백성을 가르치는 바른 소리'라는 뜻입니다."),
            ("훈민정음".into(), "백성을 가르치는 바른 소리".into())
        );
        assert_eq!(
            one("섀도잉이란 원어민 음성을 듣고 바로 따라 말하는 연습입니다."),
            (
                "섀도잉".into(),
                "원어민 음성을 듣고 바로 따라 말하는 연습".into()
            )
        );
        assert_eq!(
            one("반면 언문은 한문을 높이 여기던 시절에 훈민정음을 낮추어 부르던 이름입니다."),
            (
                "언문".into(),
                "한문을 높이 여기던 시절에 훈민정음을 낮추어 부르던 이름".into()
            )
        );
        assert_eq!(
            one(
                "이두는 한자의 음과 뜻을 빌려 우리말 어순에 맞게 적던 표기법으로, 주로 관청의 문서에서 쓰였습니다."
            ),
            (
                "이두".into(),
                "한자의 음과 뜻을 빌려 우리말 어순에 맞게 적던 표기법".into()
            )
        );
    }

    #[test]
    fn korean_called_forms() {
        assert_eq!(
            one("배추 잎 사이사이에 넣는 양념과 채소 섞은 것을 김칫소라고 합니다."),
            (
                "김칫소".into(),
                "배추 잎 사이사이에 넣는 양념과 채소 섞은 것".into()
            )
        );
        assert_eq!(
            one(
                "배추의 뿌리 쪽 단단한 부분을 밑동이라고 하는데, 칼은 이 밑동에만 칼집을 넣습니다."
            ),
            ("밑동".into(), "배추의 뿌리 쪽 단단한 부분".into())
        );
        assert_eq!(
            one(
                "이렇게 하늘과 땅과 사람을 본뜬 세 글자를 조합해 모음을 만드는 원리를 천지인 원리라고 부릅니다."
            ),
            (
                "천지인 원리".into(),
                "하늘과 땅과 사람을 본뜬 세 글자를 조합해 모음을 만드는 원리".into()
            )
        );
        assert_eq!(
            one(
                "이렇게 최만리 등이 훈민정음 창제에 반대하며 올린 상소를 '최만리 상소' 또는 '갑자 상소'라고 부릅니다."
            ),
            (
                "최만리 상소".into(),
                "최만리 등이 훈민정음 창제에 반대하며 올린 상소".into()
            )
        );
    }

    #[test]
    fn korean_topics_that_define_nothing() {
        // Not for want of the dictionary.
        crate::korean::available().expect("the Korean dictionary (scripts/setup builds it)");
        // The issue's examples: a topic marker is not a definition, and nothing is cut.
        none("수업은 한 주에 세 번 진행됩니다.");
        none("연습 순서는 간단합니다.");
        none("월요일에는 온라인 강의를 듣는 날입니다.");
        none("이 과정은 여덟 주 동안 진행되는 과정입니다.");
        none("오늘은 김치 담그는 방법을 배워 보겠습니다.");
        none("첫 번째 단계는 배추를 절이는 것입니다.");
        none("여러분은 이미 많은 것을 알고 있습니다.");
        none("이것은 아주 중요한 내용입니다.");
    }
}
