//! ROLEPLAY: the conversation the narration writes out, as a scripted roleplay.

use super::{payload_for_author, provenance};
use crate::drafts::text::Sentence;
use crate::drafts::{Drafted, SlideText, Why};
use classkit_model::components::Payload;
use classkit_model::components::roleplay::{
    Persona, RoleplayMode, RoleplayPayload, Rubric, Speaker, Turn,
};

/// A conversation written out in the narration, one line each: `Buyer: "…"`.
struct DialogueLine {
    speaker: String,
    text: String,
    line: Sentence,
}

/// The turns of `notes` written as `Speaker: "…"`, each with its exact range: one a line, or
/// several on one line (a block of turns without blank lines between them is one paragraph,
/// its lines joined). A speaker in bold (`**Mina:** "…"`) is read without the marks, and the
/// range is the line's in `notes`.
fn dialogue(notes: &str) -> Vec<DialogueLine> {
    if !notes.contains("**") {
        return turns(notes);
    }
    // Each byte of the text without the marks, at its offset in `notes`.
    let mut plain = String::with_capacity(notes.len());
    let mut offsets: Vec<usize> = Vec::with_capacity(notes.len() + 1);
    let mut rest = notes.char_indices().peekable();
    while let Some((at, c)) = rest.next() {
        if c == '*' && rest.peek().is_some_and(|(_, n)| *n == '*') {
            rest.next();
            continue;
        }
        offsets.extend((0..c.len_utf8()).map(|k| at + k));
        plain.push(c);
    }
    offsets.push(notes.len());
    turns(&plain)
        .into_iter()
        .map(|mut l| {
            let mut start = offsets[l.line.start];
            if notes[..start].ends_with("**") {
                start -= 2;
            }
            let end = offsets[l.line.end - 1] + 1;
            l.line = Sentence {
                start,
                end,
                text: notes[start..end].to_string(),
            };
            l
        })
        .collect()
}

fn turns(notes: &str) -> Vec<DialogueLine> {
    let mut out: Vec<DialogueLine> = Vec::new();
    let mut previous_end = 0;
    let opens = notes
        .match_indices(": \"")
        .chain(notes.match_indices(": “"))
        .map(|(at, m)| (at, m.len()))
        .collect::<std::collections::BTreeMap<_, _>>();
    for (at, marker) in opens {
        if at < previous_end {
            continue;
        }
        let line_start = notes[..at].rfind('\n').map_or(0, |i| i + 1);
        let mut from = line_start.max(previous_end);
        // The speaker follows the narration's last sentence on the line ("Listen. Mina: …").
        if let Some(end) = ['.', '!', '?']
            .iter()
            .filter_map(|p| notes[from..at].rfind(*p))
            .max()
        {
            from += end + 1;
        }
        let raw = &notes[from..at];
        let label = raw.trim();
        let label_ok = !label.is_empty()
            && label.chars().count() <= 24
            && label.split_whitespace().count() <= 3
            && label.chars().next().is_some_and(char::is_alphabetic)
            && !label.contains(['"', '“', '”', '(', ')', '.', '!', '?', ':', ',']);
        if !label_ok {
            continue;
        }
        let open = at + marker;
        let Some(close) = notes[open..].find(['"', '”']) else {
            continue;
        };
        let inner = notes[open..open + close].trim();
        if inner.is_empty() || inner.contains(['\n', '“']) {
            continue;
        }
        let close_len = notes[open + close..]
            .chars()
            .next()
            .map_or(1, char::len_utf8);
        let start = from + (raw.len() - raw.trim_start().len());
        let end = open + close + close_len;
        out.push(DialogueLine {
            speaker: label.to_string(),
            text: inner.to_string(),
            line: Sentence {
                start,
                end,
                text: notes[start..end].to_string(),
            },
        });
        previous_end = end;
    }
    out
}

