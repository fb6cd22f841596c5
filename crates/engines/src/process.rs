//! Running the builtin engines' programs (espeak-ng, oggenc, Piper) as separate processes.

use classkit_jobs::JobError;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

/// What a finished program printed.
pub struct Ran {
    pub stdout: Vec<u8>,
}

/// Runs `program` with `args`, writing `stdin` to it, within `timeout`. A program that is not
/// installed is a permanent error that says how to install it; one that fails or hangs is
/// retryable with what it printed on stderr.
pub async fn run(
    program: &Path,
    args: &[&std::ffi::OsStr],
    stdin: &[u8],
    timeout: Duration,
    install_hint: &str,
) -> Result<Ran, JobError> {
    let name = program.display().to_string();
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                JobError::permanent(format!("{name} is not installed: {install_hint}"))
            }
            std::io::ErrorKind::PermissionDenied => JobError::permanent(format!(
                "{name} cannot be run (permission denied): {install_hint}"
            )),
            _ => JobError::retryable(format!("cannot start {name}: {e}")),
        })?;
    let mut input = child.stdin.take();
    let data = stdin.to_vec();
    let feed = async move {
        if let Some(pipe) = input.as_mut() {
            // A program that exits early closes its end; its exit status tells what happened.
            let _ = pipe.write_all(&data).await;
            let _ = pipe.shutdown().await;
        }
        drop(input);
    };
    let (_, output) = tokio::join!(
        feed,
        tokio::time::timeout(timeout, child.wait_with_output())
    );
    let output = output
        .map_err(|_| {
            JobError::retryable(format!("{name} took longer than {} s", timeout.as_secs()))
        })?
        .map_err(|e| JobError::retryable(format!("{name} failed: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr: String = stderr.trim().chars().take(500).collect();
        return Err(JobError::retryable(format!(
            "{name} failed ({}): {stderr}",
            output.status
        )));
    }
    Ok(Ran {
        stdout: output.stdout,
    })
}
