//! Scoring a shadowing attempt against the reference, with feedback on what to work on.

use crate::dtw::align;
use crate::features::{Features, HOP, RATE};
use serde::Serialize;

/// Frames of 10 ms.
const FRAME_MS: f32 = HOP as f32 * 1000.0 / RATE as f32;
/// A quiet stretch in speech this long is a pause (frames).
const PAUSE_FRAMES: usize = 15;
/// A pause of the attempt this near (frames) to where the reference's falls matches it.
const PAUSE_SLACK: usize = 12;
/// The longest recording scored (frames): 30 s.
const MAX_FRAMES: usize = 3_000;
/// Cepstral coefficients the alignment compares: all the features keep.
const CONTENT_CEPSTRA: usize = crate::features::CEPSTRA;
/// The two measures of how unlike the reference the attempt sounds, each in its unit: the
/// alignment's distance as a share of chance's, and its mean straying from the diagonal.
const COST_UNIT: f32 = 0.5;
const WANDER_UNIT: f32 = 0.03;
/// Their sum at `SAME` or below: the attempt says what the reference says; at `OTHER` or
/// above: something else. Measured on four sentences said by three synthetic voices against
/// an espeak-ng reference (tests/speech.rs): the right sentence 0.6–0.95 in espeak-ng's other
/// voices and up to 1.9 in Piper's, another sentence 2.0 and more in espeak-ng, 3.1 and more
/// in Piper.
const SAME: f32 = 0.6;
const OTHER: f32 = 2.8;
/// How far the pace may stray before it costs much: the spread of the log speed ratio.
const PACE_SPREAD: f32 = 0.25;

/// What to work on (or what went well), for the player and the app to say in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Feedback {
    /// The attempt does not sound like the sentence (another sentence, or mostly noise).
    DifferentWords,
    /// Slower than the reference: `ratio` is the attempt's duration over the reference's.
    TooSlow {
        ratio: f32,
    },
    TooFast {
        ratio: f32,
    },
    GoodPace,
    /// The reference pauses here (ms into the reference) and the attempt does not.
    MissedPause {
        at_ms: u32,
    },
    /// The attempt pauses here (ms into the attempt) where the reference does not.
    ExtraPause {
        at_ms: u32,
    },
    GoodPauses,
    /// The voice stays flatter than the reference's: `range_ratio` is its pitch range over
    /// the reference's.
    FlatIntonation {
        range_ratio: f32,
    },
    /// The pitch rises and falls elsewhere than the reference's (`correlation` of the two).
    DifferentIntonation {
        correlation: f32,
    },
    GoodIntonation,
}

/// The scores (0 to 100) and the measurements behind them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShadowingScore {
    pub overall: u8,
    /// How much the attempt sounds like the reference (the same sounds in the same order).
    pub similarity: u8,
    pub pace: u8,
    pub pauses: u8,
    /// `None` when either recording has too little voiced speech to follow its pitch.
    pub intonation: Option<u8>,
    pub feedback: Vec<Feedback>,
    pub reference_ms: u32,
    pub attempt_ms: u32,
    pub distance: f32,
    pub pitch_correlation: Option<f32>,
    pub pitch_range_ratio: Option<f32>,
}

/// Why an attempt could not be scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PracticeError {
    #[error("the reference audio has no speech in it")]
    NoSpeechInReference,
    #[error("nothing was heard in the recording: check the microphone and speak closer to it")]
    NoSpeechInAttempt,
    #[error("the recording is {seconds} s long; at most 30 s are scored")]
    TooLong { seconds: u32 },
}

/// What the alignment compares in each frame: the spectrum's broad shape (the first
/// cepstral coefficients, the least tied to one voice), how it changes, and the loudness.
type ContentFrame = [f32; 2 * CONTENT_CEPSTRA + 1];

fn content_frames(f: &Features, span: (usize, usize)) -> Vec<ContentFrame> {
    let peak = f.energy_db[span.0..span.1]
        .iter()
        .copied()
        .fold(f32::NEG_INFINITY, f32::max);
    (span.0..span.1)
        .map(|i| {
            let before = &f.cepstra[i.saturating_sub(2).max(span.0)];
            let after = &f.cepstra[(i + 2).min(span.1 - 1)];
            let mut frame = [0.0f32; 2 * CONTENT_CEPSTRA + 1];
            for k in 0..CONTENT_CEPSTRA {
                frame[k] = f.cepstra[i][k];
                frame[CONTENT_CEPSTRA + k] = (after[k] - before[k]) * 0.5;
            }
            frame[2 * CONTENT_CEPSTRA] = (f.energy_db[i] - peak) / 10.0;
            frame
        })
        .collect()
}

