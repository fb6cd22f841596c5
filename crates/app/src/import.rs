//! Lecture text → course outline.
//!
//! Markdown: the single top heading (if any) titles the course; the next heading level makes
//! lessons and the one below it slides (with only one level, headings make slides of one
//! lesson). Lists, tables and code blocks become the slide body; prose paragraphs become the
//! speaker notes (the narration); blockquotes and paragraphs starting with `Note:` become
//! instructor notes. Text without headings is split into slides by paragraphs and length.
//!
//! Everything is kept as text: inline HTML such as `<script>` stays literal characters in the
//! body and notes, and every later renderer escapes it.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// Largest lecture file accepted (plain text; a 2,000-word lecture is about 12 KB).
pub const MAX_LECTURE_BYTES: usize = 5 * 1024 * 1024;
/// Slides of text without headings hold about this many words.
const WORDS_PER_SLIDE: usize = 120;
/// Without headings, this many slides make a lesson.
const SLIDES_PER_LESSON: usize = 12;

/// Why a lecture file cannot be imported. Nothing is saved when this is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{name} is empty: there is no text to import")]
    Empty { name: String },
    #[error(
        "{name} is {size} bytes; a lecture can be at most {limit} bytes ({} MB) of text — split it into several files",
        limit / (1024 * 1024)
    )]
    TooLarge {
        name: String,
        size: usize,
        limit: usize,
    },
    #[error(
        "{name} looks like a binary file (for example a PDF, Word document or image), not text; save the lecture as Markdown (.md) or plain text (.txt) and import that"
    )]
    Binary { name: String },
    #[error(
        "{name} has a NUL character at line {line}, column {column}, which text never holds (is it a binary file?); remove it and import the file again"
    )]
    NulCharacter {
        name: String,
        line: usize,
        column: usize,
    },
    #[error(
        "{name} is not UTF-8 text (first invalid character at line {line}, column {column}); save it with UTF-8 encoding and import it again"
    )]
    NotUtf8 {
        name: String,
        line: usize,
        column: usize,
    },
}

pub(crate) use classkit_model::outline::truncate_title;
pub use classkit_model::outline::{Outline, OutlineLesson, OutlineSlide};

/// Checks raw file bytes and decodes them to text.
pub fn decode_lecture(name: &str, bytes: &[u8]) -> Result<String, ImportError> {
    let name = name.to_string();
    if bytes.len() > MAX_LECTURE_BYTES {
        return Err(ImportError::TooLarge {
            name,
            size: bytes.len(),
            limit: MAX_LECTURE_BYTES,
        });
    }
    // Windows "Unicode" (UTF-16 with a byte-order mark) is text too.
    if let Some(text) = decode_utf16_with_bom(bytes) {
        let text = text.map_err(|line| ImportError::NotUtf8 {
            name: name.clone(),
            line,
            column: 1,
        })?;
        return finish_text(name, &text);
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let control = sample
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    if sample.contains(&0) || control * 20 > sample.len() {
        return Err(ImportError::Binary { name });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            return Err(ImportError::NotUtf8 { name, line, column });
        }
    };
    finish_text(name, text)
}

/// Drops a byte-order mark, normalizes line ends and refuses text with nothing in it, or
/// with a NUL character anywhere (past the sample the binary check reads, or in UTF-16).
fn finish_text(name: String, text: &str) -> Result<String, ImportError> {
    if let Some(at) = text.find('\0') {
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        return Err(ImportError::NulCharacter { name, line, column });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if text.trim().is_empty() {
        return Err(ImportError::Empty { name });
    }
    Ok(text)
}

/// Text in UTF-16 with a byte-order mark, or `None` without one; an error gives the line of
/// the first invalid character.
fn decode_utf16_with_bom(bytes: &[u8]) -> Option<Result<String, usize>> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = bytes[2..].chunks(2).map(|pair| match (pair, little) {
        ([a, b], true) => u16::from_le_bytes([*a, *b]),
        ([a, b], false) => u16::from_be_bytes([*a, *b]),
        _ => 0xFFFF, // an odd trailing byte
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) if c != '\u{ffff}' => text.push(c),
            _ => return Some(Err(text.matches('\n').count() + 1)),
        }
    }
    Some(Ok(text))
}

