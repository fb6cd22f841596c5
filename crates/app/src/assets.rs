//! Stored files as the UI loads them: by the sha256 of their bytes, and only pictures and
//! sounds (never a page or a script the webview would run).

use crate::{App, AppError, Result};
use classkit_model::AssetRef;

/// A stored file the UI may load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedAsset {
    pub media_type: String,
    pub bytes: Vec<u8>,
}

impl App {
    /// The stored file named `sha256` (64 hex digits; nothing else of the disk is reachable),
    /// when it is a picture or a sound the library keeps. SVG can hold script, so it is not
    /// one of them.
    pub async fn asset(&self, sha256: &str) -> Result<ServedAsset> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::Invalid(format!(
                "{:?} is not the name of a stored file (64 hex digits)",
                sha256.chars().take(80).collect::<String>()
            )));
        }
        let asset = AssetRef(sha256.to_ascii_lowercase());
        let info = self.store.asset_info(&asset).await?;
        if !classkit_store::is_media_type(&info.media_type) {
            return Err(AppError::NotServable {
                sha256: asset.0,
                media_type: info.media_type,
            });
        }
        Ok(ServedAsset {
            bytes: self.store.asset_bytes(&asset).await?,
            media_type: info.media_type,
        })
    }
}
