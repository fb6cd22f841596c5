//! Recordings the speaking-practice tests make with speech synthesis: espeak-ng and Piper (the
//! app's two builtin voices, as scripts/setup installs them).

#![allow(dead_code)] // each test uses its share

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub fn read_wav(path: &Path) -> (Vec<f32>, u32) {
    let mut wav = hound::WavReader::open(path).expect("a WAV file");
    let spec = wav.spec();
    let scale = 1.0 / (1u64 << (spec.bits_per_sample - 1)) as f32;
    let channels = usize::from(spec.channels);
    let samples: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => wav.samples::<f32>().map(|s| s.expect("sample")).collect(),
        hound::SampleFormat::Int => wav
            .samples::<i32>()
            .map(|s| s.expect("sample") as f32 * scale)
            .collect(),
    };
    let mono = samples
        .chunks(channels)
        .map(|c| c.iter().sum::<f32>() / channels as f32)
        .collect();
    (mono, spec.sample_rate)
}

pub fn espeak(dir: &Path, name: &str, args: &[&str], text: &str) -> (Vec<f32>, u32) {
    let out = dir.join(format!("{name}.wav"));
    let status = Command::new("espeak-ng")
        .args(args)
        .arg("-w")
        .arg(&out)
        .arg(text)
        .status()
        .expect("espeak-ng runs (scripts/setup installs it)");
    assert!(status.success());
    read_wav(&out)
}

/// Piper as scripts/setup installs it (the app's second builtin voice).
pub fn piper_home() -> PathBuf {
    std::env::var_os("CLASSKIT_PIPER_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let data = std::env::var_os("XDG_DATA_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".local/share")
                });
            data.join("classkit-studio/piper")
        })
}

fn piper_model(home: &Path) -> PathBuf {
    for python in std::fs::read_dir(home.join("lib"))
        .expect("Piper is installed (scripts/setup)")
        .flatten()
    {
        for package in std::fs::read_dir(python.path().join("site-packages"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let model = package.path().join("data/en_US-joe-medium.onnx");
            if model.is_file() {
                return model;
            }
        }
    }
    panic!(
        "the Piper voice en_US-joe-medium is not installed in {} (scripts/setup installs it)",
        home.display()
    );
}

pub fn piper(dir: &Path, name: &str, text: &str) -> (Vec<f32>, u32) {
    piper_with(dir, name, &[], text)
}

/// Piper's voice varies a little from run to run (its noise); `--noise-scale 0
/// --noise-w-scale 0` makes it say a text the same way every time.
pub fn piper_with(dir: &Path, name: &str, args: &[&str], text: &str) -> (Vec<f32>, u32) {
    let home = piper_home();
    let out = dir.join(format!("{name}.wav"));
    let mut child = Command::new(home.join("bin/piper"))
        .args(args)
        .arg("--model")
        .arg(piper_model(&home))
        .arg("--output_file")
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Piper runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write");
    assert!(child.wait().expect("Piper ends").success());
    read_wav(&out)
}
