//! The media types that ClassKit Studio keeps as assets, in a local library and on the team
//! server alike.

/// The media types ClassKit Studio keeps: pictures and sounds that a browser shows or plays
/// without running anything (no SVG, no HTML).
pub const MEDIA_TYPES: [&str; 10] = [
    "image/png",
    "image/jpeg",
    "image/webp",
    "image/gif",
    "audio/ogg",
    "audio/mpeg",
    "audio/wav",
    "audio/x-wav",
    "audio/webm",
    "audio/mp4",
];

/// True for a media type ClassKit Studio keeps (see [`MEDIA_TYPES`]).
pub fn is_media_type(media_type: &str) -> bool {
    MEDIA_TYPES.contains(&media_type)
}
