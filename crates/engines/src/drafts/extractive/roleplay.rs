//! ROLEPLAY: the conversation the narration writes out, as a scripted roleplay.

use super::{payload_for_author, provenance};
use crate::drafts::text::Sentence;
use crate::drafts::{Drafted, SlideText};
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

/// The lines of `notes` written as `Speaker: "…"`, each with its exact range.
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
pub(super) fn roleplay(slide: &SlideText) -> Drafted {
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
            role: speakers[1].to_string(),
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
