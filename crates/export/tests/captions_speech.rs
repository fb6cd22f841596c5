//! Captions timed from real synthesized speech (espeak-ng, as the builtin engine uses): each
//! cue must end where the speech of its sentence ends. The truth comes from espeak-ng itself:
//! the first k sentences spoken alone end where sentence k ends in the whole narration.

use classkit_export::captions::{Loudness, cues};
use std::path::Path;
use std::process::Command;

fn speak(text: &str, voice: &str, out: &Path) {
    let status = Command::new("espeak-ng")
        .args(["-v", voice, "-w"])
        .arg(out)
        .arg(text)
        .status()
        .expect("espeak-ng runs (scripts/setup installs it)");
    assert!(status.success());
}

fn check(sentences: &[&str], voice: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let script = sentences.join(" ");
    let whole = dir.path().join("whole.wav");
    speak(&script, voice, &whole);
    let loudness = Loudness::from_file(&whole, "audio/wav").expect("espeak-ng writes WAV");
    let cues = cues(&script, Some(loudness.duration_ms()), Some(&loudness));
    assert_eq!(cues.len(), sentences.len(), "{cues:#?}");
    for k in 1..sentences.len() {
        let prefix = dir.path().join(format!("prefix-{k}.wav"));
        speak(&sentences[..k].join(" "), voice, &prefix);
        let (_, end) = Loudness::from_file(&prefix, "audio/wav")
            .expect("WAV")
            .speech_span();
        let cue = &cues[k - 1];
        assert!(
            cue.end_ms.abs_diff(end) <= 120,
            "sentence {k} ends at {end} ms but its cue at {} ms: {cues:#?}",
            cue.end_ms
        );
        assert!(cues[k].start_ms >= cue.end_ms, "{cues:#?}");
        assert_eq!(cue.text, sentences[k - 1]);
    }
}

#[test]
fn english_with_a_formula_and_a_short_sentence() {
    check(
        &[
            "Photosynthesis is the process by which plants, algae and some bacteria capture light energy.",
            "Written out, that is 6CO₂ + 6H₂O → C₆H₁₂O₆ + 6O₂.",
            "It does not.",
            "In the early 1940s, researchers gave algae water labelled with a heavy isotope of oxygen.",
        ],
        "en-us",
    );
}

#[test]
fn korean() {
    check(
        &[
            "오늘은 전화로 가격을 협상하는 방법을 배웁니다.",
            "먼저 목표 가격을 정하세요.",
            "그리고 상대방의 제안을 끝까지 듣고, 질문으로 답하세요.",
        ],
        "ko",
    );
}
