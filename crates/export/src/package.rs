//! Writing a package: the zip with the player, the course, its files and (for SCORM) the
//! manifest and schemas. The zip is written beside its destination and moved there only once
//! complete, so a failed export never leaves half a file where a good one was.

use crate::course::{LeftOut, course_script, prepare};
use crate::{ExportError, ExportInput, ExportOptions, Format, scorm};
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::time::Instant;
use zip::write::SimpleFileOptions;

/// The learner's player: one HTML file with its code inlined (built from `player/`).
pub const PLAYER_HTML: &str = include_str!(concat!(env!("OUT_DIR"), "/player.html"));
/// The speaking-practice scorer (crates/practice as WebAssembly, in base64), which the player
/// loads when a learner records a shadowing take.
pub const PRACTICE_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/practice.js"));

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ExportReport {
    pub path: String,
    pub format: Format,
    /// Size of the zip.
    pub bytes: u64,
    /// Files in the zip.
    pub files: usize,
    pub lessons: usize,
    pub slides: usize,
    pub components: usize,
    /// SCOs in the manifest (0 for the web player).
    pub scos: usize,
    /// Size of the player's own code (`index.html`), before and after gzip.
    pub player_bytes: u64,
    pub player_gzip_bytes: u64,
    /// What learners do not get, and why.
    pub left_out: Vec<LeftOut>,
    /// Slides that went without a file the library lacks.
    pub notes: Vec<String>,
    pub elapsed_ms: u64,
}

/// Size of `data` compressed as gzip would (deflate at the default level).
pub fn gzip_size(data: &[u8]) -> u64 {
    use flate2::Compression;
    use flate2::write::DeflateEncoder;
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().map(|v| v.len() as u64 + 18).unwrap_or(0)
}

fn write_error(path: &Path) -> impl Fn(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Write {
        path: path.display().to_string(),
        source,
    }
}

/// Exports the course in `input` as `options` say, to the zip file `out`.
pub fn export(
    input: &ExportInput,
    options: &ExportOptions,
    out: &Path,
) -> Result<ExportReport, ExportError> {
    let started = Instant::now();
    let prepared = prepare(input, options)?;
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if out.is_dir() {
        return Err(ExportError::Invalid(format!(
            "{} is a folder; give the name of the zip file to write",
            out.display()
        )));
    }
    let err = write_error(out);
    let temp = tempfile::Builder::new()
        .prefix(".classkit-export-")
        .suffix(".zip.part")
        .tempfile_in(dir)
        .map_err(&err)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(temp.as_file()));
    let deflated = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    // Audio and pictures are compressed already.
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .unix_permissions(0o644);
    let zip_err = |e: zip::result::ZipError| ExportError::Write {
        path: out.display().to_string(),
        source: std::io::Error::other(e),
    };

    let mut used = vec!["index.html".to_string(), "course.js".to_string()];
    zip.start_file("index.html", deflated).map_err(zip_err)?;
    zip.write_all(PLAYER_HTML.as_bytes()).map_err(&err)?;
    zip.start_file("course.js", deflated).map_err(zip_err)?;
    zip.write_all(course_script(&prepared.course).as_bytes())
        .map_err(&err)?;
    if !prepared.course.practice.is_empty() {
        zip.start_file("practice.js", deflated).map_err(zip_err)?;
        zip.write_all(PRACTICE_JS.as_bytes()).map_err(&err)?;
        used.push("practice.js".to_string());
    }
    for (path, text) in &prepared.captions {
        zip.start_file(path.as_str(), deflated).map_err(zip_err)?;
        zip.write_all(text.as_bytes()).map_err(&err)?;
        used.push(path.clone());
    }
    for file in &prepared.files {
        let Some(asset) = input.assets.get(&file.sha256) else {
            continue;
        };
        let compress = asset.media_type.starts_with("audio/wav")
            || asset.media_type == "audio/x-wav"
            || asset.media_type == "image/svg+xml";
        zip.start_file(
            file.path_in_package.as_str(),
            if compress { deflated } else { stored },
        )
        .map_err(zip_err)?;
        let mut source = std::fs::File::open(&asset.path).map_err(|source| ExportError::Read {
            path: asset.path.display().to_string(),
            source,
        })?;
        std::io::copy(&mut source, &mut zip).map_err(|source| ExportError::Read {
            path: asset.path.display().to_string(),
            source,
        })?;
        used.push(file.path_in_package.clone());
    }
    let mut scos = 0;
    if let Some(manifest) = scorm::manifest(&prepared.course, options.format, &used) {
        scos = manifest.matches("identifierref=\"sco\"").count();
        zip.start_file("imsmanifest.xml", deflated)
            .map_err(zip_err)?;
        zip.write_all(manifest.as_bytes()).map_err(&err)?;
        for (name, text) in scorm::schema_files(options.format) {
            zip.start_file(*name, deflated).map_err(zip_err)?;
            zip.write_all(text.as_bytes()).map_err(&err)?;
        }
    }
    let files = used.len()
        + match options.format {
            Format::Web => 0,
            format => 1 + scorm::schema_files(format).len(),
        };
    let mut writer = zip.finish().map_err(zip_err)?;
    writer.flush().map_err(&err)?;
    drop(writer);
    temp.as_file().sync_all().map_err(&err)?;
    temp.persist(out).map_err(|e| ExportError::Write {
        path: out.display().to_string(),
        source: e.error,
    })?;
    let bytes = std::fs::metadata(out).map_err(&err)?.len();
    let course = &prepared.course;
    Ok(ExportReport {
        path: out.display().to_string(),
        format: options.format,
        bytes,
        files,
        lessons: course.lessons.len(),
        slides: course.lessons.iter().map(|l| l.slides.len()).sum(),
        components: course
            .lessons
            .iter()
            .flat_map(|l| &l.slides)
            .map(|s| s.components.len())
            .sum(),
        scos,
        player_bytes: PLAYER_HTML.len() as u64,
        player_gzip_bytes: gzip_size(PLAYER_HTML.as_bytes()),
        left_out: prepared.left_out,
        notes: prepared.notes,
        elapsed_ms: started.elapsed().as_millis() as u64,
    })
}
