//! Faults from outside, against the `classkit` binary: a disk that fills during assembly,
//! files that are not files, crafted bundles, mistyped and newer libraries, NUL characters
//! in every way text comes in, and output that a hostile name could forge. Every command
//! runs under a deadline: a hang is a failure, not a stuck test.

use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example(name: &str) -> String {
    repo()
        .join("examples")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// What a run of `classkit` left.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "no JSON on stdout ({e}): {}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }

    /// The `{code, message, details}` line on stderr (a worker still stopping may log a
    /// warning line beside it).
    fn error(&self) -> Value {
        assert_ne!(self.code, 0, "should have failed: {}", self.stdout);
        self.stderr
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find(|v| v.get("code").is_some())
            .unwrap_or_else(|| panic!("no JSON error: {}", self.stderr))
    }
}

/// Runs `classkit --library LIB ARGS`, killed (and the test failed) after `limit`.
fn classkit_within(library: &Path, args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_classkit"))
        .arg("--library")
        .arg(library)
        .args(args)
        .env_remove("CLASSKIT_LIBRARY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start classkit");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("classkit {args:?} did not end within {} s", limit.as_secs());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: reader.join().expect("stdout"),
        stderr: err_reader.join().expect("stderr"),
    }
}

fn classkit(library: &Path, args: &[&str]) -> Run {
    classkit_within(library, args, Duration::from_secs(120))
}

fn json_ok(library: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let run = classkit(library, &all);
    assert_eq!(run.code, 0, "classkit {args:?} failed: {}", run.stderr);
    run.json()
}

fn json_err(library: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let run = classkit(library, &all);
    assert_eq!(run.code, 2, "classkit {args:?}: {}", run.stderr);
    run.error()
}

