//! Packages as an LMS and a learner's browser receive them: what the zip holds, the SCORM
//! manifests checked against the official schemas with xmllint, and what is left out.

use classkit_export::{
    AssetFile, ExportInput, ExportOptions, Format, Narration, ScoLayout, XapiOptions, export,
};
use classkit_model::CourseTree;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use uuid::Uuid;

const TYPES: [&str; 11] = [
    "REVIEW",
    "QUIZ",
    "ROLEPLAY",
    "SHADOWING",
    "PRONUNCIATION",
    "FLASHCARDS",
    "CLOZE",
    "MATCHING",
    "HOTSPOT",
    "BRANCHING",
    "DICTATION",
];

fn sample(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../model/tests/samples")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).expect("sample")).expect("sample JSON")
}

fn id(n: u128) -> String {
    Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 | n).to_string()
}

fn component(n: u128, slide: &str, ty: &str, status: &str, payload: Value) -> Value {
    json!({"id": id(n), "slide_id": slide, "component_type": ty, "status": status,
           "payload": payload, "created_at": "2026-01-01T00:00:00Z",
           "updated_at": "2026-01-01T00:00:00Z", "version": 1})
}

fn slide(n: u128, lesson: &str, title: &str, components: Vec<Value>) -> Value {
    json!({"id": id(n), "lesson_id": lesson, "position": 0, "title": title,
           "body": "Some **text** <script>alert('x')</script>", "speaker_notes": "First sentence here. And a second one.",
           "layout": "bullets", "image": null, "narration": null,
           "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
           "version": 1, "components": components})
}

/// A course with every type ready (two lessons), a draft, and a component with problems;
/// the files the payloads name are written to `dir`.
fn course(dir: &Path) -> ExportInput {
    let (l1, l2) = (id(1), id(2));
    let (s1, s2, s3) = (id(11), id(12), id(13));
    let mut first = Vec::new();
    let mut second = Vec::new();
    for (i, ty) in TYPES.iter().enumerate() {
        let c = component(
            100 + i as u128,
            if i < 6 { &s1 } else { &s3 },
            ty,
            "ready",
            sample(&format!("{ty}.valid.json")),
        );
        if i < 6 { first.push(c) } else { second.push(c) }
    }
    let broken = component(200, &s2, "QUIZ", "ready", sample("QUIZ.broken.json"));
    let draft = component(201, &s2, "CLOZE", "draft", sample("CLOZE.valid.json"));
    let tree = json!({
        "id": id(0), "title": "Négociation & <Pricing> \"101\"", "description": "", "language": "en",
        "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "version": 1,
        "lessons": [
            {"id": l1, "course_id": id(0), "position": 0, "title": "Lesson one",
             "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "version": 1,
             "slides": [slide(11, &l1, "Slide one", first), slide(12, &l1, "Slide two", vec![broken, draft])]},
            {"id": l2, "course_id": id(0), "position": 1, "title": "",
             "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "version": 1,
             "slides": [slide(13, &l2, "Slide three", second)]}
        ]
    });
    let tree: CourseTree = serde_json::from_value(tree).expect("a course tree");
    let mut assets = HashMap::new();
    for c in tree
        .lessons
        .iter()
        .flat_map(|l| &l.slides)
        .flat_map(|s| &s.components)
    {
        for (pointer, asset) in classkit_model::asset_references(&c.payload) {
            let audio = pointer.contains("audio");
            let path = dir.join(&asset.0);
            if audio {
                tone(&path);
            } else {
                std::fs::write(&path, b"\x89PNG").expect("write");
            }
            assets.insert(
                asset.0,
                AssetFile {
                    path,
                    media_type: if audio { "audio/wav" } else { "image/png" }.into(),
                },
            );
        }
    }
    let narration = "a".repeat(64);
    let narration_path = dir.join("narration.wav");
    std::fs::write(&narration_path, b"not really audio").expect("write");
    assets.insert(
        narration.clone(),
        AssetFile {
            path: narration_path,
            media_type: "audio/wav".into(),
        },
    );
    let mut narrations = HashMap::new();
    narrations.insert(
        tree.lessons[0].slides[0].slide.id,
        Narration {
            sha256: narration,
            duration_ms: Some(4000),
        },
    );
    // A narration whose file the library lost.
    narrations.insert(
        tree.lessons[1].slides[0].slide.id,
        Narration {
            sha256: "b".repeat(64),
            duration_ms: Some(1000),
        },
    );
    ExportInput {
        tree,
        narrations,
        assets,
    }
}

