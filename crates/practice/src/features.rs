//! Frames of 10 ms: loudness, pitch and the spectrum's shape.

use pitch_detection::detector::PitchDetector;
use pitch_detection::detector::mcleod::McLeodDetector;
use rustfft::FftPlanner;
use rustfft::num_complex::Complex;

/// All analysis runs at this rate (recordings are resampled).
pub const RATE: u32 = 16_000;
/// One frame every 10 ms.
pub const HOP: usize = 160;
/// Each frame looks at 25 ms for loudness and spectrum…
const WINDOW: usize = 400;
/// …and at 64 ms for pitch (two periods of a low voice, 60 Hz, with room).
const PITCH_WINDOW: usize = 1024;
const FFT: usize = 512;
const MEL_BANDS: usize = 26;
/// Numbers per frame in [`Features::to_rows`].
const ROW: usize = 3 + CEPSTRA;

/// Cepstral coefficients kept: c1…c4, the spectrum's broad shape, the least tied to one voice
/// (c0, the loudness, is `energy_db`; the finer ones tell voices apart more than words).
pub const CEPSTRA: usize = 4;
/// Speech is louder than this below the loudest frame (dB)…
const SPEECH_BELOW_PEAK_DB: f32 = 35.0;
/// …and louder than this at all (dB full scale).
const SPEECH_FLOOR_DB: f32 = -55.0;
/// Pitch outside a voice's range is noise.
const MIN_PITCH: f32 = 60.0;
const MAX_PITCH: f32 = 500.0;

/// A recording as frames of 10 ms. Serialized (to go with a reference audio into the web
/// player, computed once at export) with numbers rounded to what scoring needs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Features {
    /// Loudness of each frame (dB full scale).
    pub energy_db: Vec<f32>,
    /// Pitch of each frame (Hz) where it is voiced.
    pub pitch: Vec<Option<f32>>,
    /// The spectrum's shape, normalised over the recording (cepstral mean removed).
    pub cepstra: Vec<[f32; CEPSTRA]>,
    /// Whether each frame is speech (loud enough).
    pub speech: Vec<bool>,
}

impl Features {
    /// The same features with numbers rounded (0.01 dB, 0.1 Hz, 0.001 of a cepstral unit):
    /// what scoring cannot tell apart, and a third the size as JSON.
    pub fn rounded(&self) -> Self {
        let r = |x: f32, to: f32| (x * to).round() / to;
        Self {
            energy_db: self.energy_db.iter().map(|e| r(*e, 100.0)).collect(),
            pitch: self.pitch.iter().map(|p| p.map(|hz| r(hz, 10.0))).collect(),
            cepstra: self
                .cepstra
                .iter()
                .map(|c| c.map(|x| r(x, 1000.0)))
                .collect(),
            speech: self.speech.clone(),
        }
    }

    /// The features as one row of numbers per frame: loudness, pitch (NaN where unvoiced),
    /// speech (1 or 0), the cepstral coefficients.
    pub fn to_rows(&self) -> Vec<f32> {
        let mut out = Vec::with_capacity(self.len() * ROW);
        for i in 0..self.len() {
            out.push(self.energy_db[i]);
            out.push(self.pitch[i].unwrap_or(f32::NAN));
            out.push(if self.speech[i] { 1.0 } else { 0.0 });
            out.extend_from_slice(&self.cepstra[i]);
        }
        out
    }

    /// Features from [`Self::to_rows`]; `None` when the numbers are not whole rows.
    pub fn from_rows(rows: &[f32]) -> Option<Self> {
        if !rows.len().is_multiple_of(ROW) {
            return None;
        }
        let mut f = Self {
            energy_db: Vec::new(),
            pitch: Vec::new(),
            cepstra: Vec::new(),
            speech: Vec::new(),
        };
        for row in rows.chunks_exact(ROW) {
            f.energy_db
                .push(if row[0].is_finite() { row[0] } else { -100.0 });
            f.pitch
                .push(Some(row[1]).filter(|p| p.is_finite() && *p > 0.0));
            f.speech.push(row[2] > 0.5);
            let mut c = [0.0f32; CEPSTRA];
            for (k, slot) in c.iter_mut().enumerate() {
                *slot = if row[3 + k].is_finite() {
                    row[3 + k]
                } else {
                    0.0
                };
            }
            f.cepstra.push(c);
        }
        Some(f)
    }

