//! The offline drafter on any text an instructor might paste: it never panics, every term it
//! finds is in the sentence it quotes, and every draft it makes validates.

use classkit_engines::drafts::text::{definitions, sentences};
use classkit_engines::drafts::{DRAFTED_TYPES, Drafted, SlideText, check, draft_text, glossary};
use proptest::prelude::*;

/// Words and pieces of the forms the drafter reads, mixed with what breaks naive parsers:
/// markup, quotes, dashes, colons, Hangul, emoji, numbers, control characters and stray
/// punctuation. (Not NUL: the library refuses narration with one before it is drafted.)
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "The",
            "the",
            "a",
            "an",
            "is",
            "are",
            "was",
            "means",
            "refers to",
            "called",
            "which is",
            "which is to say",
            "known as",
            "that is,",
            "—",
            "–",
            ",",
            ", and",
            ":",
            ";",
            ".",
            "?",
            "!",
            "\n\n",
            "\n- ",
            "**",
            "`",
            "\"",
            "“",
            "”",
            "(",
            ")",
            "X",
            "term",
            "lead time",
            "nucleoid",
            "pogroms",
            "of a",
            "its",
            "Minji Seo",
            "de'",
            "y",
            "usually",
            "for example",
            "like",
            "named",
            "written",
            "One",
            "two",
            "Think of",
            "If",
            "Between",
            "so-called",
            "themselves",
            "commit's",
            "란",
            "이란",
            "은",
            "는",
            "을",
            "를",
            "말합니다",
            "라고 합니다",
            "입니다",
            "김치",
            "발효",
            "😀",
            "é",
            "1347",
            "50%",
            "<script>",
            "&amp;",
            "\u{7}",
            "\u{200b}",
            "\r\n",
            " ",
        ])
        .prop_map(String::from),
        "[a-zA-Z가-힣 ,.:;'—-]{0,12}",
    ]
}

fn lecture() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..80).prop_map(|p| p.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn definitions_are_quoted_from_their_sentences(text in lecture()) {
        for d in definitions(&sentences(&text)) {
            prop_assert!(!d.term.trim().is_empty());
            prop_assert!(!d.definition.trim().is_empty());
            prop_assert_eq!(&text[d.sentence.start..d.sentence.end], d.sentence.text.as_str());
            // (Spaces made single: a term's words are joined by one.)
            let said = d.sentence.text.replace("**", "").split_whitespace().collect::<Vec<_>>().join(" ");
            prop_assert!(
                said.to_lowercase().contains(&d.term.to_lowercase()),
                "{:?} not in {:?}", d.term, d.sentence.text
            );
        }
    }

    #[test]
    fn every_type_drafts_or_says_why(text in lecture(), title in "[a-zA-Z가-힣 ]{0,20}") {
        let slide = SlideText { slide_id: uuid::Uuid::nil(), title: &title, body: "", notes: &text };
        let glossary = glossary([text.as_str()]);
        for kind in DRAFTED_TYPES {
            // A draft validates as it is (checking it changes nothing), and nothing drafted
            // says why.
            let drafted = draft_text(kind, &slide, &glossary);
            if let Drafted::Nothing(why) = &drafted {
                prop_assert!(!why.trim().is_empty(), "{kind}");
            }
            prop_assert_eq!(check(kind, drafted.clone()), drafted, "{}", kind);
        }
    }
}
