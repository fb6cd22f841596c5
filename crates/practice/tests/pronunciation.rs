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

    // A phrase's IPA as espeak-ng writes it, small words joined ("ɔnðə"): it cannot be
    // split by word, so each word's own pronunciation is expected, and each word scored.
    let phrase = espeak(dir.path(), "phrase", &voice, PHRASE);
    let s = score(&p, &phrase, PHRASE, "tˈɜːn ɔnðə lˈaɪt plˈiːz");
    let words: Vec<&str> = s.words.iter().map(|w| w.word.as_str()).collect();
    assert_eq!(words, ["turn", "on", "the", "light", "please"]);
    assert!(s.overall >= 70, "{s:#?}");

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
    assert!(refused(&vec![0.1; 16_000 * 16], 16_000, "light", "").contains("16 s long"));
    let long_text = "a".repeat(400);
    assert!(refused(&light.0, light.1, &long_text, "").contains("400 characters"));
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
}

#[test]
fn an_item_ipa_the_scorer_cannot_read_falls_back_to_the_words_own_pronunciation() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let p = pronouncer();
    let light = espeak(dir.path(), "light", &["-v", "en-us"], "light");
    for ipa in ["/laɪt؟/", "☃", "/ˈlaɪt, ˈlaɪʔ/", "ʘaɪt"] {
        let s = score(&p, &light, "light", ipa);
        let phones: Vec<&str> = s.phones.iter().map(|p| p.expected.as_str()).collect();
        assert_eq!(phones, ["l", "aɪ", "t"], "{ipa}");
        assert!(s.overall >= 70, "{ipa}: {s:#?}");
    }
}

// Scorers that misbehave, as stand-ins for pronounce.py (each a few lines of Python): the app
// must neither hang nor lose its way when the real one does the same.

const ANSWER: &str = r#"{"overall": 0.5, "words": [{"word": "light", "score": 0.5, "start_ms": 0, "end_ms": 300}], "phones": [{"expected": "L", "heard": "R", "score": 0.2, "ok": false, "word": 0, "start_ms": 0, "end_ms": 90}]}"#;

fn fake(body: &str, timeout_s: u64) -> Pronouncer {
    let script = format!(
        "import sys, time, os\nANSWER = {ANSWER:?}\nprint('{{\"ready\": true}}', flush=True)\n{body}\n"
    );
    Pronouncer::with_script(
        "/usr/bin/python3".into(),
        &script,
        std::time::Duration::from_secs(timeout_s),
    )
    .expect("a scorer")
}

const TAKE: [f32; 1600] = [0.1; 1600];

#[test]
fn a_scorer_that_hangs_is_stopped_and_a_new_one_started() {
    let p = fake("for line in sys.stdin:\n    time.sleep(3600)", 2);
    let started = std::time::Instant::now();
    match p.score(&TAKE, 16_000, "light", "") {
        Err(PronunciationError::TimedOut(2)) => {}
        other => panic!("timed out, not {other:?}"),
    }
    assert!(
        started.elapsed().as_secs() < 30,
        "not tried again after the timeout"
    );
    assert_eq!(p.process_id(), None, "the stuck process is gone");
}

#[test]
fn chatter_and_bytes_that_are_not_utf8_on_its_output_are_skipped() {
    let p = fake(
        "for line in sys.stdin:\n    print('loading model...', flush=True)\n    sys.stdout.buffer.write(b'\\xff\\xfe not text\\n'); sys.stdout.flush()\n    print('[1, 2]', flush=True)\n    print(ANSWER, flush=True)",
        10,
    );
    let s = p.score(&TAKE, 16_000, "light", "").expect("scored");
    assert_eq!(s.overall, 50);
    assert_eq!(s.phones[0].expected, "l");
    assert_eq!(s.phones[0].heard.as_deref(), Some("ɹ"));
    // The next take gets its own answer, not one left over.
    let again = p.score(&TAKE, 16_000, "light", "").expect("scored");
    assert_eq!(again, s);
}

#[test]
fn a_scorer_that_dies_says_why_and_one_that_died_between_takes_is_replaced() {
    // Dies on the take it was given: the error carries its last words; not tried again.
    let p = fake(
        "for line in sys.stdin:\n    sys.stderr.write('Traceback: boom\\n'); sys.stderr.flush(); os._exit(3)",
        10,
    );
    match p.score(&TAKE, 16_000, "light", "") {
        Err(PronunciationError::Failed(why)) => assert!(why.contains("boom"), "{why}"),
        other => panic!("failed, not {other:?}"),
    }
    // Answers once, then dies while idle: the next take goes to a new process, unseen.
    let p = fake(
        "line = sys.stdin.readline()\nprint(ANSWER, flush=True)\nos._exit(0)",
        10,
    );
    let first = p.score(&TAKE, 16_000, "light", "").expect("scored");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let second = p
        .score(&TAKE, 16_000, "light", "")
        .expect("scored by a new process");
    assert_eq!(first, second);
    // One that cannot start: unavailable, in its own words.
    let p = Pronouncer::with_script(
        "/usr/bin/python3".into(),
        "import json\nprint(json.dumps({'error': 'cannot load PocketSphinx: No module named pocketsphinx'}))\nraise SystemExit(1)",
        std::time::Duration::from_secs(10),
    )
    .expect("a scorer");
    match p.score(&TAKE, 16_000, "light", "") {
        Err(PronunciationError::Unavailable(why)) => assert!(why.contains("pocketsphinx"), "{why}"),
        other => panic!("unavailable, not {other:?}"),
    }
    // A scorer's own "internal" error is a failure, not a refusal of the take.
    let p = fake(
        "for line in sys.stdin:\n    print('{\"error\": \"the scorer failed: KeyError\", \"kind\": \"internal\"}', flush=True)",
        10,
    );
    assert!(matches!(
        p.score(&TAKE, 16_000, "light", ""),
        Err(PronunciationError::Failed(_))
    ));
}
