//! Captions for a slide's narration: one cue per sentence of the script the narration speaks,
//! timed from the synthesized audio.
//!
//! Text-to-speech pauses between sentences. The audio's loudness is measured in 10 ms frames;
//! the quiet stretches are the candidate sentence breaks. Each break between two sentences is
//! first estimated from the sentences' lengths, then moved to a quiet stretch: of all ways to
//! give the breaks distinct quiet stretches in order, the one that best weighs long pauses
//! against nearness to the estimates (a dynamic programme over breaks × stretches; see
//! [`snap`]). Where the audio is neither WAV nor Ogg Vorbis (an engine that returns MP3) or
//! has too few pauses, the estimates stand.

use serde::Serialize;

/// One caption: a sentence and when it is spoken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Cue {
    pub start_ms: u64,
    pub end_ms: u64,
    pub text: String,
}

/// The audio's loudness, frame by frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Loudness {
    frame_ms: u64,
    /// Root mean square of each frame, 0 to 1.
    rms: Vec<f32>,
}

/// Length of a loudness frame.
const FRAME_MS: u64 = 10;
/// A quiet stretch this long or longer may be a sentence break.
const MIN_PAUSE_MS: u64 = 120;
/// Quiet is this far below the loud frames (the 90th percentile), in decibels.
const QUIET_DB: f32 = 30.0;
/// Samples gathered into loudness frames.
struct Frames {
    per_frame: usize,
    rms: Vec<f32>,
    sum: f64,
    n: usize,
}

impl crate::audio::Sink for Frames {
    fn start(&mut self, sample_rate: u32, channels: u16) {
        self.per_frame = (u64::from(sample_rate) * FRAME_MS / 1000).max(1) as usize
            * usize::from(channels.max(1));
    }

    fn push(&mut self, sample: f32) {
        self.sum += f64::from(sample) * f64::from(sample);
        self.n += 1;
        if self.n == self.per_frame {
            self.rms.push((self.sum / self.n as f64).sqrt() as f32);
            (self.sum, self.n) = (0.0, 0);
        }
    }
}

impl Loudness {
    /// Reads a narration file by its media type (WAV or Ogg Vorbis); `None` for others.
    pub fn from_file(path: &std::path::Path, media_type: &str) -> Option<Self> {
        let mut frames = Frames {
            per_frame: 1,
            rms: Vec::new(),
            sum: 0.0,
            n: 0,
        };
        crate::audio::decode(path, media_type, &mut frames)?;
        if frames.n > 0 {
            frames
                .rms
                .push((frames.sum / frames.n as f64).sqrt() as f32);
        }
        Some(Self {
            frame_ms: FRAME_MS,
            rms: frames.rms,
        })
    }

    /// Loudness from frame values (for tests and other decoders).
    pub fn from_frames(frame_ms: u64, rms: Vec<f32>) -> Self {
        Self {
            frame_ms: frame_ms.max(1),
            rms,
        }
    }

    /// The audio's length.
    pub fn duration_ms(&self) -> u64 {
        self.rms.len() as u64 * self.frame_ms
    }

    /// Which frames are quiet.
    fn quiet(&self) -> Vec<bool> {
        let mut sorted: Vec<f32> = self.rms.iter().copied().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f32::total_cmp);
        let loud = sorted
            .get(sorted.len().saturating_mul(9) / 10)
            .copied()
            .unwrap_or(0.0);
        let threshold = loud * 10f32.powf(-QUIET_DB / 20.0);
        // NaN frames count as quiet.
        self.rms
            .iter()
            .map(|v| v.partial_cmp(&threshold) != Some(std::cmp::Ordering::Greater))
            .collect()
    }

    /// Where speech starts and ends (ms), leaving out the quiet before and after.
    pub fn speech_span(&self) -> (u64, u64) {
        let (start, end, _) = self.pauses();
        (start, end)
    }

    /// Where speech starts and ends, and the quiet stretches in between (start, end), in ms.
    fn pauses(&self) -> (u64, u64, Vec<(u64, u64)>) {
        let quiet = self.quiet();
        let Some(first) = quiet.iter().position(|q| !q) else {
            return (0, self.duration_ms(), Vec::new());
        };
        let last = quiet.iter().rposition(|q| !q).unwrap_or(first);
        let mut pauses = Vec::new();
        let mut run_start = None;
        for (i, q) in quiet.iter().enumerate().take(last + 1).skip(first) {
            match (q, run_start) {
                (true, None) => run_start = Some(i),
                (false, Some(s)) => {
                    if (i - s) as u64 * self.frame_ms >= MIN_PAUSE_MS {
                        pauses.push((s as u64 * self.frame_ms, i as u64 * self.frame_ms));
                    }
                    run_start = None;
                }
                _ => {}
            }
        }
        (
            first as u64 * self.frame_ms,
            (last as u64 + 1) * self.frame_ms,
            pauses,
        )
    }
}