/// A top-level block of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Block {
    Heading(u8, String),
    /// On-screen Markdown kept as written (lists, tables, code blocks).
    Body(String),
    /// Plain text of a prose paragraph, its bold kept as `**…**`: a lecture sets its key
    /// terms in bold, and the drafter looks for them there (see
    /// [`classkit_engines::drafts::glossary`]); narration and captions leave the marks out
    /// (see [`classkit_model::spoken`]).
    Prose(String),
    /// Plain text of a note for the instructor.
    Note(String),
}

fn level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Splits a Markdown document into its top-level blocks.
fn blocks(text: &str) -> Vec<Block> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start: Option<(Tag, Range<usize>)> = None;
    let mut read = Text::default();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    start = Some((tag, range));
                    read.clear();
                } else if matches!(tag, Tag::Paragraph | Tag::Item) && !read.is_empty() {
                    read.push_str("\n");
                } else if tag == Tag::Strong {
                    read.marked.push_str("**");
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if depth > 0 {
                    if end == TagEnd::Strong {
                        read.marked.push_str("**");
                    }
                    continue;
                }
                let Some((tag, range)) = start.take() else {
                    continue;
                };
                let source = text[range].trim_end().to_string();
                let prose = read.plain.trim().to_string();
                let block = match (tag, end) {
                    (Tag::Heading { level: l, .. }, _) => Block::Heading(level(l), prose),
                    (Tag::List(_) | Tag::Table(_) | Tag::CodeBlock(_), _) => Block::Body(source),
                    (Tag::BlockQuote(_), _) => Block::Note(strip_note(&prose).to_string()),
                    (_, TagEnd::Paragraph | TagEnd::HtmlBlock) => match note_text(&prose) {
                        Some(note) => Block::Note(note.to_string()),
                        None => Block::Prose(read.marked.trim().to_string()),
                    },
                    _ => Block::Prose(read.marked.trim().to_string()),
                };
                let empty = match &block {
                    Block::Heading(..) => false,
                    Block::Body(s) | Block::Prose(s) | Block::Note(s) => s.trim().is_empty(),
                };
                if !empty {
                    out.push(block);
                }
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                read.push_str(&t)
            }
            // HTML stays as the literal text the author typed.
            Event::Html(t) | Event::InlineHtml(t) => {
                if depth == 0 {
                    out.push(Block::Prose(t.trim().to_string()));
                } else {
                    read.push_str(&t)
                }
            }
            // Lines run together as one paragraph, except a line that starts with a speaker's
            // name ("Jiwoo: Hi Helen, …"): a dialogue written one turn a line keeps its lines.
            Event::SoftBreak => {
                let next = text[range.end..].lines().next().unwrap_or_default();
                let turn = classkit_engines::drafts::text::speaker_line(next).is_some();
                read.push_str(if turn { "\n" } else { " " })
            }
            Event::HardBreak => read.push_str("\n"),
            Event::TaskListMarker(done) => read.push_str(if done { "[x] " } else { "[ ] " }),
            Event::Rule | Event::FootnoteReference(_) => {}
        }
    }
    out
}

/// A block's text as it is read: `plain`, and `marked` with its bold as `**…**`.
#[derive(Default)]
struct Text {
    plain: String,
    marked: String,
}

impl Text {
    fn push_str(&mut self, text: &str) {
        self.plain.push_str(text);
        self.marked.push_str(text);
    }

    fn clear(&mut self) {
        self.plain.clear();
        self.marked.clear();
    }

    fn is_empty(&self) -> bool {
        self.plain.is_empty()
    }
}

/// A paragraph's note text when it is written as `Note: …`.
fn note_text(paragraph: &str) -> Option<&str> {
    let head = paragraph.get(..5)?;
    head.eq_ignore_ascii_case("note:")
        .then(|| paragraph[5..].trim())
}

fn strip_note(text: &str) -> &str {
    note_text(text).unwrap_or(text)
}