/// Imports the Korean example into `lib`: `(course id, first slide id)`.
fn imported_example(lib: &Path) -> (String, String) {
    let imported = json_ok(lib, &["import", &example("korean-orientation.md")]);
    let course = imported["course_id"].as_str().expect("id").to_string();
    let slide = json_ok(lib, &["show", &course])["lessons"][0]["slides"][0]["id"]
        .as_str()
        .expect("slide")
        .to_string();
    (course, slide)
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

// ---- 1. A disk that fills during assembly --------------------------------------------------

#[test]
fn a_full_disk_ends_assembly_with_a_clear_error_and_a_later_run_finishes_every_job_once() {
    const NAME: &str =
        "a_full_disk_ends_assembly_with_a_clear_error_and_a_later_run_finishes_every_job_once";
    if let Some(passed) = classkit_testkit::SmallDisk::reexec(NAME) {
        assert!(
            passed.expect("run again in a mount namespace"),
            "the run in a namespace failed"
        );
        return;
    }
    let disk = classkit_testkit::SmallDisk::mount(64 * 1024 * 1024).expect("mount a tmpfs");
    let lib = disk.path().join("library");
    let imported = json_ok(&lib, &["import", &example("negotiating-by-phone.md")]);
    let course = imported["course_id"].as_str().expect("id").to_string();
    // Room for a few outputs, not for all: the disk fills during the assembly.
    let used = disk.used().expect("df");
    disk.resize(used + 4 * 1024 * 1024).expect("shrink");
    let assemble = [
        "--json",
        "assemble",
        course.as_str(),
        "--speech-engine",
        "espeak",
        "--concurrency",
        "2",
    ];
    let full = classkit_within(&lib, &assemble, Duration::from_secs(300));
    assert_eq!(full.code, 2, "a full disk is an error: {}", full.stdout);
    let err = full.error();
    assert_eq!(err["code"], "disk_full", "{err}");
    let message = err["message"].as_str().expect("message");
    assert!(message.contains("full"), "{message}");
    assert!(message.contains("free some space"), "{message}");

    // Space is freed: the next run finishes the work, each job done once.
    disk.resize(256 * 1024 * 1024).expect("grow");
    let listed = json_ok(&lib, &["jobs", "list", "--limit", "100000"]);
    assert!(
        listed["counts"]["succeeded"].as_u64().expect("count") > 0,
        "the disk filled while jobs ran, not before: {}",
        listed["counts"]
    );
    let done = classkit_within(&lib, &assemble, Duration::from_secs(300));
    assert_eq!(done.code, 0, "after freeing space: {}", done.stderr);
    let report = done.json();
    assert_eq!(report["failed"], json!([]), "{report}");
    let listed = json_ok(&lib, &["jobs", "list", "--limit", "100000"]);
    let counts = &listed["counts"];
    for state in ["queued", "running", "retry_wait"] {
        assert_eq!(counts[state], 0, "nothing left {state}: {counts}");
    }
    let mut succeeded: HashMap<String, usize> = HashMap::new();
    for job in listed["jobs"].as_array().expect("jobs") {
        if job["state"] == "succeeded" {
            let key = format!("{}:{}:{}", job["kind"], job["target"], job["dedup_key"]);
            *succeeded.entry(key).or_default() += 1;
        }
    }
    assert!(!succeeded.is_empty());
    for (key, n) in &succeeded {
        assert_eq!(*n, 1, "{key} succeeded {n} times");
    }
    let again = json_ok(&lib, &["assemble", &course, "--speech-engine", "espeak"]);
    assert_eq!(again["jobs"], 0, "everything is up to date: {again}");
    let check = Command::new("sqlite3")
        .arg(lib.join("library.sqlite"))
        .arg("PRAGMA integrity_check")
        .output()
        .expect("sqlite3");
    assert_eq!(String::from_utf8_lossy(&check.stdout).trim(), "ok");
}

// ---- 2. Files that are not files ------------------------------------------------------------

#[test]
fn fifos_devices_and_folders_are_refused_at_once_wherever_a_file_is_read() {
    let dir = tempfile::tempdir().expect("dir");
    let lib = dir.path().join("lib");
    let (course, slide) = imported_example(&lib);
    let fifo = dir.path().join("lecture.md");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    let fifo = fifo.to_string_lossy().into_owned();
    let folder = dir.path().to_string_lossy().into_owned();
    for path in [fifo.as_str(), "/dev/zero", folder.as_str()] {
        let commands: Vec<Vec<&str>> = vec![
            vec!["import", path],
            vec!["bundle", "import", path],
            vec!["validate", "--type", "QUIZ", path],
            vec![
                "component",
                "add",
                "--slide",
                &slide,
                "--type",
                "QUIZ",
                "--payload",
                path,
            ],
            vec!["assemble", &course, "--engines", path],
            vec!["cost", "simulate", "--profile", path],
            vec!["cost", "simulate", "--course", &course, "--engines", path],
        ];
        for args in commands {
            let mut all = vec!["--json"];
            all.extend_from_slice(&args);
            let run = classkit_within(&lib, &all, Duration::from_secs(20));
            assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
            let err = run.error();
            let message = err["message"].as_str().unwrap_or_default();
            assert!(
                err["code"] == "not_a_file"
                    || message.contains("not a file")
                    || message.contains("not a regular file"),
                "{args:?}: {err}"
            );
        }
    }
    // Nothing was added by any of them.
    let courses = json_ok(&lib, &["courses"]);
    assert_eq!(courses.as_array().expect("list").len(), 1);
}

// ---- 3. and 4. Bundles ----------------------------------------------------------------------

/// The entries of a zip file, by name.
fn read_zip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("read");
            (entry.name().expect("entry name").to_string(), bytes)
        })
        .collect()
}

fn write_zip(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).expect("create"));
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .expect("entry");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish");
}

