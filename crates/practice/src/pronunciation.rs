//! PRONUNCIATION: a learner's take of an English word or phrase scored phone by phone, offline,
//! by PocketSphinx.
//!
//! The scorer is `pronunciation/pronounce.py` (its docstring has the protocol and the method,
//! its README the measurements), run with the Python of the virtualenv `scripts/setup` makes
//! (PyPI's `pocketsphinx` 5, BSD). [`Pronouncer`] keeps one such process running, so the model
//! is loaded once, and starts it again when it has died or stopped answering. The script is
//! compiled into this crate and written to a private folder when the process starts, so the
//! app needs nothing beside its binary and the virtualenv.
//!
//! The scorer speaks ARPAbet (the CMU dictionary's phones); a [`PhoneScore`] gives each phone
//! in IPA too, which is what learners and instructors read.

use serde::{Deserialize, Serialize};

/// How a take was said: overall, per word and per expected phone.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PronunciationScore {
    /// 0–100: the phones' mean score, lowered when the take does not fit the words at all
    /// (another word, or much speech outside them).
    pub overall: u8,
    /// Each word of the text, in order.
    pub words: Vec<WordScore>,
    /// Each expected phone, in order.
    pub phones: Vec<PhoneScore>,
}

/// One word of the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WordScore {
    pub word: String,
    /// 0–100.
    pub score: u8,
    /// Where it was found in the take, in ms from its start.
    pub start_ms: u32,
    pub end_ms: u32,
}

/// One expected phone.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PhoneScore {
    /// The phone expected, in IPA (`l`).
    pub expected: String,
    /// The same in ARPAbet (`L`).
    pub expected_arpabet: String,
    /// What was heard instead when the phone was not said right and another phone fits the
    /// take better (`ɹ`); the expected phone when it was said right; null when it was not
    /// said right but nothing else fits better either.
    pub heard: Option<String>,
    /// 0–100; under 50 when the phone was not said right.
    pub score: u8,
    /// Whether it was said right.
    pub ok: bool,
    /// The index of its word in [`PronunciationScore::words`].
    pub word: usize,
    pub start_ms: u32,
    pub end_ms: u32,
}

/// The scorer's answer, as it prints it.
#[derive(Debug, Deserialize)]
struct Answer {
    overall: f64,
    words: Vec<AnswerWord>,
    phones: Vec<AnswerPhone>,
}

#[derive(Debug, Deserialize)]
struct AnswerWord {
    word: String,
    score: f64,
    start_ms: f64,
    end_ms: f64,
}

#[derive(Debug, Deserialize)]
struct AnswerPhone {
    expected: String,
    heard: Option<String>,
    score: f64,
    ok: bool,
    word: usize,
    start_ms: f64,
    end_ms: f64,
}

fn percent(share: f64) -> u8 {
    (share.clamp(0.0, 1.0) * 100.0).round() as u8
}

fn ms(value: f64) -> u32 {
    value.clamp(0.0, f64::from(u32::MAX)) as u32
}

impl From<Answer> for PronunciationScore {
    fn from(answer: Answer) -> Self {
        Self {
            overall: percent(answer.overall),
            words: answer
                .words
                .into_iter()
                .map(|w| WordScore {
                    word: w.word,
                    score: percent(w.score),
                    start_ms: ms(w.start_ms),
                    end_ms: ms(w.end_ms),
                })
                .collect(),
            phones: answer
                .phones
                .into_iter()
                .map(|p| PhoneScore {
                    expected: ipa(&p.expected).to_string(),
                    heard: p.heard.map(|h| ipa(&h).to_string()),
                    expected_arpabet: p.expected,
                    score: percent(p.score),
                    ok: p.ok,
                    word: p.word,
                    start_ms: ms(p.start_ms),
                    end_ms: ms(p.end_ms),
                })
                .collect(),
        }
    }
}

/// The IPA of an ARPAbet phone of General American English (the CMU dictionary's 39); any
/// other symbol is returned as it is.
pub fn ipa(arpabet: &str) -> &str {
    match arpabet {
        "AA" => "ɑ",
        "AE" => "æ",
        "AH" => "ʌ",
        "AO" => "ɔ",
        "AW" => "aʊ",
        "AY" => "aɪ",
        "B" => "b",
        "CH" => "tʃ",
        "D" => "d",
        "DH" => "ð",
        "EH" => "ɛ",
        "ER" => "ɝ",
        "EY" => "eɪ",
        "F" => "f",
        "G" => "ɡ",
        "HH" => "h",
        "IH" => "ɪ",
        "IY" => "i",
        "JH" => "dʒ",
        "K" => "k",
        "L" => "l",
        "M" => "m",
        "N" => "n",
        "NG" => "ŋ",
        "OW" => "oʊ",
        "OY" => "ɔɪ",
        "P" => "p",
        "R" => "ɹ",
        "S" => "s",
        "SH" => "ʃ",
        "T" => "t",
        "TH" => "θ",
        "UH" => "ʊ",
        "UW" => "u",
        "V" => "v",
        "W" => "w",
        "Y" => "j",
        "Z" => "z",
        "ZH" => "ʒ",
        other => other,
    }
}

