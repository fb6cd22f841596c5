//! The builtin voices, for real: espeak-ng and Piper processes, Ogg Vorbis checked by ogginfo.

use classkit_engines::tts::{Espeak, MAX_SPEECH_CHARS, Piper, SpeechRequest, Tts, ipa};
use classkit_jobs::ErrorClass;

const ENGLISH: &str = "Photosynthesis is the process by which green plants turn light energy \
    into chemical energy. Chlorophyll in the leaves absorbs mostly red and blue light.";
const KOREAN: &str = "안녕하세요. 오늘은 전화로 계약을 협상하는 방법을 배웁니다.";

/// Checks the audio with vorbis-tools' own reader and returns what it printed.
fn ogginfo(audio: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("a.ogg");
    std::fs::write(&file, audio).expect("write");
    let out = std::process::Command::new("ogginfo")
        .arg(&file)
        .output()
        .expect("ogginfo (vorbis-tools) runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "ogginfo refused the audio: {text}");
    assert!(
        !text.contains("WARNING") && !text.contains("ERROR"),
        "{text}"
    );
    text
}

fn check_speech(speech: &classkit_engines::tts::Speech, text: &str) {
    assert!(speech.audio.starts_with(b"OggS"), "an Ogg stream");
    let info = ogginfo(&speech.audio);
    assert!(info.contains("Vorbis"), "{info}");
    // Plausible: 1.5 to 6 words a second, whatever the language's word lengths.
    let words = text.split_whitespace().count() as f64;
    let secs = speech.duration_ms as f64 / 1000.0;
    assert!(secs > 1.0, "{secs} s for {words} words");
    assert!(
        (words / secs) < 6.0 && (words / secs) > 0.5,
        "{words} words in {secs} s"
    );
    // At most 1 MB a minute.
    let per_minute = speech.audio.len() as f64 / (secs / 60.0);
    assert!(per_minute < 1_000_000.0, "{per_minute} bytes a minute");
    assert_eq!(speech.media_type, "audio/ogg");
    assert_eq!(speech.characters, text.chars().count());
}

#[tokio::test]
async fn espeak_speaks_english_and_korean() {
    let espeak = Espeak::new("espeak", None, None);
    let en = espeak
        .synthesize(&SpeechRequest::new(ENGLISH))
        .await
        .expect("English");
    check_speech(&en, ENGLISH);
    assert_eq!(en.voice, "en-us");
    let ko = espeak
        .synthesize(&SpeechRequest::new(KOREAN))
        .await
        .expect("Korean");
    check_speech(&ko, KOREAN);
    assert_eq!(ko.voice, "ko", "the Korean voice is picked from the text");
    // A faster rate is shorter.
    let fast = espeak
        .synthesize(&SpeechRequest {
            rate_wpm: Some(300),
            ..SpeechRequest::new(ENGLISH)
        })
        .await
        .expect("fast");
    assert!(fast.duration_ms < en.duration_ms * 3 / 4);
}

#[test]
fn a_configured_voice_speaks_only_its_own_language() {
    let british = Espeak::new("espeak", Some("en-gb".into()), None);
    assert_eq!(
        british.parameters(&SpeechRequest::new(ENGLISH))["voice"],
        "en-gb"
    );
    assert_eq!(
        british.parameters(&SpeechRequest::new(KOREAN))["voice"],
        "ko"
    );
}

#[tokio::test]
async fn bad_speech_input_is_refused_clearly() {
    let espeak = Espeak::new("espeak", None, None);
    let empty = espeak
        .synthesize(&SpeechRequest::new("  \n "))
        .await
        .expect_err("empty");
    assert_eq!(empty.class, ErrorClass::Permanent);
    let huge = "word ".repeat(MAX_SPEECH_CHARS);
    let e = espeak
        .synthesize(&SpeechRequest::new(huge))
        .await
        .expect_err("huge");
    assert!(e.message.contains("at most"), "{}", e.message);
    let e = espeak
        .synthesize(&SpeechRequest {
            voice: Some("en; rm -rf /".into()),
            ..SpeechRequest::new("hello")
        })
        .await
        .expect_err("bad voice");
    assert_eq!(e.class, ErrorClass::Permanent);
    // Markup is spoken as text (espeak-ng gets no SSML flag), never interpreted.
    let s = espeak
        .synthesize(&SpeechRequest::new("<script>alert(1)</script> 5 < 6"))
        .await
        .expect("markup as text");
    assert!(s.duration_ms > 500);
}

#[tokio::test]
async fn ipa_for_pronunciation_items() {
    let word = ipa("photosynthesis", Some("en")).await.expect("ipa");
    assert!(word.contains('θ') && word.contains('ˈ'), "{word}");
    let ko = ipa("안녕하세요", Some("ko")).await.expect("ipa");
    assert!(!ko.is_empty() && !ko.contains('안'), "{ko}");
    assert!(ipa(" ", None).await.is_err());
}

#[tokio::test]
async fn piper_speaks_english_and_declines_korean() {
    let home = Piper::default_home().expect("a home folder");
    let piper = Piper::find("piper", &home, None).unwrap_or_else(|| {
        panic!(
            "Piper is not installed in {} (run scripts/setup)",
            home.display()
        )
    });
    let en = piper
        .synthesize(&SpeechRequest::new(ENGLISH))
        .await
        .expect("English");
    check_speech(&en, ENGLISH);
    let e = piper
        .synthesize(&SpeechRequest::new(KOREAN))
        .await
        .expect_err("Korean");
    assert_eq!(e.class, ErrorClass::Permanent);
    assert!(e.message.contains("espeak"), "{}", e.message);
}

#[tokio::test]
async fn piper_stays_loaded_and_comes_back_after_it_dies() {
    let home = Piper::default_home().expect("a home folder");
    let piper = Piper::find_with("piper", &home, None, 1).unwrap_or_else(|| {
        panic!(
            "Piper is not installed in {} (run scripts/setup)",
            home.display()
        )
    });
    let first = piper
        .synthesize(&SpeechRequest::new(ENGLISH))
        .await
        .expect("the first line");
    check_speech(&first, ENGLISH);
    // Three more, two of them at once: one process speaks them all, one after the other.
    let second = "A second sentence, from the voice already loaded.";
    let (two, three) = (
        SpeechRequest::new(second),
        SpeechRequest::new("And a third one, asked for at the same time."),
    );
    let (a, b) = tokio::join!(piper.synthesize(&two), piper.synthesize(&three));
    check_speech(&a.expect("the second line"), second);
    assert!(b.expect("the third line").duration_ms > 1000);
    assert_eq!(piper.started(), 1, "one Piper process spoke every line");

    // Killed while idle (out of memory, by hand): the next line starts a new one.
    let idle = piper.idle_processes();
    assert_eq!(idle.len(), 1, "{idle:?}");
    for pid in &idle {
        let killed = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .expect("kill");
        assert!(killed.success());
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let after = piper
        .synthesize(&SpeechRequest::new(second))
        .await
        .expect("a line after the process was killed");
    check_speech(&after, second);
    assert_eq!(piper.started(), 2, "a new process after the first died");

    // A line that breaks the process (markup, control characters) is an error for that line
    // alone, and the next one is spoken.
    let odd = piper
        .synthesize(&SpeechRequest::new(
            "<speak>\u{0007}</speak> 5 < 6 \u{202e}",
        ))
        .await;
    if let Err(e) = &odd {
        assert_eq!(e.class, ErrorClass::Retryable, "{}", e.message);
    }
    let last = piper
        .synthesize(&SpeechRequest::new(ENGLISH))
        .await
        .expect("a line after an odd one");
    check_speech(&last, ENGLISH);
}