/// Makes an outline from lecture text. `fallback_title` names the course when the text has
/// no single top heading (usually the file name).
pub fn outline_from_text(text: &str, fallback_title: &str) -> Outline {
    let blocks = blocks(text);
    let language = detect_language(text);
    let headings: Vec<u8> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading(l, _) => Some(*l),
            _ => None,
        })
        .collect();
    if headings.is_empty() {
        return plain_outline(&blocks, fallback_title, language);
    }
    let top = *headings.iter().min().unwrap_or(&1);
    let top_count = headings.iter().filter(|l| **l == top).count();
    // One heading at the top level titles the course; the levels below it structure it.
    let course_title = (top_count == 1 && headings.len() > 1)
        .then(|| {
            blocks.iter().find_map(|b| match b {
                Block::Heading(l, t) if *l == top => Some(t.clone()),
                _ => None,
            })
        })
        .flatten();
    let mut levels: Vec<u8> = headings.clone();
    levels.sort_unstable();
    levels.dedup();
    if course_title.is_some() {
        levels.retain(|l| *l != top);
    }
    let (lesson_level, slide_level) = match levels.as_slice() {
        [] => (None, top),
        [only] => (None, *only),
        [a, b, ..] => (Some(*a), *b),
    };
    let title = course_title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| fallback_title.to_string());
    let title = truncate_title(&title).0;

    let mut lessons: Vec<OutlineLesson> = Vec::new();
    let mut slide: Option<OutlineSlide> = None;
    let mut course_intro = OutlineSlide {
        title: title.clone(),
        ..OutlineSlide::default()
    };
    let flush = |lessons: &mut Vec<OutlineLesson>, slide: &mut Option<OutlineSlide>| {
        if let Some(s) = slide.take() {
            if lessons.is_empty() {
                lessons.push(OutlineLesson {
                    title: title.clone(),
                    slides: Vec::new(),
                });
            }
            if let Some(lesson) = lessons.last_mut() {
                lesson.slides.push(s);
            }
        }
    };
    for block in &blocks {
        match block {
            Block::Heading(l, _) if *l == top && course_title.is_some() => {}
            Block::Heading(l, text) if Some(*l) == lesson_level => {
                if slide.as_ref().is_some_and(OutlineSlide::is_empty) {
                    slide = None;
                }
                flush(&mut lessons, &mut slide);
                let (lesson_title, overflow) = truncate_title(text);
                lessons.push(OutlineLesson {
                    title: lesson_title.clone(),
                    slides: Vec::new(),
                });
                // An intro slide keeps prose written under the lesson heading; when there is
                // none it is dropped at the next heading.
                slide = Some(OutlineSlide {
                    title: lesson_title,
                    speaker_notes: overflow.unwrap_or_default(),
                    ..OutlineSlide::default()
                });
            }
            Block::Heading(l, text) if *l == slide_level => {
                if slide.as_ref().is_some_and(OutlineSlide::is_empty) {
                    slide = None;
                }
                flush(&mut lessons, &mut slide);
                let (slide_title, overflow) = truncate_title(text);
                slide = Some(OutlineSlide {
                    title: slide_title,
                    speaker_notes: overflow.unwrap_or_default(),
                    ..OutlineSlide::default()
                });
            }
            // Deeper headings become bold lines in the current slide's body.
            Block::Heading(_, text) => {
                let target = slide.get_or_insert_with(|| course_intro.clone());
                append(&mut target.body, &format!("**{}**", text.trim()));
            }
            Block::Body(md) => {
                let target = slide.get_or_insert_with(|| course_intro.clone());
                append(&mut target.body, md);
            }
            Block::Prose(p) => match slide.as_mut() {
                Some(s) => append(&mut s.speaker_notes, p),
                None => append(&mut course_intro.speaker_notes, p),
            },
            Block::Note(n) => match slide.as_mut() {
                Some(s) => append(&mut s.instructor_notes, n),
                None => append(&mut course_intro.instructor_notes, n),
            },
        }
    }
    if slide.as_ref().is_some_and(OutlineSlide::is_empty) && !lessons.is_empty() {
        slide = None;
    }
    flush(&mut lessons, &mut slide);
    // Prose before the first heading opens the course.
    if !course_intro.is_empty() {
        if let Some(first) = lessons.first_mut() {
            first.slides.insert(0, course_intro);
        } else {
            lessons.push(OutlineLesson {
                title: title.clone(),
                slides: vec![course_intro],
            });
        }
    }
    lessons.retain(|l| !l.slides.is_empty());
    Outline {
        title,
        language,
        lessons,
    }
}

