//! SVG drawn as PNG with resvg and the slide fonts: a slide page at full size and as a
//! thumbnail, or any other picture (a chart) at its own size.

use super::{SlideRenderer, THUMBNAIL_SCALE};
use classkit_jobs::JobError;
use resvg::{tiny_skia, usvg};

impl SlideRenderer {
    /// SVG to a full-size PNG and a thumbnail.
    pub fn rasterize(&self, svg: &str) -> Result<(Vec<u8>, Vec<u8>), JobError> {
        let [png, thumbnail] = self.to_png(svg, "the slide's SVG", [1.0, THUMBNAIL_SCALE])?;
        Ok((png, thumbnail))
    }

    /// Any SVG (a chart) to PNG at its own size, with the slide fonts.
    pub fn svg_to_png(&self, svg: &str) -> Result<Vec<u8>, JobError> {
        let [png] = self.to_png(svg, "the SVG", [1.0])?;
        Ok(png)
    }

    /// Draws `svg` once per scale, each picture `scale` times the SVG's own size (a slide's
    /// SVG is `WIDTH` × `HEIGHT`). `what` names the SVG in the error when it cannot be read.
    fn to_png<const N: usize>(
        &self,
        svg: &str,
        what: &str,
        scales: [f32; N],
    ) -> Result<[Vec<u8>; N], JobError> {
        let options = usvg::Options {
            fontdb: self.fonts.database(),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &options)
            .map_err(|e| JobError::permanent(format!("{what} is invalid: {e}")))?;
        let size = tree.size();
        let mut pngs = std::array::from_fn(|_| Vec::new());
        for (png, scale) in pngs.iter_mut().zip(scales) {
            // Rounded to whole pixels as usvg rounds a size, and at least one each way.
            let w = ((size.width() * scale).round() as u32).max(1);
            let h = ((size.height() * scale).round() as u32).max(1);
            let mut pixmap = tiny_skia::Pixmap::new(w, h)
                .ok_or_else(|| JobError::permanent("cannot make a picture of that size"))?;
            resvg::render(
                &tree,
                tiny_skia::Transform::from_scale(scale, scale),
                &mut pixmap.as_mut(),
            );
            *png = pixmap
                .encode_png()
                .map_err(|e| JobError::retryable(format!("cannot encode the PNG: {e}")))?;
        }
        Ok(pngs)
    }
}
