//! Slides rendered to SVG by layout templates (title, bullets, two columns, image + text,
//! quote), then to PNG with resvg, with a thumbnail for the app.
//!
//! Text is wrapped with the renderer's own fonts. When it does not fit, the text shrinks
//! step by step; when it still does not fit at the smallest size, the rest goes onto
//! continuation pages. Every element's box is reported (for HOTSPOT drafts).
//!
//! By idea: `layout` (the titled page and the body-text templates) and `centred` (title
//! slide, quotation) lay pages out, `paginate` fits wrapped text into boxes and onto pages,
//! `svg` writes a laid-out page, `raster` draws SVG as PNG.

mod centred;
pub mod fonts;
mod layout;
mod markdown;
mod paginate;
mod raster;
mod svg;
mod wrap;

pub use fonts::Fonts;
pub use markdown::{Block, BlockKind, blocks};
pub use wrap::wrap;

use classkit_jobs::JobError;
use classkit_model::SlideLayout;
use std::sync::Arc;
use svg::{Placed, image_type};

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
}
