//! Reading a lecture's text: sentences with their byte ranges, and the definitions in them
//! (found by [`super::define`]).
//!
//! [`sentences`] is the one sentence splitter: drafts quote its sentences, and the lecture
//! import cuts slide titles and long paragraphs at them.

pub use super::define::{Defined, Definition, definitions};
use crate::lang::is_hangul;

/// A sentence of a text, with its UTF-8 byte range in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Labels that open a line of notes without naming someone who speaks ("Note: …").
const NOT_SPEAKERS: [&str; 16] = [
    "note",
    "tip",
    "example",
    "remember",
    "answer",
    "question",
    "step",
    "summary",
    "warning",
    "important",
    "hint",
    "task",
    "exercise",
    "definition",
    "source",
    "vocabulary",
];

/// A line that starts with the name of someone who speaks and a colon (`Mina: Thanks for
/// coming.`, `**Mina:** …`, `Ms Evans: …`): the name, without bold marks, and what follows
/// the colon. A name is one to three capitalized words ("Note:" and the like are not).
pub fn speaker_line(line: &str) -> Option<(String, &str)> {
    let line = line.trim_start();
    let line = line.strip_prefix("**").unwrap_or(line);
    let (label, rest) = line.split_once(':')?;
    let label = label.trim_end_matches('*');
    let rest = rest.strip_prefix("**").unwrap_or(rest);
    let said = rest.trim();
    let words: Vec<&str> = label.split_whitespace().collect();
    let name_like = (1..=3).contains(&words.len())
        && label.len() == label.trim().len()
        && label.chars().count() <= 24
        && words.iter().all(|w| {
            let w = w.strip_suffix('.').unwrap_or(w);
            w.starts_with(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || c == '\'' || c == '’' || c == '-')
        })
        && !NOT_SPEAKERS.contains(&label.to_lowercase().as_str());
    (name_like && rest.starts_with(char::is_whitespace) && !said.is_empty())
        .then(|| (label.to_string(), said))
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
        // "**Disconnect the power first.** Then …": a sentence in bold ends after its marks.
        let bold_end = next == Some('*')
            && chars.get(i + 2).map(|x| x.1) == Some('*')
            && chars.get(i + 3).is_none_or(|x| x.1.is_whitespace());
        let boundary = next.is_none_or(|n| n.is_whitespace()) || bold_end;
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
        let end = at + c.len_utf8() + if bold_end { 2 } else { 0 };
        push(&mut out, start, end);
        start = end;
    }
    push(&mut out, start, text.len());
    out
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
    fn a_speaker_line_starts_with_a_name_and_a_colon() {
        let line = |l| speaker_line(l).map(|(name, said)| (name, said.to_string()));
        let said = |n: &str, s: &str| Some((n.to_string(), s.to_string()));
        assert_eq!(
            line("Mina: Thanks for coming."),
            said("Mina", "Thanks for coming.")
        );
        assert_eq!(line("  **Mina:** Hi."), said("Mina", "Hi."));
        assert_eq!(line("**Ms Evans**: Hello."), said("Ms Evans", "Hello."));
        assert_eq!(
            line("Dr. O'Neill: \"Sit down.\""),
            said("Dr. O'Neill", "\"Sit down.\"")
        );
        // No name: a heading word, a lowercase phrase, a time, a number, nothing said, a
        // sentence.
        for l in [
            "Note: bring a pen.",
            "The key point: it flows.",
            "the answer: yes",
            "10:30 is the start.",
            "Step 2: mix.",
            "Mina:",
            "Mina:Hello",
            "Remember This Well Today: x",
            "https://example.com: a site",
        ] {
            assert_eq!(line(l), None, "{l}");
        }
    }

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
