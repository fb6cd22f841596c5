//! The drafter's evaluation set (tests/drafting) reads, a broken one says where, and no
//! drafted text of any lecture (the set's and the examples') is cut before its end.

use classkit_app::bench::drafting::{
    Expected, SPLITS, cut_off, drafted_texts, drafts, load_set, score,
};
use classkit_model::ComponentType;
use serde_json::json;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_evaluation_set_reads_with_both_languages_in_both_halves() {
    let lectures = load_set(&repo().join("tests/drafting")).expect("the set");
    assert!(lectures.len() >= 8, "{} lectures", lectures.len());
    for split in SPLITS {
        for language in ["en", "ko"] {
            let n = lectures
                .iter()
                .filter(|l| l.split == split && l.expected.language == language)
                .count();
            assert!(n >= 2, "{split}/{language}: {n} lectures");
        }
    }
    for l in &lectures {
        let words = l.text.split_whitespace().count();
        assert!((800..=2_600).contains(&words), "{}: {words} words", l.name);
        assert!(!l.expected.term.is_empty(), "{}: no terms", l.name);
        assert!(
            !l.expected.licence.trim().is_empty(),
            "{}: no licence",
            l.name
        );
    }
}

#[test]
fn a_broken_set_says_which_file_and_what() {
    let dir = tempfile::tempdir().expect("temp");
    for split in SPLITS {
        std::fs::create_dir_all(dir.path().join(split)).expect("dir");
    }
    let md = dir.path().join("dev/a.md");
    std::fs::write(
        &md,
        "# A\n\n### Slide\n\nMagma is molten rock below the surface.\n",
    )
    .expect("md");
    let toml = dir.path().join("dev/a.toml");
    let write = |body: &str| std::fs::write(&toml, body).expect("toml");
    let head = "title = \"A\"\nlanguage = \"en\"\nkind = \"science\"\nlicence = \"mine\"\n";

    write(&format!(
        "{head}[[term]]\nterm = \"magma\"\nsentence = \"Magma is hot rock.\"\ndefinition = \"hot rock\"\n"
    ));
    let e = load_set(dir.path()).expect_err("a sentence not in the lecture");
    assert_eq!(e.path, toml);
    assert!(
        e.message.contains("Magma is hot rock.") && e.message.contains("a.md"),
        "{e}"
    );

    write(&format!(
        "{head}[[term]]\nterm = \"magma\"\nsentence = \"Magma is molten rock below the surface.\"\ndefinition = \"lava\"\n"
    ));
    let e = load_set(dir.path()).expect_err("a definition not in its sentence");
    assert!(e.message.contains("lava"), "{e}");

    write(&format!("{head}dictation = 3\n"));
    let e = load_set(dir.path()).expect_err("malformed");
    assert!(e.message.contains("dictation"), "{e}");

    write(&head.replace("\"en\"", "\"fr\""));
    let e = load_set(dir.path()).expect_err("a language the set has not");
    assert!(e.message.contains("fr"), "{e}");

    std::fs::write(&toml, [0xff, 0xfe, 0x00]).expect("bytes");
    let e = load_set(dir.path()).expect_err("not UTF-8");
    assert_eq!(e.path, toml);

    std::fs::remove_file(&toml).expect("rm");
    let e = load_set(dir.path()).expect_err("empty");
    assert!(e.message.contains("no lectures"), "{e}");
}

/// No drafted text a learner sees is a Korean sentence cut before its end, or carries the
/// bold marks (`**`) the import keeps in the narration.
#[test]
fn no_drafted_text_is_cut_before_its_end_or_marked_bold() {
    let mut lectures: Vec<(String, String)> = load_set(&repo().join("tests/drafting"))
        .expect("the set")
        .into_iter()
        .map(|l| (l.name, l.text))
        .collect();
    for entry in std::fs::read_dir(repo().join("examples"))
        .expect("examples")
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_some_and(|x| x == "md") {
            let text = std::fs::read_to_string(&path).expect("example");
            lectures.push((path.display().to_string(), text));
        }
    }
    let mut cut = Vec::new();
    let mut marked = Vec::new();
    let mut seen = 0;
    for (name, text) in &lectures {
        for (kind, payload) in drafts(text, name) {
            let mut texts = Vec::new();
            drafted_texts(&payload, "", &mut texts);
            seen += texts.len();
            marked.extend(
                texts
                    .iter()
                    .filter(|(_, t)| t.contains("**"))
                    .map(|(at, t)| format!("{name} {kind}{at}: {t}")),
            );
            cut.extend(
                texts
                    .into_iter()
                    .filter(|(_, t)| cut_off(t))
                    .map(|(at, t)| format!("{name} {kind}{at}: {t}")),
            );
        }
    }
    assert!(seen > 500, "only {seen} drafted texts");
    assert!(cut.is_empty(), "cut off:\n{}", cut.join("\n"));
    assert!(marked.is_empty(), "bold marks:\n{}", marked.join("\n"));
}