fn append(target: &mut String, text: &str) {
    if !target.is_empty() {
        target.push_str("\n\n");
    }
    target.push_str(text.trim());
}

/// Text without headings: paragraphs grouped into slides of about `WORDS_PER_SLIDE` words,
/// long paragraphs split at sentence ends, run-on text split at word or character limits.
fn plain_outline(blocks: &[Block], title: &str, language: Option<String>) -> Outline {
    let mut pieces: Vec<(bool, String)> = Vec::new(); // (is_body, text)
    let mut notes: Vec<String> = Vec::new();
    for block in blocks {
        match block {
            Block::Prose(p) => {
                for chunk in split_by_length(p, WORDS_PER_SLIDE) {
                    pieces.push((false, chunk));
                }
            }
            Block::Body(b) => pieces.push((true, b.clone())),
            Block::Note(n) => notes.push(n.clone()),
            Block::Heading(..) => {}
        }
    }
    let mut slides: Vec<OutlineSlide> = Vec::new();
    let mut current = OutlineSlide::default();
    let mut words = 0;
    for (is_body, text) in pieces {
        let size = measure(&text);
        if words > 0 && words + size > WORDS_PER_SLIDE {
            slides.push(std::mem::take(&mut current));
            words = 0;
        }
        if is_body {
            append(&mut current.body, &text);
        } else {
            append(&mut current.speaker_notes, &text);
            append(
                &mut current.body,
                &format!("- {}", lead(&classkit_model::spoken(&text), 14)),
            );
        }
        words += size;
    }
    if !current.is_empty() {
        slides.push(current);
    }
    for slide in &mut slides {
        let source = if slide.speaker_notes.is_empty() {
            &slide.body
        } else {
            &slide.speaker_notes
        };
        slide.title = lead(&classkit_model::spoken(source), 8);
    }
    if let Some(first) = slides.first_mut() {
        for n in notes {
            append(&mut first.instructor_notes, &n);
        }
    }
    let title = truncate_title(title).0;
    let lessons = if slides.len() <= SLIDES_PER_LESSON {
        vec![OutlineLesson {
            title: title.clone(),
            slides,
        }]
    } else {
        slides
            .chunks(SLIDES_PER_LESSON)
            .map(|chunk| OutlineLesson {
                title: chunk[0].title.clone(),
                slides: chunk.to_vec(),
            })
            .collect()
    };
    Outline {
        title,
        language,
        lessons,
    }
}

/// Size of a text in words; for text without spaces (Korean, run-on lines) about one word
/// per six characters.
fn measure(text: &str) -> usize {
    text.split_whitespace()
        .count()
        .max(text.chars().count() / 6)
}

/// The first sentence of `text`, cut to at most `max_words` words.
fn lead(text: &str, max_words: usize) -> String {
    let first = classkit_engines::drafts::text::sentences(text)
        .into_iter()
        .next()
        .map(|s| s.text)
        .unwrap_or_default();
    let words: Vec<&str> = first.split_whitespace().collect();
    let mut s = if words.len() > max_words {
        format!("{}…", words[..max_words].join(" "))
    } else {
        words.join(" ")
    };
    if s.chars().count() > 80 {
        s = format!("{}…", s.chars().take(79).collect::<String>());
    }
    s.trim_start_matches(['-', '*', '#', ' ']).to_string()
}

