//! Reading a lecture's text: sentences with their byte ranges, and the definitions in them.
//!
//! [`sentences`] is the one sentence splitter: drafts quote its sentences, and the lecture
//! import cuts slide titles and long paragraphs at them.

use crate::lang::is_hangul;

/// A sentence of a text, with its UTF-8 byte range in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Words that end in a full stop without ending a sentence.
const ABBREVIATIONS: [&str; 14] = [
    "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "st", "no", "fig", "approx", "cf",
];

/// The sentences of `text`, in order. A sentence ends at `.`, `!`, `?` (or their full-width
/// forms) followed by a space, a line break or the end, except after a known abbreviation,
/// a single capital (an initial) or inside a number; a blank line always ends one.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let push = |out: &mut Vec<Sentence>, from: usize, to: usize| {
        let raw = &text[from..to];
        let lead = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim();
        if !trimmed.is_empty() {
            let s = from + lead;
            out.push(Sentence {
                start: s,
                end: s + trimmed.len(),
                text: trimmed.to_string(),
            });
        }
    };
    for (i, &(at, c)) in chars.iter().enumerate() {
        let next = chars.get(i + 1).map(|x| x.1);
        // A line break, then only spaces (or a carriage return) up to the next one.
        let blank_line = c == '\n'
            && chars[i + 1..]
                .iter()
                .take_while(|(_, ch)| *ch != '\n')
                .all(|(_, ch)| ch.is_whitespace())
            && chars[i + 1..].iter().any(|(_, ch)| *ch == '\n');
        let terminal = matches!(c, '.' | '!' | '?' | '。' | '！' | '？');
        let boundary = next.is_none_or(|n| n.is_whitespace());
        if blank_line {
            push(&mut out, start, at);
            start = at;
            continue;
        }
        if !(terminal && boundary) {
            continue;
        }
        if c == '.' {
            let before: String = text[start..at]
                .chars()
                .rev()
                .take_while(|ch| ch.is_alphanumeric() || *ch == '.')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let word = before.to_lowercase();
            let initial = before.chars().count() == 1 && before.chars().all(char::is_uppercase);
            if ABBREVIATIONS.contains(&word.as_str()) || initial {
                continue;
            }
        }
        let end = at + c.len_utf8();
        push(&mut out, start, end);
        start = end;
    }
    push(&mut out, start, text.len());
    out
}

/// A term and its definition, as a sentence of the text states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    pub term: String,
    /// What the term is, as the sentence says it (without the term and the verb).
    pub definition: String,
    pub sentence: Sentence,
}

const LINKS: [&str; 6] = [
    " is the ",
    " is a ",
    " is an ",
    " are the ",
    " refers to ",
    " means ",
];

/// The definitions stated in `sentences`: "A chloroplast is the organelle …", "X refers to …",
/// and in Korean "X(이)란 …(이)다." or "X은/는 …입니다." with a short subject.
pub fn definitions(sentences: &[Sentence]) -> Vec<Definition> {
    let mut out: Vec<Definition> = Vec::new();
    for s in sentences {
        let Some(d) = english_definition(s).or_else(|| korean_definition(s)) else {
            continue;
        };
        if !out
            .iter()
            .any(|o| o.term.to_lowercase() == d.term.to_lowercase())
        {
            out.push(d);
        }
    }
    out
}

