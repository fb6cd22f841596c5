//! Why an engine drafted nothing of a type for a slide. The reason is stored with the slide
//! (in English, as the engine said it) and read back by its [`Why::code`], so the app can
//! say it in the instructor's language.

/// The reasons, each once: its variant, its code and what the engine says.
macro_rules! reasons {
    ($($(#[$doc:meta])* $variant:ident => $code:literal, $text:expr;)*) => {
        /// A reason the offline engines give for drafting nothing.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Why {
            $($(#[$doc])* $variant,)*
        }

        impl Why {
            /// Every reason.
            pub const ALL: &'static [Why] = &[$(Why::$variant),*];

            /// A stable name for the reason (the UI's translations are keyed by it).
            pub fn code(self) -> &'static str {
                match self {
                    $(Why::$variant => $code,)*
                }
            }

            /// The reason as the engine states it.
            pub fn text(self) -> &'static str {
                match self {
                    $(Why::$variant => $text,)*
                }
            }
        }
    };
}

reasons! {
    /// No sentence of the narration defines a term.
    NoDefinition => "no_definition",
        "no defining sentence in this slide's narration (such as \"X is …\" or \"X means …\")";
    /// Terms are defined, but none is set in bold or used again in the lecture.
    NotKeyTerms => "not_key_terms",
        "the terms this slide defines are neither in bold nor used again in the lecture, \
         so none is sure to be one of its key terms";
    /// One term is defined; matching pairs need two.
    OneDefinition => "one_definition",
        "matching needs two or more terms defined in the narration";
    /// The course has no other term of the same kind to offer as a wrong answer.
    NoOtherTerms => "no_other_terms",
        "the course defines no other terms to offer as wrong answers";
    /// The defined term does not occur again in its sentence, so it cannot be blanked.
    TermNotInSentence => "term_not_in_sentence",
        "no defined term could be found again in its sentence";
    NoSentenceToDictate => "no_sentence_to_dictate",
        "the narration has no sentence of a suitable length to dictate";
    NoSentenceToShadow => "no_sentence_to_shadow",
        "the narration has no sentence of a suitable length to shadow";
    NoHardWords => "no_hard_words",
        "the English sentences have no words that are hard to say";
    NoWordsToPractise => "no_words_to_practise",
        "the narration has no key terms or long words to practise";
    NoConversation => "no_conversation",
        "the narration writes out no conversation between two to five speakers";
    /// A transcript (a podcast's hosts, an interview) is no dialogue to practise.
    LongTurns => "long_turns",
        "the conversation's turns are too long to practise (a transcript, not a dialogue)";
    /// A branching scenario's decisions and consequences are not in a lecture.
    BranchingByHand => "branching_by_hand",
        "a branching scenario needs decision points and their consequences, which a lecture \
         does not state; write it from a roleplay or by hand";
    /// A HOTSPOT needs the rendered slide.
    NotRendered => "not_rendered",
        "a HOTSPOT is drafted over the rendered slide, and only the slide's text was given";
    /// The narration says nothing about the slide's bullet points.
    NothingOnBullets => "nothing_on_bullets",
        "the narration says nothing about the slide's bullet points";
    NoBulletsOrNarration => "no_bullets_or_narration",
        "the slide has no bullet points and no narration";
    NoText => "no_text", "the slide has no text to draft from";
    /// Korean terms need the Korean dictionary, which is not installed.
    NoKoreanDictionary => "no_korean_dictionary",
        "Korean terms are found with the Korean dictionary, which is not installed \
         (scripts/setup installs it; then start the app again)";
}

impl Why {
    /// The reason a stored text states, if an engine gave it with [`Why::text`] (a language
    /// model's own words, or a draft that did not validate, have none).
    pub fn of(text: &str) -> Option<Why> {
        Why::ALL.iter().copied().find(|w| w.text() == text)
    }
}

impl From<Why> for super::Drafted {
    fn from(why: Why) -> Self {
        super::Drafted::Nothing(why.text().to_string())
    }
}

impl From<Why> for String {
    fn from(why: Why) -> Self {
        why.text().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_reads_back_from_its_text_and_has_its_own_code() {
        for &w in Why::ALL {
            assert_eq!(Why::of(w.text()), Some(w), "{w:?}");
            assert_eq!(
                Why::ALL.iter().filter(|o| o.code() == w.code()).count(),
                1,
                "{w:?}"
            );
        }
        assert_eq!(
            Why::of("the QUIZ draft did not validate: /questions: empty"),
            None
        );
    }
}
