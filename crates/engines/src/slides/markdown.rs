//! A slide body's Markdown as blocks of plain text: paragraphs, bullets (with their level
//! and number), quotations and headings. Inline markup is reduced to its text; HTML is kept
//! as the literal text the author typed.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading,
    Quote,
    Bullet {
        level: u8,
        number: Option<u64>,
    },
    /// `---`: where the second column begins.
    ColumnBreak,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
}

/// The blocks of `markdown`, in order.
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    // Open lists: the next number of each ordered one.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut quote = 0usize;
    let mut current: Option<(BlockKind, String)> = None;
    let flush = |current: &mut Option<(BlockKind, String)>, out: &mut Vec<Block>| {
        if let Some((kind, text)) = current.take() {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !text.is_empty() {
                out.push(Block { kind, text });
            }
        }
    };
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    ) {
        match event {
            Event::Start(Tag::List(start)) => {
                flush(&mut current, &mut out);
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut current, &mut out);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut current, &mut out);
                let level = lists.len().saturating_sub(1).min(3) as u8;
                let number = lists.last_mut().and_then(|n| {
                    let this = *n;
                    if let Some(v) = n.as_mut() {
                        *v += 1;
                    }
                    this
                });
                current = Some((BlockKind::Bullet { level, number }, String::new()));
            }
            Event::End(TagEnd::Item) => flush(&mut current, &mut out),
            Event::Start(Tag::BlockQuote(_)) => {
                flush(&mut current, &mut out);
                quote += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                flush(&mut current, &mut out);
                quote = quote.saturating_sub(1);
            }
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut current, &mut out);
                current = Some((BlockKind::Heading, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => flush(&mut current, &mut out),
            Event::Start(Tag::Paragraph | Tag::CodeBlock(_) | Tag::TableRow | Tag::TableHead)
                if current.is_none() =>
            {
                let kind = if quote > 0 {
                    BlockKind::Quote
                } else {
                    BlockKind::Paragraph
                };
                current = Some((kind, String::new()));
            }
            // A paragraph inside a list item belongs to the item.
            Event::End(
                TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::TableRow | TagEnd::TableHead,
            ) if !matches!(current, Some((BlockKind::Bullet { .. }, _))) => {
                flush(&mut current, &mut out);
            }
            Event::End(TagEnd::HtmlBlock) => flush(&mut current, &mut out),
            // A second paragraph of a list item continues the item, after a space.
            Event::Start(Tag::Paragraph)
                if matches!(current, Some((BlockKind::Bullet { .. }, _))) =>
            {
                if let Some((_, text)) = current.as_mut() {
                    text.push(' ');
                }
            }
            Event::Rule => {
                flush(&mut current, &mut out);
                out.push(Block {
                    kind: BlockKind::ColumnBreak,
                    text: String::new(),
                });
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                let (_, text) =
                    current.get_or_insert_with(|| (BlockKind::Paragraph, String::new()));
                text.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, text)) = current.as_mut() {
                    text.push(' ');
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(" · ");
                }
            }
            _ => {}
        }
    }
    flush(&mut current, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets_numbers_quotes_and_literal_html() {
        let b = blocks(
            "Intro *text*.\n\n- one\n  - nested\n- two\n\n3. third\n4. fourth\n\n> wise words\n\n---\n\n<script>alert(1)</script>\n",
        );
        let kinds: Vec<_> = b
            .iter()
            .map(|b| (b.kind.clone(), b.text.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (BlockKind::Paragraph, "Intro text."),
                (
                    BlockKind::Bullet {
                        level: 0,
                        number: None
                    },
                    "one"
                ),
                (
                    BlockKind::Bullet {
                        level: 1,
                        number: None
                    },
                    "nested"
                ),
                (
                    BlockKind::Bullet {
                        level: 0,
                        number: None
                    },
                    "two"
                ),
                (
                    BlockKind::Bullet {
                        level: 0,
                        number: Some(3)
                    },
                    "third"
                ),
                (
                    BlockKind::Bullet {
                        level: 0,
                        number: Some(4)
                    },
                    "fourth"
                ),
                (BlockKind::Quote, "wise words"),
                (BlockKind::ColumnBreak, ""),
                (BlockKind::Paragraph, "<script>alert(1)</script>"),
            ]
        );
        let b = blocks("<div>x</div>\n\nNext para\n\n- first\n\n  second\n");
        let texts: Vec<&str> = b.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["<div>x</div>", "Next para", "first second"]);
    }
}
