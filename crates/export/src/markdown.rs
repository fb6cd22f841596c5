//! Slide text for learners: the instructor's Markdown as HTML that is safe to put in a page.
//!
//! Whatever the text holds, the HTML carries no markup of the author's own: raw HTML in the
//! Markdown is shown as text (so `<script>` reads as `<script>`), links go only to web, mail
//! and in-page addresses, and pictures only come from the web (a package has no other files
//! to point at). Links open in a new tab so that a learner never leaves the lesson.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd, html};

/// Addresses a link or picture may have: absolute web and mail addresses, and `#anchors`.
fn safe_url(url: &str, picture: bool) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    if picture {
        return lower.starts_with("https://") || lower.starts_with("http://");
    }
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || lower.starts_with('#')
}

/// The HTML of `markdown` (CommonMark with tables and strikethrough), safe to show learners.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // Links cannot hold links, so the end of a dropped link is the next link end.
    let mut dropped_link = false;
    let mut dropped_pictures = 0usize;
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        }) if link_type != LinkType::Email && !safe_url(&dest_url, false) => {
            dropped_link = true;
            None
        }
        Event::End(TagEnd::Link) if dropped_link => {
            dropped_link = false;
            None
        }
        // A picture from elsewhere leaves its description, as text.
        Event::Start(Tag::Image { dest_url, .. }) if !safe_url(&dest_url, true) => {
            dropped_pictures += 1;
            None
        }
        Event::End(TagEnd::Image) if dropped_pictures > 0 => {
            dropped_pictures -= 1;
            None
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("Hello <script>alert(1)</script> <b onclick=x>bold</b>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn only_web_links_are_kept() {
        let html =
            to_html("[ok](https://example.org) [bad](javascript:alert(1)) [mail](mailto:a@b.c)");
        assert!(html.contains("href=\"https://example.org\""), "{html}");
        assert!(html.contains("mailto:a@b.c"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("bad"), "the link's text stays: {html}");
    }

    #[test]
    fn pictures_only_from_the_web() {
        let html = to_html("![a chart](file:///etc/passwd) ![logo](https://example.org/l.png)");
        assert!(!html.contains("file:"), "{html}");
        assert!(html.contains("a chart"), "the description stays: {html}");
        assert!(html.contains("src=\"https://example.org/l.png\""), "{html}");
    }

    #[test]
    fn lists_and_emphasis() {
        let html = to_html("- one\n- **two**\n\n광합성은 *빛*을 씁니다.");
        assert!(html.contains("<li>one</li>"), "{html}");
        assert!(html.contains("<strong>two</strong>"), "{html}");
        assert!(html.contains("<em>빛</em>"), "{html}");
    }
}
