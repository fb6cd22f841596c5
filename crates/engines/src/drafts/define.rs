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
    for s in sentences {
        let found = if s.text.chars().any(is_hangul) {
            korean(s)
        } else {
            english(s)
        };
        let Some(d) = found else { continue };
        let key = d.term.to_lowercase();
        if speakers.contains(&key) {
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
    /// Which of two statements of a term to keep (lower first): the surer pattern, then the
    /// fuller statement ("Inflation is a headache for savers" gives way to "Inflation is a
    /// sustained rise in the general level of prices").
    fn rank(&self) -> (u8, bool) {
        (
            self.sureness(),
            self.definition.split_whitespace().count() < 6,
        )
    }

    /// How sure the pattern is that the sentence defines the term (0 surest): "means",
    /// "refers to", "we mean" first, then "is called", then "is a/an", then the rest.
    pub fn sureness(&self) -> u8 {
        match self.how {
            Defined::Means => 0,
            Defined::Called => 1,
            Defined::Is
                if self.definition.starts_with("a ") || self.definition.starts_with("an ") =>
            {
                2
            }
            Defined::Is | Defined::Process => 3,
        }
    }
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
            let name = before
                .rfind(['"', '”'])
                .map_or(before, |q| &before[q + 1..])
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
const NOT_TERMS: [&str; 68] = [
    "it",
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
];

/// Nouns that, alone, name a role in what is said rather than a concept ("The choice is an
/// ordinary edit"); in a longer term they may be part of it ("opportunity cost").
const VAGUE_ALONE: [&str; 24] = [
    "choice",
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
];

/// Words that open a clause: a subject after one is not a term ("If the key is a …").
const SUBORDINATORS: [&str; 12] = [
    "if", "when", "as", "because", "since", "although", "though", "while", "once", "unless",
    "whether", "so",
];

/// First words of an evaluation rather than a definition ("the best …", "the first …").
const EVALUATIVE: [&str; 43] = [
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
fn bold(text: &str) -> Vec<&str> {
    text.split("**").skip(1).step_by(2).collect()
}

/// A subject as a term: the noun phrase without its article ("The chloroplast" →
/// "chloroplast"), or the bold term in it ("Your **BATNA**" → "BATNA"); `None` for a clause,
/// a pronoun, a deictic or vague subject.
fn term_of(subject: &str) -> Option<String> {
    let subject = subject.trim();
    if let [b] = bold(subject)[..]
        && subject.replace("**", "").trim().ends_with(b.trim())
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
    let last = words.last().map(|w| lower(w))?;
    if words.is_empty()
        || words.len() > 4
        || subject.contains([',', ';', ':', '(', ')', '"', '“', '”', '\n', '\r', '?', '!'])
        || subject.contains(['`', '[', ']', '<', '>', '#', '|', '{', '}', '='])
        || words.iter().any(|w| !w.chars().any(char::is_alphanumeric))
        || SUBORDINATORS.contains(&lower(words[0]).as_str())
        || words.iter().any(|w| NOT_TERMS.contains(&lower(w).as_str()))
        || words
            .iter()
            .any(|w| EVALUATIVE.contains(&lower(w).as_str()))
        || words[0].chars().next().is_some_and(|c| c.is_ascii_digit())
        || NOT_TERMS.contains(&last.as_str())
        || (words.len() == 1 && VAGUE_ALONE.contains(&last.as_str()))
    {
        return None;
    }
    // A verb in the subject makes it a clause ("Prices rise", "She said").
    if words.len() > 1
        && words.iter().any(|w| {
            [
                "is", "are", "was", "were", "do", "does", "did", "can", "will", "should", "must",
                "said",
            ]
            .contains(&lower(w).as_str())
        })
    {
        return None;
    }
    Some(words.join(" ").trim_matches(['\'', '’']).to_string())
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
const NOT_NOUN_STARTS: [&str; 31] = [
    "not", "never", "also", "still", "only", "just", "now", "very", "often", "usually", "always",
    "too", "so", "more", "less", "being", "both", "all", "each", "no", "already", "yet", "then",
    "there", "here", "well", "quite", "rather", "almost", "mostly", "like",
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
    if ["a", "an", "the"].contains(&first.as_str()) {
        return true;
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
            DETERMINERS.contains(&next.as_str())
                && !before
                    .iter()
                    .any(|w| ["between", "both", "either"].contains(&w.as_str()))
        })
    })
}

/// True when `name` is a person's name (capitalized words, not an abbreviation) and `what`,
/// what they are said to be, names a person by what they do ("a portrait painter", "a
/// professor at King's College"; "Sogdians are an Iranian people" is not).
fn person(name: &str, what: &str) -> bool {
    const PEOPLE: [&str; 40] = [
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
    ];
    let words: Vec<&str> = name.split_whitespace().collect();
    let named = !words.is_empty()
        && words.len() <= 3
        && words.iter().all(|w| {
            w.starts_with(char::is_uppercase) && w.chars().skip(1).any(char::is_lowercase)
        });
    named
        && what.split_whitespace().take(4).any(|w| {
            let w = lower(w);
            PEOPLE.contains(&w.as_str()) || (w.len() > 5 && w.ends_with("ist"))
        })
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
    if words.len() < 3 {
        return false;
    }
    let evaluative = EVALUATIVE.contains(&words[0].as_str())
        || (["the", "a", "an"].contains(&words[0].as_str())
            && EVALUATIVE.contains(&words[1].as_str()))
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
    let instance = (words[0] == "one" && words[1] == "of")
        || words.iter().take(3).any(|w| {
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
            ]
            .contains(&w.as_str())
        });
    // "60-day payment terms and free storage": instances, counted, not a definition.
    let counted = words[0].starts_with(|c: char| c.is_ascii_digit());
    // "a word first used in the 1850s": about the word, not the thing.
    let about_the_word = ["a", "an", "the"].contains(&words[0].as_str())
        && ["word", "term", "name", "phrase"].contains(&words[1].as_str())
        && ["first", "coined", "borrowed", "derived", "from"].contains(&words[2].as_str());
    !evaluative && !instance && !counted && !about_the_word
}