fn english_definition(s: &Sentence) -> Option<Definition> {
    let text = s.text.trim_end_matches(['.', '!']);
    for link in LINKS {
        let Some(at) = text.find(link) else { continue };
        let subject = text[..at].trim();
        let subject = ["The ", "A ", "An ", "the ", "a ", "an "]
            .iter()
            .find_map(|a| subject.strip_prefix(a))
            .unwrap_or(subject);
        let words: Vec<&str> = subject.split_whitespace().collect();
        // A term is a short noun phrase, not a clause: at most four words, no pronoun or
        // number first, no comma.
        let pronouns = [
            "it", "its", "this", "that", "these", "those", "there", "they", "them", "their", "he",
            "she", "we", "you", "which", "what", "one",
        ];
        if words.is_empty()
            || words.len() > 4
            || words
                .iter()
                .any(|w| pronouns.contains(&w.to_lowercase().as_str()))
            || subject.contains([',', ';', ':', '(', '"', '\n', '\r'])
            || words[0].chars().next().is_some_and(|c| c.is_ascii_digit())
        {
            continue;
        }
        let rest = &text[at + link.len()..];
        let definition = match link {
            " refers to " | " means " => rest.trim().to_string(),
            _ => format!(
                "{}{}",
                link.trim_start()
                    .trim_start_matches("is ")
                    .trim_start_matches("are "),
                rest
            )
            .trim()
            .to_string(),
        };
        if definition.split_whitespace().count() < 3 {
            continue;
        }
        return Some(Definition {
            term: subject.trim_matches('*').to_string(),
            definition,
            sentence: s.clone(),
        });
    }
    None
}

fn korean_definition(s: &Sentence) -> Option<Definition> {
    let text = s.text.trim_end_matches(['.', '。']);
    if !text.chars().any(is_hangul) {
        return None;
    }
    // The copula only: "…연습입니다" → "…연습", "…과정이다" → "…과정". (A noun that itself
    // ends in 이 after a closed syllable, as 고양이다, cannot be told from the copula.)
    let body = if let Some(b) = text.strip_suffix("입니다") {
        b
    } else if let Some(b) = text.strip_suffix("이다") {
        // 이다 after a syllable that ends in a consonant (과정이다); after an open syllable
        // the 이 is the noun's own (아이다 = 아이 + 다).
        let closed = b.chars().next_back().is_some_and(|c| {
            is_hangul(c) && (c as u32) >= 0xAC00 && !(c as u32 - 0xAC00).is_multiple_of(28)
        });
        if closed { b } else { text.strip_suffix("다")? }
    } else {
        text.strip_suffix("다")?
    };
    for marker in ["이란 ", "란 ", "은 ", "는 "] {
        let Some(at) = body.find(marker) else {
            continue;
        };
        let term = body[..at].trim();
        // A topic, not a term: "월요일에는", "이 과정은", "우리는".
        let particle = [
            "에", "에서", "로", "으로", "와", "과", "도", "까지", "부터", "께서",
        ]
        .iter()
        .any(|p| term.ends_with(p));
        let demonstrative = ["이 ", "그 ", "저 ", "우리", "저희", "여러분"]
            .iter()
            .any(|d| term.starts_with(d));
        if term.is_empty()
            || term.split_whitespace().count() > 3
            || term.contains([',', '"'])
            || particle
            || demonstrative
        {
            continue;
        }
        let definition = body[at + marker.len()..].trim();
        if definition.chars().count() < 4 {
            continue;
        }
        return Some(Definition {
            term: term.to_string(),
            definition: definition.to_string(),
            sentence: s.clone(),
        });
    }
    None
}

