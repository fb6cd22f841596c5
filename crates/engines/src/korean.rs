//! Korean morphology: a text's morphemes with their parts of speech, from mecab-ko-dic
//! through lindera. `scripts/setup` builds the dictionary into
//! `~/.local/share/classkit-studio/ko-dic` (`CLASSKIT_KO_DIC` moves it); it is loaded once
//! per process (memory-mapped, about 70 ms).
//!
//! The tags are the Sejong tag set mecab-ko-dic uses: `NNG` a common noun, `NNP` a proper
//! noun, `NP` a pronoun, `MM` a determiner, `JX` an auxiliary particle (은/는, 이란), `JKO`
//! the object particle (을/를), `VCP` the copula (이다), `EF` a sentence ending, …; a
//! morpheme that joins several has them joined by `+` (`VCP+EF` for 입니다).

use lindera::dictionary::load_fs_dictionary;
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::OnceLock;

/// A morpheme of a text: its surface, its tag, and where it is (bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Morpheme {
    pub surface: String,
    pub tag: String,
    pub start: usize,
    pub end: usize,
}

impl Morpheme {
    /// The first (or only) part of speech.
    pub fn pos(&self) -> &str {
        self.tag.split('+').next().unwrap_or("")
    }

    /// The last part of speech (`EF` of `VCP+EF`).
    pub fn last_pos(&self) -> &str {
        self.tag.rsplit('+').next().unwrap_or("")
    }

    /// Part of a noun phrase's head: a noun, a number, a foreign word or hanja, a noun
    /// prefix or suffix (not the plural 들), a root.
    pub fn nounish(&self) -> bool {
        matches!(
            self.tag.as_str(),
            "NNG" | "NNP" | "NNB" | "NR" | "SL" | "SN" | "SH" | "XPN" | "XR" | "NNG+JKG"
        ) || (self.tag == "XSN" && self.surface != "들")
    }

    /// A pronoun (이것, 우리, 여러분) or a determiner (이, 그, 저, 이런).
    pub fn deictic(&self) -> bool {
        matches!(self.pos(), "NP" | "MM")
    }
}

/// Why the morphology cannot be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the Korean dictionary cannot be loaded from {path}: {message} (scripts/setup builds it)")]
pub struct Unavailable {
    pub path: String,
    pub message: String,
}

/// Where the dictionary is looked for: `$CLASSKIT_KO_DIC`, or
/// `$XDG_DATA_HOME/classkit-studio/ko-dic` (`~/.local/share/…`).
pub fn dictionary_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CLASSKIT_KO_DIC") {
        return PathBuf::from(dir);
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    data.join("classkit-studio/ko-dic")
}

fn segmenter() -> Result<&'static Segmenter, Unavailable> {
    static SEGMENTER: OnceLock<Result<Segmenter, Unavailable>> = OnceLock::new();
    SEGMENTER
        .get_or_init(|| {
            let dir = dictionary_dir();
            let unavailable = |message: String| Unavailable {
                path: dir.display().to_string(),
                message,
            };
            if !dir.join("metadata.json").is_file() {
                return Err(unavailable("it is not there".into()));
            }
            let dictionary = load_fs_dictionary(&dir).map_err(|e| unavailable(e.to_string()))?;
            Ok(Segmenter::new(Mode::Normal, dictionary, None))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Whether the morphology can be had here (the dictionary loads).
pub fn available() -> Result<(), Unavailable> {
    segmenter().map(|_| ())
}

/// The morphemes of `text`, in order.
pub fn morphemes(text: &str) -> Result<Vec<Morpheme>, Unavailable> {
    let segmenter = segmenter()?;
    let mut tokens = segmenter
        .segment(Cow::Borrowed(text))
        .map_err(|e| Unavailable {
            path: dictionary_dir().display().to_string(),
            message: e.to_string(),
        })?;
    Ok(tokens
        .iter_mut()
        .map(|t| {
            let (surface, start, end) = (t.surface.to_string(), t.byte_start, t.byte_end);
            Morpheme {
                surface,
                tag: t.get_detail(0).unwrap_or("UNKNOWN").to_string(),
                start,
                end,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str) -> Vec<String> {
        morphemes(text)
            .expect("the Korean dictionary (scripts/setup builds it)")
            .into_iter()
            .map(|m| format!("{}/{}", m.surface, m.tag))
            .collect()
    }

    #[test]
    fn parts_of_speech_and_places() {
        assert_eq!(
            tags("훈민정음은 바른 소리입니다."),
            [
                "훈민정음/NNP",
                "은/JX",
                "바른/VA+ETM",
                "소리/NNG",
                "입니다/VCP+EF",
                "./SF"
            ]
        );
        let text = "이것은 방법입니다";
        for m in morphemes(text).expect("dictionary") {
            assert_eq!(&text[m.start..m.end], m.surface);
        }
        assert!(
            morphemes("이것은")
                .expect("dictionary")
                .first()
                .is_some_and(Morpheme::deictic)
        );
        // Not Korean, empty, or odd: morphemes all the same, never a panic.
        assert!(morphemes("").expect("dictionary").is_empty());
        assert!(
            !morphemes("<script>alert(1)</script> 🙂 \u{0}")
                .expect("dictionary")
                .is_empty()
        );
    }
}
