//! Slides rendered to SVG by layout templates (title, bullets, two columns, image + text,
//! quote), then to PNG with resvg, with a thumbnail for the app.
//!
//! Text is wrapped with the renderer's own fonts. When it does not fit, the text shrinks
//! step by step; when it still does not fit at the smallest size, the rest goes onto
//! continuation pages. Every element's box is reported (for HOTSPOT drafts).

pub mod fonts;
mod markdown;
mod wrap;

pub use fonts::Fonts;
pub use markdown::{Block, BlockKind, blocks};
pub use wrap::wrap;

use base64::Engine as _;
use classkit_jobs::JobError;
use classkit_model::SlideLayout;
use resvg::{tiny_skia, usvg};
use std::fmt::Write as _;
use std::sync::Arc;

pub const WIDTH: f32 = 1280.0;
pub const HEIGHT: f32 = 720.0;
/// Thumbnails are a quarter of the slide each way.
pub const THUMBNAIL_SCALE: f32 = 0.25;
const MARGIN: f32 = 72.0;
const FOOTER: f32 = 40.0;
const LINE: f32 = 1.3;
/// Lines are wrapped a little short of the box: the renderer kerns, the measure does not.
const SAFETY: f32 = 0.96;
const BODY_SIZES: [f32; 7] = [34.0, 32.0, 30.0, 28.0, 26.0, 24.0, 22.0];
/// Continuation pages are set at this size rather than the smallest.
const FLOW_SIZE: f32 = 24.0;
const TITLE_SIZES: [f32; 4] = [48.0, 44.0, 40.0, 36.0];
const INK: &str = "#1a202c";
const MUTED: &str = "#4a5568";
const ACCENT: &str = "#2b6cb0";

/// What to render.
#[derive(Debug, Clone, Copy)]
pub struct SlideInput<'a> {
    pub title: &'a str,
    /// Markdown.
    pub body: &'a str,
    pub layout: SlideLayout,
    /// The slide's image (PNG, JPEG, GIF or WebP bytes), for the image + text layout.
    pub image: Option<&'a [u8]>,
    /// Small print at the bottom left (the lesson's title).
    pub footer: &'a str,
    pub number: Option<u32>,
}

/// A labelled box on a page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Element {
    pub kind: &'static str,
    pub label: String,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// One rendered page of a slide (a slide whose text overflows has continuation pages).
#[derive(Debug, Clone)]
pub struct Page {
    pub svg: String,
    /// A continuation of the slide's first page.
    pub continued: bool,
    /// The body text size used, in pixels.
    pub body_size: f32,
    pub elements: Vec<Element>,
}

/// A page with its PNG images.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub page: Page,
    pub png: Vec<u8>,
    pub thumbnail: Vec<u8>,
}

/// A line of text placed on a page.
#[derive(Debug, Clone)]
struct Placed {
    text: String,
    x: f32,
    /// Top of the line box.
    y: f32,
    size: f32,
    bold: bool,
    italic: bool,
    anchor: &'static str,
    fill: &'static str,
}

/// A block wrapped at one size.
#[derive(Debug, Clone)]
struct Wrapped {
    kind: BlockKind,
    lines: Vec<String>,
    indent: f32,
    marker: Option<String>,
    size: f32,
}

impl Wrapped {
    fn height(&self) -> f32 {
        self.lines.len() as f32 * self.size * LINE
    }
}

#[derive(Debug, Clone, Copy)]
struct Rect {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

/// Renders slides; holds the fonts (load once, share).
#[derive(Debug, Clone)]
pub struct SlideRenderer {
    fonts: Arc<Fonts>,
}

impl SlideRenderer {
    pub fn new(fonts: Arc<Fonts>) -> Self {
        Self { fonts }
    }

    /// With the system fonts.
    pub fn system() -> Result<Self, JobError> {
        Ok(Self::new(Arc::new(Fonts::system()?)))
    }

    /// Lays the slide out as SVG pages.
    pub fn layout(&self, input: &SlideInput) -> Result<Vec<Page>, JobError> {
        let blocks = blocks(input.body);
        let image = input.image.filter(|b| image_type(b).is_some());
        let korean = crate::lang::detect(&format!("{} {}", input.title, input.body))
            .is_some_and(|l| l == "ko");
        let continued = if korean { " (계속)" } else { " (continued)" };
        let pages = match input.layout {
            SlideLayout::Title => self.title_layout(input.title, &blocks, continued),
            SlideLayout::Quote => self.quote_layout(input.title, &blocks, continued),
            SlideLayout::TwoColumns => self.columns_layout(input.title, &blocks, continued, 2),
            SlideLayout::ImageText if image.is_some() => {
                self.image_layout(input.title, &blocks, image, continued)
            }
            SlideLayout::Bullets | SlideLayout::ImageText => {
                self.columns_layout(input.title, &blocks, continued, 1)
            }
        };
        let total = pages.len();
        Ok(pages
            .into_iter()
            .enumerate()
            .map(|(i, mut page)| {
                let mut footer = Vec::new();
                if !input.footer.trim().is_empty() {
                    let size = 16.0;
                    let text = self.fit_one_line(input.footer.trim(), size, WIDTH / 2.0);
                    footer.push(Placed {
                        text,
                        x: MARGIN,
                        y: HEIGHT - FOOTER + 8.0,
                        size,
                        bold: false,
                        italic: false,
                        anchor: "start",
                        fill: MUTED,
                    });
                }
                if let Some(n) = input.number {
                    let label = if total > 1 {
                        format!("{n} ({}/{total})", i + 1)
                    } else {
                        n.to_string()
                    };
                    footer.push(Placed {
                        text: label,
                        x: WIDTH - MARGIN,
                        y: HEIGHT - FOOTER + 8.0,
                        size: 16.0,
                        bold: false,
                        italic: false,
                        anchor: "end",
                        fill: MUTED,
                    });
                }
                page.lines.extend(footer);
                Page {
                    svg: page.svg(&self.fonts),
                    continued: i > 0,
                    body_size: page.body_size,
                    elements: page.elements,
                }
            })
            .collect())
    }

