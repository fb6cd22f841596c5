//! Languages: telling which one a text is in, and the builtin voice that speaks it.

/// The ISO 639-1 code of the language `text` is written in, when it can be told reliably.
pub fn detect(text: &str) -> Option<String> {
    // Hangul is unmistakable, and short Korean phrases are not always "reliable" to whatlang.
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let hangul = text.chars().filter(|c| is_hangul(*c)).count();
    if letters > 0 && hangul * 2 >= letters {
        return Some("ko".into());
    }
    let info = whatlang::detect(text)?;
    if !info.is_reliable() {
        return None;
    }
    let code = match info.lang() {
        whatlang::Lang::Eng => "en",
        whatlang::Lang::Kor => "ko",
        whatlang::Lang::Jpn => "ja",
        whatlang::Lang::Cmn => "zh",
        whatlang::Lang::Spa => "es",
        whatlang::Lang::Fra => "fr",
        whatlang::Lang::Deu => "de",
        whatlang::Lang::Ita => "it",
        whatlang::Lang::Por => "pt",
        whatlang::Lang::Rus => "ru",
        whatlang::Lang::Vie => "vi",
        other => return Some(other.code().to_string()),
    };
    Some(code.to_string())
}

/// A Hangul syllable or jamo.
pub fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F)
}

/// The final consonant (받침) of a Hangul syllable, as its index 1–27 (17 is ㅂ); `None` for
/// an open syllable or any other character.
pub fn final_consonant(c: char) -> Option<u32> {
    let code = c as u32;
    (0xAC00..=0xD7A3)
        .contains(&code)
        .then(|| (code - 0xAC00) % 28)
        .filter(|f| *f != 0)
}

/// True when the last letter of `text` is a Hangul syllable that ends in a consonant (which
/// takes 을, 은, 이 rather than 를, 는, 가).
pub fn ends_closed(text: &str) -> bool {
    text.chars()
        .rev()
        .find(|c| c.is_alphanumeric())
        .and_then(final_consonant)
        .is_some()
}

/// The espeak-ng voice for a language code (`en`, `ko`, `en-GB`, …); US English when espeak-ng
/// has no voice for it.
pub fn espeak_voice(language: Option<&str>) -> &'static str {
    let lang = language.unwrap_or("en").to_ascii_lowercase();
    let (base, region) = lang.split_once(['-', '_']).unwrap_or((lang.as_str(), ""));
    match (base, region) {
        ("en", "gb" | "uk") => "en-gb",
        ("en", _) => "en-us",
        ("ko", _) => "ko",
        ("ja", _) => "ja",
        ("zh", _) => "cmn",
        ("es", _) => "es",
        ("fr", _) => "fr-fr",
        ("de", _) => "de",
        ("it", _) => "it",
        ("pt", "br") => "pt-br",
        ("pt", _) => "pt",
        ("ru", _) => "ru",
        ("vi", _) => "vi",
        _ => "en-us",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_korean_from_english() {
        assert_eq!(
            detect("안녕하세요, 오늘은 비즈니스 영어를 배웁니다.").as_deref(),
            Some("ko")
        );
        assert_eq!(
            detect("Photosynthesis turns light energy into chemical energy stored in sugar.")
                .as_deref(),
            Some("en")
        );
        assert_eq!(detect("").as_deref(), None);
        assert_eq!(espeak_voice(Some("ko")), "ko");
        assert_eq!(espeak_voice(Some("en-GB")), "en-gb");
        assert_eq!(espeak_voice(None), "en-us");
        assert_eq!(espeak_voice(Some("xx")), "en-us");
    }
}
