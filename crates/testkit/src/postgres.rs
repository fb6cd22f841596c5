//! A throwaway PostgreSQL cluster (initdb + pg_ctl from the Debian packages).

use crate::{TestkitError, find_program, free_port, tail, wait_until};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A running PostgreSQL server for one test (or the one named by `CLASSKIT_TEST_DATABASE_URL`).
#[derive(Debug)]
pub struct Postgres {
    url: String,
    // Held so that dropping the handle stops the server.
    _cluster: Option<Cluster>,
}

#[derive(Debug)]
struct Cluster {
    pg_ctl: PathBuf,
    data: PathBuf,
    run_as: Option<&'static str>,
    _dir: tempfile::TempDir,
}

/// The newest PostgreSQL installed by Debian's packages, e.g. `/usr/lib/postgresql/17/bin`.
fn debian_bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            Some((v, e.path().join("bin")))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, p)| p)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Runs a PostgreSQL tool, as the `postgres` user when we are root (PostgreSQL refuses root).
fn run(
    program: &Path,
    args: &[&str],
    run_as: Option<&str>,
    what: &str,
) -> Result<(), TestkitError> {
    let output = match run_as {
        Some(user) => Command::new("runuser")
            .args(["-u", user, "--"])
            .arg(program)
            .args(args)
            .output()?,
        None => Command::new(program).args(args).output()?,
    };
    if output.status.success() {
        Ok(())
    } else {
        Err(TestkitError::Failed {
            what: what.to_string(),
            detail: format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        })
    }
}

impl Postgres {
    /// Starts a fresh server, or uses `CLASSKIT_TEST_DATABASE_URL` when it is set.
    pub fn start() -> Result<Self, TestkitError> {
        if let Ok(url) = std::env::var("CLASSKIT_TEST_DATABASE_URL") {
            return Ok(Self {
                url,
                _cluster: None,
            });
        }
        let bin = debian_bin_dir();
        let candidates = |name: &str| bin.iter().map(|b| b.join(name)).collect::<Vec<_>>();
        let initdb = find_program("initdb", "postgresql", &candidates("initdb"))?;
        let pg_ctl = find_program("pg_ctl", "postgresql", &candidates("pg_ctl"))?;
        let run_as = is_root().then_some("postgres");

        let dir = tempfile::Builder::new().prefix("classkit-pg-").tempdir()?;
        let data = dir.path().join("data");
        let socket = dir.path().join("socket");
        std::fs::create_dir_all(&socket)?;
        if let Some(user) = run_as {
            run(
                Path::new("chown"),
                &["-R", user, &dir.path().to_string_lossy()],
                None,
                "chown of the test cluster folder",
            )?;
        }
        run(
            &initdb,
            &[
                "-D",
                &data.to_string_lossy(),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--locale=C",
            ],
            run_as,
            "initdb",
        )?;
        let log = dir.path().join("postgres.log");
        let cluster = Cluster {
            pg_ctl: pg_ctl.clone(),
            data: data.clone(),
            run_as,
            _dir: dir,
        };
        // A port can be taken between choosing and binding it: try a few.
        let mut last_error = None;
        for _ in 0..5 {
            let port = free_port()?;
            let options = format!(
                "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                socket.display()
            );
            let started = run(
                &pg_ctl,
                &[
                    "-D",
                    &data.to_string_lossy(),
                    "-l",
                    &log.to_string_lossy(),
                    "-o",
                    &options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ],
                run_as,
                "pg_ctl start",
            );
            match started {
                Ok(()) => {
                    let ready = wait_until(Duration::from_secs(30), || {
                        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
                    });
                    if !ready {
                        return Err(TestkitError::Timeout {
                            what: "PostgreSQL",
                            seconds: 30,
                            log: tail(&log),
                        });
                    }
                    return Ok(Self {
                        url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
                        _cluster: Some(cluster),
                    });
                }
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.unwrap_or(TestkitError::Failed {
            what: "pg_ctl start".into(),
            detail: tail(&log),
        }))
    }

    /// Connection URL of the server's `postgres` database.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Immediate: the data is thrown away with the folder.
        let _ = run(
            &self.pg_ctl,
            &[
                "-D",
                &self.data.to_string_lossy(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
            self.run_as,
            "pg_ctl stop",
        );
    }
}