/// How long a sentence takes to say, relative to others: its letters and digits (a Hangul
/// syllable counts as two, being a syllable rather than a letter), plus a little per word.
fn weight(sentence: &str) -> f64 {
    let letters: f64 = sentence
        .chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| {
            if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
                2.0
            } else {
                1.0
            }
        })
        .sum();
    let words = sentence.split_whitespace().count() as f64;
    letters + words * 0.5 + 1.0
}

/// The captions of a narration that speaks `script`, lasting `duration_ms`, with the audio's
/// loudness when it could be read.
pub fn cues(script: &str, duration_ms: Option<u64>, loudness: Option<&Loudness>) -> Vec<Cue> {
    let sentences: Vec<String> = classkit_engines::drafts::text::sentences(script)
        .into_iter()
        .map(|s| s.text.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect();
    if sentences.is_empty() {
        return Vec::new();
    }
    let (speech_start, speech_end, pauses) = match loudness {
        Some(l) if l.duration_ms() > 0 => l.pauses(),
        _ => (0, duration_ms.unwrap_or(0), Vec::new()),
    };
    let total_ms = duration_ms.unwrap_or(speech_end).max(speech_end);
    if total_ms == 0 {
        return Vec::new();
    }
    // The breaks as the sentences' lengths place them over the speech.
    let weights: Vec<f64> = sentences.iter().map(|s| weight(s)).collect();
    let sum: f64 = weights.iter().sum();
    let span = speech_end.saturating_sub(speech_start) as f64;
    let mut acc = 0.0;
    let estimates: Vec<f64> = weights[..weights.len() - 1]
        .iter()
        .map(|w| {
            acc += w;
            speech_start as f64 + span * acc / sum
        })
        .collect();
    let breaks = snap(&estimates, &pauses, span);
    let mut out = Vec::with_capacity(sentences.len());
    for (i, text) in sentences.into_iter().enumerate() {
        let start = if i == 0 {
            speech_start
        } else {
            breaks[i - 1].1
        };
        let end = breaks.get(i).map_or(speech_end, |b| b.0);
        let start = start.min(total_ms);
        out.push(Cue {
            start_ms: start,
            end_ms: end.clamp(start, total_ms),
            text,
        });
    }
    out
}

/// How much being away from the estimate costs against a longer pause: a break placed 10 %
/// of the speech away from its estimate costs as much as a pause of a tenth of the longest's
/// length gains.
const DISTANCE_WEIGHT: f64 = 10.0;

/// Each estimated break placed on a quiet stretch (start, end): distinct stretches, in order.
/// A sentence ends with a longer pause than a comma, and the estimates from the sentences'
/// lengths can be far off (a formula read out letter by letter), so each choice costs its
/// squared distance from the estimate (as a share of the speech) less the pause's length (as
/// a share of the longest); the choices with the least cost in all are taken. Without enough
/// stretches the estimates stand as zero-length breaks.
fn snap(estimates: &[f64], pauses: &[(u64, u64)], span: f64) -> Vec<(u64, u64)> {
    let (n, m) = (estimates.len(), pauses.len());
    if n == 0 {
        return Vec::new();
    }
    if m < n {
        return estimates.iter().map(|e| (*e as u64, *e as u64)).collect();
    }
    let longest = pauses.iter().map(|p| p.1 - p.0).max().unwrap_or(1).max(1) as f64;
    let span = span.max(1.0);
    let cost_of = |i: usize, p: &(u64, u64)| {
        let away = ((p.0 + p.1) as f64 / 2.0 - estimates[i]) / span;
        DISTANCE_WEIGHT * away * away - (p.1 - p.0) as f64 / longest
    };
    // cost[i][j]: breaks 0..=i placed, break i on stretch j.
    let mut cost = vec![vec![f64::INFINITY; m]; n];
    let mut from = vec![vec![0usize; m]; n];
    for j in 0..m {
        cost[0][j] = cost_of(0, &pauses[j]);
    }
    for i in 1..n {
        let mut best = (f64::INFINITY, 0usize);
        for j in i..m {
            if cost[i - 1][j - 1] < best.0 {
                best = (cost[i - 1][j - 1], j - 1);
            }
            cost[i][j] = best.0 + cost_of(i, &pauses[j]);
            from[i][j] = best.1;
        }
    }
    let mut j = (n - 1..m)
        .min_by(|a, b| cost[n - 1][*a].total_cmp(&cost[n - 1][*b]))
        .unwrap_or(n - 1);
    let mut chosen = vec![(0, 0); n];
    for i in (0..n).rev() {
        chosen[i] = pauses[j];
        j = from[i][j];
    }
    chosen
}

/// The captions of a narration file that speaks `script`: its loudness read from the file
/// (WAV or Ogg Vorbis), its duration as recorded or as read; and that duration.
pub fn for_narration(
    script: &str,
    path: &std::path::Path,
    media_type: &str,
    duration_ms: Option<u64>,
) -> (Vec<Cue>, Option<u64>) {
    let loudness = Loudness::from_file(path, media_type);
    let duration = duration_ms.or(loudness.as_ref().map(Loudness::duration_ms));
    (cues(script, duration, loudness.as_ref()), duration)
}

/// A time as WebVTT writes it: `hh:mm:ss.ttt`.
fn timestamp(ms: u64) -> String {
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// The cues as a WebVTT file. Cue text is escaped (`&`, `<`, `>`), so no text can end a cue
/// or add markup.
pub fn webvtt(cues: &[Cue]) -> String {
    let mut out = String::from("WEBVTT\n");
    for (i, cue) in cues.iter().enumerate() {
        let text = cue
            .text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        out.push_str(&format!(
            "\n{}\n{} --> {}\n{}\n",
            i + 1,
            timestamp(cue.start_ms),
            timestamp(cue.end_ms),
            text
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loud frames for each (sound ms, silence ms) in turn.
    fn speech(parts: &[(u64, u64)]) -> Loudness {
        let mut rms = vec![0.0; 30];
        for (sound, silence) in parts {
            rms.extend(std::iter::repeat_n(0.3, (*sound / 10) as usize));
            rms.extend(std::iter::repeat_n(0.001, (*silence / 10) as usize));
        }
        Loudness::from_frames(10, rms)
    }

    #[test]
    fn breaks_land_in_the_pauses() {
        // Three sentences; the second is short, so length estimates alone would be off.
        let audio = speech(&[(2000, 400), (600, 150), (60, 80), (2500, 300)]);
        let script = "The light reactions make ATP and NADPH. They need light. The Calvin cycle uses both to fix carbon dioxide into sugar.";
        let cues = cues(script, Some(audio.duration_ms()), Some(&audio));
        assert_eq!(cues.len(), 3);
        assert_eq!(cues[0].start_ms, 300);
        assert_eq!(cues[0].end_ms, 2300, "{cues:?}");
        assert_eq!(cues[1].start_ms, 2700, "{cues:?}");
        assert_eq!(cues[1].end_ms, 3300, "{cues:?}");
        // The 80 ms dip inside the last sentence is no pause.
        assert_eq!(cues[2].start_ms, 3450, "{cues:?}");
        assert_eq!(cues[2].end_ms, 3450 + 60 + 80 + 2500, "{cues:?}");
    }

    #[test]
    fn without_audio_the_lengths_decide() {
        let cues = cues(
            "One two three. Four five six seven eight nine ten.",
            Some(10_000),
            None,
        );
        assert_eq!(cues.len(), 2);
        assert_eq!(cues[0].start_ms, 0);
        assert!(cues[0].end_ms > 2000 && cues[0].end_ms < 5000, "{cues:?}");
        assert_eq!(cues[0].end_ms, cues[1].start_ms);
        assert_eq!(cues[1].end_ms, 10_000);
    }

    #[test]
    fn korean_sentences_and_escaping() {
        let cues = cues(
            "광합성은 빛을 씁니다. <b>A & B</b> --> 끝!",
            Some(4000),
            None,
        );
        assert_eq!(cues.len(), 2);
        let vtt = webvtt(&cues);
        assert!(vtt.starts_with("WEBVTT\n\n1\n00:00:00.000 --> "), "{vtt}");
        assert!(
            vtt.contains("&lt;b&gt;A &amp; B&lt;/b&gt; --&gt; 끝!"),
            "{vtt}"
        );
        assert_eq!(vtt.matches(" --> ").count(), 2, "{vtt}");
    }

    #[test]
    fn nothing_to_say_gives_no_cues() {
        assert!(cues("   ", Some(1000), None).is_empty());
        assert!(cues("Hello.", None, None).is_empty());
        assert_eq!(timestamp(3_723_004), "01:02:03.004");
    }

    #[test]
    fn silence_and_odd_wav_do_not_panic() {
        let silent = Loudness::from_frames(10, vec![0.0; 100]);
        let c = cues("One. Two.", Some(1000), Some(&silent));
        assert_eq!(c.len(), 2);
        assert!(
            c.iter().all(|c| c.end_ms >= c.start_ms && c.end_ms <= 1000),
            "{c:?}"
        );
        let dir = tempfile::tempdir().expect("dir");
        let junk = dir.path().join("junk.wav");
        std::fs::write(&junk, b"not a wav file").expect("write");
        assert!(Loudness::from_file(&junk, "audio/wav").is_none());
        assert!(Loudness::from_file(&junk, "audio/ogg").is_none());
        assert!(Loudness::from_file(&junk, "audio/mpeg").is_none());
    }
}