/// Inflected forms of an English noun (singular and plural) that a learner may type; the
/// term itself first.
pub fn inflections(term: &str) -> Vec<String> {
    let mut forms = vec![term.to_string()];
    let t = term.trim();
    let invariable = [
        "species",
        "series",
        "news",
        "means",
        "physics",
        "mathematics",
    ];
    if t.chars().any(is_hangul)
        || t.split_whitespace().count() > 3
        || invariable.contains(&t.to_lowercase().as_str())
    {
        return forms;
    }
    let lower = t.to_lowercase();
    let mut add = |f: String| {
        if !forms.iter().any(|x| x.eq_ignore_ascii_case(&f)) {
            forms.push(f);
        }
    };
    if let Some(stem) = lower.strip_suffix("ies") {
        add(format!("{stem}y"));
    } else if lower.ends_with("sses")
        || lower.ends_with("ches")
        || lower.ends_with("shes")
        || lower.ends_with("xes")
    {
        add(t[..t.len() - 2].to_string());
    } else if lower.ends_with('s') && !lower.ends_with("ss") && !lower.ends_with("sis") {
        add(t[..t.len() - 1].to_string());
    } else if lower.ends_with('y')
        && !lower.ends_with("ay")
        && !lower.ends_with("ey")
        && !lower.ends_with("oy")
    {
        add(format!("{}ies", &t[..t.len() - 1]));
    } else if lower.ends_with("sis") {
        add(format!("{}es", &t[..t.len() - 2]));
    } else if lower.ends_with('s')
        || lower.ends_with('x')
        || lower.ends_with("ch")
        || lower.ends_with("sh")
    {
        add(format!("{t}es"));
    } else {
        add(format!("{t}s"));
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_with_their_ranges() {
        let text = "Light is absorbed, e.g. by chlorophyll. It is 6.5 times more! Dr. Smith agreed.\n\n다음 문장입니다. 끝";
        let s = sentences(text);
        let texts: Vec<&str> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Light is absorbed, e.g. by chlorophyll.",
                "It is 6.5 times more!",
                "Dr. Smith agreed.",
                "다음 문장입니다.",
                "끝"
            ]
        );
        for x in &s {
            assert_eq!(&text[x.start..x.end], x.text);
        }
    }

    #[test]
    fn sentences_end_at_full_width_marks_and_blank_lines() {
        // Where the import cuts: a mark followed by a space (Latin or full width), a blank
        // line even without a mark, the end; not a mark inside a word or after "e.g.".
        let text = "첫 문장입니다！ 두 번째인가요？ 세 번째。 끝。다음\n\nA title without a stop\n \nSee the notes, e.g. page two. Done";
        let s = sentences(text);
        let texts: Vec<&str> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "첫 문장입니다！",
                "두 번째인가요？",
                "세 번째。",
                "끝。다음",
                "A title without a stop",
                "See the notes, e.g. page two.",
                "Done"
            ]
        );
        for x in &s {
            assert_eq!(&text[x.start..x.end], x.text);
        }
    }

    #[test]
    fn definitions_in_english_and_korean() {
        let text = "The chloroplast is the organelle where photosynthesis takes place. It is a busy place. \
            A must-have is a term without which you would rather walk away. Chlorophyll refers to the green pigment of leaves. \
            The thick fluid surrounding them is the stroma. \
            Thylakoids are the flattened discs inside the chloroplast. 섀도잉이란 원어민 음성을 듣고 바로 따라 말하는 연습입니다. \
            월요일에는 온라인 강의를 듣는 날입니다. 이 과정은 여덟 주 동안 진행되는 과정입니다. \
            나비는 날개가 있는 곤충이다. 평가는 매주 진행되는 과정이다.";
        let d = definitions(&sentences(text));
        let terms: Vec<&str> = d.iter().map(|d| d.term.as_str()).collect();
        assert_eq!(
            terms,
            [
                "chloroplast",
                "must-have",
                "Chlorophyll",
                "Thylakoids",
                "섀도잉",
                "나비",
                "평가"
            ]
        );
        assert_eq!(d[5].definition, "날개가 있는 곤충");
        assert_eq!(d[6].definition, "매주 진행되는 과정");
        assert_eq!(
            d[0].definition,
            "the organelle where photosynthesis takes place"
        );
        assert_eq!(d[2].definition, "the green pigment of leaves");
        assert_eq!(d[4].definition, "원어민 음성을 듣고 바로 따라 말하는 연습");
    }

    #[test]
    fn plural_and_singular_forms() {
        assert_eq!(inflections("thylakoids"), ["thylakoids", "thylakoid"]);
        assert_eq!(inflections("chloroplast"), ["chloroplast", "chloroplasts"]);
        assert_eq!(
            inflections("photosynthesis"),
            ["photosynthesis", "photosyntheses"]
        );
        assert_eq!(inflections("enzyme"), ["enzyme", "enzymes"]);
        assert_eq!(inflections("species"), ["species"]);
        assert_eq!(inflections("섀도잉"), ["섀도잉"]);
    }
}