    pub fn len(&self) -> usize {
        self.energy_db.len()
    }

    pub fn is_empty(&self) -> bool {
        self.energy_db.is_empty()
    }

    /// The first and one past the last speech frame; `None` when nothing is said.
    pub fn speech_span(&self) -> Option<(usize, usize)> {
        let first = self.speech.iter().position(|s| *s)?;
        let last = self.speech.iter().rposition(|s| *s)?;
        Some((first, last + 1))
    }
}

/// Resamples by linear interpolation (enough for 10 ms frames of speech features).
fn resample(samples: &[f32], rate: u32) -> Vec<f32> {
    if rate == RATE || samples.is_empty() || rate == 0 {
        return samples.to_vec();
    }
    let ratio = f64::from(rate) / f64::from(RATE);
    let out_len = (samples.len() as f64 / ratio).floor() as usize;
    (0..out_len)
        .map(|i| {
            let x = i as f64 * ratio;
            let j = x.floor() as usize;
            let frac = (x - j as f64) as f32;
            let a = samples[j.min(samples.len() - 1)];
            let b = samples[(j + 1).min(samples.len() - 1)];
            a + (b - a) * frac
        })
        .collect()
}

fn hz_to_mel(hz: f32) -> f32 {
    2595.0 * (1.0 + hz / 700.0).log10()
}

fn mel_to_hz(mel: f32) -> f32 {
    700.0 * (10f32.powf(mel / 2595.0) - 1.0)
}

/// Triangular mel filters over the FFT's bins, 0 to 8 kHz.
fn mel_filters() -> Vec<Vec<(usize, f32)>> {
    let top = hz_to_mel(RATE as f32 / 2.0);
    let points: Vec<f32> = (0..MEL_BANDS + 2)
        .map(|i| mel_to_hz(top * i as f32 / (MEL_BANDS + 1) as f32))
        .collect();
    let bin = |hz: f32| hz * FFT as f32 / RATE as f32;
    (0..MEL_BANDS)
        .map(|m| {
            let (lo, mid, hi) = (bin(points[m]), bin(points[m + 1]), bin(points[m + 2]));
            (0..=FFT / 2)
                .filter_map(|k| {
                    let k_f = k as f32;
                    let w = if k_f > lo && k_f <= mid {
                        (k_f - lo) / (mid - lo).max(1e-6)
                    } else if k_f > mid && k_f < hi {
                        (hi - k_f) / (hi - mid).max(1e-6)
                    } else {
                        0.0
                    };
                    (w > 0.0).then_some((k, w))
                })
                .collect()
        })
        .collect()
}

