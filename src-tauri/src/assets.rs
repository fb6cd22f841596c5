//! Stored files served to the webview under the app's own URI scheme; which files may be
//! served is `classkit-app`'s rule ([`classkit_app::App::asset`]).

use crate::Library;
use classkit_app::ErrorCode;
use tauri::http::{Response, StatusCode, header};
use tauri::{Manager, Runtime};

/// The URI scheme the webview loads stored files from: `classkit://localhost/<sha256>`
/// (`http://classkit.localhost/<sha256>` on Windows).
pub const ASSET_SCHEME: &str = "classkit";

fn reply(status: StatusCode, media: &str, body: Vec<u8>) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, media)
        .header(header::CACHE_CONTROL, "max-age=31536000, immutable")
        // A stored file is only ever a picture or a sound: never a page that runs.
        .header("X-Content-Type-Options", "nosniff")
        .header("Content-Security-Policy", "default-src 'none'; sandbox")
        // The UI reads sounds with fetch() to play them where the webview plays no media from
        // this scheme (WebKitGTK); its pages come from another origin (tauri://localhost).
        .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
        .body(body)
        .unwrap_or_default()
}

/// A stored file by its sha256, with its media type; anything else is refused with a status
/// that says why.
pub async fn serve<R: Runtime>(app: &tauri::AppHandle<R>, path: &str) -> Response<Vec<u8>> {
    let Some(library) = app.try_state::<Library>() else {
        return reply(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/plain",
            b"no library".to_vec(),
        );
    };
    match library.app.asset(path.trim_start_matches('/')).await {
        Ok(asset) => reply(StatusCode::OK, &asset.media_type, asset.bytes),
        Err(e) => {
            let status = match e.code() {
                ErrorCode::InvalidInput => StatusCode::BAD_REQUEST,
                ErrorCode::NotServable => StatusCode::FORBIDDEN,
                ErrorCode::NotFound => StatusCode::NOT_FOUND,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            reply(status, "text/plain", e.to_string().into_bytes())
        }
    }
}
