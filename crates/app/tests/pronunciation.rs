//! A pronunciation take scored through the app, as the learner preview sends it: the
//! PocketSphinx scorer (scripts/setup installs it) started on first use and kept.

use classkit_app::{App, AppError, QueueChoice};
use std::process::Command;

async fn app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("dir");
    let app = App::open(dir.path(), QueueChoice::Local)
        .await
        .expect("open");
    (dir, app)
}

fn take(dir: &std::path::Path, name: &str, text: &str) -> (Vec<f32>, u32) {
    let wav = dir.join(format!("{name}.wav"));
    let status = Command::new("espeak-ng")
        .args(["-v", "en-us", "-w"])
        .arg(&wav)
        .arg(text)
        .status()
        .expect("espeak-ng runs (scripts/setup installs it)");
    assert!(status.success());
    classkit_export::audio::mono(&wav, "audio/wav", 30).expect("a WAV file")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_take_is_scored_phone_by_phone_and_a_wrong_sound_named() {
    let (dir, app) = app().await;
    let (right, rate) = take(dir.path(), "right", "rice");
    let (wrong, _) = take(dir.path(), "wrong", "[[laIs]]");

    let good = app
        .score_pronunciation("rice", "", "en-US", right, rate)
        .await
        .expect("scored");
    assert!(good.overall >= 70, "{good:#?}");
    assert!(good.phones.iter().all(|p| p.ok), "{good:#?}");
    let ipa: Vec<&str> = good.phones.iter().map(|p| p.expected.as_str()).collect();
    assert_eq!(ipa, ["ɹ", "aɪ", "s"]);

    let bad = app
        .score_pronunciation("rice", "", "en", wrong, rate)
        .await
        .expect("scored");
    let r = &bad.phones[0];
    assert!(!r.ok, "rice said as 'lice' has its /ɹ/ flagged: {bad:#?}");
    assert_eq!(r.heard.as_deref(), Some("l"));
    assert!(bad.phones[1..].iter().all(|p| p.ok), "{bad:#?}");
    assert!(good.overall >= bad.overall + 40);

    // /θ/ said as /s/ (a sound this acoustic model tells apart less well): flagged, though
    // what was heard instead may go unnamed (heard is null here).
    let (sink, rate) = take(dir.path(), "sink", "[[sINk]]");
    let s = app
        .score_pronunciation("think", "", "en-US", sink, rate)
        .await
        .expect("scored");
    assert!(
        !s.phones[0].ok,
        "think said as 'sink' has its /θ/ flagged: {s:#?}"
    );
    assert!(
        s.phones[1..].iter().all(|p| p.ok),
        "and nothing else: {s:#?}"
    );
}

#[tokio::test]
async fn what_cannot_be_scored_is_refused_in_words() {
    let (_dir, app) = app().await;
    let refused = |r: Result<_, AppError>| match r {
        Err(e @ AppError::Invalid(_)) => e.to_string(),
        other => panic!("refused, not {other:?}"),
    };
    let korean = refused(
        app.score_pronunciation("광합성", "", "ko-KR", vec![0.1; 16_000], 16_000)
            .await,
    );
    assert!(
        korean.contains("English only") && korean.contains("ko-KR"),
        "{korean}"
    );
    let none = refused(
        app.score_pronunciation("light", "", " ", vec![0.1; 16_000], 16_000)
            .await,
    );
    assert!(none.contains("no language"), "{none}");
    let long = refused(
        app.score_pronunciation("light", "", "en-GB", vec![0.0; 16_000 * 40], 16_000)
            .await,
    );
    assert!(long.contains("40 s long"), "{long}");
}
