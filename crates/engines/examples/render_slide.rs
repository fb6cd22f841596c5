//! Renders a Markdown slide to PNG files: `render_slide LAYOUT TITLE BODY_FILE OUT_PREFIX`.

use classkit_engines::slides::{SlideInput, SlideRenderer};
use classkit_model::SlideLayout;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        return Err("usage: render_slide LAYOUT TITLE BODY_FILE OUT_PREFIX".into());
    }
    let layout = SlideLayout::parse(&args[1]).ok_or("unknown layout")?;
    let body = std::fs::read_to_string(&args[3])?;
    let renderer = SlideRenderer::system().map_err(|e| e.message)?;
    let pages = renderer
        .render(&SlideInput {
            title: &args[2],
            body: &body,
            layout,
            image: None,
            footer: "Lesson 1: Light reactions",
            number: Some(3),
        })
        .map_err(|e| e.message)?;
    for (i, page) in pages.iter().enumerate() {
        let file = format!("{}-{}.png", args[4], i + 1);
        std::fs::write(&file, &page.png)?;
        println!(
            "{file}: body {} px, {} elements",
            page.page.body_size,
            page.page.elements.len()
        );
    }
    Ok(())
}