fn english(s: &Sentence) -> Option<Definition> {
    let text = s.text.trim().trim_end_matches(['.', '!']).trim();
    if text.ends_with('?') || text.contains(": \"") || text.contains(": “") {
        return None;
    }
    let make = |term: String, definition: &str, how: Defined| {
        let definition = own_clause(definition)
            .trim()
            .trim_matches(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .replace("**", "");
        // What a thing "is" in under five words is a label or a figure of speech ("a
        // headache for savers", "a blunt instrument") more often than a definition.
        let short = how == Defined::Is && definition.split_whitespace().count() < 5;
        // "Claude Chappe was a clergyman who …": a person in a story, not a term.
        if how == Defined::Is && person(&term, &definition) {
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
        .or_else(|| called(text, &make))
        .or_else(|| which(text, &make))
        .or_else(|| copula(text, &make))
        .or_else(|| apposition(text, &make))
}

type Make<'a> = dyn Fn(String, &str, Defined) -> Option<Definition> + 'a;

/// Words that soften a definition without being part of it.
const HEDGES: [&str; 4] = ["just ", "simply ", "basically ", "really "];

/// A definition up to where the sentence goes on to say something else about the term:
/// "the current standard for Wi-Fi security, and it protects …" → "the current standard
/// for Wi-Fi security".
fn own_clause(definition: &str) -> String {
    const JOINS: [&str; 13] = [
        ", and, ",
        ", and it ",
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
    // ("water, ash, and rock").
    let and_clause = definition.find(", and ").filter(|&at| {
        let before = &definition[..at];
        before
            .rfind(", ")
            .is_none_or(|c| before[c + 2..].split_whitespace().count() > 3)
    });
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
    let always = [", which ", ", such as ", " such as ", ", not "]
        .iter()
        .filter_map(|j| definition.find(j))
        .chain(contrast)
        .chain(closing_examples)
        .min();
    if let Some(at) = always {
        return definition[..at].to_string();
    }
    let cut = JOINS
        .iter()
        .filter_map(|j| definition.find(j))
        .chain(and_clause)
        .min();
    match cut {
        Some(at) if definition[..at].split_whitespace().count() >= 3 => {
            definition[..at].to_string()
        }
        _ => definition.to_string(),
    }
}

/// "By X we mean Y".
fn we_mean(text: &str, make: &Make) -> Option<Definition> {
    if let Some(rest) = text.strip_prefix("By ") {
        let (x, y) = rest.split_once(" we mean ")?;
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
    make(term, &before[start + 1..], Defined::Called)
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
        let term_text = term_text
            .trim()
            .trim_start_matches("the ")
            .trim_start_matches("a ");
        let Some(term) = term_of(term_text.trim_matches(['\'', '"', '“', '”'])) else {
            continue;
        };
        if let Some(meaning) = tail.and_then(|t| {
            t.strip_prefix("meaning ")
                .or(t.strip_prefix("which means "))
        }) {
            return make(term, meaning, Defined::Called);
        }
        if tail.is_some_and(|t| !(t.starts_with("or ") || t.starts_with("also "))) {
            continue;
        }
        // "The person who runs a meeting is called the chair."
        for be in [" is", " are"] {
            if let Some(subject) = before.strip_suffix(be)
                && subject.split_whitespace().count() >= 3
                && !subject.contains(',')
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
        let how = if link.contains("mean") || link.contains("refer") {
            Defined::Means
        } else {
            Defined::Is
        };
        let definition = clause(&text[at + link.len()..], parenthetical);
        if how == Defined::Is && !noun_phrase_start(definition) {
            return None;
        }
        return make(term, definition, how);
    }
    None
}

/// "X is a Y", "X are the Y", "X is one in which Y", "X means Y", "X refers to Y",
/// "X is defined as Y", "To recap is to Y".
fn copula(text: &str, make: &Make) -> Option<Definition> {
    const LINKS: [(&str, Defined); 16] = [
        (" is when ", Defined::Process),
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
        (" is one ", Defined::Is),
        (" are the ", Defined::Is),
        (" are ", Defined::Is),
    ];
    let (at, link, how) = LINKS
        .iter()
        .filter_map(|(link, how)| text.find(link).map(|at| (at, *link, *how)))
        .min_by_key(|(at, link, _)| (*at, std::cmp::Reverse(link.len())))?;
    let term = term_of(without_alias(&text[..at]))?;
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

    let definition = match link {
        " is the " | " are the " => format!("the {rest}"),
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
        // "Deflation is when the general price level falls": what happens.
        " is when " => rest.to_string(),
        " is your " => format!("your {rest}"),
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
        let y: Vec<&str> = parts[1].split_whitespace().collect();
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
            && noun_phrase_start(parts[1])
            && verb_next
            && let Some(term) = term_of(parts[0])
        {
            return make(term, parts[1], Defined::Is);
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
    // Analyzed with its full stop (which makes 입니다 an ending), read without it.
    let full = s.text.trim();
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
    fn english_bold_terms_and_possessives() {
        assert_eq!(
            one("Your **BATNA** is your Best Alternative To a Negotiated Agreement: what you will do if the call ends without a deal.").0,
            "BATNA"
        );
        none("Your goal is a price under 45 cents per box.");
    }

    #[test]
    fn english_which_called_and_appositions() {
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
        // The examples: a topic marker is not a definition, and nothing is cut.
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
