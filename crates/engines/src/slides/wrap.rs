//! Line breaking by the Unicode line breaking algorithm (UAX #14), with Korean kept whole
//! between spaces ("keep-all", as Korean is set), and words too long for a line split.

use super::fonts::Fonts;
use crate::lang::is_hangul;
use unicode_linebreak::{BreakOpportunity, linebreaks};

/// Breaks `text` into lines no wider than `width` pixels at `size`.
pub fn wrap(fonts: &Fonts, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut start = 0;
    for (end, kind) in linebreaks(text) {
        let before = text[..end].chars().next_back();
        let after = text[end..].chars().next();
        let hangul_inside =
            matches!((before, after), (Some(b), Some(a)) if is_hangul(b) && is_hangul(a));
        if kind == BreakOpportunity::Allowed && hangul_inside {
            continue;
        }
        let segment = &text[start..end];
        start = end;
        let candidate = format!("{line}{segment}");
        if fonts.width(candidate.trim_end(), size, bold) <= width {
            line = candidate;
        } else {
            if !line.trim().is_empty() {
                lines.push(line.trim_end().to_string());
            }
            line = String::new();
            // A segment wider than the line is split between characters.
            for c in segment.chars() {
                let next = format!("{line}{c}");
                if fonts.width(next.trim_end(), size, bold) > width && !line.is_empty() {
                    lines.push(line.trim_end().to_string());
                    line = c.to_string().trim_start().to_string();
                } else {
                    line = next;
                }
            }
        }
        if kind == BreakOpportunity::Mandatory {
            let done = line.trim_end().to_string();
            if !done.is_empty() || end < text.len() {
                lines.push(done);
            }
            line = String::new();
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}
