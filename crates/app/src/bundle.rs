//! Course bundles: one portable zip file with `course.json` and the course's assets.
//!
//! `course.json` holds `{"format", "format_version", "exported_at", "generator", "course",
//! "assets", "outputs", "drafted", "declined"}`: the whole course tree, the files under
//! `assets/<sha256>`, and (from format 2) what generation made for it — rendered pages and
//! narration with the hashes of their inputs, and what the engines drafted (or found
//! nothing to draft) per slide and type — so the importing library finds the course up to
//! date and makes (and pays for) nothing again.
//!
//! Import never uses a name from the archive as a file path: it reads `course.json`, then
//! only the assets the course uses, each streamed from the zip to the library's disk and
//! hashed on the way (memory stays a buffer's worth whatever the size), never more than the
//! limits allow whatever an entry's header claims. The archive's table of contents is read
//! once, so the time grows with the number of files, not faster. Everything is checked
//! before the course is stored in one transaction; a refused import leaves nothing behind.

use crate::App;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use classkit_model::{AssetRef, ChangeKind, ComponentType, CourseTree};
use classkit_store::{
    AssetInfo, CourseExtras, Drafted, Generated, StagedAsset, Store, StoreError, TreeChange,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Read, Write};
use std::path::Path;
use tracing::instrument;
use uuid::Uuid;

/// The `format` value of every bundle.
pub const BUNDLE_FORMAT: &str = "classkit-course-bundle";
/// The bundle layout written by this version; older layouts are read too.
/// 1: the course and its assets. 2: also what generation made for it. 3: also why nothing
/// of a type was drafted for a slide.
pub const BUNDLE_FORMAT_VERSION: u32 = 3;
/// Most bytes of assets one bundle may bring in all: ten times a long course (60 slides
/// with 50 minutes of narration, their pictures and reference audio come to about 100 MB).
pub const MAX_BUNDLE_ASSET_BYTES: u64 = 1024 * 1024 * 1024;
/// Most files one bundle may list.
pub const MAX_BUNDLE_FILES: usize = 50_000;
/// Largest `course.json` read from a bundle.
const MAX_COURSE_JSON_BYTES: u64 = 64 * 1024 * 1024;
/// Longest input key or engine id of a generation record.
const MAX_RECORD_TEXT: usize = 256;
/// Largest details of one generated output (the boxes of a slide's elements).
const MAX_OUTPUT_DETAILS_BYTES: usize = 256 * 1024;
/// Most pages one slide renders to.
const MAX_PAGES: u32 = 1_000;
/// Longest narration of one slide (a day).
const MAX_DURATION_MS: u64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    format_version: u32,
    #[serde(default)]
    exported_at: Option<DateTime<Utc>>,
    #[serde(default)]
    generator: String,
    course: CourseTree,
    #[serde(default)]
    assets: Vec<ManifestAsset>,
    #[serde(default)]
    outputs: Vec<BundleOutput>,
    #[serde(default)]
    drafted: Vec<BundleDraft>,
    #[serde(default)]
    declined: Vec<BundleDecline>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ManifestAsset {
    sha256: AssetRef,
    media_type: String,
    size: u64,
}

/// A rendered page or a narration of a slide, and the input it was made from.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BundleOutput {
    slide_id: Uuid,
    /// `narration`, `slide_render` or `illustration`.
    kind: String,
    page: u32,
    asset: AssetRef,
    media_type: String,
    #[serde(default)]
    thumbnail: Option<AssetRef>,
    #[serde(default)]
    duration_ms: Option<u64>,
    input_key: String,
    engine: String,
    #[serde(default)]
    details: Value,
}

/// What the engines drafted of one type for a slide (a component, or nothing).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BundleDraft {
    slide_id: Uuid,
    component_type: ComponentType,
    component_id: Option<Uuid>,
    version: i64,
    input_key: String,
    engine: String,
    /// Why nothing was drafted (bundles before it was kept have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

