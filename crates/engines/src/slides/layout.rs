//! The page every template starts from (the title at the top, shrunk or cut to fit) and the
//! templates that fill it with body text: bullets, two columns, and an image beside text.

use super::paginate::{Wrapped, place, split_columns, stack_height, take_fitting};
use super::svg::{Placed, Rect, Sheet};
use super::{
    BODY_SIZES, Block, BlockKind, Element, FLOW_SIZE, FOOTER, HEIGHT, INK, MARGIN, SAFETY,
    SlideRenderer, TITLE_SIZES, WIDTH, wrap,
};

impl SlideRenderer {
    /// `text` on one line at most `width` wide, cut with an ellipsis when it is longer.
    pub(super) fn fit_one_line(&self, text: &str, size: f32, width: f32) -> String {
        if self.fonts.width(text, size, false) <= width {
            return text.to_string();
        }
        let mut out = String::new();
        for c in text.chars() {
            if self.fonts.width(&format!("{out}{c}…"), size, false) > width {
                break;
            }
            out.push(c);
        }
        format!("{}…", out.trim_end())
    }

    /// The title wrapped at the largest size that fits in two lines (three at the smallest).
    fn title_lines(&self, title: &str, width: f32) -> (Vec<String>, f32) {
        for size in TITLE_SIZES {
            let lines = wrap(&self.fonts, title, size, true, width * SAFETY);
            if lines.len() <= 2 {
                return (lines, size);
            }
        }
        // At most three lines: the rest of a very long title is cut with an ellipsis.
        let size = TITLE_SIZES[TITLE_SIZES.len() - 1];
        let mut lines = wrap(&self.fonts, title, size, true, width * SAFETY);
        if lines.len() > 3 {
            let rest = lines[2..].join(" ");
            lines.truncate(2);
            let mut cut = String::new();
            for c in rest.chars() {
                if self.fonts.width(&format!("{cut}{c}…"), size, true) > width * SAFETY {
                    break;
                }
                cut.push(c);
            }
            lines.push(format!("{}…", cut.trim_end()));
        }
        (lines, size)
    }

    /// A page with the title at the top; returns it and the box left for the body.
    pub(super) fn titled_page(&self, title: &str, suffix: &str) -> (Sheet, Rect) {
        let mut sheet = Sheet::default();
        let width = WIDTH - 2.0 * MARGIN;
        let full = format!("{}{suffix}", title.trim());
        let (lines, size) = self.title_lines(&full, width);
        let mut y = MARGIN - 16.0;
        for line in &lines {
            sheet.lines.push(Placed {
                text: line.clone(),
                x: MARGIN,
                y,
                size,
                bold: true,
                italic: false,
                anchor: "start",
                fill: INK,
            });
            y += size * 1.2;
        }
        if !lines.is_empty() {
            sheet.elements.push(Element {
                kind: "title",
                label: title.trim().to_string(),
                x: MARGIN,
                y: MARGIN - 16.0,
                width: lines
                    .iter()
                    .map(|l| self.fonts.width(l, size, true))
                    .fold(0.0, f32::max),
                height: y - (MARGIN - 16.0),
            });
        }
        sheet.rules.push((MARGIN, y + 8.0, 120.0));
        let top = y + 32.0;
        let body = Rect {
            x: MARGIN,
            y: top,
            w: width,
            h: HEIGHT - FOOTER - 16.0 - top,
        };
        (sheet, body)
    }