/// A second of a 200 Hz tone between quiet stretches: audio the practice scorer can read.
fn tone(path: &Path) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut wav = hound::WavWriter::create(path, spec).expect("a WAV file");
    for i in 0..32_000u32 {
        let on = (8_000..24_000).contains(&i);
        let v = if on {
            (f32::sin(i as f32 * 200.0 * std::f32::consts::TAU / 16_000.0) * 8_000.0) as i16
        } else {
            0
        };
        wav.write_sample(v).expect("a sample");
    }
    wav.finalize().expect("written");
}

fn unzip(path: &Path) -> HashMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("zip")).expect("a zip");
    let mut out = HashMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        out.insert(f.name().expect("a UTF-8 name").to_string(), data);
    }
    out
}

fn schema_dir(format: Format) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scorm-xsd")
        .join(match format {
            Format::Scorm12 => "scorm12",
            _ => "scorm2004",
        })
}

/// Checks `manifest` with xmllint against the format's schemas; the error output otherwise.
fn xmllint(manifest: &str, format: Format, dir: &Path) -> Result<(), String> {
    let xsd = schema_dir(format);
    let imports: &[(&str, &str)] = match format {
        Format::Scorm12 => &[
            (
                "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
                "imscp_rootv1p1p2.xsd",
            ),
            (
                "http://www.adlnet.org/xsd/adlcp_rootv1p2",
                "adlcp_rootv1p2.xsd",
            ),
            (
                "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
                "imsmd_rootv1p2p1.xsd",
            ),
        ],
        _ => &[
            ("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
            ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
            ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
            ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
            ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"),
        ],
    };
    // xmllint ignores xsi:schemaLocation: one schema importing every namespace the
    // manifest uses stands in for it.
    let mut wrapper = String::from(
        "<?xml version=\"1.0\"?>\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:classkit:test\">\n",
    );
    for (ns, file) in imports {
        wrapper.push_str(&format!(
            "  <xs:import namespace=\"{ns}\" schemaLocation=\"{}\"/>\n",
            xsd.join(file).display()
        ));
    }
    wrapper.push_str("</xs:schema>\n");
    let wrapper_path = dir.join(format!("wrapper-{format}.xsd"));
    std::fs::write(&wrapper_path, wrapper).expect("write");
    let manifest_path = dir.join(format!("imsmanifest-{format}.xml"));
    std::fs::write(&manifest_path, manifest).expect("write");
    let output = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(&wrapper_path)
        .arg(&manifest_path)
        .output()
        .expect("xmllint runs (scripts/setup installs libxml2-utils)");
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[test]
fn the_repository_schemas_are_the_shared_ones() {
    // The schemas are kept in the repository (a clone has no ../shared); where the shared
    // test data is present, they must be its copies.
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata/scorm-xsd");
    if !shared.is_dir() {
        return;
    }
    for format in [Format::Scorm12, Format::Scorm2004] {
        let ours = schema_dir(format);
        let theirs = shared.join(ours.file_name().expect("name"));
        for entry in std::fs::read_dir(&theirs).expect("shared schemas") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                let name = path.file_name().expect("name");
                assert_eq!(
                    std::fs::read(&path).expect("read"),
                    std::fs::read(ours.join(name)).unwrap_or_default(),
                    "{} differs from the shared copy",
                    name.to_string_lossy()
                );
            }
        }
    }
}