/// A type the instructor declined on a slide (deleted the engine's draft of).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BundleDecline {
    slide_id: Uuid,
    component_type: ComponentType,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct BundleExport {
    pub course_id: Uuid,
    pub path: String,
    pub assets: usize,
    pub bytes: u64,
}

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BundleImport {
    pub course_id: Uuid,
    pub title: String,
    /// True when the course was stored as a new copy with new ids.
    pub copied: bool,
    pub lessons: usize,
    pub slides: usize,
    pub components: usize,
    /// Files the course uses (those the library had already are not read again).
    pub assets: usize,
    /// Rendered pages and narrations that came with the course, still up to date.
    pub outputs: usize,
    /// Files the bundle lists that nothing in the course uses: not read, not stored.
    pub unused_files: usize,
    /// What was changed on the way in.
    pub changes: Vec<TreeChange>,
}

fn bad(path: &Path, message: impl std::fmt::Display) -> AppError {
    AppError::Bundle(format!(
        "{} is not a usable course bundle: {message}",
        path.display()
    ))
}

/// What a zip error means to someone holding the file (never the library's type names).
fn zip_problem(e: &zip::result::ZipError) -> String {
    use zip::result::ZipError;
    match e {
        ZipError::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "it ends too soon: the file is incomplete (was the copy or download cut short?)".into()
        }
        ZipError::Io(io) => format!("it cannot be read ({io})"),
        ZipError::InvalidArchive(_) => {
            "it is not a whole zip file: it is damaged or incomplete (was the copy or download cut short?)".into()
        }
        ZipError::UnsupportedArchive(what) => {
            format!("it uses a kind of zip this version cannot read ({what})")
        }
        ZipError::CompressionMethodNotSupported(_) => {
            "it is compressed in a way this version cannot read".into()
        }
        ZipError::InvalidPassword => "it is encrypted".into(),
        _ => "it is not a zip file this version can read".into(),
    }
}

/// Every file a course uses, with where it is used (for messages): slide images and
/// narration, and the files component payloads name (reference audio, hotspot images, …).
fn course_assets(tree: &CourseTree) -> BTreeMap<String, String> {
    let mut hashes = BTreeMap::new();
    for slide in tree.lessons.iter().flat_map(|l| &l.slides) {
        for asset in [&slide.slide.image, &slide.slide.narration]
            .into_iter()
            .flatten()
        {
            hashes
                .entry(asset.0.clone())
                .or_insert_with(|| format!("slide \"{}\"", slide.slide.title));
        }
        for component in &slide.components {
            for (pointer, asset) in classkit_model::asset_references(&component.payload) {
                hashes.entry(asset.0).or_insert_with(|| {
                    format!(
                        "{} component {} at {pointer}",
                        component.component_type, component.id
                    )
                });
            }
        }
    }
    hashes
}

