//! Course bundles: one portable zip file with `course.json` and the course's assets.
//!
//! `course.json` holds `{"format", "format_version", "exported_at", "generator", "course",
//! "assets"}` where `course` is the whole course tree and `assets` lists the files stored
//! under `assets/<sha256>`. Import never uses a name from the archive as a file path: it
//! reads `course.json` and the assets it lists by their checked hashes, nothing else, and
//! never reads more of an entry than the limits allow, whatever its header claims.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use classkit_model::{AssetRef, CourseTree};
use classkit_store::{AssetInfo, Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::Path;
use uuid::Uuid;

/// The `format` value of every bundle.
pub const BUNDLE_FORMAT: &str = "classkit-course-bundle";
/// The bundle layout written by this version; older layouts are read too.
pub const BUNDLE_FORMAT_VERSION: u32 = 1;
/// Most bytes of assets one bundle may bring in all.
pub const MAX_BUNDLE_ASSET_BYTES: u64 = 8 * 1024 * 1024 * 1024;
/// Largest `course.json` read from a bundle.
const MAX_COURSE_JSON_BYTES: u64 = 64 * 1024 * 1024;

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
}

#[derive(Debug, Serialize, Deserialize)]
struct ManifestAsset {
    sha256: AssetRef,
    media_type: String,
    size: u64,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct BundleImport {
    pub course_id: Uuid,
    pub title: String,
    /// True when the course was stored as a new copy with new ids.
    pub copied: bool,
    pub lessons: usize,
    pub slides: usize,
    pub components: usize,
    pub assets: usize,
}

fn bad(path: &Path, message: impl std::fmt::Display) -> AppError {
    AppError::Bundle(format!(
        "{} is not a usable course bundle: {message}",
        path.display()
    ))
}

/// Every asset a course refers to: slide images and narration, and the files component
/// payloads name (reference audio, hotspot images, …). A reference to a file that is not in
/// the library is an error: the bundle would be incomplete.
async fn referenced_assets(store: &Store, tree: &CourseTree) -> Result<Vec<AssetInfo>, AppError> {
    let mut hashes: BTreeMap<String, String> = BTreeMap::new(); // hash → where it is used
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
    Ok(assets)
}

/// Writes a course and its assets to `path` (replacing it only once complete).
pub async fn export(store: &Store, course_id: Uuid, path: &Path) -> Result<BundleExport, AppError> {
    let tree = store.course_tree(course_id).await?;
    let assets = referenced_assets(store, &tree).await?;
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

/// Reads one entry of at most `limit` bytes (whatever its header claims) into `sink`.
fn copy_entry(
    archive: &mut zip::ZipArchive<std::fs::File>,
    path: &Path,
    name: &str,
    limit: u64,
    sink: &mut impl Write,
) -> Result<u64, AppError> {
    let entry = archive
        .by_name(name)
        .map_err(|_| bad(path, format!("it has no {name}")))?;
    let copied = std::io::copy(&mut entry.take(limit + 1), sink)
        .map_err(|e| bad(path, format!("{name} cannot be read: {e}")))?;
    if copied > limit {
        return Err(bad(path, format!("{name} is larger than {limit} bytes")));
    }
    Ok(copied)
}

/// A writer that only hashes what passes through it.
struct HashingSink(sha2::Sha256);

impl Write for HashingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Reads a bundle into the library. A course already in the library is refused unless
/// `as_copy`, which stores it with new ids.
///
/// Everything is checked before anything is stored: the manifest, and every asset against
/// its hash and the size limits (one asset at most the library's asset limit, all of them at
/// most [`MAX_BUNDLE_ASSET_BYTES`]). Then the assets are stored one at a time and the course
/// in one transaction. Should that transaction fail, the assets stay in the library's
/// content-addressed store, where a later import reuses them.
pub async fn import(store: &Store, path: &Path, as_copy: bool) -> Result<BundleImport, AppError> {
    let max_asset = store.limits().max_asset_bytes;
    let source = path.to_path_buf();
    let manifest = tokio::task::spawn_blocking(move || read_manifest(&source, max_asset))
        .await
        .map_err(|e| AppError::Bundle(format!("bundle reader stopped: {e}")))??;
    let mut tree = manifest.course;
    let mut copied = store.course_exists(tree.course.id).await?;
    if copied {
        if !as_copy {
            return Err(AppError::BundleCourseExists {
                course_id: tree.course.id,
                title: tree.course.title.clone(),
            });
        }
        tree = fresh_copy(tree);
    }
    for asset in &manifest.assets {
        let source = path.to_path_buf();
        let name = format!("assets/{}", asset.sha256.0);
        let bytes = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, AppError> {
            let file = std::fs::File::open(&source).map_err(|e| AppError::Io {
                path: source.clone(),
                source: e,
            })?;
            let mut archive = zip::ZipArchive::new(file).map_err(|e| bad(&source, e))?;
            let mut bytes = Vec::new();
            copy_entry(&mut archive, &source, &name, max_asset, &mut bytes)?;
            Ok(bytes)
        })
        .await
        .map_err(|e| AppError::Bundle(format!("bundle reader stopped: {e}")))??;
        let stored = store.put_asset(&bytes, &asset.media_type).await?;
        if stored.sha256 != asset.sha256 {
            return Err(bad(
                path,
                format!("{} changed while it was read", asset.sha256.0),
            ));
        }
    }
    match store
        .insert_course_tree(&tree, "imported from bundle")
        .await
    {
        Ok(()) => {}
        // A course under a new id that reuses another course's lessons or slides.
        Err(StoreError::IdTaken { .. }) if as_copy && !copied => {
            tree = fresh_copy(tree);
            copied = true;
            store
                .insert_course_tree(&tree, "imported from bundle")
                .await?;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(BundleImport {
        course_id: tree.course.id,
        title: tree.course.title.clone(),
        copied,
        lessons: tree.lessons.len(),
        slides: tree.slide_count(),
        components: tree.component_count(),
        assets: manifest.assets.len(),
    })
}

/// Reads and checks `course.json` and every asset it lists (each once), storing nothing.
fn read_manifest(path: &Path, max_asset: u64) -> Result<Manifest, AppError> {
    let file = std::fs::File::open(path).map_err(|source| AppError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut archive =
        zip::ZipArchive::new(file).map_err(|e| bad(path, format!("it is not a zip file ({e})")))?;
    let mut json = Vec::new();
    copy_entry(
        &mut archive,
        path,
        "course.json",
        MAX_COURSE_JSON_BYTES,
        &mut json,
    )?;
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
    let mut manifest: Manifest = serde_json::from_value(header)
        .map_err(|e| bad(path, format!("course.json does not hold a course ({e})")))?;
    let mut seen = BTreeSet::new();
    manifest.assets.retain(|a| seen.insert(a.sha256.0.clone()));
    let mut total = 0u64;
    for asset in &mut manifest.assets {
        if !asset.sha256.is_well_formed() {
            return Err(bad(
                path,
                format!("{:?} is not an asset hash", asset.sha256.0),
            ));
        }
        let name = format!("assets/{}", asset.sha256.0);
        let mut hasher = HashingSink(<sha2::Sha256 as sha2::Digest>::new());
        let size = copy_entry(&mut archive, path, &name, max_asset, &mut hasher)?;
        total += size;
        if total > MAX_BUNDLE_ASSET_BYTES {
            return Err(bad(
                path,
                format!("its files add up to more than {MAX_BUNDLE_ASSET_BYTES} bytes"),
            ));
        }
        let actual = hex::encode(sha2::Digest::finalize(hasher.0));
        if actual != asset.sha256.0 {
            return Err(bad(
                path,
                format!("{name} is damaged (its content does not match its hash)"),
            ));
        }
        asset.size = size;
    }
    Ok(manifest)
}

/// The same course with new ids everywhere, as a new first version titled "… (copy)".
fn fresh_copy(mut tree: CourseTree) -> CourseTree {
    let now = classkit_store::now();
    let course = &mut tree.course;
    course.id = Uuid::now_v7();
    course.title = format!("{} (copy)", course.title);
    (course.created_at, course.updated_at, course.version) = (now, now, 1);
    for lesson in &mut tree.lessons {
        let l = &mut lesson.lesson;
        (l.id, l.course_id, l.created_at, l.updated_at, l.version) =
            (Uuid::now_v7(), tree.course.id, now, now, 1);
        for slide in &mut lesson.slides {
            let s = &mut slide.slide;
            (s.id, s.lesson_id, s.created_at, s.updated_at, s.version) =
                (Uuid::now_v7(), l.id, now, now, 1);
            for c in &mut slide.components {
                (c.id, c.slide_id, c.created_at, c.updated_at, c.version) =
                    (Uuid::now_v7(), s.id, now, now, 1);
            }
        }
    }
    tree
}
