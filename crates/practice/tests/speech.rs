//! Shadowing scores of recordings this test makes with speech synthesis: two voices (espeak-ng
//! with another voice and speed than the reference's, and Piper, a neural voice) saying the
//! reference's sentence must score clearly above the same voices saying another sentence; a
//! slow attempt is told it is slow, and one without the reference's pause is told so.

use classkit_practice::shadowing::Feedback;
use classkit_practice::{ShadowingScore, features, score_shadowing};
mod voices;

use voices::{espeak, piper};

const A: &str = "We would like to propose forty-two cents per box, with delivery included.";
const B: &str = "Could you send me the signed contract by Friday afternoon?";

fn score(reference: &(Vec<f32>, u32), attempt: &(Vec<f32>, u32)) -> ShadowingScore {
    score_shadowing(
        &features(&reference.0, reference.1),
        &features(&attempt.0, attempt.1),
    )
    .expect("scored")
}

#[test]
fn the_right_sentence_scores_clearly_above_another_sentence_in_two_voices() {
    let dir = tempfile::tempdir().expect("dir");
    let reference = espeak(dir.path(), "reference", &["-v", "en-us"], A);
    let attempts = [
        (
            "espeak-ng (another voice, slower)",
            espeak(dir.path(), "ea", &["-v", "en-gb+m3", "-s", "150"], A),
            espeak(dir.path(), "eb", &["-v", "en-gb+m3", "-s", "150"], B),
        ),
        (
            "Piper",
            piper(dir.path(), "pa", A),
            piper(dir.path(), "pb", B),
        ),
    ];
    let scored: Vec<_> = attempts
        .iter()
        .map(|(voice, right, wrong)| (voice, score(&reference, right), score(&reference, wrong)))
        .collect();
    for (voice, right, wrong) in &scored {
        eprintln!("{voice}: right {right:?}\n{voice}: wrong {wrong:?}");
    }
    for (voice, right, wrong) in scored {
        assert!(
            right.overall >= wrong.overall + 15,
            "{voice}: the right sentence scores {} and another {}",
            right.overall,
            wrong.overall
        );
        assert!(
            right.similarity > wrong.similarity + 20,
            "{voice}: similarity {} vs {}",
            right.similarity,
            wrong.similarity
        );
        assert!(
            wrong.feedback.contains(&Feedback::DifferentWords),
            "{voice}: {:?}",
            wrong.feedback
        );
        assert!(
            !right.feedback.contains(&Feedback::DifferentWords),
            "{voice}: {:?}",
            right.feedback
        );
    }
    // The reference against itself is (nearly) perfect.
    let same = score(&reference, &reference);
    assert!(same.overall >= 95, "{same:?}");
}

#[test]
fn pace_and_pauses_are_told() {
    let dir = tempfile::tempdir().expect("dir");
    let reference = espeak(dir.path(), "reference", &["-v", "en-us"], A);
    let slow = score(
        &reference,
        &espeak(dir.path(), "slow", &["-v", "en-us", "-s", "95"], A),
    );
    assert!(
        slow.feedback
            .iter()
            .any(|f| matches!(f, Feedback::TooSlow { .. })),
        "{slow:?}"
    );
    assert!(slow.pace < 60, "{slow:?}");
    // Two sentences: the reference pauses between them; said as one, the pause is missed.
    let two = "We would like to propose forty-two cents per box. Delivery is included.";
    let paused = espeak(dir.path(), "paused", &["-v", "en-us"], two);
    let no_pause = score(
        &paused,
        &espeak(
            dir.path(),
            "nopause",
            &["-v", "en-us"],
            &two.replace(". D", " d"),
        ),
    );
    assert!(
        no_pause
            .feedback
            .iter()
            .any(|f| matches!(f, Feedback::MissedPause { .. })),
        "{no_pause:?}"
    );
    assert!(no_pause.pauses < 100, "{no_pause:?}");
}

#[test]
fn silence_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().expect("dir");
    let reference = espeak(dir.path(), "reference", &["-v", "en-us"], A);
    let silence = (vec![0.0f32; 48_000], 16_000);
    let e = score_shadowing(
        &features(&reference.0, reference.1),
        &features(&silence.0, silence.1),
    )
    .expect_err("no speech");
    assert!(e.to_string().contains("microphone"), "{e}");
    // As the player calls it: the reference's features as rows, computed beforehand.
    let rows = features(&reference.0, reference.1).rounded().to_rows();
    let json = classkit_practice::score_against(&rows, &silence.0, silence.1);
    assert!(json.contains("\"error\""), "{json}");
    let json = classkit_practice::score_against(&rows, &reference.0, reference.1);
    assert!(json.contains("\"overall\""), "{json}");
    let json = classkit_practice::score_against(&rows[1..], &reference.0, reference.1);
    assert!(json.contains("damaged"), "{json}");
}