/// Writes a course, its assets and what generation made for it to `path` (replacing it
/// only once complete).
pub async fn export(store: &Store, course_id: Uuid, path: &Path) -> Result<BundleExport, AppError> {
    let tree = store.course_tree(course_id).await?;
    let generated = store.generated_for_course(course_id).await?;
    let drafted = store.drafted_for_course(course_id).await?;
    let declined = store.declined_for_course(course_id).await?;
    let mut hashes = course_assets(&tree);
    for g in &generated {
        for asset in std::iter::once(&g.asset).chain(&g.thumbnail) {
            hashes
                .entry(asset.0.clone())
                .or_insert_with(|| format!("{} of slide {}", g.kind, g.target_id));
        }
    }
    let mut assets = Vec::new();
    for (hash, used_by) in hashes {
        match store.asset_info(&AssetRef(hash.clone())).await {
            Ok(info) => assets.push(info),
            Err(StoreError::AssetMissing(_)) => {
                return Err(AppError::Bundle(format!(
                    "the {used_by} refers to file {hash}, which is not in the library; add the file again or remove the reference, then export"
                )));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let total: u64 = assets.iter().map(|a| a.size).sum();
    if total > MAX_BUNDLE_ASSET_BYTES {
        return Err(AppError::Bundle(format!(
            "the course's files add up to {} MB, more than the {} MB a bundle may carry (and another library would refuse it); remove files the course no longer needs, then export",
            total / (1024 * 1024),
            MAX_BUNDLE_ASSET_BYTES / (1024 * 1024)
        )));
    }
    // Files are copied one at a time from the library into the zip: memory stays small.
    let files: Vec<(String, std::path::PathBuf)> = assets
        .iter()
        .map(|a| (a.sha256.0.clone(), store.asset_file(&a.sha256)))
        .collect();
    let manifest = Manifest {
        format: BUNDLE_FORMAT.into(),
        format_version: BUNDLE_FORMAT_VERSION,
        exported_at: Some(Utc::now()),
        generator: format!("ClassKit Studio {}", env!("CARGO_PKG_VERSION")),
        course: tree,
        assets: assets
            .iter()
            .map(|a| ManifestAsset {
                sha256: a.sha256.clone(),
                media_type: a.media_type.clone(),
                size: a.size,
            })
            .collect(),
        outputs: generated
            .into_iter()
            .map(|g| BundleOutput {
                slide_id: g.target_id,
                kind: g.kind,
                page: g.page,
                asset: g.asset,
                media_type: g.media_type,
                thumbnail: g.thumbnail,
                duration_ms: g.duration_ms,
                input_key: g.input_key,
                engine: g.engine,
                details: g.details,
            })
            .collect(),
        drafted: drafted
            .into_iter()
            .filter_map(|d| {
                Some(BundleDraft {
                    slide_id: d.slide_id,
                    component_type: d.component_type.parse().ok()?,
                    component_id: d.component_id,
                    version: d.version,
                    input_key: d.input_key,
                    engine: d.engine,
                    reason: d.reason,
                })
            })
            .collect(),
        declined: declined
            .into_iter()
            .filter_map(|(slide_id, t)| {
                Some(BundleDecline {
                    slide_id,
                    component_type: t.parse().ok()?,
                })
            })
            .collect(),
    };
    let json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| AppError::Bundle(format!("cannot encode the course: {e}")))?;
    let target = path.to_path_buf();
    let count = files.len();
    let bytes = tokio::task::spawn_blocking(move || write_zip(&target, &json, &files))
        .await
        .map_err(|e| AppError::Bundle(format!("bundle writer stopped: {e}")))??;
    Ok(BundleExport {
        course_id,
        path: path.display().to_string(),
        assets: count,
        bytes,
    })
}

fn write_zip(
    path: &Path,
    json: &[u8],
    files: &[(String, std::path::PathBuf)],
) -> Result<u64, AppError> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| AppError::Io { path: p, source }
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io(path))?;
    let mut zip = zip::ZipWriter::new(tmp);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let zip_err = |e: zip::result::ZipError| AppError::Bundle(format!("writing the zip: {e}"));
    zip.start_file("course.json", deflated).map_err(zip_err)?;
    zip.write_all(json).map_err(io(path))?;
    for (hash, file) in files {
        let mut source = std::fs::File::open(file).map_err(io(file))?;
        let size = source.metadata().map_err(io(file))?.len();
        // Audio and images are already compressed.
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(size >= u64::from(u32::MAX));
        zip.start_file(format!("assets/{hash}"), stored)
            .map_err(zip_err)?;
        std::io::copy(&mut source, &mut zip).map_err(io(file))?;
    }
    let tmp = zip.finish().map_err(zip_err)?;
    tmp.as_file().sync_all().map_err(io(path))?;
    let size = tmp.as_file().metadata().map_err(io(path))?.len();
    tmp.persist(path).map_err(|e| io(path)(e.error))?;
    Ok(size)
}

/// A bundle read and checked: its manifest and the open archive.
struct Opened {
    manifest: Manifest,
    archive: zip::ZipArchive<std::fs::File>,
}

