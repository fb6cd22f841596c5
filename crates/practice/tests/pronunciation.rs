//! PRONUNCIATION scores of recordings this test makes with speech synthesis, through the
//! long-lived PocketSphinx scorer as the app runs it (the virtualenv scripts/setup makes):
//! espeak-ng and Piper saying the phrase must score clearly above the same voices saying
//! another phrase; a word said wrong on purpose (light said as "right", through each voice's
//! phoneme input) must be the word flagged, with the phone heard instead; and the scorer is
//! started again when it dies, and refuses what it cannot score in words.

mod voices;

use classkit_practice::pronunciation::{Pronouncer, PronunciationError, PronunciationScore};
use voices::{espeak, piper_with};

const PHRASE: &str = "turn on the light please";
const OTHER: &str = "could you send the contract by Friday";

fn pronouncer() -> Pronouncer {
    let home = Pronouncer::default_home().expect("a home folder");
    Pronouncer::find(&home).expect("PocketSphinx is installed (scripts/setup)")
}

fn score(p: &Pronouncer, take: &(Vec<f32>, u32), text: &str, ipa: &str) -> PronunciationScore {
    p.score(&take.0, take.1, text, ipa)
        .unwrap_or_else(|e| panic!("{text:?} is scored: {e}"))
}

fn word<'a>(s: &'a PronunciationScore, w: &str) -> &'a classkit_practice::pronunciation::WordScore {
    s.words
        .iter()
        .find(|x| x.word == w)
        .expect("the word is scored")
}

/// The mispronounced phrase: "light" is flagged, with /l/ heard as /ɹ/, and it is the word
/// scored lowest; the same voice saying it right has its /l/ accepted.
fn check_mispronounced(voice: &str, right: &PronunciationScore, wrong: &PronunciationScore) {
    let light = wrong
        .words
        .iter()
        .position(|w| w.word == "light")
        .expect("light is scored");
    let l = wrong
        .phones
        .iter()
        .find(|p| p.word == light && p.expected_arpabet == "L")
        .expect("light's /l/");
    assert!(
        !l.ok,
        "{voice}: light said as 'right' has its /l/ flagged: {wrong:#?}"
    );
    assert_eq!(
        l.heard.as_deref(),
        Some("ɹ"),
        "{voice}: /ɹ/ was heard: {wrong:#?}"
    );
    assert_eq!(l.expected, "l");
    let lowest = wrong.words.iter().min_by_key(|w| w.score).expect("words");
    assert_eq!(
        lowest.word, "light",
        "{voice}: the mispronounced word scores lowest: {wrong:#?}"
    );
    let right_l = right
        .phones
        .iter()
        .find(|p| p.word == light && p.expected_arpabet == "L")
        .expect("light's /l/");
    assert!(
        right_l.ok,
        "{voice}: light said right has its /l/ accepted: {right:#?}"
    );
    assert!(
        word(right, "light").score >= word(wrong, "light").score + 20,
        "{voice}: light said right scores clearly above light said wrong"
    );
}

#[test]
fn espeak_ng_right_phrase_above_another_and_the_mispronounced_word_flagged() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let p = pronouncer();
    let voice = ["-v", "en-us"];
    let right = espeak(dir.path(), "right", &voice, PHRASE);
    let wrong = espeak(dir.path(), "wrong", &voice, "turn on the [[raIt]] please");
    let other = espeak(dir.path(), "other", &voice, OTHER);
    // Another voice and speed than the dictionary was calibrated with most.
    let right_f = espeak(
        dir.path(),
        "right-f",
        &["-v", "en-us+f3", "-s", "150"],
        PHRASE,
    );
    let other_f = espeak(
        dir.path(),
        "other-f",
        &["-v", "en-us+f3", "-s", "150"],
        OTHER,
    );

    let right = score(&p, &right, PHRASE, "");
    let wrong = score(&p, &wrong, PHRASE, "");
    let other = score(&p, &other, PHRASE, "");
    let right_f = score(&p, &right_f, PHRASE, "");
    let other_f = score(&p, &other_f, PHRASE, "");
    eprintln!(
        "espeak-ng: right {} (f3: {}), mispronounced {}, another phrase {} (f3: {})",
        right.overall, right_f.overall, wrong.overall, other.overall, other_f.overall
    );
    assert!(right.overall >= 70, "{right:#?}");
    assert!(
        right.overall >= other.overall + 40,
        "right {right:#?}\nother {other:#?}"
    );
    assert!(
        right_f.overall >= other_f.overall + 30,
        "right {right_f:#?}\nother {other_f:#?}"
    );
    assert!(right.overall > wrong.overall);
    check_mispronounced("espeak-ng", &right, &wrong);
    assert_eq!(right.words.len(), 5);
    assert!(
        right
            .words
            .windows(2)
            .all(|w| w[0].end_ms <= w[1].start_ms + 10),
        "words in order"
    );
}

