//! ROLEPLAY: the conversation the narration writes out, as a scripted roleplay.

use super::{payload_for_author, provenance};
use crate::drafts::text::{Sentence, speaker_line};
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
            let mut end = offsets[l.line.end - 1] + 1;
            // A turn that ends in a bold word ends after its closing marks.
            if notes[end..].starts_with("**") {
                end += 2;
            }
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
    if out.is_empty() {
        out = unquoted(notes);
    }
    out
}

/// The turns of `notes` written one a line without quotes, as a play is (`Mina: Thanks for
/// coming.`): a conversation when someone speaks twice, so that lines such as "Tip: …" and
/// "Remember: …" are not taken for one.
fn unquoted(notes: &str) -> Vec<DialogueLine> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in notes.split_inclusive('\n') {
        if let Some((speaker, said)) = speaker_line(line)
            && !said.starts_with(['"', '“'])
        {
            let start = at + (line.len() - line.trim_start().len());
            let end = at + line.trim_end().len();
            out.push(DialogueLine {
                speaker,
                text: said.to_string(),
                line: Sentence {
                    start,
                    end,
                    text: notes[start..end].to_string(),
                },
            });
        }
        at += line.len();
    }
    let again = out
        .iter()
        .enumerate()
        .any(|(i, l)| out[..i].iter().any(|o| o.speaker == l.speaker));
    if again { out } else { Vec::new() }
}

/// The people who speak in a course's written-out dialogues: a turn quoted after a name
/// (`Mina: "…"`) or a line that starts with a name and a colon (`Mina: Hello.`), twice at
/// least. They are the characters of a lesson, not its terms ("Jiwoo is a data analyst").
pub(super) fn speakers<'a>(notes: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut count: std::collections::BTreeMap<String, usize> = Default::default();
    for notes in notes {
        let quoted = dialogue(notes).into_iter().map(|l| l.speaker);
        let lines = notes
            .lines()
            .filter_map(|line| speaker_line(line).map(|(name, _)| name));
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

/// True when the turns are a podcast's or an interview's, not a dialogue to practise: over
/// 22 words on average, and one a speech of over 45. In the evaluation set's dialogue
/// lessons a turn has 13 words (the median), a slide's turns at most 25 on average, and no
/// turn over 52; the hosts of a history podcast speak up to 74 words at a time.
fn transcript(lines: &[DialogueLine]) -> bool {
    let words: Vec<usize> = lines
        .iter()
        .map(|l| l.text.split_whitespace().count())
        .collect();
    let total: usize = words.iter().sum();
    total > 22 * words.len() && words.iter().any(|w| *w > 45)
}

/// The conversation the narration writes out, as a scripted roleplay: the first speaker is
/// the learner, the others (up to four: a team meeting) the persona. The scenario, the
/// persona's name, the learner's goal and the rubric are the author's to write.
pub(super) fn roleplay(slide: &SlideText) -> Drafted {
    let lines = dialogue(slide.notes);
    let mut speakers: Vec<&str> = Vec::new();
    for l in &lines {
        if !speakers.contains(&l.speaker.as_str()) {
            speakers.push(&l.speaker);
        }
    }
    if lines.len() < 2 || !(2..=5).contains(&speakers.len()) {
        return Why::NoConversation.into();
    }
    if transcript(&lines) {
        return Why::LongTurns.into();
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
            role: match &speakers[1..] {
                [.., last] if speakers.len() > 2 => {
                    format!("{} and {last}", speakers[1..speakers.len() - 1].join(", "))
                }
                others => others.join(" and "),
            },
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
    fn turns_written_as_a_play_without_quotes() {
        let notes = "Here's the call.\nJiwoo: Hi Helen, do you have a minute?\nHelen: Sure, Jiwoo. What's up?\n**Jiwoo:** It's about the **report**.";
        assert_eq!(
            said(notes),
            [
                ("Jiwoo", "Hi Helen, do you have a minute?"),
                ("Helen", "Sure, Jiwoo. What's up?"),
                ("Jiwoo", "It's about the report."),
            ]
            .map(|(s, t)| (s.to_string(), t.to_string()))
        );
        assert_eq!(
            dialogue(notes)[2].line.text,
            "**Jiwoo:** It's about the **report**."
        );
        // Labelled lines where nobody speaks twice are no conversation: tips, a list.
        assert!(dialogue("Tip: say it slowly.\nRemember: smile.\nMina: Hello.").is_empty());
        assert!(dialogue("Cost: high.\nSpeed: slow.").is_empty());
        // Quoted turns on a slide are read as before, and the unquoted lines beside them not.
        assert_eq!(
            said("Mina: \"Hello.\"\nDaniel: \"Hi.\"\nMina: Bye."),
            [("Mina", "Hello."), ("Daniel", "Hi.")].map(|(s, t)| (s.to_string(), t.to_string()))
        );
    }

    fn slide(notes: &str) -> Drafted {
        roleplay(&SlideText {
            slide_id: uuid::Uuid::nil(),
            title: "A meeting",
            body: "",
            notes,
        })
    }

    #[test]
    fn a_meeting_of_four_is_a_roleplay_and_a_transcript_is_not() {
        let meeting = "Hana: Let's start.\nTom: Testing was late.\nPriya: The designs were on time.\nMarco: Thanks, Priya.\nHana: Good. What next?";
        let Drafted::Partial { payload, .. } = slide(meeting) else {
            panic!("a meeting of four is a conversation");
        };
        assert_eq!(payload["learner_role"], "Hana");
        assert_eq!(payload["persona"]["role"], "Tom, Priya and Marco");
        assert_eq!(payload["turns"].as_array().map(Vec::len), Some(5));
        let speech = "word ".repeat(50);
        let podcast = format!(
            "Anna: {speech}\nJoe: Really?\nAnna: {speech}\nJoe: {}",
            "so ".repeat(20)
        );
        assert!(matches!(slide(&podcast), Drafted::Nothing(w) if w == Why::LongTurns.text()));
        // Six speakers are a crowd, not a roleplay.
        let crowd = "A: x\nB: x\nC: x\nD: x\nE: x\nF: x\nA: y";
        assert!(matches!(slide(crowd), Drafted::Nothing(w) if w == Why::NoConversation.text()));
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