/// Opens the bundle (a regular file only) and reads and checks `course.json`.
fn open_bundle(path: &Path) -> Result<Opened, AppError> {
    let mut file = crate::open_regular(path)?;
    // Every zip file starts with a local file header (or, empty, with its end record).
    let mut magic = [0u8; 4];
    let read = file
        .read(&mut magic)
        .map_err(|e| bad(path, format!("it cannot be read ({e})")))?;
    if read < 4 || !matches!(&magic, b"PK\x03\x04" | b"PK\x05\x06") {
        return Err(bad(
            path,
            "it is not a zip file (a course bundle is the .classkit file ClassKit Studio exports)",
        ));
    }
    let mut archive = zip::ZipArchive::new(file).map_err(|e| bad(path, zip_problem(&e)))?;
    let mut json = Vec::new();
    {
        let entry = archive.by_name("course.json").map_err(|e| match e {
            zip::result::ZipError::FileNotFound => bad(path, "it has no course.json"),
            e => bad(
                path,
                format!("course.json cannot be read: {}", zip_problem(&e)),
            ),
        })?;
        entry
            .take(MAX_COURSE_JSON_BYTES + 1)
            .read_to_end(&mut json)
            .map_err(|e| bad(path, format!("course.json cannot be read ({e})")))?;
    }
    if json.len() as u64 > MAX_COURSE_JSON_BYTES {
        return Err(bad(
            path,
            format!("course.json is larger than {MAX_COURSE_JSON_BYTES} bytes"),
        ));
    }
    let header: Value = serde_json::from_slice(&json)
        .map_err(|e| bad(path, format!("course.json is not JSON ({e})")))?;
    if header.get("format").and_then(Value::as_str) != Some(BUNDLE_FORMAT) {
        return Err(bad(path, "course.json does not describe a ClassKit course"));
    }
    let version = header
        .get("format_version")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    if version == 0 || version > u64::from(BUNDLE_FORMAT_VERSION) {
        return Err(bad(
            path,
            format!(
                "it was made by a newer ClassKit Studio (bundle format {version}; this version reads up to {BUNDLE_FORMAT_VERSION})"
            ),
        ));
    }
    let manifest: Manifest = serde_json::from_value(header)
        .map_err(|e| bad(path, format!("course.json does not hold a course ({e})")))?;
    check_manifest(path, &manifest)?;
    Ok(Opened { manifest, archive })
}

