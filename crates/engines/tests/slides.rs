//! Slide rendering for real: system fonts, resvg, pixels checked.

use classkit_engines::slides::{Fonts, HEIGHT, Page, SlideInput, SlideRenderer, WIDTH, blocks};
use classkit_model::SlideLayout;
use resvg::tiny_skia::Pixmap;
use std::sync::{Arc, LazyLock};

static FONTS: LazyLock<Arc<Fonts>> =
    LazyLock::new(|| Arc::new(Fonts::system().expect("slide fonts installed (scripts/setup)")));

fn renderer() -> SlideRenderer {
    SlideRenderer::new(FONTS.clone())
}

fn input<'a>(title: &'a str, body: &'a str, layout: SlideLayout) -> SlideInput<'a> {
    SlideInput {
        title,
        body,
        layout,
        image: None,
        footer: "Lesson 1",
        number: Some(1),
    }
}

const MARGIN: f32 = 72.0;

/// Every element inside the page's content area.
fn check_boxes(page: &Page) {
    for e in &page.elements {
        assert!(
            e.x >= MARGIN - 1.0 && e.x + e.width <= WIDTH - MARGIN + 1.0,
            "{e:?} leaves the page sideways"
        );
        assert!(
            e.y >= 0.0 && e.y + e.height <= HEIGHT - 40.0 - 8.0,
            "{e:?} runs into the footer"
        );
    }
}

