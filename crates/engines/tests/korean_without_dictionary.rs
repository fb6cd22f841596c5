//! Without the Korean dictionary (not installed, or unreadable), Korean terms are not
//! guessed: the drafts say why, and English drafts go on. (Its own test binary: the
//! dictionary is loaded once per process.)

use classkit_engines::drafts::{Drafted, SlideText, Why, draft_text, glossary};
use classkit_model::ComponentType;

/// Runs [`without_the_dictionary`] in a process of its own whose `CLASSKIT_KO_DIC` is a
/// folder that holds something, but not a dictionary (and then one that does not exist).
#[test]
fn korean_terms_say_the_dictionary_is_missing_and_english_goes_on() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("metadata.json"), "{ not a dictionary").expect("write");
    for place in [dir.path().to_path_buf(), dir.path().join("missing")] {
        let out = std::process::Command::new(std::env::current_exe().expect("this test"))
            .args([
                "--exact",
                "without_the_dictionary",
                "--ignored",
                "--nocapture",
            ])
            .env("CLASSKIT_KO_DIC", &place)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("1 passed"));
    }
}

#[test]
#[ignore = "the child process of korean_terms_say_the_dictionary_is_missing_and_english_goes_on, which runs it with CLASSKIT_KO_DIC set"]
fn without_the_dictionary() {
    let place = std::env::var("CLASSKIT_KO_DIC").expect("CLASSKIT_KO_DIC");
    let err = classkit_engines::korean::available().expect_err("no dictionary");
    assert!(err.to_string().contains("scripts/setup"), "{err}");
    assert!(err.to_string().contains(&place), "{err}");

    let korean = SlideText {
        slide_id: uuid::Uuid::now_v7(),
        title: "김치",
        body: "",
        notes: "천일염이란 바닷물을 증발시켜 얻은 소금을 말합니다. 숙성이란 맛이 변해 가는 과정을 뜻합니다.",
    };
    for kind in [
        ComponentType::Flashcards,
        ComponentType::Quiz,
        ComponentType::Cloze,
        ComponentType::Matching,
    ] {
        assert_eq!(
            draft_text(kind, &korean, &[]),
            Why::NoKoreanDictionary.into(),
            "{kind}"
        );
    }
    let english = SlideText {
        slide_id: uuid::Uuid::now_v7(),
        title: "Salt",
        body: "",
        notes: "Sea salt is a salt made by evaporating seawater in shallow ponds. \
                Fermentation means the slow change of taste that microbes bring about.",
    };
    assert!(matches!(
        draft_text(
            ComponentType::Flashcards,
            &english,
            &glossary([english.notes])
        ),
        Drafted::Payload(_)
    ));
}
