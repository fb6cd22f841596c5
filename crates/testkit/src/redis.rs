//! A throwaway Redis server (`redis-server` from the Debian package, no persistence).

use crate::{TestkitError, find_program, free_port, tail, wait_until};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running Redis server for one test (or the one named by `CLASSKIT_TEST_REDIS_URL`).
#[derive(Debug)]
pub struct Redis {
    url: String,
    // Dropping the handle stops the server.
    server: Option<Server>,
}

#[derive(Debug)]
struct Server {
    child: Child,
    program: std::path::PathBuf,
    port: u16,
    aof: bool,
    dir: tempfile::TempDir,
}

fn spawn(
    program: &std::path::Path,
    port: u16,
    aof: bool,
    dir: &std::path::Path,
) -> std::io::Result<Child> {
    let mut cmd = Command::new(program);
    cmd.args([
        "--port",
        &port.to_string(),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
    ]);
    if aof {
        cmd.args([
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--maxmemory-policy",
            "noeviction",
        ]);
    } else {
        cmd.args(["--appendonly", "no"]);
    }
    cmd.arg("--dir")
        .arg(dir)
        .arg("--logfile")
        .arg(dir.join("redis.log"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
}

/// True when a Redis server answers `PING` on the port.
fn answers_ping(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    if stream.write_all(b"*1\r\n$4\r\nPING\r\n").is_err() {
        return false;
    }
    let mut reply = [0u8; 7];
    stream.read_exact(&mut reply).is_ok() && &reply == b"+PONG\r\n"
}

impl Redis {
    /// Starts a fresh server, or uses `CLASSKIT_TEST_REDIS_URL` when it is set.
    pub fn start() -> Result<Self, TestkitError> {
        if let Ok(url) = std::env::var("CLASSKIT_TEST_REDIS_URL") {
            return Ok(Self { url, server: None });
        }
        Self::start_own(false)
    }

    /// Starts a server of its own with the settings production needs (append-only file with
    /// `everysec`, no eviction), which [`Redis::restart`] can stop and start again.
    pub fn start_durable() -> Result<Self, TestkitError> {
        Self::start_own(true)
    }

    /// Shuts the server down (as an admin would, saving its append-only file), waits
    /// `down_for`, and starts it again on the same port with the same data.
    pub fn restart(&mut self, down_for: Duration) -> Result<(), TestkitError> {
        let server = self.server.as_mut().ok_or_else(|| TestkitError::Failed {
            what: "restart".into(),
            detail: "a server given by CLASSKIT_TEST_REDIS_URL cannot be restarted".into(),
        })?;
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", server.port)) {
            let _ = stream.write_all(b"*1\r\n$8\r\nSHUTDOWN\r\n");
        }
        let _ = server.child.wait();
        std::thread::sleep(down_for);
        server.child = spawn(&server.program, server.port, server.aof, server.dir.path())?;
        if !wait_until(Duration::from_secs(20), || answers_ping(server.port)) {
            return Err(TestkitError::Timeout {
                what: "Redis",
                seconds: 20,
                log: tail(&server.dir.path().join("redis.log")),
            });
        }
        Ok(())
    }

    fn start_own(aof: bool) -> Result<Self, TestkitError> {
        let program = find_program(
            "redis-server",
            "redis-server",
            &["/usr/bin/redis-server".into()],
        )?;
        let dir = tempfile::Builder::new()
            .prefix("classkit-redis-")
            .tempdir()?;
        let log = dir.path().join("redis.log");
        let mut last_error = None;
        for _ in 0..5 {
            let port = free_port()?;
            let mut child = spawn(&program, port, aof, dir.path())?;
            if wait_until(Duration::from_secs(20), || answers_ping(port)) {
                return Ok(Self {
                    url: format!("redis://127.0.0.1:{port}/"),
                    server: Some(Server {
                        child,
                        program,
                        port,
                        aof,
                        dir,
                    }),
                });
            }
            let _ = child.kill();
            let _ = child.wait();
            last_error = Some(TestkitError::Timeout {
                what: "Redis",
                seconds: 20,
                log: tail(&log),
            });
        }
        Err(last_error.unwrap_or(TestkitError::Failed {
            what: "redis-server".into(),
            detail: tail(&log),
        }))
    }

    /// Connection URL, e.g. `redis://127.0.0.1:40123/`.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