#[test]
fn scorm_manifests_are_valid_in_both_layouts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = course(dir.path());
    for format in [Format::Scorm12, Format::Scorm2004] {
        for layout in [ScoLayout::Course, ScoLayout::PerLesson] {
            let out = dir.path().join(format!("{format}-{layout:?}.zip"));
            let mut options = ExportOptions::new(format);
            options.sco_layout = layout;
            options.mastery_score = 0.75;
            let report = export(&input, &options, &out).expect("export");
            let files = unzip(&out);
            let manifest = String::from_utf8(files["imsmanifest.xml"].clone()).expect("UTF-8");
            if let Err(e) = xmllint(&manifest, format, dir.path()) {
                panic!("{format} {layout:?} manifest is not valid:\n{e}\n{manifest}");
            }
            assert_eq!(
                report.scos,
                if layout == ScoLayout::Course { 1 } else { 2 },
                "{manifest}"
            );
            // Every file the manifest lists is in the package, and the schemas it names too.
            for href in manifest.split("<file href=\"").skip(1) {
                let href = &href[..href.find('"').expect("quote")];
                assert!(
                    files.contains_key(href),
                    "{href} is listed but not packaged"
                );
            }
            // Every schema the manifest names, and every one those include, is packaged.
            let locations = manifest
                .split("xsi:schemaLocation=\"")
                .nth(1)
                .expect("schemaLocation");
            let locations = &locations[..locations.find('"').expect("quote")];
            for xsd in locations.split_whitespace().skip(1).step_by(2) {
                assert!(files.contains_key(xsd), "{xsd} is named but not packaged");
            }
            for (name, text) in classkit_export::scorm::schema_files(format) {
                for included in text.split("schemaLocation").skip(1) {
                    let included = included
                        .trim_start_matches([' ', '='])
                        .trim_start_matches('"');
                    let included = &included[..included.find('"').expect("quote")];
                    // (An address is an example in a schema's documentation.)
                    if !included.starts_with("http") {
                        assert!(
                            files.contains_key(included),
                            "{name} includes {included}, not packaged"
                        );
                    }
                }
            }
            // The title's markup is escaped, and the mastery score is in the LMS's terms.
            assert!(
                manifest.contains("Négociation &amp; &lt;Pricing&gt; \"101\"")
                    || manifest.contains("Négociation &amp; &lt;Pricing&gt; &quot;101&quot;"),
                "{manifest}"
            );
            match format {
                Format::Scorm12 => {
                    assert!(manifest.contains("<adlcp:masteryscore>75</adlcp:masteryscore>"))
                }
                _ => assert!(
                    manifest
                        .contains("<imsss:minNormalizedMeasure>0.75</imsss:minNormalizedMeasure>")
                ),
            }
            if layout == ScoLayout::PerLesson {
                assert!(manifest.contains("parameters=\"?lesson=1\""));
                assert!(manifest.contains("parameters=\"?lesson=2\""));
                assert!(
                    manifest.contains("<title>Lesson 2</title>"),
                    "an untitled lesson gets a name: {manifest}"
                );
            }
        }
    }
}

#[test]
fn a_broken_manifest_fails_the_schema_check() {
    // The check above can fail: a manifest missing its resources is refused.
    let dir = tempfile::tempdir().expect("temp dir");
    let input = course(dir.path());
    let out = dir.path().join("p.zip");
    export(&input, &ExportOptions::new(Format::Scorm2004), &out).expect("export");
    let manifest = String::from_utf8(unzip(&out)["imsmanifest.xml"].clone()).expect("UTF-8");
    let broken = manifest
        .replace("<resources>", "<resourcez>")
        .replace("</resources>", "</resourcez>");
    assert!(xmllint(&broken, Format::Scorm2004, dir.path()).is_err());
    let broken = manifest.replace("adlcp:scormType", "adlcp:scormtype");
    assert!(xmllint(&broken, Format::Scorm2004, dir.path()).is_err());
}

