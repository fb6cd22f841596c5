//! What the end-to-end tests of team mode share: the workspace's built binaries, a
//! `classkit-server` process that can be stopped and started again, and the admin's command
//! line. The tests themselves are in `tests/`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A built binary of the workspace (`cargo test` builds `classkit-server` for its own tests):
/// beside the running program (a benchmark in `target/release`) or one folder up (a test in
/// `target/debug/deps`).
pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary");
    let here = exe.parent().expect("target dir");
    let candidates = [here.join(name), here.parent().unwrap_or(here).join(name)];
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "{} is not built; run `cargo build -p classkit-server -p classkit-worker` (scripts/test does)",
                candidates[1].display()
            )
        })
}

/// A running `classkit-server serve`, stopped (SIGKILL) when dropped or by `stop`.
pub struct Server {
    child: Option<Child>,
    pub url: String,
    port: u16,
    database_url: String,
    redis_url: String,
    data: PathBuf,
    extra: Vec<String>,
}

impl Server {
    pub fn start(database_url: &str, redis_url: &str, data: &Path, port: u16) -> Self {
        Self::start_with(database_url, redis_url, data, port, &[])
    }

    /// As [`Server::start`], with more arguments to `serve` (kept across restarts).
    pub fn start_with(
        database_url: &str,
        redis_url: &str,
        data: &Path,
        port: u16,
        extra: &[&str],
    ) -> Self {
        let mut s = Server {
            child: None,
            url: format!("http://127.0.0.1:{port}"),
            port,
            database_url: database_url.to_string(),
            redis_url: redis_url.to_string(),
            data: data.to_path_buf(),
            extra: extra.iter().map(|a| a.to_string()).collect(),
        };
        s.restart();
        s
    }

    pub fn restart(&mut self) {
        let child = Command::new(binary("classkit-server"))
            .args(["serve", "--database-url", &self.database_url])
            .args(["--redis-url", &self.redis_url])
            .args(["--listen", &format!("127.0.0.1:{}", self.port)])
            .arg("--data")
            .arg(&self.data)
            .args(&self.extra)
            .env("CLASSKIT_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start classkit-server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "classkit-server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A child process killed when dropped, also when a test fails halfway.
pub struct KillOnDrop(pub std::process::Child);

impl KillOnDrop {
    /// Whether it is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.0.try_wait(), Ok(None))
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn admin(database_url: &str, args: &[&str]) -> String {
    let out = Command::new(binary("classkit-server"))
        .args(["admin", "--database-url", database_url])
        .args(args)
        .output()
        .expect("admin");
    assert!(
        out.status.success(),
        "admin {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string()
}
