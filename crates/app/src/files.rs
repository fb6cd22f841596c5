//! Reading the files a user names (lectures, bundles, payloads): only regular files, and
//! never more than a limit.
//!
//! A named pipe (FIFO) blocks in `open` until a writer comes, and a device can be read for
//! ever; neither is a file anyone meant to import. Files are opened without blocking and
//! checked on the open handle, so a path swapped between the check and the read cannot slip
//! through.

use crate::{AppError, Result};
use std::path::Path;

/// Opens `path` for reading when it is a regular file (or a link to one); anything else is
/// refused with what it is, before a byte is read.
pub fn open_regular(path: &Path) -> Result<std::fs::File> {
    let io = |source| AppError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading waits for a writer, unless non-blocking; a terminal
        // named here must not become the process's controlling terminal.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path).map_err(io)?;
    let kind = file.metadata().map_err(io)?.file_type();
    if !kind.is_file() {
        return Err(AppError::NotAFile {
            path: path.to_path_buf(),
            what: describe(kind),
        });
    }
    // (O_NONBLOCK stays on the handle: reads of a regular file never wait, whatever it says.)
    Ok(file)
}

/// What a path that is not a regular file is, in a user's words.
fn describe(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// Largest `engines.toml` read.
const MAX_ENGINES_FILE_BYTES: u64 = 1024 * 1024;

/// The engines configured in `path` (a regular file of at most 1 MB; no file at all means the
/// builtin engines only). Blocking: it reads a small file.
pub fn load_engines_config(path: &Path) -> Result<classkit_engines::EnginesConfig> {
    use std::io::Read;
    let invalid =
        |message: String| AppError::EnginesConfig(format!("{}: {message}", path.display()));
    let file = match open_regular(path) {
        Err(AppError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Ok(classkit_engines::EnginesConfig::default());
        }
        other => other?,
    };
    let mut bytes = Vec::new();
    file.take(MAX_ENGINES_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| AppError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > MAX_ENGINES_FILE_BYTES {
        return Err(invalid(format!(
            "an engines file is at most {MAX_ENGINES_FILE_BYTES} bytes"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| invalid("this is not UTF-8 text".into()))?;
    classkit_engines::EnginesConfig::parse(&text, &path.display().to_string())
        .map_err(|e| AppError::EnginesConfig(e.to_string()))
}

/// Reads a regular file of at most `limit` bytes (one byte more tells that it is larger).
pub async fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        use std::io::Read;
        let file = open_regular(&path)?;
        let mut bytes = Vec::new();
        file.take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|source| AppError::Io { path, source })?;
        Ok(bytes)
    })
    .await
    .map_err(|e| AppError::Invalid(format!("the file reader stopped: {e}")))?
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn fifos_devices_and_folders_are_refused_without_blocking() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("lecture.md");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        for (path, what) in [
            (fifo.as_path(), "a named pipe (FIFO)"),
            (Path::new("/dev/zero"), "a device"),
            (dir.path(), "a folder"),
        ] {
            match open_regular(path) {
                Err(AppError::NotAFile { what: w, .. }) => assert_eq!(w, what, "{path:?}"),
                other => panic!("{path:?}: {other:?}"),
            }
        }
        let file = dir.path().join("real.md");
        std::fs::write(&file, "# Hello").expect("write");
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&file, &link).expect("symlink");
        assert!(open_regular(&link).is_ok(), "a link to a file is a file");
        let to_fifo = dir.path().join("to-fifo.md");
        std::os::unix::fs::symlink(&fifo, &to_fifo).expect("symlink");
        assert!(
            matches!(open_regular(&to_fifo), Err(AppError::NotAFile { .. })),
            "a link to a named pipe is a named pipe"
        );
    }
}