/// The people who speak in a course's written-out dialogues: a turn quoted after a name
/// (`Mina: "…"`) or a line that starts with a name and a colon (`Mina: Hello.`), twice at
/// least. They are the characters of a lesson, not its terms ("Jiwoo is a data analyst").
pub(super) fn speakers<'a>(notes: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut count: std::collections::BTreeMap<String, usize> = Default::default();
    for notes in notes {
        let quoted = dialogue(notes).into_iter().map(|l| l.speaker);
        let lines = notes.lines().filter_map(|line| {
            let (name, said) = line.trim().split_once(": ")?;
            let words: Vec<&str> = name.split_whitespace().collect();
            let name_like = (1..=2).contains(&words.len())
                && words.iter().all(|w| {
                    w.starts_with(char::is_uppercase)
                        && w.chars()
                            .all(|c| c.is_alphabetic() || c == '\'' || c == '-')
                });
            (name_like && !said.trim().is_empty()).then(|| name.to_string())
        });
        for name in quoted.chain(lines) {
            *count.entry(name.to_lowercase()).or_default() += 1;
        }
    }
    count
        .into_iter()
        .filter(|(_, n)| *n >= 2)
        .map(|(name, _)| name)
        .collect()
}

/// True when `notes` writes out a conversation (two turns or more): a language lesson.
pub(super) fn has_dialogue(notes: &str) -> bool {
    dialogue(notes).len() >= 2
}

/// The conversation the narration writes out, as a scripted roleplay: the first speaker is
/// the learner, the other (or the other two) the persona. The scenario, the persona's name, the learner's goal
/// and the rubric are the author's to write.
pub(super) fn roleplay(slide: &SlideText) -> Drafted {
    let lines = dialogue(slide.notes);
    let mut speakers: Vec<&str> = Vec::new();
    for l in &lines {
        if !speakers.contains(&l.speaker.as_str()) {
            speakers.push(&l.speaker);
        }
    }
    if lines.len() < 2 || !(2..=3).contains(&speakers.len()) {
        return Why::NoConversation.into();
    }
    let learner = speakers[0];
    let turns = lines
        .iter()
        .enumerate()
        .map(|(i, l)| Turn {
            id: format!("t{}", i + 1),
            speaker: if l.speaker == learner {
                Speaker::Learner
            } else {
                Speaker::Persona
            },
            text: l.text.clone(),
            expected_phrases: Vec::new(),
            hints: Vec::new(),
            provenance: Some(provenance(slide, &l.line)),
        })
        .collect();
    let roleplay = RoleplayPayload {
        schema_version: RoleplayPayload::SCHEMA_VERSION,
        title: slide.title.trim().to_string(),
        scenario: String::new(),
        persona: Persona {
            name: String::new(),
            role: speakers[1..].join(" and "),
            personality: String::new(),
        },
        learner_role: learner.to_string(),
        learner_goal: String::new(),
        mode: RoleplayMode::Scripted,
        opening_line: String::new(),
        turns,
        rubric: Rubric::default(),
    };
    payload_for_author(
        &roleplay,
        &["/scenario", "/persona/name", "/learner_goal", "/rubric"],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Who says what in `notes`; each turn's range is checked to quote `notes` exactly.
    fn said(notes: &str) -> Vec<(String, String)> {
        let turns = dialogue(notes);
        for t in &turns {
            assert_eq!(&notes[t.line.start..t.line.end], t.line.text);
        }
        turns.into_iter().map(|t| (t.speaker, t.text)).collect()
    }

    #[test]
    fn turns_one_a_line_or_joined_in_one_paragraph() {
        // A block of turns without blank lines is one paragraph: its lines come joined.
        let notes = "Listen to Priya. Mina: \"Thanks for coming.\" Daniel: \"I really think we should launch in March.\" \
            Priya: \"Sorry to interrupt, but could I come in here?\"\n\nMina: “Of course.”";
        assert_eq!(
            said(notes),
            [
                ("Mina", "Thanks for coming."),
                ("Daniel", "I really think we should launch in March."),
                ("Priya", "Sorry to interrupt, but could I come in here?"),
                ("Mina", "Of course."),
            ]
            .map(|(s, t)| (s.to_string(), t.to_string()))
        );
        // Narration before a turn on its line is not a speaker.
        assert!(dialogue("She said to the buyer: \"no\".").is_empty());
    }

    #[test]
    fn a_speaker_in_bold_is_read_without_the_marks() {
        let notes = "Listen.\n**Mina:** \"Thanks for coming.\"\n**Daniel**: \"Happy to be here, **Mina**.\"";
        assert_eq!(
            said(notes),
            [
                ("Mina", "Thanks for coming."),
                ("Daniel", "Happy to be here, Mina.")
            ]
            .map(|(s, t)| (s.to_string(), t.to_string()))
        );
        assert_eq!(
            dialogue(notes)[0].line.text,
            "**Mina:** \"Thanks for coming.\""
        );
        assert!(has_dialogue(notes));
    }
}