#[test]
fn the_negotiation_example_drafts_its_key_term_as_the_app_imports_it() {
    // The issue's example: "Your **BATNA** is your Best Alternative To a Negotiated
    // Agreement" is the lesson's key term, "Today's case" is none; the import keeps the
    // narration's bold, and the drafts leave the marks out.
    let text = std::fs::read_to_string(repo().join("examples/negotiating-by-phone.md"))
        .expect("the example");
    let drafted = drafts(&text, "negotiating-by-phone");
    let terms = |kind: ComponentType, list: &str, field: &str| -> Vec<String> {
        drafted
            .iter()
            .filter(|(k, _)| *k == kind)
            .flat_map(|(_, p)| p[list].as_array().cloned().unwrap_or_default())
            .map(|item| item[field].as_str().unwrap_or("").to_string())
            .collect()
    };
    let cards = terms(ComponentType::Flashcards, "cards", "term");
    assert!(cards.iter().any(|t| t == "BATNA"), "{cards:?}");
    let definitions = terms(ComponentType::Flashcards, "cards", "definition");
    assert!(
        definitions
            .iter()
            .any(|d| d.starts_with("Your Best Alternative To a Negotiated Agreement")),
        "{definitions:?}"
    );
    assert!(
        !cards.iter().any(|t| t.to_lowercase().contains("case")),
        "{cards:?}"
    );
    let targets = terms(ComponentType::Pronunciation, "items", "target");
    assert!(
        !targets.iter().any(|t| t.to_lowercase().contains("today")),
        "{targets:?}"
    );
    let stems = terms(ComponentType::Quiz, "questions", "text");
    assert!(
        stems
            .iter()
            .any(|s| s.contains("Best Alternative To a Negotiated Agreement")),
        "{stems:?}"
    );
}

#[test]
fn cut_off_tells_a_cut_ending_from_a_whole_one() {
    for cut in [
        "한 주에 세 번 진행됩니",
        "…영어를 말합니",
        "간단합니",
        "모였습니.",
    ] {
        assert!(cut_off(cut), "{cut}");
    }
    for whole in [
        "한 주에 세 번 진행됩니다",
        "원어민 음성을 듣고 바로 따라 말하는 연습",
        "간단합니다.",
        "무엇입니까?",
        "the organelle where photosynthesis takes place",
        "",
    ] {
        assert!(!cut_off(whole), "{whole}");
    }
}

/// Whether the scorer keeps the one item of `kind` that `payload` drafts.
fn kept_one(kind: ComponentType, payload: serde_json::Value, expected: &Expected) -> bool {
    let mut notes = Vec::new();
    let tally = score(kind, &[(kind, payload)], expected, &mut notes);
    assert_eq!(tally.drafted, 1);
    tally.kept == 1
}

#[test]
fn the_scorer_keeps_a_card_without_the_examples_usual_cases_and_clauses_its_key_adds() {
    let expected: Expected = toml::from_str(
        r#"
title = "Dinner"
language = "en"
kind = "business-dialogue"
licence = "test"
[[term]]
term = "soft drink"
sentence = "A soft drink is a cold drink without alcohol, such as juice, cola or sparkling water."
definition = "a cold drink without alcohol, such as juice, cola or sparkling water"
[[term]]
term = "starter"
sentence = "A starter is a small dish before the main course, usually shared."
definition = "a small dish before the main course, usually shared"
[[term]]
term = "bill"
sentence = "The bill is the list of what you ordered, which the waiter brings, with the price of each."
definition = "the list of what you ordered, which the waiter brings, with the price of each"
[[term]]
term = "book"
sentence = "To book a table means to reserve one in advance."
definition = "to reserve one in advance"
[[term]]
term = "tip"
sentence = "A tip is money you leave for the waiter."
definition = "money you leave for the waiter"
[[term]]
term = "haemoglobin"
sentence = "Haemoglobin is a protein, which carries oxygen in the blood."
definition = "a protein, which carries oxygen in the blood"
[[term]]
term = "set menu"
sentence = "A set menu is a meal, at a fixed price, of two or three courses chosen by the restaurant."
definition = "a meal, at a fixed price, of two or three courses chosen by the restaurant"
"#,
    )
    .expect("the test's key reads");
    let kept = |term: &str, definition: &str| {
        let payload = json!({"cards": [{"term": term, "definition": definition}]});
        kept_one(ComponentType::Flashcards, payload, &expected)
    };
    // The whole definition, or without its examples or how it usually is.
    assert!(kept(
        "soft drink",
        "A cold drink without alcohol, such as juice, cola or sparkling water"
    ));
    assert!(kept("soft drink", "A cold drink without alcohol"));
    assert!(kept("starter", "A small dish before the main course"));
    // Too little of it, or more than it says.
    assert!(!kept("soft drink", "A drink"));
    assert!(!kept(
        "starter",
        "A small dish before the main course, and the waiter asks about it after the drinks are served at the table"
    ));
    // A card may end before a clause its sentence adds (", which …", ", so that …",
    // ", and …", ", using …"), or go on past one with its sentence's words, as the set's
    // keys do either way.
    assert!(kept("bill", "The list of what you ordered"));
    assert!(kept(
        "haemoglobin",
        "A protein, which carries oxygen in the blood"
    ));
    // Not when what comes before the clause is too little to say what the thing is, when
    // the comma opens an aside in the middle of the definition, or when what the card
    // adds is not its sentence's.
    assert!(!kept("haemoglobin", "A protein"));
    assert!(!kept("set menu", "A meal"));
    assert!(!kept("set menu", "A meal, at a fixed price"));
    assert!(!kept(
        "tip",
        "Money you leave for the waiter, which the waiter shares with the cooks at night"
    ));
    // A verb with the object its sentence gives it names the key's verb; another object,
    // or a noun, does not.
    assert!(kept("To book a table", "To reserve one in advance"));
    assert!(kept("book", "To reserve one in advance"));
    assert!(!kept("To book a taxi", "To reserve one in advance"));
    assert!(!kept("table", "To reserve one in advance"));
}

