//! Course bundles: one portable zip file with `course.json` and the course's assets.
//!
//! `course.json` holds `{"format", "format_version", "exported_at", "generator", "course",
//! "assets"}` where `course` is the whole course tree and `assets` lists the files stored
//! under `assets/<sha256>`. Import never uses a name from the archive as a file path: it
//! reads `course.json` and the assets it lists by their checked hashes, nothing else.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use classkit_model::{AssetRef, CourseTree};
use classkit_store::{AssetInfo, Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::Path;
use uuid::Uuid;

/// The `format` value of every bundle.
pub const BUNDLE_FORMAT: &str = "classkit-course-bundle";
/// The bundle layout written by this version; older layouts are read too.
pub const BUNDLE_FORMAT_VERSION: u32 = 1;
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

/// An asset read from a bundle with its bytes.
type AssetFile = (ManifestAsset, Vec<u8>);

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BundleExport {
    pub course_id: Uuid,
    pub path: String,
    pub assets: usize,
    pub bytes: u64,
}

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// Every asset a course refers to: slide images and narration, and any stored hash that a
/// component payload mentions (reference audio, hotspot images, …).
async fn referenced_assets(store: &Store, tree: &CourseTree) -> Result<Vec<AssetInfo>, AppError> {
    let mut hashes = BTreeSet::new();
    for slide in tree.lessons.iter().flat_map(|l| &l.slides) {
        for asset in [&slide.slide.image, &slide.slide.narration]
            .into_iter()
            .flatten()
        {
            hashes.insert(asset.0.clone());
        }
        for component in &slide.components {
            collect_hashes(&component.payload, &mut hashes);
        }
    }
    let mut assets = Vec::new();
    for hash in hashes {
        match store.asset_info(&AssetRef(hash)).await {
            Ok(info) => assets.push(info),
            // A payload string that merely looks like a hash is not an asset.
            Err(StoreError::AssetMissing(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(assets)
}

fn collect_hashes(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::String(s) if AssetRef(s.clone()).is_well_formed() => {
            out.insert(s.clone());
        }
        Value::Array(items) => items.iter().for_each(|v| collect_hashes(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_hashes(v, out)),
        _ => {}
    }
}

/// Writes a course and its assets to `path` (replacing it only once complete).
pub async fn export(store: &Store, course_id: Uuid, path: &Path) -> Result<BundleExport, AppError> {
    let tree = store.course_tree(course_id).await?;
    let assets = referenced_assets(store, &tree).await?;
    let mut files = Vec::with_capacity(assets.len());
    for asset in &assets {
        files.push((
            asset.sha256.0.clone(),
            store.asset_bytes(&asset.sha256).await?,
        ));
    }
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

fn write_zip(path: &Path, json: &[u8], files: &[(String, Vec<u8>)]) -> Result<u64, AppError> {
    let io = |source| AppError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io)?;
    let mut zip = zip::ZipWriter::new(tmp);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    let zip_err = |e: zip::result::ZipError| AppError::Bundle(format!("writing the zip: {e}"));
    zip.start_file("course.json", deflated).map_err(zip_err)?;
    zip.write_all(json).map_err(io)?;
    for (hash, bytes) in files {
        // Audio and images are already compressed.
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(bytes.len() as u64 >= u32::MAX as u64);
        zip.start_file(format!("assets/{hash}"), stored)
            .map_err(zip_err)?;
        zip.write_all(bytes).map_err(io)?;
    }
    let tmp = zip.finish().map_err(zip_err)?;
    tmp.as_file().sync_all().map_err(io)?;
    let size = tmp.as_file().metadata().map_err(io)?.len();
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(size)
}

fn read_entry(
    archive: &mut zip::ZipArchive<std::fs::File>,
    path: &Path,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>, AppError> {
    let entry = archive
        .by_name(name)
        .map_err(|_| bad(path, format!("it has no {name}")))?;
    let mut bytes = Vec::new();
    // Read at most one byte past the limit, whatever the entry's header claims.
    entry
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| bad(path, format!("{name} cannot be read: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(bad(path, format!("{name} is larger than {limit} bytes")));
    }
    Ok(bytes)
}

/// Reads a bundle into the library. A course already in the library is refused unless
/// `as_copy`, which stores it with new ids. Nothing is stored when any check fails.
pub async fn import(
    store: &Store,
    path: &Path,
    as_copy: bool,
    max_asset_bytes: u64,
) -> Result<BundleImport, AppError> {
    let source = path.to_path_buf();
    let (manifest, assets) =
        tokio::task::spawn_blocking(move || read_bundle(&source, max_asset_bytes))
            .await
            .map_err(|e| AppError::Bundle(format!("bundle reader stopped: {e}")))??;
    let mut tree = manifest.course;
    let copied = store.course_exists(tree.course.id).await?;
    if copied {
        if !as_copy {
            return Err(AppError::BundleCourseExists {
                course_id: tree.course.id,
                title: tree.course.title.clone(),
            });
        }
        tree = fresh_copy(tree);
    }
    for (info, bytes) in &assets {
        store.put_asset(bytes, &info.media_type).await?;
    }
    store
        .insert_course_tree(&tree, "imported from bundle")
        .await?;
    Ok(BundleImport {
        course_id: tree.course.id,
        title: tree.course.title.clone(),
        copied,
        lessons: tree.lessons.len(),
        slides: tree.slide_count(),
        components: tree.component_count(),
        assets: assets.len(),
    })
}

fn read_bundle(path: &Path, max_asset_bytes: u64) -> Result<(Manifest, Vec<AssetFile>), AppError> {
    let file = std::fs::File::open(path).map_err(|source| AppError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut archive =
        zip::ZipArchive::new(file).map_err(|e| bad(path, format!("it is not a zip file ({e})")))?;
    let json = read_entry(&mut archive, path, "course.json", MAX_COURSE_JSON_BYTES)?;
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
    let mut assets = Vec::new();
    for asset in &manifest.assets {
        if !asset.sha256.is_well_formed() {
            return Err(bad(
                path,
                format!("{:?} is not an asset hash", asset.sha256.0),
            ));
        }
        let name = format!("assets/{}", asset.sha256.0);
        let bytes = read_entry(&mut archive, path, &name, max_asset_bytes)?;
        let actual = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&bytes))
        };
        if actual != asset.sha256.0 {
            return Err(bad(
                path,
                format!("{name} is damaged (its content does not match its hash)"),
            ));
        }
        assets.push((
            ManifestAsset {
                sha256: asset.sha256.clone(),
                media_type: asset.media_type.clone(),
                size: bytes.len() as u64,
            },
            bytes,
        ));
    }
    Ok((manifest, assets))
}

/// The same course with new ids everywhere, as a new first version titled "… (copy)".
fn fresh_copy(mut tree: CourseTree) -> CourseTree {
    let now = {
        use chrono::SubsecRound;
        Utc::now().trunc_subsecs(6)
    };
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
