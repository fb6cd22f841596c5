//! Piper: the higher-quality builtin voice (US English, "joe"), run from its virtualenv.
//!
//! Loading Piper (Python, onnxruntime and the voice model) takes longer than speaking a
//! slide's narration, so the voice is kept loaded: each Piper process reads one line of text
//! at a time on its standard input and writes a WAV file for it, saying where on its log.
//! Up to [`Piper::processes`] run at once, started when first needed and kept for the next
//! line; one that dies, hangs or says something unexpected is ended and the next line starts
//! a new one.

use super::{Speech, SpeechRequest, Tts, speech_from_wav, time_for, work_dir};
use crate::lang;
use async_trait::async_trait;
use classkit_jobs::JobError;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStderr, ChildStdin, Command};
use tokio::sync::Semaphore;

/// The voice the setup script installs.
pub const JOE: &str = "en_US-joe-medium";

/// How long a new Piper process may take to load before its first line.
const LOAD_TIME: Duration = Duration::from_secs(60);

/// Piper, from a virtualenv that holds `piper-tts` and the voice package.
#[derive(Clone)]
pub struct Piper {
    id: String,
    home: PathBuf,
    voice: String,
    pool: Arc<Pool>,
}

impl std::fmt::Debug for Piper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Piper")
            .field("id", &self.id)
            .field("home", &self.home)
            .field("voice", &self.voice)
            .field("processes", &self.pool.size)
            .finish()
    }
}

/// The loaded Piper processes: at most `size` at once, the idle ones kept for the next line.
struct Pool {
    size: usize,
    permits: Semaphore,
    idle: std::sync::Mutex<Vec<Loaded>>,
    started: AtomicU64,
}

/// One Piper process with the voice loaded, and the folder it writes its WAV files to.
struct Loaded {
    child: Child,
    stdin: ChildStdin,
    log: Lines<BufReader<ChildStderr>>,
    out: tempfile::TempDir,
    /// Lines spoken so far (the first one waits for the voice to load).
    spoken: u64,
}

impl Piper {
    /// Where the setup script puts Piper: `$CLASSKIT_PIPER_HOME`, or
    /// `~/.local/share/classkit-studio/piper`.
    pub fn default_home() -> Option<PathBuf> {
        if let Some(home) = std::env::var_os("CLASSKIT_PIPER_HOME") {
            return Some(PathBuf::from(home));
        }
        let data = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/share")))?;
        Some(data.join("classkit-studio/piper"))
    }

    /// Piper in `home` with `voice`, when both are installed there. Each Piper process runs
    /// its model on every core (onnxruntime's default), so one process per four cores speaks
    /// at once (at least one, at most four), or `$CLASSKIT_PIPER_PROCESSES`: on two cores,
    /// the photosynthesis example took 35.3 s with one process and 40.6 s with two.
    pub fn find(id: impl Into<String>, home: &Path, voice: Option<&str>) -> Option<Self> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let processes = std::env::var("CLASSKIT_PIPER_PROCESSES")
            .ok()
            .and_then(|n| n.trim().parse::<usize>().ok())
            .filter(|n| (1..=16).contains(n))
            .unwrap_or((cores / 4).clamp(1, 4));
        Self::find_with(id, home, voice, processes)
    }

    /// [`Piper::find`] with `processes` Piper processes at most.
    pub fn find_with(
        id: impl Into<String>,
        home: &Path,
        voice: Option<&str>,
        processes: usize,
    ) -> Option<Self> {
        let size = processes.max(1);
        let piper = Self {
            id: id.into(),
            home: home.to_path_buf(),
            voice: voice.unwrap_or(JOE).to_string(),
            pool: Arc::new(Pool {
                size,
                permits: Semaphore::new(size),
                idle: std::sync::Mutex::new(Vec::new()),
                started: AtomicU64::new(0),
            }),
        };
        (piper.program().is_file() && piper.model().is_some()).then_some(piper)
    }

    /// The most Piper processes that speak at once.
    pub fn processes(&self) -> usize {
        self.pool.size
    }

    /// How many Piper processes were started so far (one per slot, plus one for each that
    /// died or was ended).
    pub fn started(&self) -> u64 {
        self.pool.started.load(Ordering::Relaxed)
    }

    /// The process ids of the idle Piper processes (to watch their memory).
    pub fn idle_processes(&self) -> Vec<u32> {
        self.pool
            .idle
            .lock()
            .map(|idle| idle.iter().filter_map(|l| l.child.id()).collect())
            .unwrap_or_default()
    }

    fn program(&self) -> PathBuf {
        self.home.join("bin/piper")
    }

    /// The voice model: `<voice>.onnx` inside an installed voice package.
    fn model(&self) -> Option<PathBuf> {
        let lib = self.home.join("lib");
        for python in std::fs::read_dir(&lib).ok()?.flatten() {
            let site = python.path().join("site-packages");
            for package in std::fs::read_dir(&site).into_iter().flatten().flatten() {
                let model = package
                    .path()
                    .join("data")
                    .join(format!("{}.onnx", self.voice));
                if model.is_file() {
                    return Some(model);
                }
            }
        }
        None
    }

    /// The language the voice speaks (`en_US-joe-medium` → `en`).
    fn language(&self) -> &str {
        self.voice.split(['_', '-']).next().unwrap_or("en")
    }

    /// A new Piper process with the voice, writing its WAV files to a folder of its own.
    /// (The voice's model is looked up here, once per process, not for every line.)
    fn start(&self) -> Result<Loaded, JobError> {
        let model = self.model().ok_or_else(|| {
            JobError::permanent(format!(
                "the Piper voice {} is not installed in {} (scripts/setup installs it)",
                self.voice,
                self.home.display()
            ))
        })?;
        let program = self.program();
        let out = tempfile::Builder::new()
            .prefix("classkit-piper-")
            .tempdir()
            .map_err(|e| JobError::io("cannot make a folder for Piper's audio", &e))?;
        let mut child = Command::new(&program)
            .arg("-m")
            .arg(model)
            .arg("--output-dir")
            .arg(out.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                    JobError::permanent(format!(
                        "{} cannot be run ({e}): run scripts/setup to install Piper",
                        program.display()
                    ))
                }
                _ => JobError::retryable(format!("cannot start Piper: {e}")),
            })?;
        self.pool.started.fetch_add(1, Ordering::Relaxed);
        let (Some(stdin), Some(stderr)) = (child.stdin.take(), child.stderr.take()) else {
            return Err(JobError::retryable("Piper started without its pipes"));
        };
        Ok(Loaded {
            child,
            stdin,
            log: BufReader::new(stderr).lines(),
            out,
            spoken: 0,
        })
    }
}