    /// Lays out and renders the slide to PNG pages with thumbnails.
    pub fn render(&self, input: &SlideInput) -> Result<Vec<Rendered>, JobError> {
        self.layout(input)?
            .into_iter()
            .map(|page| {
                let (png, thumbnail) = self.rasterize(&page.svg)?;
                Ok(Rendered {
                    page,
                    png,
                    thumbnail,
                })
            })
            .collect()
    }

    /// SVG to a full-size PNG and a thumbnail.
    pub fn rasterize(&self, svg: &str) -> Result<(Vec<u8>, Vec<u8>), JobError> {
        let options = usvg::Options {
            fontdb: self.fonts.database(),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &options)
            .map_err(|e| JobError::permanent(format!("the slide's SVG is invalid: {e}")))?;
        let draw = |scale: f32| -> Result<Vec<u8>, JobError> {
            let w = (WIDTH * scale).round() as u32;
            let h = (HEIGHT * scale).round() as u32;
            let mut pixmap = tiny_skia::Pixmap::new(w, h)
                .ok_or_else(|| JobError::permanent("cannot make a picture of that size"))?;
            resvg::render(
                &tree,
                tiny_skia::Transform::from_scale(scale, scale),
                &mut pixmap.as_mut(),
            );
            pixmap
                .encode_png()
                .map_err(|e| JobError::retryable(format!("cannot encode the PNG: {e}")))
        };
        Ok((draw(1.0)?, draw(THUMBNAIL_SCALE)?))
    }

    /// Any SVG (a chart) to PNG at its own size, with the slide fonts.
    pub fn svg_to_png(&self, svg: &str) -> Result<Vec<u8>, JobError> {
        let options = usvg::Options {
            fontdb: self.fonts.database(),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &options)
            .map_err(|e| JobError::permanent(format!("the SVG is invalid: {e}")))?;
        let size = tree.size().to_int_size();
        let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
            .ok_or_else(|| JobError::permanent("cannot make a picture of that size"))?;
        resvg::render(
            &tree,
            tiny_skia::Transform::identity(),
            &mut pixmap.as_mut(),
        );
        pixmap
            .encode_png()
            .map_err(|e| JobError::retryable(format!("cannot encode the PNG: {e}")))
    }

    fn fit_one_line(&self, text: &str, size: f32, width: f32) -> String {
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

    fn wrap_block(&self, block: &Block, size: f32, width: f32) -> Wrapped {
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
    fn titled_page(&self, title: &str, suffix: &str) -> (Sheet, Rect) {
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
    fn columns_layout(
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
    fn image_layout(
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

    /// A title slide: the title large and centred, the body as a subtitle under it.
    fn title_layout(&self, title: &str, blocks: &[Block], continued: &str) -> Vec<Sheet> {
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
    fn quote_layout(&self, title: &str, blocks: &[Block], continued: &str) -> Vec<Sheet> {
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

fn is_attribution(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('—') || t.starts_with("--") || t.starts_with("― ") || t.starts_with("- ")
}

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

/// Space between blocks.
fn gap(size: f32) -> f32 {
    size * 0.5
}

fn stack_height(blocks: &[Wrapped], size: f32) -> f32 {
    let lines: f32 = blocks.iter().map(Wrapped::height).sum();
    lines + gap(size) * blocks.len().saturating_sub(1) as f32
}

/// Splits wrapped blocks into `columns` groups: at the author's column break (`---`) when
/// there is one, else where the tallest column is shortest.
fn split_columns(
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
fn take_fitting(blocks: Vec<Wrapped>, height: f32, size: f32) -> (Vec<Wrapped>, Vec<Wrapped>) {
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
fn place(sheet: &mut Sheet, blocks: &[Wrapped], area: Rect, fonts: &Fonts) {
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

/// A page being laid out.
#[derive(Debug, Default)]
struct Sheet {
    lines: Vec<Placed>,
    /// Accent rules: (x, y, width).
    rules: Vec<(f32, f32, f32)>,
    images: Vec<(Rect, Vec<u8>)>,
    elements: Vec<Element>,
    body_size: f32,
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
fn image_type(bytes: &[u8]) -> Option<&'static str> {
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

impl Sheet {
    fn svg(&self, fonts: &Fonts) -> String {
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