/// The structure of a manifest: ids used once, records that belong to the course's slides
/// and components, well-formed hashes and media types.
fn check_manifest(path: &Path, m: &Manifest) -> Result<(), AppError> {
    let tree = &m.course;
    // Every id once: two entities with one id would overwrite each other.
    let mut ids: HashMap<Uuid, String> = HashMap::new();
    let mut claim = |id: Uuid, what: String| -> Result<(), AppError> {
        match ids.insert(id, what.clone()) {
            Some(first) => Err(bad(
                path,
                format!("it gives the id {id} to both the {first} and the {what}"),
            )),
            None => Ok(()),
        }
    };
    claim(tree.course.id, "course".into())?;
    // The text rules every save keeps, checked before a byte of the files is read.
    let text = |issues: Vec<classkit_model::ValidationIssue>, what: String| match issues.is_empty()
    {
        true => Ok(()),
        false => Err(AppError::Store(StoreError::InvalidText { what, issues })),
    };
    text(
        classkit_model::fields::course_issues(&tree.course),
        "the bundle's course".into(),
    )?;
    for lesson in &tree.lessons {
        text(
            classkit_model::fields::lesson_issues(&lesson.lesson),
            format!("the bundle's lesson {}", lesson.lesson.id),
        )?;
        for slide in &lesson.slides {
            text(
                classkit_model::fields::slide_issues(&slide.slide),
                format!("the bundle's slide {}", slide.slide.id),
            )?;
            for c in &slide.components {
                text(
                    classkit_model::fields::nul_issues(&c.payload),
                    format!("the bundle's {} component {}", c.component_type, c.id),
                )?;
            }
        }
    }
    let mut slides: HashMap<Uuid, HashMap<Uuid, ComponentType>> = HashMap::new();
    for lesson in &tree.lessons {
        claim(
            lesson.lesson.id,
            format!("lesson \"{}\"", lesson.lesson.title),
        )?;
        for slide in &lesson.slides {
            claim(slide.slide.id, format!("slide \"{}\"", slide.slide.title))?;
            let mut components = HashMap::new();
            for c in &slide.components {
                claim(
                    c.id,
                    format!(
                        "{} component on slide \"{}\"",
                        c.component_type, slide.slide.title
                    ),
                )?;
                components.insert(c.id, c.component_type);
            }
            slides.insert(slide.slide.id, components);
        }
    }
    if m.assets.len() > MAX_BUNDLE_FILES {
        return Err(bad(
            path,
            format!(
                "it lists {} files; a bundle holds at most {MAX_BUNDLE_FILES}",
                m.assets.len()
            ),
        ));
    }
    for asset in &m.assets {
        if !asset.sha256.is_well_formed() {
            return Err(bad(
                path,
                format!("{:?} is not an asset hash", asset.sha256.0),
            ));
        }
    }
    let record_text = |what: &str, text: &str| -> Result<(), AppError> {
        match text.is_empty() || text.len() > MAX_RECORD_TEXT || text.contains('\0') {
            true => Err(bad(path, format!("a generation record has a bad {what}"))),
            false => Ok(()),
        }
    };
    let unknown_slide = |what: &str, slide: Uuid| {
        bad(
            path,
            format!("{what} belongs to slide {slide}, which the course does not have"),
        )
    };
    let mut pages = HashSet::new();
    for o in &m.outputs {
        if !slides.contains_key(&o.slide_id) {
            return Err(unknown_slide("a generated output", o.slide_id));
        }
        if !matches!(
            o.kind.as_str(),
            crate::generate::NARRATION
                | crate::generate::SLIDE_RENDER
                | crate::generate::illustrate::ILLUSTRATION
        ) || o.page >= MAX_PAGES
            || o.duration_ms.is_some_and(|d| d > MAX_DURATION_MS)
            || !pages.insert((o.slide_id, o.kind.clone(), o.page))
        {
            return Err(bad(
                path,
                format!(
                    "the generated outputs of slide {} are not valid",
                    o.slide_id
                ),
            ));
        }
        if !std::iter::once(&o.asset)
            .chain(&o.thumbnail)
            .all(AssetRef::is_well_formed)
            || !classkit_store::is_media_type(&o.media_type)
        {
            return Err(bad(
                path,
                format!(
                    "a generated output of slide {} names no proper file",
                    o.slide_id
                ),
            ));
        }
        record_text("input key", &o.input_key)?;
        record_text("engine", &o.engine)?;
        let details = serde_json::to_string(&o.details).map_or(usize::MAX, |d| d.len());
        if details > MAX_OUTPUT_DETAILS_BYTES
            || !classkit_model::fields::nul_issues(&o.details).is_empty()
        {
            return Err(bad(
                path,
                format!(
                    "the details of a generated output of slide {} are not valid",
                    o.slide_id
                ),
            ));
        }
    }
    let mut drafted = HashSet::new();
    for d in &m.drafted {
        let Some(components) = slides.get(&d.slide_id) else {
            return Err(unknown_slide("a drafting record", d.slide_id));
        };
        let component_ok = match d.component_id {
            Some(id) => components.get(&id) == Some(&d.component_type) && d.version >= 1,
            None => d.version == 0,
        };
        if !component_ok || !drafted.insert((d.slide_id, d.component_type)) {
            return Err(bad(
                path,
                format!(
                    "the drafting record of {} on slide {} does not match the course",
                    d.component_type, d.slide_id
                ),
            ));
        }
        record_text("input key", &d.input_key)?;
        record_text("engine", &d.engine)?;
        // Why nothing was drafted: only without a component, and as it is kept.
        if let Some(reason) = &d.reason
            && (d.component_id.is_some()
                || reason.contains('\0')
                || *reason != classkit_generate::short_reason(reason))
        {
            return Err(bad(
                path,
                format!(
                    "the drafting record of {} on slide {} has a bad reason",
                    d.component_type, d.slide_id
                ),
            ));
        }
    }
    for d in &m.declined {
        if !slides.contains_key(&d.slide_id) {
            return Err(unknown_slide("a declined draft", d.slide_id));
        }
    }
    Ok(())
}