/// The frames of a recording (mono samples at `rate` Hz, any scale up to ±1).
pub fn features(samples: &[f32], rate: u32) -> Features {
    let clean: Vec<f32> = samples
        .iter()
        .map(|s| {
            if s.is_finite() {
                s.clamp(-1.0, 1.0)
            } else {
                0.0
            }
        })
        .collect();
    let signal = resample(&clean, rate);
    let frames = if signal.len() >= WINDOW {
        (signal.len() - WINDOW) / HOP + 1
    } else {
        0
    };
    let hamming: Vec<f32> = (0..WINDOW)
        .map(|n| 0.54 - 0.46 * (2.0 * std::f32::consts::PI * n as f32 / (WINDOW - 1) as f32).cos())
        .collect();
    let filters = mel_filters();
    let fft = FftPlanner::<f32>::new().plan_fft_forward(FFT);
    let mut detector = McLeodDetector::<f32>::new(PITCH_WINDOW, PITCH_WINDOW / 2);
    let mut energy_db = Vec::with_capacity(frames);
    let mut pitch = Vec::with_capacity(frames);
    let mut cepstra = Vec::with_capacity(frames);
    let mut buffer = vec![Complex::new(0.0f32, 0.0); FFT];
    let mut pitch_frame = vec![0.0f32; PITCH_WINDOW];
    for f in 0..frames {
        let start = f * HOP;
        let frame = &signal[start..start + WINDOW];
        let power = frame.iter().map(|s| s * s).sum::<f32>() / WINDOW as f32;
        energy_db.push(10.0 * power.max(1e-10).log10());
        for (i, slot) in buffer.iter_mut().enumerate() {
            *slot = Complex::new(
                if i < WINDOW {
                    frame[i] * hamming[i]
                } else {
                    0.0
                },
                0.0,
            );
        }
        fft.process(&mut buffer);
        let spectrum: Vec<f32> = buffer[..=FFT / 2].iter().map(|c| c.norm_sqr()).collect();
        let log_mel: Vec<f32> = filters
            .iter()
            .map(|band| {
                let e: f32 = band.iter().map(|(k, w)| spectrum[*k] * w).sum();
                e.max(1e-10).ln()
            })
            .collect();
        // DCT-II of the log mel energies, c1…c12.
        let mut c = [0.0f32; CEPSTRA];
        for (n, slot) in c.iter_mut().enumerate() {
            let n = n + 1;
            *slot = log_mel
                .iter()
                .enumerate()
                .map(|(m, v)| {
                    v * (std::f32::consts::PI * n as f32 * (m as f32 + 0.5) / MEL_BANDS as f32)
                        .cos()
                })
                .sum();
        }
        cepstra.push(c);
        // Pitch over a longer window centred on the frame.
        let centre = start + WINDOW / 2;
        for (i, slot) in pitch_frame.iter_mut().enumerate() {
            let at = (centre + i).checked_sub(PITCH_WINDOW / 2);
            *slot = at.and_then(|a| signal.get(a)).copied().unwrap_or(0.0);
        }
        let p = detector
            // The power gate is low: quiet frames are left out by the speech gate below.
            .get_pitch(&pitch_frame, RATE as usize, 0.01, 0.7)
            .map(|p| p.frequency)
            .filter(|hz| (MIN_PITCH..=MAX_PITCH).contains(hz));
        pitch.push(p);
    }
    let peak = energy_db.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let speech: Vec<bool> = energy_db
        .iter()
        .map(|e| *e > SPEECH_FLOOR_DB && *e > peak - SPEECH_BELOW_PEAK_DB)
        .collect();
    // Pitch only where there is speech.
    for (p, s) in pitch.iter_mut().zip(&speech) {
        if !s {
            *p = None;
        }
    }
    // Each coefficient to mean 0 and variance 1 over the speech: the microphone's colour and
    // much of the voice's own go, what is said stays.
    let spoken: Vec<[f32; CEPSTRA]> = cepstra
        .iter()
        .zip(&speech)
        .filter(|(_, s)| **s)
        .map(|(c, _)| *c)
        .collect();
    if spoken.len() > 1 {
        let n = spoken.len() as f32;
        let mut mean = [0.0f32; CEPSTRA];
        let mut var = [0.0f32; CEPSTRA];
        for c in &spoken {
            for k in 0..CEPSTRA {
                mean[k] += c[k] / n;
            }
        }
        for c in &spoken {
            for k in 0..CEPSTRA {
                var[k] += (c[k] - mean[k]).powi(2) / n;
            }
        }
        for c in &mut cepstra {
            for k in 0..CEPSTRA {
                c[k] = (c[k] - mean[k]) / var[k].sqrt().max(1e-3);
            }
        }
    }
    Features {
        energy_db,
        pitch,
        cepstra,
        speech,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(hz: f32, seconds: f32, rate: u32) -> Vec<f32> {
        (0..(seconds * rate as f32) as usize)
            .map(|i| 0.3 * (2.0 * std::f32::consts::PI * hz * i as f32 / rate as f32).sin())
            .collect()
    }

    #[test]
    fn a_tone_has_its_pitch_at_any_rate() {
        for rate in [16_000, 22_050, 44_100, 48_000] {
            let f = features(&tone(200.0, 1.0, rate), rate);
            assert!(
                (95..=100).contains(&f.len()),
                "{} frames at {rate}",
                f.len()
            );
            let voiced: Vec<f32> = f.pitch.iter().flatten().copied().collect();
            assert!(voiced.len() > 80, "{rate}: {}", voiced.len());
            let mean = voiced.iter().sum::<f32>() / voiced.len() as f32;
            assert!((mean - 200.0).abs() < 3.0, "{rate}: {mean}");
        }
    }

    #[test]
    fn silence_and_nonsense_give_no_speech() {
        let f = features(&vec![0.0; 16_000], 16_000);
        assert!(f.speech_span().is_none() || f.speech.iter().all(|s| !s));
        let f = features(&[f32::NAN, f32::INFINITY, 5.0], 16_000);
        assert!(f.is_empty());
        let f = features(&[], 0);
        assert!(f.is_empty());
    }
}