/// Splits a paragraph into chunks of at most about `limit` words: at sentence ends, then at
/// spaces, then (for text without any) every `limit * 6` characters.
fn split_by_length(text: &str, limit: usize) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut current = String::new();
    for sentence in classkit_engines::drafts::text::sentences(text) {
        for part in split_long_sentence(&sentence.text, limit) {
            if !current.is_empty() && measure(&current) + measure(&part) > limit {
                chunks.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(&part);
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

fn split_long_sentence(sentence: &str, limit: usize) -> Vec<String> {
    if measure(sentence) <= limit {
        return vec![sentence.to_string()];
    }
    let max_chars = limit * 6;
    let mut parts = Vec::new();
    let mut current = String::new();
    for word in sentence.split_whitespace() {
        let word_chars: Vec<char> = word.chars().collect();
        for piece in word_chars.chunks(max_chars) {
            let piece: String = piece.iter().collect();
            if !current.is_empty() && measure(&current) + measure(&piece).max(1) > limit {
                parts.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(&piece);
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

/// The language of a lecture, when the text says it clearly enough.
fn detect_language(text: &str) -> Option<String> {
    classkit_engines::lang::detect(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_make_lessons_and_slides() {
        let md = "# Course\n\nWelcome to the course.\n\n## Lesson one\n\n### First slide\n\n- point a\n- point b\n\nSome prose here.\n\n> Remember to pause.\n\nNote: bring a leaf.\n\n### Second slide\n\nMore prose.\n\n## Lesson two\n\nIntro prose.\n\n### Third\n\n1. step\n2. step\n";
        let o = outline_from_text(md, "file");
        assert_eq!(o.title, "Course");
        assert_eq!(o.lessons.len(), 2);
        let l1 = &o.lessons[0];
        assert_eq!(l1.title, "Lesson one");
        let titles: Vec<_> = l1.slides.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Course", "First slide", "Second slide"]);
        let first = &l1.slides[1];
        assert_eq!(first.body, "- point a\n- point b");
        assert_eq!(first.speaker_notes, "Some prose here.");
        assert_eq!(
            first.instructor_notes,
            "Remember to pause.\n\nbring a leaf."
        );
        assert_eq!(l1.slides[0].speaker_notes, "Welcome to the course.");
        let l2 = &o.lessons[1];
        assert_eq!(l2.slides[0].title, "Lesson two");
        assert_eq!(l2.slides[0].speaker_notes, "Intro prose.");
        assert_eq!(l2.slides[1].body, "1. step\n2. step");
    }

    #[test]
    fn narration_keeps_its_bold_and_nothing_else_of_its_markdown() {
        let md = "# Course\n\n## **Key** terms\n\nYour **BATNA** is your *best* alternative, and `code` stays.\n\n> A **quoted** note.\n\nNote: **bold** for me.\n";
        let o = outline_from_text(md, "file");
        let slide = &o.lessons[0].slides[0];
        assert_eq!(slide.title, "Key terms");
        assert_eq!(
            slide.speaker_notes,
            "Your **BATNA** is your best alternative, and code stays."
        );
        assert_eq!(
            classkit_model::spoken(&slide.speaker_notes),
            "Your BATNA is your best alternative, and code stays."
        );
        assert_eq!(slide.instructor_notes, "A quoted note.\n\nbold for me.");
        // Without headings, a slide's title and bullets are read from its narration.
        let o = outline_from_text("A **fare** is the price of a ticket.", "Travel");
        let slide = &o.lessons[0].slides[0];
        assert_eq!(slide.speaker_notes, "A **fare** is the price of a ticket.");
        assert_eq!(slide.title, "A fare is the price of a ticket.");
        assert_eq!(slide.body, "- A fare is the price of a ticket.");
    }

    #[test]
    fn a_dialogue_written_one_turn_a_line_keeps_its_lines() {
        let md = "## The call\n\nListen to the call.\nJiwoo: Hi Helen, do you have a minute?\n**Helen:** Sure, Jiwoo.\nWhat's up?\nJiwoo: It's about the report.\n\nA paragraph wrapped\nat the margin: read as one line.\n";
        let o = outline_from_text(md, "file");
        assert_eq!(
            o.lessons[0].slides[0].speaker_notes,
            "Listen to the call.\nJiwoo: Hi Helen, do you have a minute?\n**Helen:** Sure, Jiwoo. What's up?\nJiwoo: It's about the report.\n\nA paragraph wrapped at the margin: read as one line."
        );
    }

    #[test]
    fn one_heading_level_makes_slides_of_one_lesson() {
        let o = outline_from_text("## A\n\n- x\n\n## B\n\n- y\n", "Talk");
        assert_eq!(o.title, "Talk");
        assert_eq!(o.lessons.len(), 1);
        assert_eq!(o.lessons[0].slides.len(), 2);
    }

    #[test]
    fn html_is_kept_as_text() {
        let o = outline_from_text(
            "# T\n\n## S\n\nHello <script>alert(1)</script> world.\n\n<div onclick=\"x()\">raw</div>\n",
            "f",
        );
        let s = &o.lessons[0].slides[0];
        assert!(
            s.speaker_notes.contains("<script>alert(1)</script>"),
            "{s:?}"
        );
        assert!(
            s.speaker_notes.contains("<div onclick=\"x()\">raw</div>"),
            "{s:?}"
        );
    }

    #[test]
    fn text_without_headings_is_split_by_paragraph_and_length() {
        let para = "Plants make sugar from light. ".repeat(30);
        let text = format!("{para}\n\n{para}\n\nShort end.");
        let o = outline_from_text(&text, "Notes");
        let slides = &o.lessons[0].slides;
        assert!(slides.len() >= 3, "{}", slides.len());
        for s in slides {
            assert!(measure(&s.speaker_notes) <= WORDS_PER_SLIDE + 10);
            assert!(!s.title.is_empty());
            assert!(s.body.starts_with("- "));
        }
    }

    #[test]
    fn one_enormous_line_is_split() {
        let line = "x".repeat(100_000);
        let o = outline_from_text(&line, "Long");
        let total: usize = o
            .lessons
            .iter()
            .flat_map(|l| &l.slides)
            .map(|s| s.speaker_notes.len())
            .sum();
        assert_eq!(total, 100_000, "no text lost");
        assert!(o.lessons.iter().flat_map(|l| &l.slides).count() > 100);
        assert!(o.lessons.len() > 1);
    }

    #[test]
    fn bad_bytes_get_clear_errors() {
        assert!(matches!(
            decode_lecture("a.md", b" \n\t "),
            Err(ImportError::Empty { .. })
        ));
        assert!(matches!(
            decode_lecture("a.pdf", b"%PDF-1.7\x00\x01\x02binary"),
            Err(ImportError::Binary { .. })
        ));
        let err = decode_lecture("a.md", b"line one\nline \xff two").expect_err("bad utf8");
        assert_eq!(
            err,
            ImportError::NotUtf8 {
                name: "a.md".into(),
                line: 2,
                column: 6
            }
        );
        let big = vec![b'a'; MAX_LECTURE_BYTES + 1];
        assert!(matches!(
            decode_lecture("big.md", &big),
            Err(ImportError::TooLarge { .. })
        ));
        assert_eq!(
            decode_lecture("bom.md", "\u{feff}# T\r\nx".as_bytes()).expect("ok"),
            "# T\nx"
        );
        // Notepad's "Unicode": UTF-16 little endian with a byte-order mark.
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "# 광합성\r\n빛".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(
            decode_lecture("ko.txt", &utf16).expect("utf-16"),
            "# 광합성\n빛"
        );
        let mut broken = vec![0xFE, 0xFF, 0x00, 0x41, 0xD8, 0x00, 0x00, 0x41];
        broken.push(0);
        assert!(matches!(
            decode_lecture("b.txt", &broken),
            Err(ImportError::NotUtf8 { .. })
        ));
    }

    #[test]
    fn korean_is_detected() {
        let o = outline_from_text(
            "# 과정 안내\n\n## 1강\n\n### 목표\n\n이 과정은 직장인을 위한 비즈니스 영어 과정입니다. 전화 회의와 협상 표현을 연습합니다.",
            "f",
        );
        assert_eq!(o.language.as_deref(), Some("ko"));
        assert_eq!(o.lessons[0].slides[0].title, "목표");
    }
}
