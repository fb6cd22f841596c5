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
        if !path.exists() {
            let bytes = bytes.to_vec();
            let target = path.clone();
            tokio::task::spawn_blocking(move || write_atomically(&target, &bytes))
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
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io)?;
    Ok(())
}