impl Loaded {
    /// Speaks one line into a WAV file of `out`, within `timeout` (plus the voice's loading
    /// time for a new process), and moves it to `to`. Any error leaves the process unusable.
    async fn speak(&mut self, line: &str, timeout: Duration, to: &Path) -> Result<(), JobError> {
        let timeout = if self.spoken == 0 {
            timeout + LOAD_TIME
        } else {
            timeout
        };
        self.spoken += 1;
        let said = async {
            self.stdin.write_all(line.as_bytes()).await?;
            self.stdin.write_all(b"\n").await?;
            self.stdin.flush().await?;
            let mut other = Vec::new();
            while let Some(entry) = self.log.next_line().await? {
                if let Some((_, path)) = entry.split_once(" Wrote ").or(entry.split_once(":Wrote "))
                {
                    return Ok(Ok(PathBuf::from(path.trim())));
                }
                other.push(entry);
            }
            Ok::<_, std::io::Error>(Err(other))
        };
        let wrote = match tokio::time::timeout(timeout, said).await {
            Err(_) => {
                return Err(JobError::retryable(format!(
                    "Piper took longer than {} s for one narration",
                    timeout.as_secs()
                )));
            }
            Ok(Err(e)) => return Err(JobError::retryable(format!("Piper stopped: {e}"))),
            Ok(Ok(Err(log))) => {
                let status = self.child.wait().await.ok();
                let said: String = log.join(" / ").chars().rev().take(500).collect();
                let said: String = said.chars().rev().collect();
                return Err(JobError::retryable(format!(
                    "Piper stopped ({}): {said}",
                    status.map_or("no exit status".to_string(), |s| s.to_string())
                )));
            }
            Ok(Ok(Ok(path))) => path,
        };
        // Only a file Piper wrote in its own folder is taken.
        if wrote.parent() != Some(self.out.path()) {
            return Err(JobError::retryable(format!(
                "Piper wrote {} outside its folder",
                wrote.display()
            )));
        }
        if tokio::fs::rename(&wrote, to).await.is_err() {
            tokio::fs::copy(&wrote, to)
                .await
                .map_err(|e| JobError::io("cannot read Piper's audio", &e))?;
            let _ = tokio::fs::remove_file(&wrote).await;
        }
        Ok(())
    }
}

/// True while a process has not exited.
fn running(child: &mut Child) -> bool {
    matches!(child.try_wait(), Ok(None))
}

#[async_trait]
impl Tts for Piper {
    fn id(&self) -> &str {
        &self.id
    }

    fn parameters(&self, _request: &SpeechRequest) -> serde_json::Value {
        serde_json::json!({ "voice": self.voice })
    }

    async fn synthesize(&self, request: &SpeechRequest) -> Result<Speech, JobError> {
        let text = request.checked_text()?;
        let language = request
            .language
            .clone()
            .or_else(|| lang::detect(text))
            .unwrap_or_else(|| self.language().to_string());
        if !language.starts_with(self.language()) {
            return Err(JobError::permanent(format!(
                "the Piper voice {} speaks {}, not {language}; use espeak for this text",
                self.voice,
                self.language()
            )));
        }
        // One line: Piper speaks each input line, and the sentences of it, in order.
        let line: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let dir = work_dir()?;
        let wav = dir.path().join("speech.wav");
        let permit = self
            .pool
            .permits
            .acquire()
            .await
            .map_err(|_| JobError::retryable("Piper is shutting down"))?;
        let idle = self
            .pool
            .idle
            .lock()
            .map(|mut idle| idle.pop())
            .ok()
            .flatten();
        // One that ended while idle (killed, out of memory) is replaced at once.
        let mut loaded = match idle {
            Some(mut loaded) => {
                if running(&mut loaded.child) {
                    loaded
                } else {
                    self.start()?
                }
            }
            None => self.start()?,
        };
        loaded.speak(&line, time_for(text.len()) * 2, &wav).await?;
        // Kept loaded for the next line (a process that failed is dropped, which ends it).
        if let Ok(mut idle) = self.pool.idle.lock() {
            idle.push(loaded);
        }
        drop(permit);
        speech_from_wav(&wav, text, self.voice.clone()).await
    }
}
