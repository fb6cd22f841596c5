//! Fitting wrapped text into boxes: how tall a stack of blocks is, where two columns split,
//! what fits on a page and what goes on to the next, and placing the lines.

use super::svg::{Placed, Rect, Sheet};
use super::{
    ACCENT, Block, BlockKind, Element, Fonts, INK, LINE, MUTED, SAFETY, SlideRenderer, wrap,
};

/// A block wrapped at one size.
#[derive(Debug, Clone)]
pub(super) struct Wrapped {
    pub(super) kind: BlockKind,
    pub(super) lines: Vec<String>,
    pub(super) indent: f32,
    pub(super) marker: Option<String>,
    pub(super) size: f32,
}

impl Wrapped {
    fn height(&self) -> f32 {
        self.lines.len() as f32 * self.size * LINE
    }
}

impl SlideRenderer {
    /// A block wrapped to `width` at `size`, indented and marked when it is a bullet.
    pub(super) fn wrap_block(&self, block: &Block, size: f32, width: f32) -> Wrapped {
        let (indent, marker) = match &block.kind {
            BlockKind::Bullet { level, number } => {
                let indent = 36.0 + 36.0 * f32::from(*level);
                let marker = match number {
                    Some(n) => format!("{n}."),
                    None => if *level == 0 { "•" } else { "–" }.to_string(),
                };
                (indent, Some(marker))
            }
            _ => (0.0, None),
        };
        let bold = matches!(block.kind, BlockKind::Heading);
        let lines = wrap(
            &self.fonts,
            &block.text,
            size,
            bold,
            (width - indent) * SAFETY,
        );
        Wrapped {
            kind: block.kind.clone(),
            lines,
            indent,
            marker,
            size,
        }
    }
}

/// Space between blocks.
fn gap(size: f32) -> f32 {
    size * 0.5
}

pub(super) fn stack_height(blocks: &[Wrapped], size: f32) -> f32 {
    let lines: f32 = blocks.iter().map(Wrapped::height).sum();
    lines + gap(size) * blocks.len().saturating_sub(1) as f32
}

/// Splits wrapped blocks into `columns` groups: at the author's column break (`---`) when
/// there is one, else where the tallest column is shortest.
pub(super) fn split_columns(
    blocks: &[Block],
    wrapped: &[Wrapped],
    columns: usize,
    size: f32,
) -> Vec<Vec<Wrapped>> {
    if columns <= 1 || wrapped.len() < 2 {
        return vec![wrapped.to_vec()];
    }
    let marked = blocks
        .iter()
        .position(|b| b.kind == BlockKind::ColumnBreak)
        .map(|i| {
            blocks[..i]
                .iter()
                .filter(|b| b.kind != BlockKind::ColumnBreak)
                .count()
        });
    let at = marked.unwrap_or_else(|| {
        (1..wrapped.len())
            .min_by(|a, b| {
                let ha = stack_height(&wrapped[..*a], size).max(stack_height(&wrapped[*a..], size));
                let hb = stack_height(&wrapped[..*b], size).max(stack_height(&wrapped[*b..], size));
                ha.total_cmp(&hb)
            })
            .unwrap_or(1)
    });
    vec![wrapped[..at].to_vec(), wrapped[at..].to_vec()]
}

/// The blocks (and lines of a block) that fit in `height`, and the rest. At least one line
/// is always taken, so a page is never empty.
pub(super) fn take_fitting(
    blocks: Vec<Wrapped>,
    height: f32,
    size: f32,
) -> (Vec<Wrapped>, Vec<Wrapped>) {
    let line_h = size * LINE;
    let mut now = Vec::new();
    let mut used = 0.0;
    let mut iter = blocks.into_iter();
    while let Some(block) = iter.next() {
        let top = if now.is_empty() { 0.0 } else { gap(size) };
        if used + top + block.height() <= height {
            used += top + block.height();
            now.push(block);
            continue;
        }
        let room = ((height - used - top) / line_h).floor().max(0.0) as usize;
        let mut rest: Vec<Wrapped> = Vec::new();
        // Split a block only when at least two lines fit (or nothing is on the page yet).
        if room >= 2.min(block.lines.len()) && (room >= 2 || now.is_empty()) && room > 0 {
            let room = room.min(block.lines.len());
            let mut first = block.clone();
            first.lines.truncate(room);
            let mut second = block;
            second.lines.drain(..room);
            second.marker = None;
            now.push(first);
            if !second.lines.is_empty() {
                rest.push(second);
            }
        } else if now.is_empty() {
            let mut first = block.clone();
            first.lines.truncate(1);
            let mut second = block;
            second.lines.drain(..1);
            second.marker = None;
            now.push(first);
            if !second.lines.is_empty() {
                rest.push(second);
            }
        } else {
            rest.push(block);
        }
        rest.extend(iter);
        return (now, rest);
    }
    (now, Vec::new())
}

/// Places wrapped blocks top-down in `area`.
pub(super) fn place(sheet: &mut Sheet, blocks: &[Wrapped], area: Rect, fonts: &Fonts) {
    let mut y = area.y;
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            y += gap(block.size);
        }
        let top = y;
        let bold = matches!(block.kind, BlockKind::Heading);
        let italic = matches!(block.kind, BlockKind::Quote);
        if let Some(marker) = &block.marker {
            sheet.lines.push(Placed {
                text: marker.clone(),
                x: area.x + block.indent - 30.0,
                y,
                size: block.size,
                bold: false,
                italic: false,
                anchor: "start",
                fill: ACCENT,
            });
        }
        let mut widest: f32 = 0.0;
        for line in &block.lines {
            widest = widest.max(fonts.width(line, block.size, bold));
            sheet.lines.push(Placed {
                text: line.clone(),
                x: area.x + block.indent,
                y,
                size: block.size,
                bold,
                italic,
                anchor: "start",
                fill: if italic { MUTED } else { INK },
            });
            y += block.size * LINE;
        }
        if !block.lines.is_empty() {
            let kind = match block.kind {
                BlockKind::Bullet { .. } => "bullet",
                BlockKind::Heading => "heading",
                BlockKind::Quote => "quote",
                _ => "text",
            };
            sheet.elements.push(Element {
                kind,
                label: block.lines.join(" "),
                x: area.x + block.indent,
                y: top,
                width: widest,
                height: y - top,
            });
        }
    }
}
