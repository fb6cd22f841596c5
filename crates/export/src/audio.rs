//! Reading the library's sound files (WAV, and Ogg Vorbis as the builtin speech engines store
//! them) as samples, without loading more than a bound.

use std::io::Read;
use std::path::Path;

/// Most audio decoded from one file, as 16-bit samples (an hour of mono at 48 kHz is 350 MB).
const MAX_AUDIO_BYTES: u64 = 512 * 1024 * 1024;

/// Where decoded samples go.
pub trait Sink {
    /// Called once before any sample: the rate and the interleaved channels.
    fn start(&mut self, sample_rate: u32, channels: u16);
    /// Each sample, channels interleaved, from -1 to 1.
    fn push(&mut self, sample: f32);
}

fn wav(reader: impl Read, sink: &mut impl Sink) -> Option<()> {
    let mut wav = hound::WavReader::new(reader.take(MAX_AUDIO_BYTES)).ok()?;
    let spec = wav.spec();
    sink.start(spec.sample_rate, spec.channels);
    match spec.sample_format {
        hound::SampleFormat::Float => wav
            .samples::<f32>()
            .map_while(Result::ok)
            .for_each(|s| sink.push(s)),
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
            wav.samples::<i32>()
                .map_while(Result::ok)
                .for_each(|s| sink.push(s as f32 * scale));
        }
    }
    Some(())
}

fn ogg(reader: impl Read + std::io::Seek, sink: &mut impl Sink) -> Option<()> {
    let mut ogg = lewton::inside_ogg::OggStreamReader::new(reader).ok()?;
    sink.start(
        ogg.ident_hdr.audio_sample_rate,
        u16::from(ogg.ident_hdr.audio_channels),
    );
    let mut decoded = 0u64;
    while let Ok(Some(packet)) = ogg.read_dec_packet_itl() {
        decoded += packet.len() as u64 * 2;
        if decoded > MAX_AUDIO_BYTES {
            break;
        }
        packet
            .into_iter()
            .for_each(|s| sink.push(f32::from(s) / 32768.0));
    }
    Some(())
}

/// Decodes the file at `path` by its media type (WAV or Ogg Vorbis) into `sink`; `None` when
/// it cannot be read as that.
pub fn decode(path: &Path, media_type: &str, sink: &mut impl Sink) -> Option<()> {
    let file = std::io::BufReader::new(std::fs::File::open(path).ok()?);
    match media_type {
        "audio/wav" | "audio/x-wav" | "audio/wave" => wav(file, sink),
        "audio/ogg" => ogg(file, sink),
        _ => None,
    }
}

/// Collects mono samples (channels averaged), up to a number of seconds.
struct Mono {
    rate: u32,
    channels: usize,
    limit: usize,
    frame: Vec<f32>,
    samples: Vec<f32>,
}

impl Sink for Mono {
    fn start(&mut self, sample_rate: u32, channels: u16) {
        self.rate = sample_rate;
        self.channels = usize::from(channels.max(1));
        self.limit = self.limit.saturating_mul(sample_rate as usize);
    }

    fn push(&mut self, sample: f32) {
        if self.samples.len() >= self.limit {
            return;
        }
        self.frame.push(sample);
        if self.frame.len() == self.channels {
            self.samples
                .push(self.frame.iter().sum::<f32>() / self.channels as f32);
            self.frame.clear();
        }
    }
}

/// The file as mono samples and their rate, at most `max_seconds` of it.
pub fn mono(path: &Path, media_type: &str, max_seconds: usize) -> Option<(Vec<f32>, u32)> {
    let mut sink = Mono {
        rate: 0,
        channels: 1,
        limit: max_seconds,
        frame: Vec::new(),
        samples: Vec::new(),
    };
    decode(path, media_type, &mut sink)?;
    Some((sink.samples, sink.rate))
}
