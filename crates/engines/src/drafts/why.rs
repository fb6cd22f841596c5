//! Why an engine drafted nothing of a type for a slide. The reason is stored with the slide
//! (in English, as the engine said it) and read back by its [`Why::code`], so the app can
//! say it in the instructor's language.

/// A reason the offline engines give for drafting nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// No sentence of the narration defines a term.
    NoDefinition,
    /// One term is defined; matching pairs need two.
    OneDefinition,
    /// The course has no other term of the same kind to offer as a wrong answer.
    NoOtherTerms,
    /// The defined term does not occur again in its sentence, so it cannot be blanked.
    TermNotInSentence,
    NoSentenceToDictate,
    NoSentenceToShadow,
    NoHardWords,
    NoWordsToPractise,
    NoConversation,
    /// A branching scenario's decisions and consequences are not in a lecture.
    BranchingByHand,
    /// A HOTSPOT needs the rendered slide.
    NotRendered,
    /// The narration says nothing about the slide's bullet points.
    NothingOnBullets,
    NoBulletsOrNarration,
    NoText,
    /// Korean terms need the Korean dictionary, which is not installed.
    NoKoreanDictionary,
}

impl Why {
    pub const ALL: [Why; 15] = [
        Why::NoDefinition,
        Why::OneDefinition,
        Why::NoOtherTerms,
        Why::TermNotInSentence,
        Why::NoSentenceToDictate,
        Why::NoSentenceToShadow,
        Why::NoHardWords,
        Why::NoWordsToPractise,
        Why::NoConversation,
        Why::BranchingByHand,
        Why::NotRendered,
        Why::NothingOnBullets,
        Why::NoBulletsOrNarration,
        Why::NoText,
        Why::NoKoreanDictionary,
    ];

    /// A stable name for the reason (the UI's translations are keyed by it).
    pub fn code(self) -> &'static str {
        match self {
            Why::NoDefinition => "no_definition",
            Why::OneDefinition => "one_definition",
            Why::NoOtherTerms => "no_other_terms",
            Why::TermNotInSentence => "term_not_in_sentence",
            Why::NoSentenceToDictate => "no_sentence_to_dictate",
            Why::NoSentenceToShadow => "no_sentence_to_shadow",
            Why::NoHardWords => "no_hard_words",
            Why::NoWordsToPractise => "no_words_to_practise",
            Why::NoConversation => "no_conversation",
            Why::BranchingByHand => "branching_by_hand",
            Why::NotRendered => "not_rendered",
            Why::NothingOnBullets => "nothing_on_bullets",
            Why::NoBulletsOrNarration => "no_bullets_or_narration",
            Why::NoText => "no_text",
            Why::NoKoreanDictionary => "no_korean_dictionary",
        }
    }

    /// The reason as the engine states it.
    pub fn text(self) -> &'static str {
        match self {
            Why::NoDefinition => {
                "no defining sentence in this slide's narration (such as \"X is …\" or \"X means …\")"
            }
            Why::OneDefinition => "matching needs two or more terms defined in the narration",
            Why::NoOtherTerms => "the course defines no other terms to offer as wrong answers",
            Why::TermNotInSentence => "no defined term could be found again in its sentence",
            Why::NoSentenceToDictate => {
                "the narration has no sentence of a suitable length to dictate"
            }
            Why::NoSentenceToShadow => {
                "the narration has no sentence of a suitable length to shadow"
            }
            Why::NoHardWords => "the English sentences have no words that are hard to say",
            Why::NoWordsToPractise => "the narration has no key terms or long words to practise",
            Why::NoConversation => {
                "the narration writes out no conversation between two or three speakers"
            }
            Why::BranchingByHand => {
                "a branching scenario needs decision points and their consequences, which a \
                 lecture does not state; write it from a roleplay or by hand"
            }
            Why::NotRendered => {
                "a HOTSPOT is drafted over the rendered slide, and only the slide's text was given"
            }
            Why::NothingOnBullets => "the narration says nothing about the slide's bullet points",
            Why::NoBulletsOrNarration => "the slide has no bullet points and no narration",
            Why::NoText => "the slide has no text to draft from",
            Why::NoKoreanDictionary => {
                "Korean terms are found with the Korean dictionary, which is not installed \
                 (scripts/setup installs it; then start the app again)"
            }
        }
    }

    /// The reason a stored text states, if an engine gave it with [`Why::text`] (a language
    /// model's own words, or a draft that did not validate, have none).
    pub fn of(text: &str) -> Option<Why> {
        Why::ALL.into_iter().find(|w| w.text() == text)
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
        for w in Why::ALL {
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