/// The files the course and its records use: `(hash, where it is used, required)`. Slide
/// pictures and narration and the generated outputs must come with the bundle; a file a
/// component names may be missing (the component then stays a draft, and says so).
fn used_files(m: &Manifest) -> Vec<(String, String, bool)> {
    let mut used: BTreeMap<String, (String, bool)> = BTreeMap::new();
    for slide in m.course.lessons.iter().flat_map(|l| &l.slides) {
        for asset in [&slide.slide.image, &slide.slide.narration]
            .into_iter()
            .flatten()
        {
            used.insert(
                asset.0.clone(),
                (format!("slide \"{}\"", slide.slide.title), true),
            );
        }
    }
    for o in &m.outputs {
        for asset in std::iter::once(&o.asset).chain(&o.thumbnail) {
            used.entry(asset.0.clone())
                .or_insert_with(|| (format!("{} of slide {}", o.kind, o.slide_id), true));
        }
    }
    for (hash, used_by) in course_assets(&m.course) {
        used.entry(hash).or_insert((used_by, false));
    }
    used.into_iter()
        .map(|(hash, (used_by, required))| (hash, used_by, required))
        .collect()
}

/// A reader whose failures are the bundle's (a damaged entry), told apart from failures
/// to write the library's disk.
struct EntryReader<R>(R);

/// The message an [`EntryReader`] failure carries.
#[derive(Debug)]
struct DamagedEntry(std::io::Error);

impl std::fmt::Display for DamagedEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for DamagedEntry {}

impl<R: Read> Read for EntryReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0
            .read(buf)
            .map_err(|e| std::io::Error::other(DamagedEntry(e)))
    }
}

/// Streams the files the library lacks from the archive into its assets folder, each
/// checked against its hash and the limits.
fn stage_files(
    store: &Store,
    path: &Path,
    archive: &mut zip::ZipArchive<std::fs::File>,
    wanted: &[(String, String)],
) -> Result<Vec<StagedAsset>, AppError> {
    let max_asset = store.limits().max_asset_bytes;
    // What the entries claim, before a byte is read: refuse early what cannot fit.
    let mut claimed = 0u64;
    for (hash, _) in wanted {
        if let Some(i) = archive.index_for_name(&format!("assets/{hash}"))
            && let Ok(entry) = archive.by_index_raw(i)
        {
            claimed = claimed.saturating_add(entry.size());
        }
    }
    let too_much = || {
        bad(
            path,
            format!(
                "its files add up to more than {} MB, the most one course may bring",
                MAX_BUNDLE_ASSET_BYTES / (1024 * 1024)
            ),
        )
    };
    if claimed > MAX_BUNDLE_ASSET_BYTES {
        return Err(too_much());
    }
    let mut staged = Vec::with_capacity(wanted.len());
    let mut total = 0u64;
    for (hash, media_type) in wanted {
        let name = format!("assets/{hash}");
        let entry = archive.by_name(&name).map_err(|e| match e {
            zip::result::ZipError::FileNotFound => {
                bad(path, format!("it lacks {name}, which the course uses"))
            }
            e => bad(path, format!("{name} cannot be read: {}", zip_problem(&e))),
        })?;
        // Whatever the header claims, no more than what is left of both limits is read.
        let limit = max_asset.min(MAX_BUNDLE_ASSET_BYTES - total);
        let asset = match store.stage_asset(EntryReader(entry), media_type, limit) {
            Ok(Some(asset)) => asset,
            Ok(None) if limit < max_asset => return Err(too_much()),
            Ok(None) => {
                return Err(bad(
                    path,
                    format!("{name} is larger than {max_asset} bytes, the most one file may be"),
                ));
            }
            Err(StoreError::Io { source, .. })
                if source.get_ref().is_some_and(|e| e.is::<DamagedEntry>()) =>
            {
                return Err(bad(path, format!("{name} cannot be read ({source})")));
            }
            Err(e) => return Err(e.into()),
        };
        if asset.info.sha256.0 != *hash {
            return Err(bad(
                path,
                format!("{name} is damaged (its content does not match its hash)"),
            ));
        }
        total += asset.info.size;
        staged.push(asset);
    }
    Ok(staged)
}