/// Distance between two frames.
fn frame_distance(x: &ContentFrame, y: &ContentFrame) -> f32 {
    (x.iter().zip(y).map(|(p, q)| (p - q) * (p - q)).sum::<f32>() / x.len() as f32).sqrt()
}

fn to_score(x: f32) -> u8 {
    (x.clamp(0.0, 1.0) * 100.0).round() as u8
}

/// Quiet stretches of at least [`PAUSE_FRAMES`] inside `span`: (first frame, one past last).
fn pauses(f: &Features, span: (usize, usize)) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for i in span.0..span.1 {
        match (f.speech[i], start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                if i - s >= PAUSE_FRAMES {
                    out.push((s, i));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn semitones(f: &Features, span: (usize, usize)) -> Vec<Option<f32>> {
    let mut voiced: Vec<f32> = f.pitch[span.0..span.1].iter().flatten().copied().collect();
    if voiced.is_empty() {
        return vec![None; span.1 - span.0];
    }
    voiced.sort_by(f32::total_cmp);
    let median = voiced[voiced.len() / 2];
    f.pitch[span.0..span.1]
        .iter()
        .map(|p| p.map(|hz| 12.0 * (hz / median).log2()))
        .collect()
}

fn spread(values: &mut [f32]) -> f32 {
    if values.len() < 5 {
        return 0.0;
    }
    values.sort_by(f32::total_cmp);
    let at = |q: f32| values[((values.len() - 1) as f32 * q).round() as usize];
    at(0.9) - at(0.1)
}

fn correlation(pairs: &[(f32, f32)]) -> Option<f32> {
    if pairs.len() < 10 {
        return None;
    }
    let n = pairs.len() as f32;
    let (ma, mb) = pairs
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (mut cov, mut va, mut vb) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        cov += (x - ma) * (y - mb);
        va += (x - ma) * (x - ma);
        vb += (y - mb) * (y - mb);
    }
    (va > 1e-6 && vb > 1e-6).then(|| cov / (va.sqrt() * vb.sqrt()))
}

/// Scores `attempt` against `reference`.
pub fn score_shadowing(
    reference: &Features,
    attempt: &Features,
) -> Result<ShadowingScore, PracticeError> {
    let r_span = reference
        .speech_span()
        .ok_or(PracticeError::NoSpeechInReference)?;
    let a_span = attempt
        .speech_span()
        .ok_or(PracticeError::NoSpeechInAttempt)?;
    for span in [r_span, a_span] {
        if span.1 - span.0 > MAX_FRAMES {
            return Err(PracticeError::TooLong {
                seconds: ((span.1 - span.0) as f32 * FRAME_MS / 1000.0).round() as u32,
            });
        }
    }
    let r_frames = content_frames(reference, r_span);
    let a_frames = content_frames(attempt, a_span);
    let alignment = align(&r_frames, &a_frames, frame_distance);
    // The alignment's distance against that of frames paired at random: how much better than
    // chance the attempt's sounds follow the reference's (a scale the same for any voice).
    let chance = {
        let step_r = (r_frames.len() / 60).max(1);
        let step_a = (a_frames.len() / 60).max(1);
        let (mut sum, mut n) = (0.0f32, 0usize);
        for x in r_frames.iter().step_by(step_r) {
            for y in a_frames.iter().step_by(step_a) {
                sum += frame_distance(x, y);
                n += 1;
            }
        }
        sum / n.max(1) as f32
    };
    // How far the alignment strays from an even pace through both: the same sentence is said
    // in the same order, so its alignment keeps near the diagonal; another sentence's wanders.
    let (n, m) = (r_frames.len() as f32, a_frames.len() as f32);
    let wander = alignment
        .path
        .iter()
        .map(|(i, j)| (*j as f32 / m - *i as f32 / n).abs())
        .sum::<f32>()
        / alignment.path.len().max(1) as f32;
    let distance = alignment.cost / chance.max(1e-6) / COST_UNIT + wander / WANDER_UNIT;
    let similarity = 1.0 - (distance - SAME) / (OTHER - SAME);
    let mut feedback = Vec::new();
    if similarity < 0.25 {
        feedback.push(Feedback::DifferentWords);
    }

    // Pace: speaking time against the reference's.
    let ratio = (a_span.1 - a_span.0) as f32 / (r_span.1 - r_span.0).max(1) as f32;
    let pace = (-(ratio.ln().powi(2)) / (2.0 * PACE_SPREAD * PACE_SPREAD)).exp();
    feedback.push(if ratio > 1.2 {
        Feedback::TooSlow { ratio }
    } else if ratio < 0.83 {
        Feedback::TooFast { ratio }
    } else {
        Feedback::GoodPace
    });

    // Pauses: each of the reference's, where the alignment puts it in the attempt.
    let r_pauses = pauses(reference, r_span);
    let a_pauses = pauses(attempt, a_span);
    let to_attempt = |r_frame: usize| {
        alignment
            .path
            .iter()
            .find(|(i, _)| *i + r_span.0 >= r_frame)
            .map_or(a_span.1, |(_, j)| j + a_span.0)
    };
    let near = |(s, e): (usize, usize), at: usize| at + PAUSE_SLACK >= s && at <= e + PAUSE_SLACK;
    let mut matched_attempt = vec![false; a_pauses.len()];
    let mut matched = 0;
    for &(s, e) in &r_pauses {
        let at = to_attempt((s + e) / 2);
        match a_pauses.iter().position(|p| near(*p, at)) {
            Some(k) => {
                matched += 1;
                matched_attempt[k] = true;
            }
            None => feedback.push(Feedback::MissedPause {
                at_ms: (((s + e) / 2 - r_span.0) as f32 * FRAME_MS) as u32,
            }),
        }
    }
    let mut extra = 0;
    for (k, &(s, e)) in a_pauses.iter().enumerate() {
        if !matched_attempt[k] {
            extra += 1;
            feedback.push(Feedback::ExtraPause {
                at_ms: (((s + e) / 2 - a_span.0) as f32 * FRAME_MS) as u32,
            });
        }
    }
    let pause_score = if r_pauses.is_empty() && extra == 0 {
        1.0
    } else {
        matched as f32 / (r_pauses.len() + extra) as f32
    };
    if r_pauses.len() == matched && extra == 0 {
        feedback.push(Feedback::GoodPauses);
    }

    // Intonation: each voice against its own middle pitch, along the alignment.
    let r_st = semitones(reference, r_span);
    let a_st = semitones(attempt, a_span);
    let pairs: Vec<(f32, f32)> = alignment
        .path
        .iter()
        .filter_map(|(i, j)| {
            Some((
                r_st.get(*i).copied().flatten()?,
                a_st.get(*j).copied().flatten()?,
            ))
        })
        .collect();
    let pitch_correlation = correlation(&pairs);
    let range_ratio = {
        let mut r: Vec<f32> = r_st.iter().flatten().copied().collect();
        let mut a: Vec<f32> = a_st.iter().flatten().copied().collect();
        let (rs, as_) = (spread(&mut r), spread(&mut a));
        (rs > 0.5).then_some(as_ / rs)
    };
    let intonation = pitch_correlation.map(|c| {
        let shape = c.max(0.0);
        // A flat voice loses up to a third even when its small movements follow the reference.
        let range = range_ratio.map_or(1.0, |r| r.clamp(0.0, 1.0));
        shape * (0.67 + 0.33 * range)
    });
    match (pitch_correlation, range_ratio) {
        (_, Some(r)) if r < 0.6 => feedback.push(Feedback::FlatIntonation { range_ratio: r }),
        (Some(c), _) if c < 0.5 => feedback.push(Feedback::DifferentIntonation { correlation: c }),
        (Some(_), _) => feedback.push(Feedback::GoodIntonation),
        _ => {}
    }

    // Pace, pauses and intonation only count for the words the reference says: the overall
    // score is the similarity, raised by how well they match.
    let similarity = similarity.clamp(0.0, 1.0);
    let delivery = 0.35 * pace + 0.3 * pause_score + 0.35 * intonation.unwrap_or(pace);
    let overall = similarity * (0.45 + 0.55 * delivery);
    Ok(ShadowingScore {
        overall: to_score(overall),
        similarity: to_score(similarity),
        pace: to_score(pace),
        pauses: to_score(pause_score),
        intonation: intonation.map(to_score),
        feedback,
        reference_ms: ((r_span.1 - r_span.0) as f32 * FRAME_MS) as u32,
        attempt_ms: ((a_span.1 - a_span.0) as f32 * FRAME_MS) as u32,
        distance,
        pitch_correlation,
        pitch_range_ratio: range_ratio,
    })
}