#[test]
fn the_web_player_package_holds_the_course_and_says_what_was_left_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = course(dir.path());
    let out = dir.path().join("web.zip");
    let mut options = ExportOptions::new(Format::Web);
    options.xapi = Some(XapiOptions {
        endpoint: "https://lrs.example.org/xapi/".into(),
        auth: "Basic abc".into(),
    });
    let report = export(&input, &options, &out).expect("export");
    let files = unzip(&out);
    assert!(files.contains_key("index.html"));
    assert!(!files.contains_key("imsmanifest.xml"));
    let script = String::from_utf8(files["course.js"].clone()).expect("UTF-8");
    let json = script
        .trim()
        .strip_prefix("window.CLASSKIT_COURSE = ")
        .and_then(|s| s.strip_suffix(';'))
        .expect("a script");
    let course: Value = serde_json::from_str(json).expect("course JSON");
    let types: Vec<&str> = course["lessons"]
        .as_array()
        .expect("lessons")
        .iter()
        .flat_map(|l| l["slides"].as_array().expect("slides"))
        .flat_map(|s| s["components"].as_array().expect("components"))
        .map(|c| c["component_type"].as_str().expect("type"))
        .collect();
    assert_eq!(types.len(), 11, "{types:?}");
    for ty in TYPES {
        assert!(types.contains(&ty), "{ty} missing");
    }
    // Every file a component names is in the package under the path the course gives it.
    for (sha, path) in course["media"].as_object().expect("media") {
        assert!(files.contains_key(path.as_str().expect("path")), "{sha}");
    }
    assert_eq!(report.left_out.len(), 2, "{:?}", report.left_out);
    assert!(report.left_out.iter().any(|l| l.reason.contains("draft")));
    assert!(report.left_out.iter().any(|l| l.reason.contains("problem")));
    assert_eq!(
        report.notes.len(),
        1,
        "the lost narration is noted: {:?}",
        report.notes
    );
    // The slide text's markup is the author's text, not markup.
    let body = course["lessons"][0]["slides"][0]["body_html"]
        .as_str()
        .expect("body");
    assert!(
        body.contains("&lt;script&gt;") && !body.contains("<script"),
        "{body}"
    );
    assert!(script.contains("lrs.example.org"));
    // The shadowing reference's features for scoring takes, and the scorer beside the player.
    let shadowing_audio = "33f7e1cc4cc25aabc43ef54853caed5958d5aee350a87d662c0bf079363732b1";
    assert!(
        course["practice"][shadowing_audio]["energy_db"].is_array(),
        "{}",
        course["practice"]
    );
    assert!(files.contains_key("practice.js"));
    // Captions for the narration: a cue per sentence, in the package as WebVTT.
    let vtt = String::from_utf8(files[&format!("captions/{}.vtt", id(11))].clone()).expect("VTT");
    assert!(vtt.starts_with("WEBVTT"));
    assert_eq!(vtt.matches(" --> ").count(), 2, "{vtt}");

    // Drafts come too when asked; a component with problems never does.
    options.include_drafts = true;
    let report = export(&input, &options, &out).expect("export");
    assert_eq!(report.left_out.len(), 1, "{:?}", report.left_out);
    assert_eq!(report.components, 12);
}

#[test]
fn bad_options_and_places_are_refused_and_nothing_is_left_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = course(dir.path());
    let mut options = ExportOptions::new(Format::Web);
    options.mastery_score = 1.5;
    let e = export(&input, &options, &dir.path().join("a.zip")).expect_err("refused");
    assert!(e.to_string().contains("mastery score"), "{e}");
    options.mastery_score = 0.8;
    options.xapi = Some(XapiOptions {
        endpoint: "javascript:alert(1)".into(),
        auth: String::new(),
    });
    let e = export(&input, &options, &dir.path().join("a.zip")).expect_err("refused");
    assert!(e.to_string().contains("xAPI endpoint"), "{e}");
    options.xapi = None;
    // A folder is not a file to write.
    let e = export(&input, &options, dir.path()).expect_err("refused");
    assert!(e.to_string().contains("folder"), "{e}");
    // A place that does not exist.
    let e = export(&input, &options, &dir.path().join("no/such/dir/a.zip")).expect_err("refused");
    assert!(e.to_string().contains("no/such/dir"), "{e}");
    // An existing file is replaced only by a whole package.
    let out = dir.path().join("keep.zip");
    std::fs::write(&out, b"the earlier export").expect("write");
    let mut broken = input.clone();
    let missing = broken.assets.values_mut().next().expect("an asset");
    missing.path = dir.path().join("gone");
    assert!(export(&broken, &options, &out).is_err());
    assert_eq!(std::fs::read(&out).expect("read"), b"the earlier export");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_course_without_slides_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut input = course(dir.path());
    input.tree.lessons.iter_mut().for_each(|l| l.slides.clear());
    let e = export(
        &input,
        &ExportOptions::new(Format::Scorm12),
        &dir.path().join("a.zip"),
    )
    .expect_err("refused");
    assert!(e.to_string().contains("no slides"), "{e}");
}
