//! A small file system that fills up: a tmpfs mounted for one test, which the test can
//! shrink to what is in it and grow again ("free the disk").
//!
//! Mounting needs root (as in CI) or a user namespace: a test that is not root runs itself
//! again inside `unshare --user --map-root-user --mount` (see [`SmallDisk::reexec`]), where
//! it may mount, and the mount is gone with the namespace.

use crate::TestkitError;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A mounted tmpfs, unmounted when dropped.
#[derive(Debug)]
pub struct SmallDisk {
    dir: tempfile::TempDir,
}

/// Set in the environment of a test run again inside a user and mount namespace.
const IN_NAMESPACE: &str = "CLASSKIT_TEST_IN_MOUNT_NAMESPACE";

fn run(what: &str, command: &mut Command) -> Result<(), TestkitError> {
    let out = command.output()?;
    if out.status.success() {
        Ok(())
    } else {
        Err(TestkitError::Failed {
            what: what.to_string(),
            detail: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }
}

impl SmallDisk {
    /// Mounts a tmpfs of `bytes` on a new temporary folder.
    pub fn mount(bytes: u64) -> Result<Self, TestkitError> {
        let dir = tempfile::Builder::new()
            .prefix("classkit-disk-")
            .tempdir()?;
        run(
            "mounting a tmpfs",
            Command::new("mount")
                .args(["-t", "tmpfs", "-o"])
                .arg(format!("size={bytes}"))
                .arg("tmpfs")
                .arg(dir.path()),
        )?;
        Ok(Self { dir })
    }

    /// Where the file system is mounted.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Bytes in use on it.
    pub fn used(&self) -> Result<u64, TestkitError> {
        let out = Command::new("df")
            .args(["--block-size=1", "--output=used"])
            .arg(self.path())
            .output()?;
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .nth(1)
            .and_then(|l| l.trim().parse().ok())
            .ok_or_else(|| TestkitError::Failed {
                what: "df".into(),
                detail: String::from_utf8_lossy(&out.stderr).into_owned(),
            })
    }

    /// Fills the file system with a file until no byte more fits; removing the file frees
    /// the space again.
    pub fn fill(&self) -> Result<PathBuf, TestkitError> {
        use std::io::Write;
        let path = self.path().join("filler");
        let mut file = std::fs::File::create(&path)?;
        let block = vec![0u8; 64 * 1024];
        while file.write(&block).is_ok_and(|n| n > 0) {}
        while file.write(&block[..1]).is_ok_and(|n| n > 0) {}
        Ok(path)
    }

    /// Makes the file system `bytes` large (never smaller than what is in it).
    pub fn resize(&self, bytes: u64) -> Result<(), TestkitError> {
        run(
            "resizing the tmpfs",
            Command::new("mount")
                .args(["-o"])
                .arg(format!("remount,size={bytes}"))
                .arg(self.path()),
        )
    }

    /// For a test that is not root: runs the test `name` of this test binary again inside
    /// a user and mount namespace, where it may mount, and returns whether it passed.
    /// `None` when this process may mount itself (root), or already is that run.
    pub fn reexec(name: &str) -> Option<Result<bool, TestkitError>> {
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        if root || std::env::var_os(IN_NAMESPACE).is_some() {
            return None;
        }
        let run = || -> Result<bool, TestkitError> {
            let exe: PathBuf = std::env::current_exe()?;
            let status = Command::new("unshare")
                .args(["--user", "--map-root-user", "--mount"])
                .arg(exe)
                .args(["--exact", name, "--nocapture", "--test-threads=1"])
                .env(IN_NAMESPACE, "1")
                .status()?;
            Ok(status.success())
        };
        Some(run())
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}