/// Why a take was not scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PronunciationError {
    /// The scorer cannot run here (not installed, or it fails to start).
    #[error("pronunciation scoring is not available: {0}")]
    Unavailable(String),
    /// The scorer refused this take or text (silent, too short, an unknown IPA symbol…).
    #[error("{0}")]
    Refused(String),
    /// The scorer stopped, or failed, while scoring (it is started again next time).
    #[error("the pronunciation scorer failed: {0}")]
    Failed(String),
    /// The scorer took too long over a take, and was stopped (it is started again next time).
    #[error("scoring the take took over {0} s and was stopped; record a shorter take")]
    TimedOut(u64),
}

#[cfg(not(target_arch = "wasm32"))]
pub use process::Pronouncer;

#[cfg(not(target_arch = "wasm32"))]
mod process {
    use super::{Answer, PronunciationError, PronunciationScore};
    use std::io::{BufRead, BufReader, Read, Write};
    use std::path::{Path, PathBuf};
    use std::process::{Child, ChildStdin, Command, Stdio};
    use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
    use std::sync::{Arc, Mutex, PoisonError};
    use std::time::{Duration, Instant};

    /// The scorer, compiled in.
    const SCRIPT: &str = include_str!("../pronunciation/pronounce.py");
    /// How long the model may take to load (0.3 s measured; a loaded machine is slower).
    const START_TIMEOUT: Duration = Duration::from_secs(60);
    /// How long one take may take (0.1–0.4 s measured for a word, seconds for a long phrase).
    const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);
    /// The longest take scored: a phrase said slowly, with some silence around it.
    pub const MAX_TAKE_SECONDS: usize = 15;
    /// The longest text scored: a phrase, not a paragraph (the substitution tests grow with
    /// the number of phones).
    pub const MAX_WORDS: usize = 12;

    /// A long-lived PocketSphinx scorer process, started on first use.
    pub struct Pronouncer {
        python: PathBuf,
        folder: tempfile::TempDir,
        /// The scorer's source, written again should the file go (a temp cleaner).
        script: String,
        answer_timeout: Duration,
        running: Mutex<Option<Server>>,
    }

    impl std::fmt::Debug for Pronouncer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Pronouncer")
                .field("python", &self.python)
                .finish_non_exhaustive()
        }
    }

    struct Server {
        child: Child,
        stdin: ChildStdin,
        lines: Receiver<String>,
        stderr: Arc<Mutex<String>>,
    }

    impl Server {
        fn start(python: &Path, script: &Path) -> Result<Self, PronunciationError> {
            // -I: the virtualenv alone (no PYTHONPATH, no user site-packages); -X utf8:
            // UTF-8 pipes whatever the machine's locale.
            let mut child = Command::new(python)
                .args(["-I", "-X", "utf8"])
                .arg(script)
                .arg("--serve")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .map_err(|e| {
                    PronunciationError::Unavailable(format!(
                        "{} does not run: {e}",
                        python.display()
                    ))
                })?;
            let (Some(stdin), Some(stdout), Some(mut stderr)) =
                (child.stdin.take(), child.stdout.take(), child.stderr.take())
            else {
                let _ = child.kill();
                return Err(PronunciationError::Unavailable(
                    "no pipes to the scorer".into(),
                ));
            };
            let (send, lines) = channel();
            std::thread::spawn(move || {
                let mut stdout = BufReader::new(stdout);
                let mut line = Vec::new();
                loop {
                    line.clear();
                    match stdout.read_until(b'\n', &mut line) {
                        Ok(0) | Err(_) => break,
                        Ok(_) => {
                            let text = String::from_utf8_lossy(&line).trim_end().to_string();
                            if send.send(text).is_err() {
                                break;
                            }
                        }
                    }
                }
            });
            // The last few kB of what the scorer says on stderr (a Python traceback), for
            // the error when it dies.
            let tail = Arc::new(Mutex::new(String::new()));
            let kept = Arc::clone(&tail);
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = stderr.read(&mut buf) {
                    let mut text = kept.lock().unwrap_or_else(PoisonError::into_inner);
                    text.push_str(&String::from_utf8_lossy(&buf[..n]));
                    if text.len() > 4096 {
                        let cut = text.len() - 2048;
                        let cut = (cut..text.len())
                            .find(|&i| text.is_char_boundary(i))
                            .unwrap_or(text.len());
                        text.drain(..cut);
                    }
                }
            });
            let mut server = Self {
                child,
                stdin,
                lines,
                stderr: tail,
            };
            let ready = server.read(START_TIMEOUT, "ready").map_err(|e| match e {
                PronunciationError::Failed(why) => PronunciationError::Unavailable(why),
                other => other,
            })?;
            match ready.get("ready") {
                Some(serde_json::Value::Bool(true)) => Ok(server),
                _ => Err(PronunciationError::Unavailable(
                    ready
                        .get("error")
                        .and_then(|e| e.as_str())
                        .unwrap_or("the scorer did not start")
                        .to_string(),
                )),
            }
        }

        /// The next JSON object the scorer prints that holds `key` or `"error"` (other
        /// lines, such as a library's chatter on stdout, are skipped).
        fn read(
            &mut self,
            timeout: Duration,
            key: &str,
        ) -> Result<serde_json::Value, PronunciationError> {
            let deadline = Instant::now() + timeout;
            loop {
                let line = match self
                    .lines
                    .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                {
                    Ok(line) => line,
                    Err(RecvTimeoutError::Timeout) => {
                        return Err(PronunciationError::TimedOut(timeout.as_secs()));
                    }
                    Err(RecvTimeoutError::Disconnected) => return Err(self.stopped()),
                };
                if let Ok(serde_json::Value::Object(answer)) = serde_json::from_str(&line)
                    && (answer.contains_key(key) || answer.contains_key("error"))
                {
                    return Ok(serde_json::Value::Object(answer));
                }
            }
        }

        /// Why the scorer's output ended: its exit status and last words.
        fn stopped(&mut self) -> PronunciationError {
            // Its stdout closed; it may still be alive (had it closed stdout itself).
            let _ = self.child.kill();
            let status = self.child.wait().map(|s| s.to_string()).unwrap_or_default();
            let said = self
                .stderr
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .trim()
                .lines()
                .last()
                .unwrap_or("")
                .to_string();
            PronunciationError::Failed(format!(
                "the scorer stopped ({status}){}",
                if said.is_empty() {
                    String::new()
                } else {
                    format!(": {said}")
                }
            ))
        }

        fn ask(
            &mut self,
            request: &serde_json::Value,
            timeout: Duration,
        ) -> Result<serde_json::Value, PronunciationError> {
            let mut line = request.to_string();
            line.push('\n');
            self.stdin
                .write_all(line.as_bytes())
                .and_then(|()| self.stdin.flush())
                .map_err(|e| {
                    PronunciationError::Failed(format!("the scorer stopped listening: {e}"))
                })?;
            self.read(timeout, "overall")
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    impl Pronouncer {
        /// Where the setup script makes the virtualenv: `$CLASSKIT_SPHINX_HOME`, or
        /// `~/.local/share/classkit-studio/sphinx`.
        pub fn default_home() -> Option<PathBuf> {
            if let Some(home) = std::env::var_os("CLASSKIT_SPHINX_HOME") {
                return Some(PathBuf::from(home));
            }
            let data = std::env::var_os("XDG_DATA_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/share")))?;
            Some(data.join("classkit-studio/sphinx"))
        }

        /// The scorer with the virtualenv in `home`, when it has a Python (whether it holds
        /// `pocketsphinx` shows when the scorer starts).
        pub fn find(home: &Path) -> Result<Self, PronunciationError> {
            let python = home.join("bin/python");
            if !python.is_file() {
                return Err(PronunciationError::Unavailable(format!(
                    "no PocketSphinx virtualenv at {} (scripts/setup makes it)",
                    home.display()
                )));
            }
            Self::with_script(python, SCRIPT, ANSWER_TIMEOUT)
        }

        /// The scorer `script` run by `python`, each take given `answer_timeout`: for tests
        /// of how a scorer that hangs, chatters or dies is handled.
        #[doc(hidden)]
        pub fn with_script(
            python: PathBuf,
            script: &str,
            answer_timeout: Duration,
        ) -> Result<Self, PronunciationError> {
            let folder = tempfile::Builder::new()
                .prefix("classkit-pronounce-")
                .tempdir()
                .map_err(|e| {
                    PronunciationError::Unavailable(format!("no temporary folder: {e}"))
                })?;
            Ok(Self {
                python,
                folder,
                script: script.to_string(),
                answer_timeout,
                running: Mutex::new(None),
            })
        }

        /// Starts the scorer (writing it out first if it is not there yet, or was removed).
        fn start(&self) -> Result<Server, PronunciationError> {
            let path = self.folder.path().join("pronounce.py");
            if !path.is_file() {
                std::fs::create_dir_all(self.folder.path())
                    .and_then(|()| std::fs::write(&path, &self.script))
                    .map_err(|e| {
                        PronunciationError::Unavailable(format!(
                            "the scorer cannot be written: {e}"
                        ))
                    })?;
            }
            Server::start(&self.python, &path)
        }

        /// The scorer in the default place ([`Self::default_home`]).
        pub fn installed() -> Result<Self, PronunciationError> {
            let home = Self::default_home().ok_or_else(|| {
                PronunciationError::Unavailable("no home folder to find PocketSphinx in".into())
            })?;
            Self::find(&home)
        }

        /// Scores a take (mono samples at `rate` Hz) of `text`, an English word or phrase.
        /// `ipa`, when not empty, is the pronunciation expected (as the component's item
        /// gives it); otherwise the CMU dictionary's, or espeak-ng's for words it lacks.
        /// Blocks while scoring (a fraction of a second for a word); takes are scored one at
        /// a time.
        pub fn score(
            &self,
            samples: &[f32],
            rate: u32,
            text: &str,
            ipa: &str,
        ) -> Result<PronunciationScore, PronunciationError> {
            let words = text.split_whitespace().count();
            if words == 0 {
                return Err(PronunciationError::Refused(
                    "there is no word or phrase to score the take against".into(),
                ));
            }
            if words > MAX_WORDS {
                return Err(PronunciationError::Refused(format!(
                    "\"{}…\" has {words} words; pronunciation is scored for words and phrases of up to {MAX_WORDS} (practise sentences with SHADOWING)",
                    text.split_whitespace()
                        .take(4)
                        .collect::<Vec<_>>()
                        .join(" ")
                )));
            }
            if !(8_000..=192_000).contains(&rate) {
                return Err(PronunciationError::Refused(format!(
                    "a recording at {rate} samples a second cannot be scored; record at 8,000 to 192,000"
                )));
            }
            if samples.len() > MAX_TAKE_SECONDS * rate as usize {
                return Err(PronunciationError::Refused(format!(
                    "the take is {} s long; takes of up to {MAX_TAKE_SECONDS} s are scored (say the word or phrase, then stop)",
                    samples.len() / rate as usize
                )));
            }
            // (The folder again, should a temp cleaner have removed it.)
            let _ = std::fs::create_dir_all(self.folder.path());
            let take = tempfile::Builder::new()
                .prefix("take-")
                .suffix(".wav")
                .tempfile_in(self.folder.path())
                .map_err(|e| {
                    PronunciationError::Failed(format!("the take cannot be saved: {e}"))
                })?;
            write_wav(take.path(), samples, rate).map_err(|e| {
                PronunciationError::Failed(format!("the take cannot be saved: {e}"))
            })?;
            let mut request = serde_json::json!({
                "wav": take.path().to_string_lossy(),
                "text": text,
            });
            if !ipa.trim().is_empty() {
                request["ipa"] = serde_json::Value::String(ipa.trim().to_string());
            }
            let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
            let mut attempt = 0;
            let answer = loop {
                attempt += 1;
                let reused = running.is_some();
                let server = match running.as_mut() {
                    Some(server) => server,
                    None => running.insert(self.start()?),
                };
                match server.ask(&request, self.answer_timeout) {
                    Err(PronunciationError::Failed(why)) => {
                        *running = None;
                        // It died since the last take: once more, with a new one.
                        if reused && attempt == 1 {
                            continue;
                        }
                        break Err(PronunciationError::Failed(why));
                    }
                    Err(e) => {
                        // Stuck on this take: stopped, and not tried again.
                        *running = None;
                        break Err(e);
                    }
                    Ok(answer) => break Ok(answer),
                }
            }?;
            drop(running);
            if let Some(error) = answer.get("error") {
                let message = error.as_str().unwrap_or("the take was refused").to_string();
                return Err(match answer.get("kind").and_then(|k| k.as_str()) {
                    Some("internal") => PronunciationError::Failed(message),
                    _ => PronunciationError::Refused(message),
                });
            }
            serde_json::from_value::<Answer>(answer)
                .map(PronunciationScore::from)
                .map_err(|e| PronunciationError::Failed(format!("an answer of another shape: {e}")))
        }

        /// The scorer's process id while it runs (for tests of its restart).
        pub fn process_id(&self) -> Option<u32> {
            self.running
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .as_ref()
                .map(|s| s.child.id())
        }
    }

    fn write_wav(path: &Path, samples: &[f32], rate: u32) -> Result<(), hound::Error> {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut wav = hound::WavWriter::create(path, spec)?;
        for &s in samples {
            let s = if s.is_finite() {
                s.clamp(-1.0, 1.0)
            } else {
                0.0
            };
            wav.write_sample((s * 32767.0).round() as i16)?;
        }
        wav.finalize()
    }
}