#[test]
fn piper_right_phrase_above_another_and_the_mispronounced_word_flagged() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let p = pronouncer();
    // The same recording every run, so that the verdict is too.
    let steady = ["--noise-scale", "0", "--noise-w-scale", "0"];
    let right = piper_with(dir.path(), "right", &steady, PHRASE);
    let wrong = piper_with(
        dir.path(),
        "wrong",
        &steady,
        "turn on the [[ ɹˈaɪt ]] please",
    );
    let other = piper_with(dir.path(), "other", &steady, OTHER);

    let right = score(&p, &right, PHRASE, "");
    let wrong = score(&p, &wrong, PHRASE, "");
    let other = score(&p, &other, PHRASE, "");
    eprintln!(
        "Piper: right {}, mispronounced {}, another phrase {}",
        right.overall, wrong.overall, other.overall
    );
    assert!(right.overall >= 70, "{right:#?}");
    assert!(
        right.overall >= other.overall + 40,
        "right {right:#?}\nother {other:#?}"
    );
    check_mispronounced("Piper", &right, &wrong);
}

#[test]
fn expected_phones_from_the_items_ipa_or_from_espeak_ng_for_words_the_dictionary_lacks() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let p = pronouncer();
    let voice = ["-v", "en-us"];
    let light = espeak(dir.path(), "light", &voice, "light");
    let wrong = espeak(dir.path(), "wrong", &voice, "[[raIt]]");
    // The instructor's IPA, enclosed and with stress, as the editor takes it.
    let given = score(&p, &light, "light", "/ˈlaɪt/");
    assert!(given.overall >= 70, "{given:#?}");
    let ipa: Vec<&str> = given.phones.iter().map(|p| p.expected.as_str()).collect();
    assert_eq!(ipa, ["l", "aɪ", "t"]);
    let flagged = score(&p, &wrong, "light", "/ˈlaɪt/");
    assert!(
        !flagged.phones[0].ok && flagged.phones[1..].iter().all(|p| p.ok),
        "{flagged:#?}"
    );

    // A word outside the CMU dictionary: espeak-ng's pronunciation is expected.
    let batna = espeak(dir.path(), "batna", &voice, "BATNA");
    let s = score(&p, &batna, "BATNA", "");
    assert!(s.overall >= 60, "{s:#?}");
    assert_eq!(s.words[0].word, "batna");

    // Another word entirely: scored 0, every phone flagged, nothing said heard.
    let s = score(&p, &light, "negotiate", "");
    assert_eq!(s.overall, 0, "{s:#?}");
    assert!(s.phones.iter().all(|p| !p.ok));
}

#[test]
fn refusals_say_what_is_wrong_and_a_dead_scorer_is_started_again() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let p = pronouncer();
    let light = espeak(dir.path(), "light", &["-v", "en-us"], "light");

    let refused = |samples: &[f32], rate: u32, text: &str, ipa: &str| match p
        .score(samples, rate, text, ipa)
    {
        Err(PronunciationError::Refused(why)) => why,
        other => panic!("{text:?} is refused, not {other:?}"),
    };
    assert!(refused(&light.0, light.1, " ", "").contains("no word or phrase"));
    let long = "one two three four five six seven eight nine ten eleven twelve thirteen";
    assert!(refused(&light.0, light.1, long, "").contains("13 words"));
    assert!(refused(&vec![0.0; 16_000], 16_000, "light", "").contains("silent"));
    assert!(refused(&light.0[..800], light.1, "light", "").contains("too short"));
    assert!(refused(&light.0, 4_000, "light", "").contains("4000 samples a second"));
    let why = refused(&light.0, light.1, "light", "/laɪt؟/");
    assert!(why.contains("؟"), "{why}");
    // Not-a-number samples (a broken take) are read as silence, not as noise.
    let broken = vec![f32::NAN; 16_000];
    assert!(refused(&broken, 16_000, "light", "").contains("silent"));

    // The scorer answers after each refusal, and when it is killed it is started again.
    let first = score(&p, &light, "light", "");
    let pid = p.process_id().expect("the scorer runs");
    let status = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let again = score(&p, &light, "light", "");
    assert_eq!(
        first, again,
        "the same take scores the same in a new process"
    );
    assert_ne!(p.process_id(), Some(pid), "a new process");

    // No virtualenv: it says where it looked.
    let missing = dir.path().join("no-sphinx");
    match Pronouncer::find(&missing) {
        Err(PronunciationError::Unavailable(why)) => {
            assert!(why.contains("no-sphinx"), "{why}")
        }
        other => panic!("unavailable, not {other:?}"),
    }
    // A Python without pocketsphinx: unavailable, in words, when the first take is scored.
    let fake = dir.path().join("bare");
    std::fs::create_dir_all(fake.join("bin")).expect("a folder");
    std::os::unix::fs::symlink("/usr/bin/python3", fake.join("bin/python")).expect("a link");
    let bare = Pronouncer::find(&fake).expect("a Python is found");
    match bare.score(&light.0, light.1, "light", "") {
        Err(PronunciationError::Unavailable(why)) => {
            assert!(why.contains("pocketsphinx"), "{why}")
        }
        other => panic!("unavailable, not {other:?}"),
    }
}