/// A quiz question is kept when it asks, carries the key's definition, does not give the
/// answer away (naming it is no give-away where the key's own definition names it), and
/// every wrong option is a word of the lesson: another key term, or a word the key lists as
/// worth blanking.
#[test]
fn the_scorer_keeps_only_quiz_questions_an_instructor_would() {
    let expected: Expected = toml::from_str(
        r#"
title = "Volcanoes"
language = "en"
kind = "science"
licence = "test"
cloze = ["basalt", "volcanic mudflow"]
[[term]]
term = "lahar"
also = ["volcanic mudflow"]
sentence = "A lahar is a volcanic mudflow that flows down river valleys."
definition = "a volcanic mudflow that flows down river valleys"
[[term]]
term = "tephra"
sentence = "Tephra is any rock thrown into the air by an eruption."
definition = "any rock thrown into the air by an eruption"
[[term]]
term = "magma"
sentence = "Magma is molten rock below the surface."
definition = "molten rock below the surface"
[[term]]
term = "vent"
sentence = "A vent is an opening in the crust, where magma and gas escape to the surface in an eruption."
definition = "an opening in the crust, where magma and gas escape to the surface in an eruption"
"#,
    )
    .expect("the test's key reads");
    let question = |stem: &str, answer: &str, wrong: &[&str]| {
        let mut options = vec![json!({"text": answer, "correct": true})];
        options.extend(wrong.iter().map(|w| json!({"text": w, "correct": false})));
        json!({"questions": [{"text": stem, "options": options}]})
    };
    let kept = |payload| kept_one(ComponentType::Quiz, payload, &expected);
    let stem = "What do we call a volcanic mudflow that flows down river valleys?";
    assert!(kept(question(stem, "lahar", &["tephra", "magma"])));
    // A wrong option that is a word the key would blank, in any number, or one that is
    // neither that nor a key term.
    assert!(kept(question(stem, "lahar", &["tephra", "basalt"])));
    assert!(kept(question(stem, "lahar", &["basalts"])));
    assert!(!kept(question(stem, "lahar", &["tephra", "granite"])));
    // The answer's other name is no wrong answer, though the key would blank it.
    assert!(!kept(question(stem, "lahar", &["volcanic mudflow"])));
    // No question, or too little of the definition.
    assert!(!kept(question(
        "A volcanic mudflow that flows down river valleys.",
        "lahar",
        &["tephra"]
    )));
    assert!(!kept(question("What is a mudflow?", "lahar", &["tephra"])));
    // The stem names the answer where the key's definition does not.
    assert!(!kept(question(
        "Which term means molten rock below the surface, magma?",
        "magma",
        &["tephra"]
    )));
    // An answer that is not a key term.
    assert!(!kept(question(stem, "mudflow", &["tephra"])));
    // The key's definition names "volcanic mudflow", not "lahar": a stem that says "lahar"
    // gives the answer away.
    assert!(!kept(question(
        "Which is a lahar: a volcanic mudflow that flows down river valleys?",
        "lahar",
        &["tephra", "magma"]
    )));
    // A verb is named with or without its "to".
    assert!(kept(question(stem, "lahar", &["to tephra", "magma"])));
    // A stem may leave out a clause the sentence adds, as a card may.
    let vent = |stem: &str| kept(question(stem, "vent", &["lahar", "magma"]));
    assert!(vent("What do we call an opening in the crust?"));
    assert!(!vent("What do we call an opening?"));
}
