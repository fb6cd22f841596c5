//! Assets (audio, images) stored once per content hash under `assets/` in the library.

use crate::error::{Result, StoreError};
use crate::{Store, now};
use classkit_model::AssetRef;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::io::Write;
use std::path::PathBuf;

/// Largest assets the library accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssetLimits {
    /// Largest single asset, in bytes.
    pub max_asset_bytes: u64,
}

impl Default for AssetLimits {
    /// 200 MiB: an hour of compressed narration or a large image fits, a stray video does not.
    fn default() -> Self {
        Self {
            max_asset_bytes: 200 * 1024 * 1024,
        }
    }
}

/// What the library knows about a stored asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssetInfo {
    pub sha256: AssetRef,
    pub media_type: String,
    pub size: u64,
}

impl Store {
    /// Where a stored asset's bytes are, for copying them without reading them whole.
    pub fn asset_file(&self, asset: &AssetRef) -> PathBuf {
        let sha256 = asset.0.as_str();
        let shard = sha256.get(..2).unwrap_or("xx");
        self.dir.join("assets").join(shard).join(sha256)
    }

    /// Stores bytes under their sha256 and returns the reference. Storing the same bytes
    /// again writes nothing new.
    pub async fn put_asset(&self, bytes: &[u8], media_type: &str) -> Result<AssetInfo> {
        let size = bytes.len() as u64;
        if size > self.limits.max_asset_bytes {
            return Err(StoreError::AssetTooLarge {
                what: format!("this {media_type} file"),
                size,
                limit: self.limits.max_asset_bytes,
            });
        }
        let sha256 = hex::encode(Sha256::digest(bytes));
        let path = self.asset_file(&AssetRef(sha256.clone()));
        let write = || {
            let bytes = bytes.to_vec();
            let target = path.clone();
            tokio::task::spawn_blocking(move || write_atomically(&target, &bytes))
        };
        if !path.exists() {
            write()
                .await
                .map_err(|e| StoreError::Invalid(format!("asset writer stopped: {e}")))??;
        }
        sqlx::query(
            "INSERT INTO assets (sha256, media_type, size, created_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&sha256)
        .bind(media_type)
        .bind(size as i64)
        .bind(now())
        .execute(&self.pool)
        .await?;
        // A failed import may have taken back the file it had placed, between the check
        // above and the record (see `unplace`): the record now keeps it, so write it again.
        if !path.exists() {
            write()
                .await
                .map_err(|e| StoreError::Invalid(format!("asset writer stopped: {e}")))??;
        }
        Ok(AssetInfo {
            sha256: AssetRef(sha256),
            media_type: media_type.to_string(),
            size,
        })
    }

    /// What the library knows about an asset.
    pub async fn asset_info(&self, asset: &AssetRef) -> Result<AssetInfo> {
        let row = sqlx::query("SELECT media_type, size FROM assets WHERE sha256 = ?")
            .bind(&asset.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::AssetMissing(asset.0.clone()))?;
        Ok(AssetInfo {
            sha256: asset.clone(),
            media_type: row.try_get("media_type")?,
            size: row.try_get::<i64, _>("size")? as u64,
        })
    }

    /// The bytes of an asset, checked against their hash.
    pub async fn asset_bytes(&self, asset: &AssetRef) -> Result<Vec<u8>> {
        if !asset.is_well_formed() {
            return Err(StoreError::AssetMissing(asset.0.clone()));
        }
        self.asset_info(asset).await?;
        let path = self.asset_file(asset);
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|source| StoreError::Io { path, source })?;
        if hex::encode(Sha256::digest(&bytes)) != asset.0 {
            return Err(StoreError::Corrupt(format!(
                "asset {} does not match its hash",
                asset.0
            )));
        }
        Ok(bytes)
    }
}

pub use classkit_model::media::{MEDIA_TYPES, is_media_type};

/// An asset streamed into a temporary file of the library's `assets/` folder and hashed on
/// the way. It becomes part of the library only when the import that uses it commits;
/// dropped before that, it leaves nothing behind.
#[derive(Debug)]
pub struct StagedAsset {
    pub info: AssetInfo,
    file: tempfile::NamedTempFile,
}

/// What [`Store::place`] did.
#[derive(Debug, Default)]
pub(crate) struct Placed {
    /// Files it moved into the library.
    pub paths: Vec<PathBuf>,
    /// Staged copies of files that were in place already.
    pub kept: Vec<StagedAsset>,
}