    /// Body text in `columns` columns under the title, shrunk to fit, else continued.
    pub(super) fn columns_layout(
        &self,
        title: &str,
        blocks: &[Block],
        continued: &str,
        columns: usize,
    ) -> Vec<Sheet> {
        let (_, body) = self.titled_page(title, "");
        let gap = 48.0;
        let col_w = (body.w - gap * (columns as f32 - 1.0)) / columns as f32;
        let col = |i: usize, r: Rect| Rect {
            x: r.x + i as f32 * (col_w + gap),
            y: r.y,
            w: col_w,
            h: r.h,
        };
        for size in BODY_SIZES {
            let wrapped: Vec<Wrapped> = blocks
                .iter()
                .filter(|b| b.kind != BlockKind::ColumnBreak)
                .map(|b| self.wrap_block(b, size, col_w))
                .collect();
            let split = split_columns(blocks, &wrapped, columns, size);
            let fits = split
                .iter()
                .all(|group| stack_height(group, size) <= body.h);
            if fits {
                let (mut sheet, body) = self.titled_page(title, "");
                for (i, group) in split.iter().enumerate() {
                    place(&mut sheet, group, col(i, body), &self.fonts);
                }
                sheet.body_size = size;
                return vec![sheet];
            }
        }
        // Too much even at the smallest size: flow column after column, page after page.
        let mut rest: Vec<Wrapped> = blocks
            .iter()
            .filter(|b| b.kind != BlockKind::ColumnBreak)
            .map(|b| self.wrap_block(b, FLOW_SIZE, col_w))
            .collect();
        let mut sheets = Vec::new();
        while !rest.is_empty() {
            let suffix = if sheets.is_empty() { "" } else { continued };
            let (mut sheet, body) = self.titled_page(title, suffix);
            for i in 0..columns {
                let (now, later) = take_fitting(rest, body.h, FLOW_SIZE);
                place(&mut sheet, &now, col(i, body), &self.fonts);
                rest = later;
            }
            sheet.body_size = FLOW_SIZE;
            sheets.push(sheet);
        }
        if sheets.is_empty() {
            let (mut sheet, _) = self.titled_page(title, "");
            sheet.body_size = FLOW_SIZE;
            sheets.push(sheet);
        }
        sheets
    }

    /// The image on the left, the text on the right.
    pub(super) fn image_layout(
        &self,
        title: &str,
        blocks: &[Block],
        image: Option<&[u8]>,
        continued: &str,
    ) -> Vec<Sheet> {
        let (_, body) = self.titled_page(title, "");
        let image_w = body.w * 0.45;
        let gap = 40.0;
        let text_box = |r: Rect| Rect {
            x: r.x + image_w + gap,
            y: r.y,
            w: r.w - image_w - gap,
            h: r.h,
        };
        let mut chosen = None;
        for size in BODY_SIZES {
            let wrapped: Vec<Wrapped> = blocks
                .iter()
                .filter(|b| b.kind != BlockKind::ColumnBreak)
                .map(|b| self.wrap_block(b, size, text_box(body).w))
                .collect();
            if stack_height(&wrapped, size) <= body.h {
                chosen = Some((wrapped, size));
                break;
            }
        }
        let (mut rest, size) = chosen.unwrap_or_else(|| {
            let w = blocks
                .iter()
                .filter(|b| b.kind != BlockKind::ColumnBreak)
                .map(|b| self.wrap_block(b, FLOW_SIZE, text_box(body).w))
                .collect();
            (w, FLOW_SIZE)
        });
        let mut sheets = Vec::new();
        loop {
            let suffix = if sheets.is_empty() { "" } else { continued };
            let (mut sheet, body) = self.titled_page(title, suffix);
            if sheets.is_empty()
                && let Some(bytes) = image
            {
                let frame = Rect {
                    x: body.x,
                    y: body.y,
                    w: image_w,
                    h: body.h,
                };
                sheet.images.push((frame, bytes.to_vec()));
                sheet.elements.push(Element {
                    kind: "image",
                    label: String::new(),
                    x: frame.x,
                    y: frame.y,
                    width: frame.w,
                    height: frame.h,
                });
            }
            let (now, later) = take_fitting(rest, body.h, size);
            place(&mut sheet, &now, text_box(body), &self.fonts);
            sheet.body_size = size;
            sheets.push(sheet);
            rest = later;
            if rest.is_empty() {
                break;
            }
        }
        sheets
    }
}