/// Reads a bundle into the library. A course already in the library is refused unless
/// `as_copy`, which stores it with new ids.
///
/// The manifest is checked first; then only the files the course uses and the library
/// lacks are streamed in (each against its hash and the limits: one file at most the
/// library's asset limit, all of them at most [`MAX_BUNDLE_ASSET_BYTES`]); then the course,
/// its outputs and records are stored in one transaction. A refusal at any step leaves the
/// library as it was.
pub async fn import(store: &Store, path: &Path, as_copy: bool) -> Result<BundleImport, AppError> {
    match import_once(store, path, as_copy, false).await {
        // A course under a new id that reuses another course's lessons or slides.
        Err(AppError::Store(StoreError::IdTaken { .. })) if as_copy => {
            import_once(store, path, as_copy, true).await
        }
        other => other,
    }
}

async fn import_once(
    store: &Store,
    path: &Path,
    as_copy: bool,
    force_copy: bool,
) -> Result<BundleImport, AppError> {
    let source = path.to_path_buf();
    let Opened {
        mut manifest,
        mut archive,
    } = tokio::task::spawn_blocking(move || open_bundle(&source))
        .await
        .map_err(|e| AppError::Bundle(format!("bundle reader stopped: {e}")))??;
    let exists = store.course_exists(manifest.course.course.id).await?;
    if exists && !as_copy {
        return Err(AppError::BundleCourseExists {
            course_id: manifest.course.course.id,
            title: manifest.course.course.title.clone(),
        });
    }
    let copied = exists || force_copy;
    if copied {
        fresh_copy(&mut manifest);
    }
    // The files the course uses: each listed, each of a kind the library keeps.
    let listed: HashMap<&str, &ManifestAsset> = manifest
        .assets
        .iter()
        .map(|a| (a.sha256.0.as_str(), a))
        .collect();
    let mut used = Vec::new();
    let mut wanted = Vec::new();
    for (hash, used_by, required) in used_files(&manifest) {
        let Some(asset) = listed.get(hash.as_str()) else {
            if required {
                return Err(bad(
                    path,
                    format!(
                        "it is incomplete: the {used_by} uses file {hash}, which it does not carry"
                    ),
                ));
            }
            continue;
        };
        if !classkit_store::is_media_type(&asset.media_type) {
            return Err(bad(
                path,
                format!(
                    "file {hash} (used by the {used_by}) is of type {:?}, which a course does not hold",
                    asset.media_type
                ),
            ));
        }
        if !required && archive.index_for_name(&format!("assets/{hash}")).is_none() {
            // A file a component names that the bundle lacks: as if unlisted (the
            // component stays a draft, and says so).
            continue;
        }
        if !store.has_asset(&asset.sha256).await? {
            wanted.push((hash.clone(), asset.media_type.clone()));
        }
        used.push(AssetInfo {
            sha256: asset.sha256.clone(),
            media_type: asset.media_type.clone(),
            size: asset.size,
        });
    }
    let unused_files = listed.len().saturating_sub(used.len());
    let staged = {
        let (store, source) = (store.clone(), path.to_path_buf());
        tokio::task::spawn_blocking(move || stage_files(&store, &source, &mut archive, &wanted))
            .await
            .map_err(|e| AppError::Bundle(format!("bundle reader stopped: {e}")))??
    };
    // Sizes as streamed, not as listed.
    let sizes: HashMap<String, u64> = staged
        .iter()
        .map(|s| (s.info.sha256.0.clone(), s.info.size))
        .collect();
    for info in &mut used {
        if let Some(size) = sizes.get(&info.sha256.0) {
            info.size = *size;
        }
    }
    let tree = &manifest.course;
    let outputs = manifest.outputs.len();
    let extras = CourseExtras {
        assets: used,
        staged,
        generated: std::mem::take(&mut manifest.outputs)
            .into_iter()
            .map(|o| Generated {
                target_id: o.slide_id,
                kind: o.kind,
                page: o.page,
                asset: o.asset,
                media_type: o.media_type,
                thumbnail: o.thumbnail,
                duration_ms: o.duration_ms,
                input_key: o.input_key,
                engine: o.engine,
                // Paid for by the library that made it; nothing was spent here.
                cost_micros: 0,
                job_id: None,
                details: o.details,
            })
            .collect(),
        drafted: std::mem::take(&mut manifest.drafted)
            .into_iter()
            .map(|d| Drafted {
                slide_id: d.slide_id,
                component_type: d.component_type.as_str().to_string(),
                component_id: d.component_id,
                version: d.version,
                input_key: d.input_key,
                engine: d.engine,
                reason: d.reason.filter(|r| !r.is_empty()),
            })
            .collect(),
        declined: std::mem::take(&mut manifest.declined)
            .into_iter()
            .map(|d| (d.slide_id, d.component_type.as_str().to_string()))
            .collect(),
    };
    let assets = extras.assets.len();
    let changes = store
        .import_course(tree, ChangeKind::ImportedFromBundle, extras)
        .await?;
    Ok(BundleImport {
        course_id: tree.course.id,
        title: tree.course.title.clone(),
        copied,
        lessons: tree.lessons.len(),
        slides: tree.slide_count(),
        components: tree.component_count(),
        assets,
        outputs,
        unused_files,
        changes,
    })
}