/// A bundle made from `bundle` with its `course.json` changed by `edit`, and more entries.
fn crafted(
    bundle: &Path,
    out: &Path,
    edit: impl Fn(&mut Value),
    extra: Vec<(String, Vec<u8>)>,
) -> String {
    let mut entries = read_zip(bundle);
    for (name, bytes) in &mut entries {
        if name == "course.json" {
            let mut manifest: Value = serde_json::from_slice(bytes).expect("manifest");
            edit(&mut manifest);
            *bytes = serde_json::to_vec(&manifest).expect("encode");
        }
    }
    entries.extend(extra);
    write_zip(out, &entries);
    out.to_string_lossy().into_owned()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// An assembled course exported as a bundle: `(library, course id, bundle path)`.
fn assembled_bundle(dir: &Path) -> (PathBuf, String, PathBuf) {
    let lib = dir.join("source");
    let imported = json_ok(&lib, &["import", &example("korean-orientation.md")]);
    let course = imported["course_id"].as_str().expect("id").to_string();
    let report = json_ok(&lib, &["assemble", &course, "--speech-engine", "espeak"]);
    assert_eq!(report["failed"], json!([]), "{report}");
    let bundle = dir.join("course.classkit");
    json_ok(
        &lib,
        &["bundle", "export", &course, "-o", &bundle.to_string_lossy()],
    );
    (lib, course, bundle)
}

#[test]
fn a_bundle_round_trip_carries_what_generation_made_so_nothing_is_made_again() {
    let dir = tempfile::tempdir().expect("dir");
    let (source, course, bundle) = assembled_bundle(dir.path());
    let bundle = bundle.to_string_lossy().into_owned();
    let target = dir.path().join("target");
    let imported = json_ok(&target, &["bundle", "import", &bundle]);
    assert!(
        imported["outputs"].as_u64().expect("outputs") > 0,
        "{imported}"
    );
    assert_eq!(imported["changes"], json!([]));
    let again = json_ok(&target, &["assemble", &course, "--speech-engine", "espeak"]);
    assert_eq!(
        again["jobs"], 0,
        "an imported course is up to date: {again}"
    );
    // The same narration, byte for byte (by hash), and the same pages.
    let narration = |lib: &Path| -> Vec<Value> {
        let tree = json_ok(lib, &["show", &course]);
        tree["lessons"]
            .as_array()
            .expect("lessons")
            .iter()
            .flat_map(|l| l["slides"].as_array().expect("slides").clone())
            .map(|s| s["narration"].clone())
            .collect()
    };
    let before = narration(&source);
    assert!(before.iter().any(Value::is_string), "narrated: {before:?}");
    assert_eq!(narration(&target), before);
    assert_eq!(
        json_ok(&target, &["show", &course]),
        json_ok(&source, &["show", &course])
    );

    // A copy in the same library is up to date too: its records follow the new ids.
    let copy = json_ok(&target, &["bundle", "import", &bundle, "--as-copy"]);
    let copy_id = copy["course_id"].as_str().expect("id");
    let again = json_ok(&target, &["assemble", copy_id, "--speech-engine", "espeak"]);
    assert_eq!(again["jobs"], 0, "a copy is up to date: {again}");
}

#[test]
fn bundle_import_reads_only_what_the_course_uses_and_a_refusal_leaves_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let (_, _, bundle) = assembled_bundle(dir.path());
    let manifest: Value = serde_json::from_slice(
        &read_zip(&bundle)
            .into_iter()
            .find(|(n, _)| n == "course.json")
            .expect("course.json")
            .1,
    )
    .expect("manifest");
    let used = manifest["assets"].as_array().expect("assets").len();

    // 40 files that nothing uses: listed and carried, never read or stored.
    let mut extra = Vec::new();
    let mut listed = Vec::new();
    for i in 0..40u32 {
        let bytes = format!("unused file {i}").repeat(1000).into_bytes();
        let hash = sha256_hex(&bytes);
        listed.push(json!({"sha256": hash, "media_type": "image/png", "size": bytes.len()}));
        extra.push((format!("assets/{hash}"), bytes));
    }
    let padded = crafted(
        &bundle,
        &dir.path().join("padded.classkit"),
        |m| {
            m["assets"]
                .as_array_mut()
                .expect("assets")
                .extend(listed.clone())
        },
        extra,
    );
    let lib = dir.path().join("lib");
    let imported = json_ok(&lib, &["bundle", "import", &padded]);
    assert_eq!(imported["unused_files"], 40);
    assert_eq!(imported["assets"].as_u64(), Some(used as u64));
    let stored = files_under(&lib.join("assets"));
    assert_eq!(stored.len(), used, "only the course's files: {stored:?}");

    // A bundle whose last used file is damaged is refused, and leaves nothing behind:
    // not in a new library, not in this one.
    let mut entries = read_zip(&bundle);
    let last = entries
        .iter_mut()
        .rev()
        .find(|(n, _)| n.starts_with("assets/"))
        .expect("an asset");
    last.1[10] ^= 0xFF;
    let damaged = dir.path().join("damaged.classkit");
    write_zip(&damaged, &entries);
    let damaged = damaged.to_string_lossy().into_owned();
    let fresh = dir.path().join("fresh");
    let err = json_err(&fresh, &["bundle", "import", &damaged]);
    assert_eq!(err["code"], "bundle_invalid");
    assert!(
        err["message"]
            .as_str()
            .expect("message")
            .contains("damaged")
    );
    assert!(
        !fresh.exists(),
        "a refused import into a new folder leaves no library"
    );
    let other = dir.path().join("other");
    let imported = json_ok(&other, &["import", &example("photosynthesis.md")]);
    assert!(imported["course_id"].is_string());
    let before = files_under(&other);
    json_err(&other, &["bundle", "import", &damaged]);
    let after = files_under(&other);
    let new: Vec<_> = after
        .iter()
        .filter(|p| !before.contains(p) && !p.to_string_lossy().contains(".sqlite-"))
        .collect();
    assert!(new.is_empty(), "left behind: {new:?}");
    assert_eq!(
        json_ok(&other, &["courses"])
            .as_array()
            .expect("list")
            .len(),
        1
    );

    // Sizes the manifest lists are not trusted: what is streamed is what counts (sizes the
    // zip's own records claim past the limit are refused early: the app's bundle tests).
    let huge = crafted(
        &bundle,
        &dir.path().join("claims.classkit"),
        |m| {
            for a in m["assets"].as_array_mut().expect("assets") {
                a["size"] = json!(u64::MAX);
            }
        },
        Vec::new(),
    );
    let copy = json_ok(&dir.path().join("third"), &["bundle", "import", &huge]);
    assert_eq!(
        copy["assets"].as_u64(),
        Some(used as u64),
        "listed sizes are not trusted"
    );
}