/// A writer that hashes and counts what passes through it to `inner`.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    written: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Store {
    /// Streams at most the asset limit from `reader` into a temporary file beside the
    /// library's assets, hashing it on the way; memory stays a buffer's worth whatever the
    /// size. `Ok(None)` when `reader` holds more than `limit` bytes. Blocking: call it off
    /// the async runtime's threads.
    pub fn stage_asset(
        &self,
        reader: impl std::io::Read,
        media_type: &str,
        limit: u64,
    ) -> Result<Option<StagedAsset>> {
        let dir = self.dir.join("assets");
        let io = |source| StoreError::Io {
            path: dir.clone(),
            source,
        };
        let file = tempfile::Builder::new()
            .prefix(".incoming-")
            .tempfile_in(&dir)
            .map_err(io)?;
        let mut sink = Hashing {
            inner: std::io::BufWriter::new(file.as_file().try_clone().map_err(io)?),
            hasher: Sha256::new(),
            written: 0,
        };
        std::io::copy(&mut reader.take(limit + 1), &mut sink).map_err(io)?;
        sink.flush().map_err(io)?;
        if sink.written > limit {
            return Ok(None);
        }
        let (size, sha256) = (sink.written, hex::encode(sink.hasher.finalize()));
        Ok(Some(StagedAsset {
            info: AssetInfo {
                sha256: AssetRef(sha256),
                media_type: media_type.to_string(),
                size,
            },
            file,
        }))
    }

    /// True when the bytes of `asset` are in the library already (with their record).
    pub async fn has_asset(&self, asset: &AssetRef) -> Result<bool> {
        Ok(self.asset_info(asset).await.is_ok() && self.asset_file(asset).is_file())
    }

    /// Moves staged assets to their places, recording in `placed` each file it moved in (for
    /// [`Store::unplace`] should the import fail, this call included). The staged copy of a
    /// file already in place is kept until the import commits ([`Store::settle`]): a failed
    /// import elsewhere may take that file back meanwhile. Blocking.
    pub(crate) fn place(&self, staged: Vec<StagedAsset>, placed: &mut Placed) -> Result<()> {
        for asset in staged {
            let path = self.asset_file(&asset.info.sha256);
            if path.exists() {
                placed.kept.push(asset);
                continue;
            }
            let moved = persist_synced(asset.file, &path);
            // (It was not there before: whatever is there now is this import's to take back.)
            if path.exists() {
                placed.paths.push(path.clone());
            }
            moved.map_err(|source| StoreError::Io { path, source })?;
        }
        Ok(())
    }

    /// After an import committed: the files it found in place and recorded are there still,
    /// or are put back from its staged copies. Blocking.
    pub(crate) fn settle(&self, kept: Vec<StagedAsset>) {
        for asset in kept {
            let path = self.asset_file(&asset.info.sha256);
            if path.exists() {
                continue;
            }
            if let Err(e) = persist_synced(asset.file, &path) {
                tracing::warn!(path = %path.display(), error = %e, "could not put back an imported file");
            }
        }
    }

    /// Removes files [`Store::place`] created for an import that then failed, unless
    /// something recorded them meanwhile. Each check and removal holds the library's write
    /// lock, and [`Store::put_asset`] writes a file again that went missing while it was
    /// recording it, so no record is left without its file.
    pub(crate) async fn unplace(&self, placed: Vec<PathBuf>) {
        for path in placed {
            let hash = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Ok(mut tx) = self.write().await else {
                continue;
            };
            let recorded = sqlx::query("SELECT 1 FROM assets WHERE sha256 = ?")
                .bind(&hash)
                .fetch_optional(&mut *tx)
                .await;
            if let Ok(None) = recorded {
                let _ = std::fs::remove_file(&path);
            }
            let _ = tx.commit().await;
        }
    }
}

/// Writes to a temporary file beside `path`, syncs it, then renames it into place, so a
/// crash leaves either no file or the whole file.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .ok_or_else(|| StoreError::Invalid("asset path has no folder".into()))?;
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    persist_synced(tmp, path).map_err(io)
}

/// Moves a written temporary file (in the same file system) to `path` for good: synced,
/// renamed, and its folder synced, so a crash leaves either no file or the whole file.
fn persist_synced(tmp: tempfile::NamedTempFile, path: &std::path::Path) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("an asset path has no folder"))?;
    std::fs::create_dir_all(dir)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    std::fs::File::open(dir).and_then(|d| d.sync_all())
}