/// The same course with new ids everywhere, as a new first version titled "… (copy)"; its
/// outputs and drafting records follow the new ids.
fn fresh_copy(manifest: &mut Manifest) {
    let now = classkit_store::now();
    let tree = &mut manifest.course;
    // The versions before the copy makes every component a version 1.
    let versions: HashMap<Uuid, i64> = tree
        .lessons
        .iter()
        .flat_map(|l| &l.slides)
        .flat_map(|s| &s.components)
        .map(|c| (c.id, c.version))
        .collect();
    let mut new_ids: HashMap<Uuid, Uuid> = HashMap::new();
    let mut renew = |id: &mut Uuid| {
        let fresh = Uuid::now_v7();
        new_ids.insert(*id, fresh);
        *id = fresh;
    };
    let course = &mut tree.course;
    renew(&mut course.id);
    let room = classkit_model::fields::MAX_TITLE_CHARS - " (copy)".len();
    let title: String = course.title.chars().take(room).collect();
    course.title = format!("{} (copy)", title.trim_end());
    (course.created_at, course.updated_at, course.version) = (now, now, 1);
    for lesson in &mut tree.lessons {
        let l = &mut lesson.lesson;
        renew(&mut l.id);
        (l.course_id, l.created_at, l.updated_at, l.version) = (tree.course.id, now, now, 1);
        for slide in &mut lesson.slides {
            let s = &mut slide.slide;
            renew(&mut s.id);
            (s.lesson_id, s.created_at, s.updated_at, s.version) = (l.id, now, now, 1);
            for c in &mut slide.components {
                renew(&mut c.id);
                (c.slide_id, c.created_at, c.updated_at, c.version) = (s.id, now, now, 1);
            }
        }
    }
    let map = |id: &mut Uuid| {
        if let Some(fresh) = new_ids.get(id) {
            *id = *fresh;
        }
    };
    for o in &mut manifest.outputs {
        map(&mut o.slide_id);
    }
    for d in &mut manifest.declined {
        map(&mut d.slide_id);
    }
    // A copy's components are new version 1s. A record keeps them the engine's only when
    // the engine's version is the one copied; otherwise (0) it stays the instructor's.
    for d in &mut manifest.drafted {
        map(&mut d.slide_id);
        if let Some(id) = &mut d.component_id {
            let engines = versions.get(id) == Some(&d.version);
            d.version = i64::from(engines);
            map(id);
        }
    }
}

impl App {
    /// Writes a course bundle.
    #[instrument(skip(self))]
    pub async fn export_bundle(&self, course_id: Uuid, path: &Path) -> crate::Result<BundleExport> {
        export(&self.store, course_id, path).await
    }

    /// Reads a course bundle into the library.
    #[instrument(skip(self))]
    pub async fn import_bundle(&self, path: &Path, as_copy: bool) -> crate::Result<BundleImport> {
        import(&self.store, path, as_copy).await
    }
}