#[test]
fn crafted_bundles_get_clear_errors() {
    let dir = tempfile::tempdir().expect("dir");
    let source = dir.path().join("source");
    let (course, slide) = imported_example(&source);
    // A ready QUIZ that breaks today's rules once its options are gone.
    let quiz = repo().join("crates/model/tests/samples/QUIZ.valid.json");
    let added = json_ok(
        &source,
        &[
            "component",
            "add",
            "--slide",
            &slide,
            "--type",
            "QUIZ",
            "--payload",
            &quiz.to_string_lossy(),
        ],
    );
    let quiz_id = added["component"]["id"].as_str().expect("id").to_string();
    json_ok(&source, &["component", "ready", &quiz_id]);
    let bundle = dir.path().join("course.classkit");
    json_ok(
        &source,
        &["bundle", "export", &course, "-o", &bundle.to_string_lossy()],
    );
    let lib = dir.path().join("lib");
    let import = |name: &str, edit: &dyn Fn(&mut Value)| -> Run {
        let path = crafted(&bundle, &dir.path().join(name), edit, Vec::new());
        classkit(&lib, &["--json", "bundle", "import", &path])
    };

    // A ready component that breaks today's rules comes in as a draft, and says so.
    let run = import("rules.classkit", &|m| {
        for l in m["course"]["lessons"].as_array_mut().expect("lessons") {
            for s in l["slides"].as_array_mut().expect("slides") {
                for c in s["components"].as_array_mut().expect("components") {
                    c["payload"]["questions"][0]["options"] = json!([]);
                }
            }
        }
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    let change = &report["changes"][0];
    assert_eq!(change["change"], "made_draft", "{report}");
    assert_eq!(change["component_id"], quiz_id.as_str());
    assert!(!change["issues"].as_array().expect("issues").is_empty());
    json_ok(&lib, &["delete", &course]);

    // The same id twice inside one bundle.
    let run = import("twice.classkit", &|m| {
        let lessons = m["course"]["lessons"].as_array_mut().expect("lessons");
        let first = lessons[0]["slides"][0]["id"].clone();
        if let Some(s) = lessons[0]["slides"].get_mut(1) {
            s["id"] = first;
        } else {
            lessons[0]["id"] = first;
        }
    });
    let message = run.error()["message"]
        .as_str()
        .expect("message")
        .to_string();
    assert!(message.contains("gives the id"), "{message}");
    assert!(!message.contains("another course"), "{message}");

    // A course title of 100,000 characters, and NUL characters anywhere in the text.
    let run = import("long.classkit", &|m| {
        m["course"]["title"] = json!("T".repeat(100_000))
    });
    let err = run.error();
    assert_eq!(err["code"], "validation_failed", "{err}");
    assert_eq!(err["details"]["issues"][0]["pointer"], "/title");
    let run = import("nul.classkit", &|m| {
        m["course"]["lessons"][0]["slides"][0]["speaker_notes"] = json!("Hello\u{0} world");
    });
    let err = run.error();
    assert_eq!(err["code"], "validation_failed", "{err}");
    assert_eq!(err["details"]["issues"][0]["pointer"], "/speaker_notes");
    let run = import("nul-payload.classkit", &|m| {
        m["course"]["lessons"][0]["slides"][0]["components"][0]["payload"]["questions"][0]["prompt"] =
            json!("Which\u{0}?");
    });
    assert_eq!(run.error()["code"], "validation_failed");

    // Files of a kind a course does not hold, and records of slides it does not have.
    let page = b"<script>alert(1)</script>".to_vec();
    let hash = sha256_hex(&page);
    let html = crafted(
        &bundle,
        &dir.path().join("html.classkit"),
        |m| {
            m["course"]["lessons"][0]["slides"][0]["image"] = json!(hash);
            m["assets"] = json!([{"sha256": hash, "media_type": "text/html", "size": page.len()}]);
        },
        vec![(format!("assets/{hash}"), page.clone())],
    );
    let run = classkit(&lib, &["--json", "bundle", "import", &html]);
    let message = run.error()["message"]
        .as_str()
        .expect("message")
        .to_string();
    assert!(message.contains("text/html"), "{message}");
    let run = import("record.classkit", &|m| {
        m["drafted"] = json!([{
            "slide_id": "01900000-0000-7000-8000-000000000000",
            "component_type": "QUIZ", "component_id": null, "version": 0,
            "input_key": "k", "engine": "extractive"
        }]);
    });
    let message = run.error()["message"]
        .as_str()
        .expect("message")
        .to_string();
    assert!(message.contains("does not have"), "{message}");
    assert_eq!(
        json_ok(&lib, &["courses"]),
        json!([]),
        "nothing stored by any refusal"
    );

    // A zip cut short names no internal type.
    let bytes = std::fs::read(&bundle).expect("read");
    let cut = dir.path().join("cut.classkit");
    std::fs::write(&cut, &bytes[..bytes.len() - 30]).expect("write");
    let err = json_err(&lib, &["bundle", "import", &cut.to_string_lossy()]);
    let message = err["message"].as_str().expect("message");
    assert!(message.contains("cut short"), "{message}");
    assert!(
        !message.contains("Zip32") && !message.contains("CDE"),
        "{message}"
    );
}

// ---- 5. Mistyped and newer libraries --------------------------------------------------------

#[test]
fn read_commands_never_create_a_library_and_newer_ones_are_refused_clearly() {
    let dir = tempfile::tempdir().expect("dir");
    let typo = dir.path().join("typo");
    for args in [
        vec!["jobs", "list"],
        vec!["jobs", "show", "01900000-0000-7000-8000-000000000000"],
        vec!["jobs", "check", "--timeout-secs", "1"],
        vec!["courses"],
    ] {
        let err = json_err(&typo, &args);
        assert_eq!(err["code"], "library_not_found", "{args:?}: {err}");
        assert!(!typo.exists(), "{args:?} created {typo:?}");
    }
    // A refused import into a missing folder leaves no library behind.
    let empty = dir.path().join("empty.md");
    std::fs::write(&empty, "   \n").expect("write");
    let err = json_err(&typo, &["import", &empty.to_string_lossy()]);
    assert_eq!(err["code"], "import_empty");
    assert!(!typo.exists(), "a refused import created {typo:?}");
    // Into a folder that holds other things: those stay, the library's files go.
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("folder");
    std::fs::write(docs.join("notes.txt"), "mine").expect("write");
    let err = json_err(&docs, &["import", &empty.to_string_lossy()]);
    assert_eq!(err["code"], "import_empty");
    let left: Vec<_> = std::fs::read_dir(&docs)
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["notes.txt"]);

    // A path that is a file.
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").expect("write");
    let run = classkit(&file, &["jobs", "list"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is a file"), "{}", run.stderr);

    // A library, then a queue, that a newer version migrated.
    let lib = dir.path().join("lib");
    json_ok(&lib, &["import", &example("korean-orientation.md")]);
    json_ok(&lib, &["jobs", "list"]);
    let newer = |db: &str| {
        let ok = Command::new("sqlite3")
            .arg(lib.join(db))
            .arg(
                "INSERT INTO _sqlx_migrations (version, description, installed_on, success, \
                 checksum, execution_time) VALUES (99990101000000, 'future', \
                 CURRENT_TIMESTAMP, 1, x'00', 0)",
            )
            .status()
            .expect("sqlite3")
            .success();
        assert!(ok);
    };
    newer("jobs.sqlite");
    let err = json_err(&lib, &["jobs", "list"]);
    assert_eq!(err["code"], "library_too_new", "{err}");
    let message = err["message"].as_str().expect("message");
    assert!(message.contains("newer ClassKit Studio"), "{message}");
    assert!(!message.contains("resolved migrations"), "{message}");
    newer("library.sqlite");
    for args in [vec!["jobs", "list"], vec!["courses"]] {
        assert_eq!(json_err(&lib, &args)["code"], "library_too_new", "{args:?}");
    }
}

// ---- 6. and 7. NUL characters, long titles and forged output lines -------------------------

#[test]
fn nul_characters_are_refused_wherever_text_comes_in() {
    let dir = tempfile::tempdir().expect("dir");
    let lib = dir.path().join("lib");
    // Past the first 8 KB that the binary check samples.
    let mut text = String::from("# A lecture\n\n");
    while text.len() < 9000 {
        text.push_str("A sentence of the lecture, long enough to fill the sample.\n");
    }
    text.push_str("The end\u{0} of it.\n");
    let late = dir.path().join("late-nul.md");
    std::fs::write(&late, &text).expect("write");
    let err = json_err(&lib, &["import", &late.to_string_lossy()]);
    assert_eq!(err["code"], "import_nul_character", "{err}");
    assert!(err["details"]["line"].as_u64().expect("line") > 100);
    // In UTF-16 (with a byte-order mark).
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "# Title\n\nText\u{0}more".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    let wide = dir.path().join("utf16.md");
    std::fs::write(&wide, utf16).expect("write");
    let err = json_err(&lib, &["import", &wide.to_string_lossy()]);
    assert_eq!(err["code"], "import_nul_character", "{err}");
    assert!(!lib.exists(), "refused imports created no library");

    // In a payload, at its pointer; in a title given on the command line (too long).
    let (_, slide) = imported_example(&lib);
    let mut payload: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("crates/model/tests/samples/QUIZ.valid.json"))
            .expect("sample"),
    )
    .expect("JSON");
    payload["questions"][0]["prompt"] = json!("What\u{0}?");
    let file = dir.path().join("quiz.json");
    std::fs::write(&file, payload.to_string()).expect("write");
    let file = file.to_string_lossy().into_owned();
    for args in [
        vec![
            "component",
            "add",
            "--slide",
            &slide,
            "--type",
            "QUIZ",
            "--payload",
            &file,
        ],
        vec!["validate", "--type", "QUIZ", &file],
    ] {
        let mut all = vec!["--json"];
        all.extend_from_slice(&args);
        let run = classkit(&lib, &all);
        assert_ne!(run.code, 0, "{args:?}");
        let text = format!("{}{}", run.stdout, run.stderr);
        assert!(text.contains("/questions/0/prompt"), "{args:?}: {text}");
        assert!(text.contains("NUL"), "{args:?}: {text}");
    }
    let long_title = "T".repeat(100_000);
    let err = json_err(
        &lib,
        &[
            "import",
            &example("photosynthesis.md"),
            "--title",
            &long_title,
        ],
    );
    assert_eq!(err["code"], "validation_failed", "{err}");
    assert_eq!(
        json_ok(&lib, &["courses"]).as_array().expect("list").len(),
        1
    );
}

#[test]
fn a_file_name_cannot_forge_a_line_of_output() {
    let dir = tempfile::tempdir().expect("dir");
    let lib = dir.path().join("lib");
    let name = dir.path().join("x\nerror: everything is fine\u{202e}.md");
    let run = classkit(&lib, &["import", &name.to_string_lossy()]);
    assert_eq!(run.code, 2);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one error line: {lines:?}");
    assert!(lines[0].starts_with("error: "));
    assert!(
        lines[0].contains("\\n") && lines[0].contains("\\u{202e}"),
        "{lines:?}"
    );
}

#[test]
fn an_error_says_its_cause_once() {
    let dir = tempfile::tempdir().expect("dir");
    let lib = dir.path().join("lib");
    json_ok(&lib, &["import", &example("korean-orientation.md")]);
    let missing = dir.path().join("missing.md");
    let run = classkit(&lib, &["import", &missing.to_string_lossy()]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.matches("No such file or directory").count(),
        1,
        "{}",
        run.stderr
    );
}