/// No ink in the right margin or in the band above the footer.
fn check_pixels(png: &[u8]) {
    let pixmap = Pixmap::decode_png(png).expect("a PNG");
    assert_eq!((pixmap.width(), pixmap.height()), (1280, 720));
    let white = |x: u32, y: u32| {
        let p = pixmap.pixel(x, y).expect("pixel");
        p.red() > 245 && p.green() > 245 && p.blue() > 245
    };
    for y in 0..720 {
        for x in (1280 - 60)..1280 {
            assert!(white(x, y), "ink at ({x}, {y}) in the right margin");
        }
    }
    for y in (720 - 40 - 14)..(720 - 40 + 6) {
        for x in 20..1280 {
            assert!(white(x, y), "ink at ({x}, {y}) above the footer");
        }
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn every_layout_renders_inside_the_page() {
    let body = "Photosynthesis happens in two stages.\n\n- Light reactions capture energy.\n- The Calvin cycle fixes carbon.\n\n> Plants are solar powered.\n\n— a botanist\n";
    for layout in [
        SlideLayout::Title,
        SlideLayout::Bullets,
        SlideLayout::TwoColumns,
        SlideLayout::ImageText,
        SlideLayout::Quote,
    ] {
        let pages = renderer()
            .render(&input("Photosynthesis", body, layout))
            .expect("render");
        assert_eq!(pages.len(), 1, "{layout:?}");
        check_boxes(&pages[0].page);
        check_pixels(&pages[0].png);
        let thumb = Pixmap::decode_png(&pages[0].thumbnail).expect("thumbnail");
        assert_eq!((thumb.width(), thumb.height()), (320, 180));
        assert!(
            pages[0].page.elements.iter().any(|e| e.kind == "title"),
            "{layout:?}"
        );
    }
}

#[test]
fn long_text_shrinks_then_continues_and_nothing_is_lost() {
    let body: String = (0..16)
        .map(|i| format!("- Point {i}: chlorophyll absorbs red and blue light while reflecting green, which is why leaves look green to us.\n"))
        .collect();
    let pages = renderer()
        .render(&input("Light", &body, SlideLayout::Bullets))
        .expect("render");
    assert!(pages.len() >= 2, "continuation pages");
    assert!(!pages[0].page.continued && pages[1].page.continued);
    assert!(pages[1].page.svg.contains("(continued)"));
    let mut shown = Vec::new();
    for p in &pages {
        check_boxes(&p.page);
        check_pixels(&p.png);
        shown.extend(
            p.page
                .elements
                .iter()
                .filter(|e| e.kind != "title")
                .flat_map(|e| words(&e.label)),
        );
    }
    let expected: Vec<String> = blocks(&body).iter().flat_map(|b| words(&b.text)).collect();
    assert_eq!(shown, expected, "every word, in order, once");
    // Moderate text only shrinks.
    let some: String = (0..7)
        .map(|i| format!("- Point {i} about light and leaves and sugar.\n"))
        .collect();
    let one = renderer()
        .layout(&input("Light", &some, SlideLayout::Bullets))
        .expect("layout");
    assert_eq!(one.len(), 1);
}

#[test]
fn korean_wraps_between_words_in_a_cjk_font() {
    let text = "오늘은 전화로 계약 조건을 협상하는 방법을 배웁니다. 상대방의 제안을 정중하게 거절하고, 우리 쪽의 조건을 분명하게 제시하는 표현을 연습합니다. 합의한 내용은 이메일로 다시 확인합니다.";
    let pages = renderer()
        .render(&input("전화 협상의 기본", text, SlideLayout::Bullets))
        .expect("render");
    check_pixels(&pages[0].png);
    assert!(pages[0].page.svg.contains("Noto Sans CJK KR, DejaVu Sans"));
    let lines = classkit_engines::slides::wrap(&FONTS, text, 34.0, false, 600.0);
    assert!(lines.len() >= 3);
    assert_eq!(lines.join(" "), text, "lines break only at spaces");
}

#[test]
fn hostile_or_odd_input_is_drawn_as_text() {
    let pages = renderer()
        .render(&input(
            "<b>Title</b> & \"quotes\"",
            "<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>",
            SlideLayout::Bullets,
        ))
        .expect("render");
    let svg = &pages[0].page.svg;
    assert!(svg.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"));
    assert!(!svg.contains("<script"));
    // One enormous word is split between characters and stays inside.
    let word = "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(8);
    let pages = renderer()
        .render(&input(&word, &word, SlideLayout::Bullets))
        .expect("render");
    for p in &pages {
        check_boxes(&p.page);
        check_pixels(&p.png);
    }
    // A very long title is cut to three lines and the page still has room.
    let title = "A very long title about photosynthesis and light ".repeat(12);
    let pages = renderer()
        .render(&input(&title, "", SlideLayout::Bullets))
        .expect("render");
    assert_eq!(pages.len(), 1);
    check_boxes(&pages[0].page);
    check_pixels(&pages[0].png);
    let title_lines = pages[0].page.svg.matches("font-weight=\"bold\"").count();
    assert!(title_lines <= 3, "{title_lines} title lines");
    assert!(pages[0].page.svg.contains('…'));
    // Characters XML does not allow never reach the SVG.
    let pages = renderer()
        .render(&input("a\u{FFFF}b", "c\u{FFFE}d", SlideLayout::Bullets))
        .expect("render");
    assert!(!pages[0].page.svg.contains('\u{FFFF}'));
    // Empty slides render too.
    let pages = renderer()
        .render(&input("", "", SlideLayout::TwoColumns))
        .expect("render");
    assert_eq!(pages.len(), 1);
    // Control characters never reach the SVG.
    let pages = renderer()
        .render(&input("a\u{1}b", "c\u{0}d", SlideLayout::Quote))
        .expect("render");
    assert!(!pages[0].page.svg.contains('\u{1}'));
}

#[test]
fn image_and_text_places_the_image_or_falls_back_to_text() {
    let mut pixmap = Pixmap::new(400, 300).expect("pixmap");
    pixmap.fill(resvg::tiny_skia::Color::from_rgba8(30, 120, 60, 255));
    let png = pixmap.encode_png().expect("png");
    let with = renderer()
        .render(&SlideInput {
            image: Some(&png),
            ..input(
                "A leaf",
                "- Green because of chlorophyll.",
                SlideLayout::ImageText,
            )
        })
        .expect("render");
    let image = with[0]
        .page
        .elements
        .iter()
        .find(|e| e.kind == "image")
        .expect("image element");
    let shown = Pixmap::decode_png(&with[0].png).expect("png");
    let p = shown
        .pixel(
            (image.x + image.width / 2.0) as u32,
            (image.y + image.height / 2.0) as u32,
        )
        .expect("pixel");
    assert_eq!(
        (p.red(), p.green(), p.blue()),
        (30, 120, 60),
        "the image is drawn"
    );
    check_pixels(&with[0].png);
    // Bytes that are not an image are not embedded.
    let without = renderer()
        .render(&SlideInput {
            image: Some(b"not an image"),
            ..input("A leaf", "- Green.", SlideLayout::ImageText)
        })
        .expect("render");
    assert!(without[0].page.elements.iter().all(|e| e.kind != "image"));
}
