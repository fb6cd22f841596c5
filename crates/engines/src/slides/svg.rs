//! A laid-out page (lines of text, accent rules, images) and how it is written as SVG.

use super::{ACCENT, Element, Fonts, HEIGHT, WIDTH};
use base64::Engine as _;
use std::fmt::Write as _;

/// A line of text placed on a page.
#[derive(Debug, Clone)]
pub(super) struct Placed {
    pub(super) text: String,
    pub(super) x: f32,
    /// Top of the line box.
    pub(super) y: f32,
    pub(super) size: f32,
    pub(super) bold: bool,
    pub(super) italic: bool,
    pub(super) anchor: &'static str,
    pub(super) fill: &'static str,
}

/// A box on a page.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rect {
    pub(super) x: f32,
    pub(super) y: f32,
    pub(super) w: f32,
    pub(super) h: f32,
}

/// A page being laid out.
#[derive(Debug, Default)]
pub(super) struct Sheet {
    pub(super) lines: Vec<Placed>,
    /// Accent rules: (x, y, width).
    pub(super) rules: Vec<(f32, f32, f32)>,
    pub(super) images: Vec<(Rect, Vec<u8>)>,
    pub(super) elements: Vec<Element>,
    pub(super) body_size: f32,
}

impl Sheet {
    pub(super) fn svg(&self, fonts: &Fonts) -> String {
        let mut svg = String::new();
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">"#
        );
        let _ = write!(
            svg,
            r##"<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>"##
        );
        let _ = write!(
            svg,
            r#"<rect width="14" height="{HEIGHT}" fill="{ACCENT}"/>"#
        );
        for (x, y, w) in &self.rules {
            let _ = write!(
                svg,
                r#"<rect x="{x}" y="{y}" width="{w}" height="5" fill="{ACCENT}"/>"#
            );
        }
        for (r, bytes) in &self.images {
            let Some(media) = image_type(bytes) else {
                continue;
            };
            let data = base64::engine::general_purpose::STANDARD.encode(bytes);
            let _ = write!(
                svg,
                r#"<image x="{}" y="{}" width="{}" height="{}" preserveAspectRatio="xMidYMid meet" xlink:href="data:{media};base64,{data}"/>"#,
                r.x, r.y, r.w, r.h
            );
        }
        for line in &self.lines {
            // The baseline sits at 0.95 em below the top of the line box.
            let baseline = line.y + line.size * 0.95;
            let _ = write!(
                svg,
                r#"<text x="{}" y="{baseline}" font-family="{}" font-size="{}" fill="{}" text-anchor="{}"{}{} xml:space="preserve">{}</text>"#,
                line.x,
                fonts.families(&line.text),
                line.size,
                line.fill,
                line.anchor,
                if line.bold {
                    r#" font-weight="bold""#
                } else {
                    ""
                },
                if line.italic {
                    r#" font-style="italic""#
                } else {
                    ""
                },
                xml_escape(&line.text)
            );
        }
        svg.push_str("</svg>");
        svg
    }
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The media type of image bytes that the renderer can draw.
pub(super) fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF8") {
        Some("image/gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}
