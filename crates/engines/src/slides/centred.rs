//! The templates that centre their text: the title slide and the quotation.

use super::svg::{Placed, Sheet};
use super::{
    Block, BlockKind, Element, FOOTER, Fonts, HEIGHT, INK, LINE, MARGIN, MUTED, SAFETY,
    SlideRenderer, WIDTH, wrap,
};

impl SlideRenderer {
    /// A title slide: the title large and centred, the body as a subtitle under it.
    pub(super) fn title_layout(
        &self,
        title: &str,
        blocks: &[Block],
        continued: &str,
    ) -> Vec<Sheet> {
        let width = WIDTH - 2.0 * MARGIN;
        let subtitle: Vec<String> = blocks
            .iter()
            .filter(|b| b.kind != BlockKind::ColumnBreak)
            .map(|b| b.text.clone())
            .collect();
        let subtitle = subtitle.join("\n");
        for (title_size, sub_size) in [
            (64.0, 30.0),
            (56.0, 28.0),
            (48.0, 26.0),
            (40.0, 24.0),
            (36.0, 20.0),
        ] {
            let t = wrap(&self.fonts, title.trim(), title_size, true, width * SAFETY);
            let s = wrap(&self.fonts, &subtitle, sub_size, false, width * SAFETY);
            let height =
                t.len() as f32 * title_size * 1.2 + 40.0 + s.len() as f32 * sub_size * LINE;
            let last = title_size == 36.0;
            if height <= HEIGHT - 2.0 * MARGIN - FOOTER || last {
                let mut sheet = Sheet::default();
                let mut y = ((HEIGHT - FOOTER - height) / 2.0).max(MARGIN / 2.0);
                let top = y;
                for line in &t {
                    sheet.lines.push(Placed {
                        text: line.clone(),
                        x: WIDTH / 2.0,
                        y,
                        size: title_size,
                        bold: true,
                        italic: false,
                        anchor: "middle",
                        fill: INK,
                    });
                    y += title_size * 1.2;
                }
                sheet.elements.push(element_centred(
                    "title",
                    title.trim(),
                    &t,
                    top,
                    y,
                    title_size,
                    true,
                    &self.fonts,
                ));
                sheet.rules.push((WIDTH / 2.0 - 60.0, y + 8.0, 120.0));
                y += 40.0;
                let sub_top = y;
                let room = HEIGHT - FOOTER - 16.0;
                let mut shown = Vec::new();
                for line in &s {
                    if y + sub_size * LINE > room {
                        break;
                    }
                    sheet.lines.push(Placed {
                        text: line.clone(),
                        x: WIDTH / 2.0,
                        y,
                        size: sub_size,
                        bold: false,
                        italic: false,
                        anchor: "middle",
                        fill: MUTED,
                    });
                    shown.push(line.clone());
                    y += sub_size * LINE;
                }
                if !shown.is_empty() {
                    sheet.elements.push(element_centred(
                        "text",
                        &subtitle,
                        &shown,
                        sub_top,
                        y,
                        sub_size,
                        false,
                        &self.fonts,
                    ));
                }
                sheet.body_size = sub_size;
                let mut sheets = vec![sheet];
                if shown.len() < s.len() {
                    // The rest of a very long subtitle goes on as a bullets page.
                    let rest = Block {
                        kind: BlockKind::Paragraph,
                        text: s[shown.len()..].join(" "),
                    };
                    // Every page after the first is a continuation, titled so.
                    let title = format!("{}{continued}", title.trim());
                    sheets.extend(self.columns_layout(&title, &[rest], "", 1));
                }
                return sheets;
            }
        }
        unreachable!("the last size is always taken")
    }

    /// A quotation, large and centred, with its attribution.
    pub(super) fn quote_layout(
        &self,
        title: &str,
        blocks: &[Block],
        continued: &str,
    ) -> Vec<Sheet> {
        let (_, body) = self.titled_page(title, "");
        let (quote, by): (Vec<&Block>, Vec<&Block>) = blocks
            .iter()
            .filter(|b| b.kind != BlockKind::ColumnBreak)
            .partition(|b| !is_attribution(&b.text));
        let text = quote
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let by = by
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let width = body.w - 120.0;
        for size in [44.0, 40.0, 36.0, 32.0, 28.0, 26.0, 24.0] {
            let lines = wrap(
                &self.fonts,
                &format!("“{}”", text.trim()),
                size,
                false,
                width * SAFETY,
            );
            let by_lines = wrap(&self.fonts, &by, 24.0, false, width * SAFETY);
            let height =
                lines.len() as f32 * size * LINE + by_lines.len() as f32 * 24.0 * LINE + 24.0;
            if height <= body.h {
                let (mut sheet, body) = self.titled_page(title, "");
                let mut y = body.y + (body.h - height) / 2.0;
                let top = y;
                for line in &lines {
                    sheet.lines.push(Placed {
                        text: line.clone(),
                        x: WIDTH / 2.0,
                        y,
                        size,
                        bold: false,
                        italic: true,
                        anchor: "middle",
                        fill: INK,
                    });
                    y += size * LINE;
                }
                sheet.elements.push(element_centred(
                    "quote",
                    text.trim(),
                    &lines,
                    top,
                    y,
                    size,
                    false,
                    &self.fonts,
                ));
                y += 24.0;
                for line in &by_lines {
                    sheet.lines.push(Placed {
                        text: line.clone(),
                        x: body.x + body.w - 60.0,
                        y,
                        size: 24.0,
                        bold: false,
                        italic: false,
                        anchor: "end",
                        fill: MUTED,
                    });
                    y += 24.0 * LINE;
                }
                sheet.body_size = size;
                return vec![sheet];
            }
        }
        // A very long quotation is set as ordinary text.
        self.columns_layout(title, blocks, continued, 1)
    }
}

/// A paragraph that credits the quotation: `— Author` and the like.
fn is_attribution(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('—') || t.starts_with("--") || t.starts_with("― ") || t.starts_with("- ")
}

/// The box of centred `lines` set from `top` to `bottom`.
#[allow(clippy::too_many_arguments)]
fn element_centred(
    kind: &'static str,
    label: &str,
    lines: &[String],
    top: f32,
    bottom: f32,
    size: f32,
    bold: bool,
    fonts: &Fonts,
) -> Element {
    let w = lines
        .iter()
        .map(|l| fonts.width(l, size, bold))
        .fold(0.0, f32::max);
    Element {
        kind,
        label: label.to_string(),
        x: WIDTH / 2.0 - w / 2.0,
        y: top,
        width: w,
        height: bottom - top,
    }
}
